// `qontos compile --emit pulses` and `qontos pulses show` as a user runs them: a circuit with
// gates, a measurement, feed-forward and an active reset becomes a program file that the
// disassembler reads back; corrupt files, a missing device and a device without a control
// section are refused with exit 2 and a message naming the problem.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "support/cli_runner.h"

namespace qontos {
namespace {

namespace fs = std::filesystem;

class PulsesCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("qontos_pulses_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "ar.qasm") << "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\nbit[2] c;\n"
                                       "h q[0];\ncx q[0], q[1];\nc[0] = measure q[0];\nif (c[0] == 1) x q[1];\n"
                                       "reset q[0];\nc[1] = measure q[1];\n";
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const char* name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(PulsesCli, CompileThenShow) {
  const auto c = testing::qontos("compile " + path("ar.qasm") + " --device rfsoc-2q --emit pulses -o " + path("p.bin"));
  ASSERT_EQ(c.code, 0) << c.err;
  const auto s = testing::qontos("pulses show " + path("p.bin"));
  ASSERT_EQ(s.code, 0) << s.err;
  EXPECT_NE(s.out.find("qontos pulse program, format 1:"), std::string::npos) << s.out;
  EXPECT_NE(s.out.find("clock 250.000 MHz"), std::string::npos);
  EXPECT_NE(s.out.find("TRIGGER  r0"), std::string::npos);
  EXPECT_NE(s.out.find("if r0==1 asap"), std::string::npos) << s.out;  // the feed-forward X on q1
  EXPECT_NE(s.out.find("END"), std::string::npos);
  EXPECT_EQ(s.out.find("ILLEGAL"), std::string::npos) << s.out;
  // The same input compiles to the same bytes.
  ASSERT_EQ(testing::qontos("compile " + path("ar.qasm") + " --device rfsoc-2q --emit pulses -o " + path("p2.bin")).code, 0);
  std::ifstream a(path("p.bin"), std::ios::binary), b(path("p2.bin"), std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(a), {}), std::string(std::istreambuf_iterator<char>(b), {}));
}

TEST_F(PulsesCli, CalibrationRecordChangesTheProgram) {
  std::ofstream(path("cal.json")) << R"({"device": "rfsoc-2q", "pulse_amp": {"x": 0.45}})";
  ASSERT_EQ(testing::qontos("compile " + path("ar.qasm") + " --device rfsoc-2q --emit pulses -o " + path("p.bin")).code, 0);
  const auto c = testing::qontos("compile " + path("ar.qasm") + " --device rfsoc-2q --emit pulses --calibration " +
                                 path("cal.json") + " -o " + path("c.bin"));
  ASSERT_EQ(c.code, 0) << c.err;
  const auto plain = testing::qontos("pulses show " + path("p.bin"));
  const auto calibrated = testing::qontos("pulses show " + path("c.bin"));
  EXPECT_NE(plain.out.find("amp 0.5000"), std::string::npos) << plain.out;  // the X pulses
  EXPECT_EQ(calibrated.out.find("amp 0.5000"), std::string::npos) << calibrated.out;
  EXPECT_NE(calibrated.out.find("amp 0.4500"), std::string::npos) << calibrated.out;
  std::ofstream(path("bad.json")) << R"({"device": "rfsoc-2q", "pulse_amp": {"x": 2}})";
  const auto bad = testing::qontos("compile " + path("ar.qasm") + " --device rfsoc-2q --emit pulses --calibration " +
                                   path("bad.json") + " -o " + path("b.bin"));
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("pulse_amp.x: must be a number in [0, 1]"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(path("b.bin")));
}

TEST_F(PulsesCli, BadInputsExitTwoWithTheReason) {
  ASSERT_EQ(testing::qontos("compile " + path("ar.qasm") + " --device rfsoc-2q --emit pulses -o " + path("p.bin")).code, 0);
  std::string bytes;
  {
    std::ifstream in(path("p.bin"), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  bytes[80] = static_cast<char>(bytes[80] ^ 1);
  std::ofstream(path("bad.bin"), std::ios::binary) << bytes;
  auto r = testing::qontos("pulses show " + path("bad.bin"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("bad.bin: byte 32: SHA-256"), std::string::npos) << r.err;
  std::ofstream(path("short.bin"), std::ios::binary) << bytes.substr(0, 20);
  r = testing::qontos("pulses show " + path("short.bin"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("truncated header"), std::string::npos) << r.err;
  r = testing::qontos("pulses show " + path("missing.bin"));
  EXPECT_EQ(r.code, 2);
  r = testing::qontos("compile " + path("ar.qasm") + " --emit pulses -o " + path("x.bin"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--emit pulses needs --device"), std::string::npos) << r.err;
  r = testing::qontos("compile " + path("ar.qasm") + " --device superconducting-grid-16 --emit pulses -o " + path("x.bin"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("has no control section"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("x.bin")));
  r = testing::qontos("pulses");
  EXPECT_NE(r.code, 0);
}

}  // namespace
}  // namespace qontos
