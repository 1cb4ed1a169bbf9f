// The register map of the real-time path, read from its single machine-readable source
// (board/regmap.json, format in docs/formats/regmap.md), and the generators that turn it into the
// AXI4-Lite register block (Verilog), the firmware's header, the host's constants and the
// markdown table. host/tools/regmap_gen.cpp writes or checks the generated files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace qontos::regmap {

// A malformed map: what() is "<file>: <json path>: <problem>".
class RegmapError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Access {
  rw,        // written by software, read back; drives the hardware
  ro,        // driven by the hardware, read by software; writes ignored
  wo,        // write strobe and data to the hardware; reads 0
  w1c,       // sticky bits set by the hardware, cleared by writing 1
  constant,  // fixed value (the reset value); writes ignored
};
std::string_view access_name(Access a);

struct Field {
  std::string name;
  unsigned lsb = 0;
  unsigned width = 1;
  std::uint32_t reset = 0;
  bool hw_update = false;  // rw only: the hardware may also load it (e.g. an auto-incremented address)
  std::string doc;
  std::vector<std::pair<std::string, std::uint32_t>> values;  // named values, in file order
  std::uint32_t mask() const;  // in register position
};

struct Register {
  std::string name;
  std::uint32_t offset = 0;  // bytes from the block's base
  Access access = Access::rw;
  unsigned count = 1;        // array of `count` registers at offset, offset + 4, ...
  bool read_strobe = false;  // the hardware sees each read (e.g. to advance a pointer)
  std::string doc;
  std::vector<Field> fields;  // ordered by lsb
  std::uint32_t reset() const;
  std::uint32_t mask() const;  // bits that hold a field
};

struct Block {
  std::string name;
  std::uint32_t base = 0;
  std::string doc;
  std::vector<Register> registers;  // ordered by offset
};

// An address range passed through to another block's register port (word addressed).
struct Window {
  std::string name;
  std::uint32_t base = 0;
  std::uint32_t size = 0;  // bytes, a power of two, base aligned to it
  std::string doc;
};

struct RegisterMap {
  std::string source_name;  // file name the map was read from, for generated headers
  std::string name;
  std::string version;
  std::string doc;
  unsigned address_bits = 16;
  std::vector<Block> blocks;
  std::vector<Window> windows;
};

// Parses and checks a map: unknown keys, bad types, overlapping registers or fields, reset values
// that do not fit, names that are not identifiers (or are C++/Verilog keywords), hw_update outside
// rw, read_strobe on a write-only register, addresses beyond address_bits.
RegisterMap parse_register_map(std::string_view json_text, std::string_view file_name);
RegisterMap load_register_map(const std::filesystem::path& path);

struct GeneratedFile {
  std::string path;  // relative to the repository root
  std::string text;
};

std::string emit_verilog(const RegisterMap& map);
std::string emit_firmware_header(const RegisterMap& map);
std::string emit_host_header(const RegisterMap& map);
std::string emit_markdown(const RegisterMap& map);

// Every generated file with its place in the repository.
std::vector<GeneratedFile> generate_all(const RegisterMap& map);

// The generated files under `root` that are missing or differ from what `map` generates, each as
// "PATH is missing" or "PATH is stale".
std::vector<std::string> stale_files(const RegisterMap& map, const std::filesystem::path& root);

// Helpers shared by the emitters.
std::string lower(std::string_view s);
std::string hex32(std::uint32_t v, int digits = 8);

}  // namespace qontos::regmap
