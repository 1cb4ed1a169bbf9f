// The `qontos rtl` scenarios; see scenarios.h. Each one runs on a fresh verilated design.
//
//   sequencer    a program with a counted loop and branches on a measured bit: every pulse's first
//                sample on the DAC streams, cycle for cycle, against the sequencer's HLS model
//                given the same measurement results.
//   feedforward  active reset: measure a qubit (ADC stimulus model) and play an X pulse only if it
//                read 1; cycles from the bit's valid strobe to the conditional pulse's first
//                sample (target: at most 8), and the same from the decoder's result.
//   watchdog     each stage forced over its budget (a short readout budget, a slow decoder, a
//                channel busy when a conditional pulse is due, a DAC that stops accepting): the
//                run aborts, the stage and overrun are latched, the interrupt line rises.
//   histograms   a loop of measurements, feed-forward pulses and decoder results; the four
//                histograms read back over AXI4-Lite against the latencies the harness measured
//                from the design's timing taps.
#include "rt/scenarios.h"

#include <algorithm>
#include <stdexcept>

#ifdef QONTOS_HAVE_RT_MODEL
#include <map>
#include <memory>
#include <random>

#include "Vrt_top.h"
#include "regmap/qontos_rt_regs.h"
#include "sequencer/hls/seq_model.h"
#include "rt/rt_harness.h"
#endif

namespace qontos::sim::rt {

std::vector<std::string> scenario_names() { return {"sequencer", "feedforward", "watchdog", "histograms"}; }

#ifndef QONTOS_HAVE_RT_MODEL

bool rt_model_available() { return false; }

nlohmann::json run_scenario(const std::string& name) {
  const auto names = scenario_names();
  if (std::find(names.begin(), names.end(), name) == names.end())
    throw std::invalid_argument("unknown scenario '" + name + "' (sequencer, feedforward, watchdog, histograms)");
  throw std::runtime_error(
      "this qontos was built without Verilator, so it has no verilated real-time path; install it "
      "(apt-get install verilator, or scripts/setup) and rebuild");
}

#else

namespace {

namespace R = qontos::rt_regs;
namespace seq = qontos::hdl::sequencer;
using nlohmann::json;

constexpr double kClockMhz = 250.0;
const char* kStageNames[4] = {"READOUT", "DECODE", "DISPATCH", "DAC"};

// A program from instructions, with one flat envelope of 8 beats at half scale at beat 0.
pulses::PulseProgram program(const std::vector<seq::Instruction>& ins) {
  pulses::PulseProgram p;
  for (const auto& i : ins) p.instructions.push_back(seq::encode(i));
  p.wave_words.assign(8 * kSpc / 2, 0x40004000u);
  p.clock_khz = 250000;
  p.samples_per_clock = kSpc;
  return p;
}

seq::Instruction cond_pulse(unsigned chan, unsigned len, bool from_decoder, unsigned readout, bool value) {
  return seq::pulse(chan, 0, 0, len, 16384, 0, 0,
                    static_cast<std::uint8_t>(seq::kFlagCond | seq::kFlagAsap | seq::condition(from_decoder, readout, value)));
}

// Readout calibration for the stimulus: a 16-beat window, no rotation, threshold 0.
void calibrate(RtHarness& h) {
  for (unsigned r = 0; r < kReadouts; ++r) {
    h.write(R::READOUT_WINDOW + 4 * r, 16);
    h.write(R::READOUT_DELAY + 4 * r, 0);
    h.write(R::READOUT_THRESHOLD + 4 * r, 0);
  }
}

json status_json(RtHarness& h) {
  const std::uint32_t st = h.read(R::CTRL_STATUS);
  const char* causes[] = {"NONE", "SOFTWARE", "WATCHDOG", "LATE", "ILLEGAL", "?", "?", "?"};
  return {{"done", R::CTRL_STATUS_DONE.get(st) == 1},
          {"aborted", R::CTRL_STATUS_ABORTED.get(st) == 1},
          {"abort_cause", causes[R::CTRL_STATUS_ABORT_CAUSE.get(st)]},
          {"run_cycles", h.read(R::CTRL_RUN_CYCLES)},
          {"pulses", h.read(R::SEQ_PULSES)},
          {"late", h.read(R::SEQ_LATE_COUNT)}};
}

// ---------------------------------------------------------------- sequencer
json scenario_sequencer() {
  const std::vector<seq::Instruction> ins = {
      seq::timed(seq::Op::kSetCounter, 0, 3),
      seq::pulse(0, 20, 0, 4, 16384),                                // 1: loop body
      seq::timed(seq::Op::kTrigger, 0, 24),                          // 2
      seq::jump_to(seq::Op::kBranch, 0, 6, seq::condition(false, 0, true)),  // 3
      seq::pulse(1, 80, 0, 4, 16384),                                // 4: read 0
      seq::jump_to(seq::Op::kJump, 0, 7),                            // 5
      seq::pulse(1, 100, 0, 8, -16384),                              // 6: read 1
      seq::timed(seq::Op::kSync, 0, 200),                            // 7
      seq::jump_to(seq::Op::kDecJumpNotZero, 0, 1),                  // 8
      seq::Instruction{},                                            // 9: END
  };
  const std::vector<bool> states = {true, false, true};
  RtHarness h;
  calibrate(h);
  h.stimulus[0].states = states;
  const pulses::PulseProgram p = program(ins);
  h.upload(p);
  const std::uint64_t s = h.start();
  const bool ended = h.run_to_end(20000);
  const json status = status_json(h);

  // The HLS model with the readout results the RTL produced, at the same cycles.
  hdl::sequencer::SeqConfig cfg;
  auto prog = std::make_unique<seq::Words[]>(std::size_t{1} << cfg.prog_log2);
  auto wave = std::make_unique<std::uint32_t[]>((std::size_t{1} << cfg.wave_log2) * cfg.spc / 2);
  for (std::size_t i = 0; i < p.instructions.size(); ++i) prog[i] = p.instructions[i];
  for (std::size_t i = 0; i < p.wave_words.size(); ++i) wave[i] = p.wave_words[i];
  hdl::sequencer::SeqStimulus stim;
  for (const Event& m : h.measurements)
    stim.add(static_cast<std::uint32_t>(m.cycle - s - 1), hdl::sequencer::SeqStimulus::kReadout, m.index, m.bit);
  auto model = std::make_unique<hdl::sequencer::SeqResult>();
  hdl::sequencer::SeqModel::run(cfg, prog.get(), wave.get(), stim, 20000, *model);

  json pulses_json = json::array();
  bool agree = model->n_pulses == h.first_beats.size();
  for (std::size_t k = 0; k < h.first_beats.size(); ++k) {
    const auto cycle = static_cast<std::uint32_t>(h.first_beats[k].cycle - s - 1);
    pulses_json.push_back({{"channel", h.first_beats[k].index}, {"cycle", cycle}});
    if (k < model->n_pulses)
      agree = agree && model->pulses[k].chan == h.first_beats[k].index && model->pulses[k].first_beat == cycle;
  }
  // By hand: tref advances 200 per iteration; ch0 at 20, ch1 at 100 after a 1, at 80 after a 0.
  const std::vector<std::pair<unsigned, std::uint32_t>> expected = {{0, 20}, {1, 100}, {0, 220}, {1, 280}, {0, 420}, {1, 500}};
  bool by_hand = h.first_beats.size() == expected.size();
  for (std::size_t k = 0; by_hand && k < expected.size(); ++k)
    by_hand = h.first_beats[k].index == expected[k].first && h.first_beats[k].cycle - s - 1 == expected[k].second;
  json bits = json::array();
  bool bits_ok = h.measurements.size() == states.size();
  for (std::size_t k = 0; k < h.measurements.size(); ++k) {
    bits.push_back(h.measurements[k].bit ? 1 : 0);
    bits_ok = bits_ok && k < states.size() && h.measurements[k].bit == states[k];
  }
  const bool pass = ended && status["done"] && status["late"] == 0 && agree && by_hand && bits_ok;
  return {{"scenario", "sequencer"}, {"pass", pass},           {"pulses", pulses_json},
          {"bits", bits},            {"model_agrees", agree},  {"expected_times", by_hand},
          {"status", status}};
}

// ---------------------------------------------------------------- feedforward
json scenario_feedforward() {
  json runs = json::array();
  bool pass = true;
  long long worst = -1;
  for (bool state : {true, false}) {
    RtHarness h;
    calibrate(h);
    h.stimulus[0].states = {state};
    h.upload(program({seq::pulse(0, 20, 0, 4, 16384), seq::timed(seq::Op::kTrigger, 0, 20),
                      cond_pulse(1, 8, false, 0, true), seq::Instruction{}}));
    h.start();
    const bool ended = h.run_to_end(5000);
    const json status = status_json(h);
    const bool measured = h.measurements.size() == 1;
    const bool bit = measured && h.measurements[0].bit;
    long long cycles = -1;
    bool played = false;
    for (const Event& b : h.first_beats)
      if (b.index == 1) {
        played = true;
        if (measured) cycles = static_cast<long long>(b.cycle) - static_cast<long long>(h.measurements[0].cycle);
      }
    const bool ok = ended && status["done"] && measured && bit == state && played == bit && (!played || (cycles >= 0 && cycles <= 8));
    pass = pass && ok;
    worst = std::max(worst, cycles);
    json run = {{"qubit_state", state ? 1 : 0}, {"bit", bit ? 1 : 0}, {"correction_played", played}, {"pass", ok}};
    if (played) run["cycles"] = cycles;
    runs.push_back(run);
  }
  // The same path conditioned on the decoder's result (the harness plays the decoder's events, as the decoder is outside the top).
  long long dec_cycles = -1;
  {
    RtHarness h;
    calibrate(h);
    h.upload(program({seq::pulse(0, 20, 0, 4, 16384), cond_pulse(1, 8, true, 0, true), seq::Instruction{}}));
    const std::uint64_t s = h.start();
    h.decoder.push_back({s + 40, s + 60, true});
    const bool ended = h.run_to_end(5000);
    for (const Event& b : h.first_beats)
      if (b.index == 1 && !h.decoder_results.empty())
        dec_cycles = static_cast<long long>(b.cycle) - static_cast<long long>(h.decoder_results[0].cycle);
    pass = pass && ended && dec_cycles >= 0 && dec_cycles <= 8;
  }
  return {{"scenario", "feedforward"},
          {"pass", pass},
          {"cycles", worst},
          {"ns_at_250mhz", static_cast<double>(worst) * 1000.0 / kClockMhz},
          {"target_cycles", 8},
          {"decoder_cycles", dec_cycles},
          {"runs", runs}};
}

// ---------------------------------------------------------------- watchdog
json scenario_watchdog() {
  json aborts = json::array();
  bool pass = true;
  for (unsigned stage = 0; stage < 4; ++stage) {
    RtHarness h;
    calibrate(h);
    h.stimulus[0].states = {true};
    std::uint32_t budget = 0;
    std::vector<seq::Instruction> ins;
    switch (stage) {
      case 0:  // a readout (16-beat window) against a 10-cycle budget
        budget = 10;
        ins = {seq::timed(seq::Op::kTrigger, 0, 20), seq::pulse(0, 300, 0, 4, 16384), seq::Instruction{}};
        break;
      case 1:  // a decoder that takes 45 cycles against 20
        budget = 20;
        ins = {seq::pulse(0, 300, 0, 4, 16384), seq::Instruction{}};
        break;
      case 2:  // the conditional pulse's channel is busy with a 100-beat pulse when the bit comes
        budget = 8;
        ins = {seq::pulse(1, 20, 0, 100, 16384), seq::timed(seq::Op::kTrigger, 0, 20), cond_pulse(1, 4, false, 0, true),
               seq::pulse(0, 400, 0, 4, 16384), seq::Instruction{}};
        break;
      default:  // the DAC stops accepting right after a pulse launches
        budget = 6;
        ins = {seq::pulse(0, 30, 0, 4, 16384), seq::pulse(0, 300, 0, 4, 16384), seq::Instruction{}};
        break;
    }
    pulses::PulseProgram p = program(ins);
    if (stage == 2) p.wave_words.assign(100 * kSpc / 2, 0x40004000u);
    h.write(R::WATCHDOG_BUDGET + 4 * stage, budget);
    h.upload(p);
    const std::uint64_t s = h.start();
    if (stage == 1) h.decoder.push_back({s + 50, s + 95, false});
    if (stage == 3) h.stalls.push_back({0, s + 1 + 30 - 3, s + 1 + 30 + 30});
    const bool ended = h.run_to_end(5000);
    h.idle(200);  // let a stage that is still running finish (its overrun becomes final)
    const json status = status_json(h);
    const std::uint32_t ab = h.read(R::WATCHDOG_ABORT);
    const std::uint32_t overrun = h.read(R::WATCHDOG_OVERRUN);
    const bool final = R::WATCHDOG_OVERRUN_FINAL_FINAL.get(h.read(R::WATCHDOG_OVERRUN_FINAL)) == 1;
    const std::uint32_t irq_status = h.read(R::CTRL_IRQ_STATUS);
    // The overrun the harness expects from the latency it saw, where the stage finished.
    long long expected = -1;
    if (stage == 0 && !h.triggers.empty() && !h.measurements.empty())
      expected = static_cast<long long>(h.measurements[0].cycle - h.triggers[0].cycle) - budget;
    if (stage == 1) expected = 45 - static_cast<long long>(budget);
    const bool ok = ended && status["aborted"] && status["abort_cause"] == "WATCHDOG" &&
                    R::WATCHDOG_ABORT_TRIPPED.get(ab) == 1 && R::WATCHDOG_ABORT_STAGE.get(ab) == stage && overrun >= 1 &&
                    (expected < 0 || (final && overrun == expected)) && R::CTRL_IRQ_STATUS_WATCHDOG.get(irq_status) == 1 &&
                    h.irq_seen;
    pass = pass && ok;
    json a = {{"stage", kStageNames[stage]},
              {"budget", budget},
              {"overrun", overrun},
              {"overrun_final", final},
              {"irq", h.irq_seen},
              {"status", status},
              {"pass", ok}};
    if (expected >= 0) a["expected_overrun"] = expected;
    aborts.push_back(a);
  }
  return {{"scenario", "watchdog"}, {"pass", pass}, {"aborts", aborts}};
}

// ---------------------------------------------------------------- histograms
// Latencies by the watchdog's rule: one timing per stage in flight, the earliest start, the next
// stop; a start and a stop in one cycle give 0.
std::vector<std::uint64_t> latencies(std::vector<std::uint64_t> starts, std::vector<std::uint64_t> stops) {
  std::sort(starts.begin(), starts.end());
  std::sort(stops.begin(), stops.end());
  std::vector<std::uint64_t> out;
  std::size_t i = 0, j = 0;
  while (i < starts.size()) {
    const std::uint64_t a = starts[i];
    while (j < stops.size() && stops[j] < a) ++j;  // stops with nothing in flight
    if (j == stops.size()) break;
    out.push_back(stops[j] - a);
    const std::uint64_t b = stops[j++];
    while (i < starts.size() && starts[i] <= b) ++i;  // starts while in flight are ignored
  }
  return out;
}

std::vector<std::uint64_t> cycles_of(const std::vector<Event>& events) {
  std::vector<std::uint64_t> c;
  for (const Event& e : events) c.push_back(e.cycle);
  return c;
}

json scenario_histograms() {
  RtHarness h;
  calibrate(h);
  std::mt19937 rng(2026);
  std::vector<bool> states;
  for (int i = 0; i < 40; ++i) states.push_back(rng() % 2);
  h.stimulus[0].states = states;
  h.write(R::HIST_CONFIG, 0);
  h.upload(program({seq::timed(seq::Op::kSetCounter, 0, 40), seq::timed(seq::Op::kTrigger, 0, 10),
                    cond_pulse(1, 4, false, 0, true), seq::pulse(0, 60, 0, 4, 16384), seq::timed(seq::Op::kSync, 0, 120),
                    seq::jump_to(seq::Op::kDecJumpNotZero, 0, 1), seq::Instruction{}}));
  const std::uint64_t s = h.start();
  for (int k = 0; k < 30; ++k) {
    const std::uint64_t at = s + 100 + 150 * static_cast<std::uint64_t>(k);
    h.decoder.push_back({at, at + 5 + rng() % 56, false});
  }
  const bool ended = h.run_to_end(20000);
  h.idle(100);
  h.write(R::HIST_COMMAND, R::HIST_COMMAND_SNAPSHOT.put(0, 1));
  h.write(R::HIST_SELECT, 0);
  std::vector<std::uint32_t> bins(4 * kBins);
  for (auto& b : bins) b = h.read(R::HIST_DATA);

  // The harness's own measurements of each stage, from the timing taps and streams.
  const std::vector<std::uint64_t> lat[4] = {
      latencies(cycles_of(h.triggers), cycles_of(h.measurements)),
      latencies(cycles_of(h.decoder_starts), cycles_of(h.decoder_results)),
      latencies(cycles_of(h.resolve_play), cycles_of(h.plays)),
      latencies(cycles_of(h.plays), cycles_of(h.first_beats)),
  };
  json stages = json::array();
  bool pass = ended;
  for (unsigned st = 0; st < 4; ++st) {
    std::vector<std::uint32_t> want(kBins, 0);
    for (std::uint64_t l : lat[st]) ++want[std::min<std::uint64_t>(l, kBins - 1)];
    bool match = true;
    json nonzero = json::object();
    std::uint64_t total = 0;
    for (unsigned b = 0; b < kBins; ++b) {
      const std::uint32_t got = bins[st * kBins + b];
      match = match && got == want[b];
      total += got;
      if (got) nonzero[std::to_string(b)] = got;
    }
    const bool ok = match && !lat[st].empty();
    pass = pass && ok;
    const auto [mn, mx] = std::minmax_element(lat[st].begin(), lat[st].end());
    stages.push_back({{"stage", kStageNames[st]},
                      {"events", total},
                      {"measured_events", lat[st].size()},
                      {"min", lat[st].empty() ? 0 : *mn},
                      {"max", lat[st].empty() ? 0 : *mx},
                      {"bins", nonzero},
                      {"matches_harness", match}});
  }
  return {{"scenario", "histograms"}, {"pass", pass}, {"bin_width_cycles", 1}, {"stages", stages}};
}

}  // namespace

bool rt_model_available() { return true; }

nlohmann::json run_scenario(const std::string& name) {
  if (name == "sequencer") return scenario_sequencer();
  if (name == "feedforward") return scenario_feedforward();
  if (name == "watchdog") return scenario_watchdog();
  if (name == "histograms") return scenario_histograms();
  throw std::invalid_argument("unknown scenario '" + name + "' (sequencer, feedforward, watchdog, histograms)");
}

#endif

}  // namespace qontos::sim::rt
