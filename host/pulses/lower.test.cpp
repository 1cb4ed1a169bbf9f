#include "pulses/lower.h"

#include <cmath>
#include <fstream>
#include <sstream>
#include <memory>

#include <gtest/gtest.h>

#include "device/calibration.h"
#include "device/descriptor.h"
#include "passes/pass.h"
#include "passes/pipeline.h"
#include "sequencer/hls/seq_model.h"

namespace qontos::pulses {
namespace {

namespace hseq = qontos::hdl::sequencer;

device::Descriptor rfsoc() { return device::load_descriptor("rfsoc-2q", QONTOS_DEVICES_DIR); }

PulseProgram compile(const std::string& qasm, const device::Descriptor& dev) {
  passes::PassContext ctx;
  ctx.device = &dev;
  const auto stages = passes::compile_source(qasm, "t.qasm", "schedule", ctx);
  return lower_to_pulses(stages.back().program, dev);
}

std::vector<seq::Instruction> decoded(const PulseProgram& p) {
  std::vector<seq::Instruction> out;
  for (const auto& w : p.instructions) out.push_back(seq::decode(w));
  return out;
}

const char* kHeader = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\nbit[2] c;\n";

TEST(LowerToPulses, GatesBecomePulsesAtTheirTimes) {
  const auto dev = rfsoc();
  const auto ins = decoded(compile(std::string(kHeader) + "x q[0];\nsx q[1];\nrz(pi/2) q[1];\nsx q[1];\ncz q[0], q[1];\n", dev));
  ASSERT_EQ(ins.size(), 5u);  // x, sx, sx, cz, END (rz is a frame change)
  // x on q0: drive channel 0 at cycle 16, 32 ns = 8 beats, amp 0.5, IF 80 MHz of 1 GS/s.
  EXPECT_EQ(ins[0].op, seq::Op::kPulse);
  EXPECT_EQ(ins[0].chan, 0);
  EXPECT_EQ(ins[0].time, 16u);
  EXPECT_EQ(ins[0].wave_len, 8);
  EXPECT_EQ(ins[0].amp, 16384);  // round(0.5 * 32767)
  EXPECT_EQ(ins[0].freq, static_cast<std::uint32_t>(std::llround(0.08 * 4294967296.0)));
  // The second sx on q1 comes after the first and carries the frame rz(pi/2) left: -1/4 turn.
  EXPECT_EQ(ins[2].chan, 1);
  EXPECT_EQ(ins[2].time, 24u);
  EXPECT_EQ(ins[1].phase, 0);
  EXPECT_EQ(ins[2].phase, 0xC000);
  EXPECT_EQ(ins[2].freq, static_cast<std::uint32_t>(std::llround(-0.06 * 4294967296.0)));
  // Both sx pulses share one envelope; cz goes to the coupler's channel after both qubits are free,
  // for 60 ns = 15 cycles, with its own flat-top envelope after the gaussian.
  EXPECT_EQ(ins[1].wave_addr, ins[2].wave_addr);
  EXPECT_EQ(ins[3].chan, 4);
  EXPECT_EQ(ins[3].time, 32u);
  EXPECT_EQ(ins[3].wave_len, 15);
  EXPECT_EQ(ins[3].wave_addr, 8);
  EXPECT_EQ(ins[4].op, seq::Op::kEnd);
}

TEST(LowerToPulses, MeasureResetAndFeedForward) {
  const auto dev = rfsoc();
  const auto ins = decoded(
      compile(std::string(kHeader) + "c[0] = measure q[0];\nif (c[0] == 1) x q[0];\nreset q[1];\n", dev));
  // measure q0: tone on channel 2 for 400 ns (100 beats) and a trigger of readout 0 100 ns later.
  ASSERT_GE(ins.size(), 7u);
  EXPECT_EQ(ins[0].chan, 2);
  EXPECT_EQ(ins[0].wave_len, 100);
  EXPECT_EQ(ins[1].op, seq::Op::kTrigger);
  EXPECT_EQ(ins[1].chan, 0);
  EXPECT_EQ(ins[1].time, ins[0].time + 25);
  // if (c[0] == 1) x q[0]: a conditional ASAP pulse on readout 0 wanting 1.
  EXPECT_EQ(ins[2].op, seq::Op::kPulse);
  EXPECT_EQ(ins[2].flags, seq::kFlagCond | seq::kFlagAsap | seq::condition(false, 0, true));
  // reset q1: measure on readout 1, then X if it read 1.
  EXPECT_EQ(ins[4].op, seq::Op::kTrigger);
  EXPECT_EQ(ins[4].chan, 1);
  EXPECT_EQ(ins[5].flags, seq::kFlagCond | seq::kFlagAsap | seq::condition(false, 1, true));
  EXPECT_EQ(ins[5].chan, 1);
}

TEST(LowerToPulses, GatesAfterAConditionalGateWaitForItsMeasurement) {
  const auto dev = rfsoc();
  const auto ins = decoded(
      compile(std::string(kHeader) + "c[0] = measure q[0];\nif (c[0] == 1) x q[1];\nc[1] = measure q[1];\n", dev));
  // measure q0 at 16 (tone on ch2, 100 cycles); the X on q1 cannot start before 116; q1's
  // measurement (tone on ch3) comes after the X's 8 cycles.
  ASSERT_EQ(ins.size(), 6u);
  EXPECT_EQ(ins[0].time, 16u);
  EXPECT_EQ(ins[2].time, 116u);
  EXPECT_EQ(ins[3].chan, 3);
  EXPECT_EQ(ins[3].time, 124u);
}

TEST(LowerToPulses, CalibrationRecordMovesFrequenciesAndAmplitudes) {
  auto dev = rfsoc();
  const auto rec = device::parse_calibration(
      dev, R"({"device": "rfsoc-2q", "qubits": [{"qubit": 0, "drive_if_mhz": 70.5, "t1_us": 90}], "pulse_amp": {"x": 0.48}})",
      "cal.json");
  dev.control = device::calibrated_control(dev, rec);
  const auto ins = decoded(compile(std::string(kHeader) + "x q[0];\n", dev));
  EXPECT_EQ(ins[0].freq, static_cast<std::uint32_t>(std::llround(0.0705 * 4294967296.0)));
  EXPECT_EQ(ins[0].amp, static_cast<std::int16_t>(std::lround(0.48 * 32767)));
  auto error = [&](const device::Descriptor& d, const std::string& json) {
    try {
      device::parse_calibration(d, json, "cal.json");
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(error(rfsoc(), R"({"qubits": [{"qubit": 1, "readout_if_mhz": 900}]})"),
            "cal.json: qubits[0].readout_if_mhz: must be a number in [-500.000000, 500.000000] MHz");
  EXPECT_EQ(error(rfsoc(), R"({"pulse_amp": {"rz": 0.1}})"),
            "cal.json: pulse_amp.rz: is not a gate with a pulse in the control section of 'rfsoc-2q'");
  EXPECT_EQ(error(device::load_descriptor("superconducting-grid-16", QONTOS_DEVICES_DIR),
                  R"({"qubits": [{"qubit": 1, "drive_if_mhz": 10}]})"),
            "cal.json: qubits[0].drive_if_mhz: 'superconducting-grid-16' has no control section, so no pulse frequencies");
}

TEST(LowerToPulses, UnsupportedProgramsAreRefusedWithTheLine) {
  const auto dev = rfsoc();
  auto error = [&](const std::string& body) {
    try {
      compile(std::string(kHeader) + body, dev);
    } catch (const passes::PassError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error("c[0] = measure q[0];\nwhile (c[0] == 1) { x q[0]; c[0] = measure q[0]; }\n").find("line 6: unsupported:"),
            std::string::npos);
  EXPECT_NE(error("if (c[1] == 1) x q[0];\n").find("line 5: unsupported: an `if` on classical bit 1, which no earlier measurement wrote"),
            std::string::npos)
      << error("if (c[1] == 1) x q[0];\n");
  device::Descriptor bare = device::load_descriptor("superconducting-grid-16", QONTOS_DEVICES_DIR);
  passes::PassContext ctx;
  ctx.device = &bare;
  const auto stages = passes::compile_source(std::string(kHeader) + "x q[0];\n", "t.qasm", "schedule", ctx);
  try {
    lower_to_pulses(stages.back().program, bare);
    FAIL();
  } catch (const passes::PassError& e) {
    EXPECT_NE(std::string(e.what()).find("has no control section"), std::string::npos);
  }
}

TEST(LowerToPulses, ControlSectionErrorsNameTheField) {
  std::ifstream in(std::string(QONTOS_DEVICES_DIR) + "/rfsoc-2q.json");
  std::stringstream text;
  text << in.rdbuf();
  auto error = [&](const std::string& from, const std::string& to) {
    std::string doc = text.str();
    const auto at = doc.find(from);
    if (at == std::string::npos) return std::string("pattern not found: ") + from;
    doc.replace(at, from.size(), to);
    try {
      device::parse_descriptor(doc, "d.json");
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error("\"drive_if_mhz\": 80", "\"drive_if_mhz\": 800"),
            "d.json: control.qubits[0].drive_if_mhz: 800 is out of range [-500, 500]");
  EXPECT_EQ(error("\"sx\": {", "\"h\": {"), "d.json: control.gates.h: 'h' is not a native gate of this device");
  EXPECT_EQ(error("\"shape\": \"gaussian\", \"amp\": 0.25", "\"shape\": \"drag\", \"amp\": 0.25"),
            "d.json: control.gates.sx.shape: 'drag' is not one of gaussian, square, flat_top");
  EXPECT_EQ(error("\"channel\": 4", "\"channel\": 16"), "d.json: control.couplers[0].channel: 16 is out of range [0, 15]");
}

// The compiled program on the sequencer's cycle-exact model (the reference the RTL is tested
// against): it finishes, nothing is late, every unconditional pulse starts exactly at its time
// and the feed-forward pulses play exactly when their readout said 1.
TEST(LowerToPulses, CompiledProgramRunsOnTheSequencerModelOnTime) {
  const auto dev = rfsoc();
  const PulseProgram p = compile(std::string(kHeader) +
                                     "h q[0];\ncx q[0], q[1];\nc[0] = measure q[0];\nif (c[0] == 1) x q[1];\n"
                                     "reset q[0];\nc[1] = measure q[1];\n",
                                 dev);
  hseq::SeqConfig cfg;
  cfg.channels = 5;
  cfg.readouts = 2;
  auto prog = std::make_unique<hseq::Words[]>(std::size_t{1} << cfg.prog_log2);
  auto wave = std::make_unique<std::uint32_t[]>((std::size_t{1} << cfg.wave_log2) * cfg.spc / 2);
  for (std::size_t i = 0; i < p.instructions.size(); ++i) prog[i] = p.instructions[i];
  for (std::size_t i = 0; i < p.wave_words.size(); ++i) wave[i] = p.wave_words[i];
  for (bool one : {false, true}) {
    hseq::SeqStimulus stim;
    stim.responder = true;
    for (unsigned r = 0; r < 2; ++r) {
      stim.delay[r] = 70;  // a window of 64 beats and the discriminator
      stim.pattern[r] = one ? ~0ull : 0;
    }
    auto result = std::make_unique<hseq::SeqResult>();
    hseq::SeqModel::run(cfg, prog.get(), wave.get(), stim, 20000, *result);
    ASSERT_TRUE(result->finished && result->done) << "aborted, cause " << static_cast<int>(result->cause);
    EXPECT_EQ(result->late_count, 0u);
    unsigned unconditional = 0, conditional = 0;
    for (const auto& i : decoded(p))
      if (i.op == seq::Op::kPulse) (i.flags & seq::kFlagCond ? conditional : unconditional)++;
    ASSERT_EQ(conditional, 2u);  // the if and the reset's X
    EXPECT_EQ(result->n_pulses, unconditional + (one ? conditional : 0));
    // Unconditional pulses start at their compiled times (each channel plays in program order).
    std::vector<std::vector<std::uint32_t>> times(5);
    for (const auto& i : decoded(p))
      if (i.op == seq::Op::kPulse && !(i.flags & seq::kFlagCond)) times[i.chan].push_back(i.time);
    std::vector<std::size_t> next(5, 0);
    for (unsigned k = 0; k < result->n_pulses; ++k) {
      const auto& s = result->pulses[k];
      if (s.chan == 1 && one && next[1] == times[1].size()) continue;  // a conditional X
      if (next[s.chan] < times[s.chan].size() && s.first_beat == times[s.chan][next[s.chan]]) ++next[s.chan];
    }
    for (unsigned c = 0; c < 5; ++c) EXPECT_EQ(next[c], times[c].size()) << "channel " << c;
  }
}

}  // namespace
}  // namespace qontos::pulses
