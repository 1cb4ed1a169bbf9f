// The sequencer model (seq_model.h) on small programs whose timing and samples are worked out by
// hand from the rules in its header and in hdl/sequencer/doc/README.md.
#include "sequencer/hls/seq_model.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace qontos::hdl::sequencer {
namespace {

struct Fixture {
  SeqConfig cfg;
  std::vector<Words> prog = std::vector<Words>(1u << 10);
  std::vector<std::uint32_t> wave = std::vector<std::uint32_t>((1u << 10) * 2, 0);
  SeqStimulus stim;
  std::unique_ptr<SeqResult> r = std::make_unique<SeqResult>();
  void load(const std::vector<Instruction>& p) {
    for (std::size_t i = 0; i < p.size(); ++i) prog[i] = encode(p[i]);
  }
  void set_env(unsigned beat, std::int16_t v) {  // all four samples of a beat
    const std::uint32_t w = static_cast<std::uint16_t>(v) | (static_cast<std::uint32_t>(static_cast<std::uint16_t>(v)) << 16);
    wave[beat * 2] = w;
    wave[beat * 2 + 1] = w;
  }
  const SeqResult& run(std::uint32_t max_cycles = 5000) {
    SeqModel::run(cfg, prog.data(), wave.data(), stim, max_cycles, *r);
    return *r;
  }
};

TEST(SeqModel, SampleRounding) {
  EXPECT_EQ(seq_sample(16384, 32767, 0), 16382);   // a = floor(16383.5) = 16383, then floor(16382.5)
  EXPECT_EQ(seq_sample(-16384, 32767, 0), -16384);  // floor(-16383.5) twice
  EXPECT_EQ(seq_sample(32767, 32767, 0x80000000u), -32766);  // cos[512] = -32767
  EXPECT_EQ(seq_sample(32767, 32767, 0x40000000u), 0);       // cos[256] = 0
  EXPECT_EQ(seq_sample(-32768, -32768, 0), 32767);            // a = 32768 (17 bits), no overflow
  EXPECT_EQ(kSeqCos[0], 32767);
  EXPECT_EQ(kSeqCos[128], 23170);
  EXPECT_EQ(kSeqCos[768], 0);
}

TEST(SeqModel, SinglePulseTiming) {
  Fixture f;
  f.set_env(0, 32767);
  f.set_env(1, 32767);
  f.set_env(2, 32767);
  // freq = 1/4 turn per sample: sample index t = 4*cycle + k, so the phase is k/4 turn.
  f.load({pulse(0, 10, 0, 3, 32767, 0, 0x40000000u), Instruction{}});
  const SeqResult& r = f.run();
  ASSERT_TRUE(r.finished);
  ASSERT_EQ(r.n_pulses, 1u);
  EXPECT_EQ(r.pulses[0].launch, 6u);       // T - 4
  EXPECT_EQ(r.pulses[0].first_beat, 10u);  // exactly T
  EXPECT_FALSE(r.pulses[0].late);
  ASSERT_EQ(r.n_beats, 3u);
  for (unsigned b = 0; b < 3; ++b) {
    EXPECT_EQ(r.beats[b].cycle, 10u + b);
    EXPECT_EQ(r.beats[b].tuser, b == 0);
    // a = floor(32767*32767/2^15) = 32766; cos 32767, 0, -32767, 0.
    EXPECT_EQ(r.beats[b].s[0], 32765);
    EXPECT_EQ(r.beats[b].s[1], 0);
    EXPECT_EQ(r.beats[b].s[2], -32766);
    EXPECT_EQ(r.beats[b].s[3], 0);
  }
  // Last beat on the stream in cycle 12, pipeline empty in 13: done decided in 13.
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.last_cycle, 13u);
  EXPECT_EQ(r.run_cycles, 14u);
  EXPECT_EQ(r.pulse_count, 1u);
  EXPECT_EQ(r.late_count, 0u);
  EXPECT_EQ(r.pc, 1u);  // at the END
}

TEST(SeqModel, LatePulseIsFlaggedNotMoved) {
  Fixture f;
  f.load({pulse(1, 0, 0, 2, 1000), Instruction{}});
  const SeqResult& r = f.run();
  ASSERT_EQ(r.n_pulses, 1u);
  EXPECT_EQ(r.pulses[0].launch, 1u);  // fetched in 0, at the head in 1
  EXPECT_EQ(r.pulses[0].first_beat, 5u);
  EXPECT_TRUE(r.pulses[0].late);
  EXPECT_EQ(r.late_count, 1u);
  EXPECT_TRUE(r.first_late_valid);
  EXPECT_EQ(r.first_late_cycles, 5u);
  EXPECT_EQ(r.first_late_channel, 1u);
  EXPECT_EQ(r.late_channels, 2u);

  Fixture g;
  g.cfg.abort_on_late = true;
  g.load({pulse(1, 0, 0, 2, 1000), Instruction{}});
  const SeqResult& a = g.run();
  EXPECT_TRUE(a.aborted);
  EXPECT_EQ(a.cause, AbortCause::kLate);
  EXPECT_EQ(a.n_pulses, 0u);
  EXPECT_EQ(a.pulse_count, 0u);
  EXPECT_EQ(a.late_count, 1u);
}

TEST(SeqModel, LoopWithSync) {
  Fixture f;
  f.load({timed(Op::kSetCounter, 2, 3), pulse(0, 10, 0, 4, 1000), timed(Op::kSync, 0, 100),
          jump_to(Op::kDecJumpNotZero, 2, 1), Instruction{}});
  const SeqResult& r = f.run();
  ASSERT_EQ(r.n_pulses, 3u);
  EXPECT_EQ(r.pulses[0].first_beat, 10u);
  EXPECT_EQ(r.pulses[1].first_beat, 110u);
  EXPECT_EQ(r.pulses[2].first_beat, 210u);
  EXPECT_TRUE(r.done);
}

TEST(SeqModel, FeedForwardAsap) {
  for (int bit = 0; bit < 2; ++bit) {
    Fixture f;
    f.load({timed(Op::kTrigger, 0, 10), pulse(0, 0, 0, 2, 1000, 0, 0, kFlagCond | kFlagAsap | condition(false, 0, true)),
            Instruction{}});
    f.stim.add(40, SeqStimulus::kReadout, 0, bit != 0);
    const SeqResult& r = f.run();
    ASSERT_EQ(r.n_triggers, 1u);
    EXPECT_EQ(r.triggers[0].cycle, 10u);
    ASSERT_EQ(r.n_resolves, 1u);
    EXPECT_EQ(r.resolves[0].cycle, 40u);  // resolved in the cycle the bit arrives
    EXPECT_EQ(r.resolves[0].play, bit != 0);
    if (bit) {
      ASSERT_EQ(r.n_pulses, 1u);
      EXPECT_EQ(r.pulses[0].first_beat, 44u);  // 4 cycles from ro_valid to tuser
      EXPECT_FALSE(r.pulses[0].late);
    } else {
      EXPECT_EQ(r.n_pulses, 0u);  // dropped, not counted
      EXPECT_EQ(r.pulse_count, 0u);
    }
    EXPECT_TRUE(r.done);
    EXPECT_EQ(r.meas_bits, bit ? 1u : 0u);
    EXPECT_EQ(r.meas_fresh, 1u);
  }
}

TEST(SeqModel, BranchWaitsForFreshBit) {
  Fixture f;
  f.stim.responder = true;
  f.stim.delay[1] = 7;
  f.stim.pattern[1] = 1;
  f.load({timed(Op::kTrigger, 1, 20), jump_to(Op::kBranch, 0, 4, condition(false, 1, true)), pulse(0, 50, 0, 1, 100),
          Instruction{}, pulse(1, 50, 0, 1, 100), Instruction{}});
  const SeqResult& r = f.run();
  ASSERT_EQ(r.n_pulses, 1u);
  EXPECT_EQ(r.pulses[0].chan, 1u);  // bit 1 arrived in 27: branch taken
  EXPECT_EQ(r.pulses[0].first_beat, 50u);
  EXPECT_EQ(r.pc, 5u);
}

// Reset then measure: TRIGGER r1 at 56 (result 1 = 1 at 76), conditional pulse on r1 (refers to
// trigger 1), TRIGGER r1 at 164 (result 2 = 0 at 184), conditional pulse on r1 (refers to trigger
// 2). The first pulse waits at its head while the second TRIGGER is already queued (cycle 2) and
// still follows result 1.
TEST(SeqModel, ConditionRefersToLastEarlierTrigger) {
  Fixture f;
  f.stim.responder = true;
  f.stim.delay[1] = 20;
  f.stim.pattern[1] = 0b01;  // result 1 = 1, result 2 = 0
  f.load({timed(Op::kTrigger, 1, 56), pulse(1, 0, 0, 2, 1000, 0, 0, kFlagCond | kFlagAsap | condition(false, 1, true)),
          timed(Op::kTrigger, 1, 164), pulse(0, 0, 0, 2, 1000, 0, 0, kFlagCond | kFlagAsap | condition(false, 1, true)),
          Instruction{}});
  const SeqResult& r = f.run();
  ASSERT_EQ(r.n_triggers, 2u);
  EXPECT_EQ(r.triggers[0].cycle, 56u);
  EXPECT_EQ(r.triggers[1].cycle, 164u);
  ASSERT_EQ(r.n_resolves, 2u);
  EXPECT_EQ(r.resolves[0].chan, 1u);
  EXPECT_EQ(r.resolves[0].cycle, 76u);  // result 1 arrives: 56 + 20
  EXPECT_TRUE(r.resolves[0].play);      // bit 1
  EXPECT_EQ(r.resolves[1].chan, 0u);
  EXPECT_EQ(r.resolves[1].cycle, 184u);  // result 2: 164 + 20
  EXPECT_FALSE(r.resolves[1].play);      // bit 0: dropped
  ASSERT_EQ(r.n_pulses, 1u);
  EXPECT_EQ(r.pulses[0].chan, 1u);
  EXPECT_EQ(r.pulses[0].first_beat, 80u);  // 4 cycles after result 1
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.last_cycle, 185u);  // dropped (popped) in 184: every queue empty from 185 -> done decided in 185
  EXPECT_EQ(r.meas_bits, 0u);     // last result of r1 was 0
  EXPECT_EQ(r.meas_fresh, 2u);
}

// History: a conditional pulse queued behind a pulse at 400 reaches its head in 397 (the pulse at
// 400 launches in 396). Its trigger is the first of readout 0 (result 1 = 1 at 15); later TRIGGERs
// at 20, 30, ... bring results 0 at 25, 35, .... With 7 newer results result 1 is still in the
// 8-deep history: it plays (launch 400 when the player issues the last beat of the pulse at 400,
// first beat 404). With 8 newer results it is gone: ILLEGAL in 397.
TEST(SeqModel, ConditionHistoryDepth) {
  for (unsigned more = 7; more <= 8; ++more) {
    Fixture f;
    f.stim.responder = true;
    f.stim.delay[0] = 5;
    f.stim.pattern[0] = 1;
    std::vector<Instruction> p = {pulse(0, 400, 0, 4, 1000), timed(Op::kTrigger, 0, 10),
                                  pulse(0, 0, 0, 2, 1000, 0, 0, kFlagCond | kFlagAsap | condition(false, 0, true))};
    for (unsigned k = 0; k < more; ++k) p.push_back(timed(Op::kTrigger, 0, 20 + 10 * k));
    p.push_back(Instruction{});
    f.load(p);
    const SeqResult& r = f.run();
    EXPECT_EQ(r.n_triggers, 1 + more);
    if (more == 7) {
      EXPECT_TRUE(r.done);
      ASSERT_EQ(r.n_resolves, 1u);
      EXPECT_EQ(r.resolves[0].cycle, 397u);
      EXPECT_TRUE(r.resolves[0].play);
      ASSERT_EQ(r.n_pulses, 2u);
      EXPECT_EQ(r.pulses[1].first_beat, 404u);
      EXPECT_EQ(r.meas_bits, 0u);  // the newest bit is 0: the pulse did not use it
    } else {
      EXPECT_TRUE(r.aborted);
      EXPECT_EQ(r.cause, AbortCause::kIllegal);
      EXPECT_EQ(r.last_cycle, 397u);
      EXPECT_EQ(r.pc, 11u);  // at the END
      EXPECT_EQ(r.n_resolves, 0u);
    }
  }
}

// A condition on a readout without an earlier TRIGGER (in this run, in program order) is ILLEGAL
// at fetch, even if a stray result arrived.
TEST(SeqModel, ConditionWithoutTriggerIsIllegal) {
  Fixture f;
  f.stim.add(0, SeqStimulus::kReadout, 0, true);
  f.load({timed(Op::kTrigger, 1, 10), jump_to(Op::kBranch, 0, 0, condition(false, 0, true)), Instruction{}});
  const SeqResult& r = f.run();
  EXPECT_TRUE(r.aborted);
  EXPECT_EQ(r.cause, AbortCause::kIllegal);
  EXPECT_EQ(r.pc, 1u);
  EXPECT_EQ(r.last_cycle, 1u);

  Fixture g;
  g.load({pulse(0, 0, 0, 2, 1000, 0, 0, kFlagCond | condition(false, 1, false)), timed(Op::kTrigger, 1, 10),
          Instruction{}});
  const SeqResult& a = g.run();
  EXPECT_TRUE(a.aborted);
  EXPECT_EQ(a.cause, AbortCause::kIllegal);
  EXPECT_EQ(a.pc, 0u);
  EXPECT_EQ(a.last_cycle, 0u);
}

TEST(SeqModel, IllegalAndWait) {
  Fixture f;
  Instruction bad;
  bad.op = static_cast<Op>(9);
  f.load({timed(Op::kWait, 0, 30), timed(Op::kSync, 0, 1), bad});
  const SeqResult& r = f.run();
  EXPECT_TRUE(r.aborted);
  EXPECT_EQ(r.cause, AbortCause::kIllegal);
  EXPECT_EQ(r.pc, 2u);
  EXPECT_EQ(r.last_cycle, 32u);  // WAIT completes in 30 (now >= 30), SYNC in 31, the illegal op aborts in 32
}

}  // namespace
}  // namespace qontos::hdl::sequencer
