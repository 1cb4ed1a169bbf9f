#include "sequencer/hls/seq_instruction.h"

#include <random>

#include <gtest/gtest.h>

namespace qontos::hdl::sequencer {
namespace {

TEST(SeqInstruction, FieldsSitAtTheDocumentedBits) {
  // docs/formats/pulse-program.md: op 127..124, chan 123..120, flags 119..112, time 111..88,
  // wave_addr 87..76, wave_len 75..64, amp 63..48, phase 47..32, freq 31..0.
  const Words w = encode(pulse(0xA, 0xABCDEF, 0x123, 0x456, static_cast<std::int16_t>(-2), 0x7788, 0x99AABBCCu, 0x5A));
  EXPECT_EQ(w.w[3], 0x1A5AABCDu);
  EXPECT_EQ(w.w[2], 0xEF123456u);
  EXPECT_EQ(w.w[1], 0xFFFE7788u);
  EXPECT_EQ(w.w[0], 0x99AABBCCu);
}

TEST(SeqInstruction, DecodeInvertsEncodeOnRandomWords) {
  std::mt19937 rng(3);
  for (int i = 0; i < 10000; ++i) {
    Words w{{static_cast<std::uint32_t>(rng()), static_cast<std::uint32_t>(rng()), static_cast<std::uint32_t>(rng()),
             static_cast<std::uint32_t>(rng())}};
    const Words back = encode(decode(w));
    for (int k = 0; k < 4; ++k) ASSERT_EQ(back.w[k], w.w[k]) << "word " << k;
  }
}

TEST(SeqInstruction, BranchTargetAndCondition) {
  const Instruction b = jump_to(Op::kBranch, 0, 77, condition(false, 5, true));
  const Instruction d = decode(encode(b));
  EXPECT_EQ(d.op, Op::kBranch);
  EXPECT_EQ(d.target(), 77);
  EXPECT_EQ(d.readout(), 5u);
  EXPECT_TRUE(d.flags & kFlagValue);
  EXPECT_FALSE(d.flags & kFlagSrcDecoder);
}

}  // namespace
}  // namespace qontos::hdl::sequencer
