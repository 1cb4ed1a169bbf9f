#include "regmap/regmap.h"

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "regmap/qontos_rt_regs.h"

namespace qontos::regmap {
namespace {

const std::filesystem::path kSource = QONTOS_SOURCE_DIR;

// A small valid map to mutate in the error tests.
nlohmann::json small_map() {
  return nlohmann::json::parse(R"({
    "format": "qontos-regmap", "format_version": 1, "name": "T", "version": "1.0", "doc": "test",
    "address_bits": 12,
    "blocks": [{"name": "B", "base": "0x100", "doc": "b", "registers": [
      {"name": "A", "offset": "0x0", "access": "rw", "doc": "a",
       "fields": [{"name": "X", "bits": "3:0", "reset": 5, "doc": "x"},
                  {"name": "Y", "bits": "8", "reset": 1, "doc": "y"}]},
      {"name": "S", "offset": "0x4", "access": "ro", "count": 3, "doc": "s",
       "fields": [{"name": "V", "bits": "15:0", "doc": "v"}]}
    ]}],
    "windows": [{"name": "W", "base": "0x800", "size": "0x800", "doc": "w"}]
  })");
}

std::string error_of(const nlohmann::json& j) {
  try {
    parse_register_map(j.dump(), "t.json");
  } catch (const RegmapError& e) {
    return e.what();
  }
  return "";
}

TEST(Regmap, ParsesFieldsResetsAndMasks) {
  const RegisterMap map = parse_register_map(small_map().dump(), "t.json");
  ASSERT_EQ(map.blocks.size(), 1u);
  const Register& a = map.blocks[0].registers[0];
  EXPECT_EQ(a.reset(), 0x105u);
  EXPECT_EQ(a.mask(), 0x10Fu);
  EXPECT_EQ(map.blocks[0].registers[1].count, 3u);
  EXPECT_EQ(map.windows[0].size, 0x800u);
}

TEST(Regmap, ErrorsNameTheFileAndThePath) {
  struct Case {
    const char* pointer;
    nlohmann::json value;
    const char* expected;
  };
  const Case cases[] = {
      {"/blocks/0/registers/0/fields/1/bits", "3", "t.json: blocks[0].registers[0].fields[1].bits: overlaps another field of A"},
      {"/blocks/0/registers/0/fields/0/bits", "32:30", "fields[0].bits: 32:30 is beyond bit 31"},
      {"/blocks/0/registers/0/fields/0/reset", 16, "fields[0].reset: 16 is larger than 15"},
      {"/blocks/0/registers/1/offset", "0x0", "blocks[0].registers[1].offset: B.S overlaps B.A at 0x00000100"},
      {"/blocks/0/registers/1/offset", "0x6", "registers[1].offset: must be a multiple of 4"},
      {"/blocks/0/registers/0/access", "rx", "registers[0].access: \"rx\" is not one of rw, ro, wo, w1c, const"},
      {"/blocks/0/registers/0/name", "DEFAULT", "\"DEFAULT\" is a C++ or Verilog keyword"},
      {"/blocks/0/registers/0/name", "lower", "must be an upper-case identifier"},
      {"/blocks/0/base", "0x7F8", "windows[0].base: window W overlaps B.S at 0x00000800"},
      {"/windows/0/size", "0x300", "windows[0].size: must be a power of two"},
      {"/blocks/0/registers/1/fields/0/reset", 0, "only rw and const fields have a reset value"},
      {"/blocks/0/registers/0/colour", "red", "blocks[0].registers[0].colour: unknown key"},
  };
  for (const Case& c : cases) {
    nlohmann::json j = small_map();
    j[nlohmann::json::json_pointer(c.pointer)] = c.value;
    EXPECT_NE(error_of(j).find(c.expected), std::string::npos) << c.pointer << ": got '" << error_of(j) << "'";
  }
  nlohmann::json j = small_map();
  j["blocks"][0]["registers"][0]["fields"][0].erase("reset");
  EXPECT_NE(error_of(j).find("fields[0].reset: missing"), std::string::npos) << error_of(j);
}

TEST(Regmap, InvalidJsonNamesTheLine) {
  try {
    parse_register_map("{\n  \"format\": \"qontos-regmap\",\n  oops\n}", "bad.json");
    FAIL() << "no error";
  } catch (const RegmapError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("bad.json:3: not valid JSON", 0), 0u) << e.what();
  }
}

TEST(Regmap, TheBoardMapGeneratesWhatIsCommitted) {
  // The same check as the CTest regmap_generated_up_to_date, plus: a changed file is reported.
  const RegisterMap map = load_register_map(kSource / "board/regmap.json");
  EXPECT_TRUE(stale_files(map, kSource).empty());
  const auto tmp = std::filesystem::temp_directory_path() / ("regmap_test_" + std::to_string(::getpid()));
  for (const GeneratedFile& f : generate_all(map)) {
    std::filesystem::create_directories((tmp / f.path).parent_path());
    std::ofstream(tmp / f.path) << f.text;
  }
  EXPECT_TRUE(stale_files(map, tmp).empty());
  std::ofstream(tmp / "docs/registers.md", std::ios::app) << "edited by hand\n";
  std::filesystem::remove(tmp / "hdl/regs/rtl/qontos_rt_regs.v");
  const auto problems = stale_files(map, tmp);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0], "hdl/regs/rtl/qontos_rt_regs.v is missing");
  EXPECT_EQ(problems[1], "docs/registers.md is stale");
  std::filesystem::remove_all(tmp);
}

TEST(Regmap, HostConstantsAgreeWithTheMap) {
  // The generated host header, compiled into this test, against the map parsed at run time.
  const RegisterMap map = load_register_map(kSource / "board/regmap.json");
  std::size_t n = 0;
  for (const Block& b : map.blocks)
    for (const Register& r : b.registers) {
      const rt_regs::RegisterInfo* info = rt_regs::find_register(b.base + r.offset + 4 * (r.count - 1));
      ASSERT_NE(info, nullptr) << b.name << "." << r.name;
      EXPECT_EQ(info->name, r.name);
      EXPECT_EQ(info->reset, r.reset());
      EXPECT_EQ(info->fields.size(), r.fields.size());
      ++n;
    }
  EXPECT_EQ(n, rt_regs::kRegisters.size());
  EXPECT_EQ(rt_regs::WATCHDOG_BUDGET, 0x300u);
  EXPECT_EQ(rt_regs::WATCHDOG_ABORT_STAGE.get(0x80000002u), rt_regs::WATCHDOG_ABORT_STAGE_DISPATCH);
  EXPECT_EQ(rt_regs::find_register(0x0302), nullptr);  // not word aligned
}

}  // namespace
}  // namespace qontos::regmap
