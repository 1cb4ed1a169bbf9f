#include "pulses/program_file.h"

#include <gtest/gtest.h>

#include "pulses/disassemble.h"

namespace qontos::pulses {
namespace {

PulseProgram sample_program() {
  PulseProgram p;
  p.clock_khz = 250000;
  p.samples_per_clock = 4;
  p.instructions.push_back(seq::encode(seq::pulse(1, 20, 0, 2, 16384, 0x4000, 0x0CCCCCCD)));
  p.instructions.push_back(seq::encode(seq::timed(seq::Op::kTrigger, 0, 30)));
  p.instructions.push_back(seq::encode(seq::jump_to(seq::Op::kBranch, 0, 0, seq::condition(false, 0, true))));
  p.instructions.push_back(seq::encode(seq::Instruction{}));
  p.wave_words = {0x7FFF0000u, 0x40001000u, 0x00010002u, 0xFFFF8000u};
  return p;
}

TEST(ProgramFile, RoundTrips) {
  const PulseProgram p = sample_program();
  const std::string bytes = write_program_file(p);
  ASSERT_EQ(bytes.size(), kProgramHeaderBytes + 16 * 4 + 4 * 4);
  EXPECT_EQ(bytes.substr(0, 8), "QNTSPROG");
  const PulseProgram back = read_program_file(bytes, "p.bin");
  ASSERT_EQ(back.instructions.size(), p.instructions.size());
  for (std::size_t i = 0; i < p.instructions.size(); ++i)
    for (int k = 0; k < 4; ++k) EXPECT_EQ(back.instructions[i].w[k], p.instructions[i].w[k]);
  EXPECT_EQ(back.wave_words, p.wave_words);
  EXPECT_EQ(back.clock_khz, 250000u);
  EXPECT_EQ(write_program_file(back), bytes);
}

TEST(ProgramFile, CorruptFilesNameTheByte) {
  const std::string good = write_program_file(sample_program());
  auto error = [](const std::string& bytes) {
    try {
      read_program_file(bytes, "p.bin");
    } catch (const ProgramFileError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error(good.substr(0, 40)), "p.bin: byte 40: truncated header (40 of 64 bytes)");
  EXPECT_EQ(error("XNTSPROG" + good.substr(8)), "p.bin: byte 0: not a qontos pulse program (magic QNTSPROG)");
  std::string v2 = good;
  v2[8] = 2;
  EXPECT_EQ(error(v2), "p.bin: byte 8: program format version 2; this qontos reads version 1");
  EXPECT_NE(error(good.substr(0, good.size() - 1)).find("p.bin: byte 143: file has 143 bytes"), std::string::npos);
  EXPECT_NE(error(good + "x").find("file has 145 bytes"), std::string::npos);
  // One flipped bit anywhere in the payload: the checksum.
  for (std::size_t at : {std::size_t{64}, std::size_t{100}, good.size() - 1}) {
    std::string bad = good;
    bad[at] = static_cast<char>(bad[at] ^ 0x10);
    EXPECT_EQ(error(bad), "p.bin: byte 32: SHA-256 of the instructions and waveforms does not match") << at;
  }
  std::string reserved = good;
  reserved[28] = 1;
  EXPECT_EQ(error(reserved), "p.bin: byte 28: reserved word is not 0");
  std::string spc = good;
  spc[24] = 3;
  EXPECT_EQ(error(spc), "p.bin: byte 24: samples per clock 3 is not even in 2..32");
}

TEST(Disassemble, PrintsUnitsAndMarksIllegalInstructions) {
  PulseProgram p = sample_program();
  p.instructions.insert(p.instructions.begin() + 3, seq::encode(seq::pulse(0, 40, 1, 4, 100)));  // beyond 2 beats
  p.instructions.insert(p.instructions.begin() + 3, seq::encode(seq::jump_to(seq::Op::kJump, 0, 99)));
  seq::Words unknown{{0, 0, 0, 0xC0000000u}};
  p.instructions.insert(p.instructions.begin() + 3, unknown);
  const std::string text = disassemble(p);
  EXPECT_NE(text.find("7 instructions, 4 waveform words (2 beats of 4 samples); clock 250.000 MHz"), std::string::npos) << text;
  // 0x0CCCCCCD / 2^32 of 1 GS/s is 50 MHz; amplitude 16384/32768; phase 0x4000 = a quarter turn.
  EXPECT_NE(text.find("    0  PULSE    ch 1  t 20 (80.0 ns)  wave 0+2  amp 0.5000  phase 0.2500 turn  if 50.000 MHz"),
            std::string::npos) << text;
  EXPECT_NE(text.find("    1  TRIGGER  r0  t 30 (120.0 ns)"), std::string::npos) << text;
  EXPECT_NE(text.find("    2  BRANCH   r0==1 -> 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("    3  ?  ; ILLEGAL: unknown opcode 12"), std::string::npos) << text;
  EXPECT_NE(text.find("    4  JUMP     -> 99  ; ILLEGAL: target beyond the program"), std::string::npos) << text;
  EXPECT_NE(text.find("; ILLEGAL: waveform beyond the program's 2 beats"), std::string::npos) << text;
  EXPECT_NE(text.find("    6  END\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace qontos::pulses
