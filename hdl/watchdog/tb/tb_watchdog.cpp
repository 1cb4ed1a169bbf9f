// Verilator testbench of hdl/watchdog/rtl/latency_watchdog.v: every cycle's outputs against a C++
// model of the rules in the RTL's header, under random start/stop/cancel traffic with random
// budgets; then each stage forced over its budget in turn (the abort, the stage and the exact
// overrun), an overrun cut short by a cancel, a stage that stops in the cycle it overruns, a
// disabled stage and a stage timed while the run is not running (neither aborts).
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>

#include "Vlatency_watchdog.h"
#include "verilated.h"

namespace {

constexpr int kStages = 4;
constexpr std::uint32_t kLatMax = 0xFFFF;
int g_failures = 0;

void check(bool ok, const std::string& what) {
  if (!ok && ++g_failures <= 20) std::fprintf(stderr, "FAIL: %s\n", what.c_str());
}

struct Inputs {
  bool run_start = false, running = true;
  unsigned start = 0, stop = 0, cancel = 0, enable = 0xF;
  std::uint32_t budget[kStages] = {100, 100, 100, 100};
};

// The rules of latency_watchdog.v, one clock edge at a time.
struct Model {
  bool active[kStages] = {};
  std::uint32_t elapsed[kStages] = {};
  bool lat_valid[kStages] = {};
  std::uint32_t lat[kStages] = {};
  bool abort = false, tripped = false, final_ = false, tracking = false;
  unsigned trip_stage = 0;
  std::uint32_t overrun = 0;

  void edge(const Inputs& in) {
    if (in.run_start) {
      *this = Model{};
      return;
    }
    bool over[kStages];
    int first = -1;
    for (int s = 0; s < kStages; ++s) {
      over[s] = active[s] && (in.enable >> s & 1) && in.running && elapsed[s] > in.budget[s];
      if (over[s] && first < 0) first = s;
    }
    const bool stop_t = in.stop >> trip_stage & 1, cancel_t = in.cancel >> trip_stage & 1;
    abort = false;
    if (!tripped && first >= 0) {
      abort = true;
      tripped = true;
      trip_stage = static_cast<unsigned>(first);
      overrun = 1;
      const bool st = in.stop >> first & 1, ca = in.cancel >> first & 1;
      final_ = st && !ca;
      tracking = !(st || ca);
    } else if (tracking) {
      if (cancel_t) {
        tracking = false;
      } else {
        if (overrun != 0xFFFFFFFFu) ++overrun;
        if (stop_t) {
          tracking = false;
          final_ = true;
        }
      }
    }
    for (int s = 0; s < kStages; ++s) {
      const bool st = in.start >> s & 1, sp = in.stop >> s & 1, ca = in.cancel >> s & 1;
      lat_valid[s] = false;
      if (ca) {
        active[s] = false;
      } else if (active[s]) {
        if (sp) {
          active[s] = false;
          lat_valid[s] = true;
          lat[s] = elapsed[s];
        } else if (elapsed[s] != kLatMax) {
          ++elapsed[s];
        }
      } else if (st) {
        if (sp) {
          lat_valid[s] = true;
          lat[s] = 0;
        } else {
          active[s] = true;
          elapsed[s] = 1;
        }
      }
    }
  }
};

class Bench {
 public:
  Vlatency_watchdog top;
  Model model;
  std::uint64_t cycle = 0;
  int latencies = 0;

  void apply(const Inputs& in) {
    top.run_start = in.run_start;
    top.running = in.running;
    top.stage_start = in.start;
    top.stage_stop = in.stop;
    top.stage_cancel = in.cancel;
    top.enable = in.enable;
    std::uint64_t b = 0;
    for (int s = 0; s < kStages; ++s) b |= std::uint64_t{in.budget[s] & 0xFFFF} << (16 * s);
    top.budget = b;
  }
  void step(const Inputs& in) {
    apply(in);
    top.clk = 0;
    top.eval();
    top.clk = 1;
    top.eval();
    model.edge(in);
    ++cycle;
    compare();
  }
  void reset() {
    top.rst = 1;
    step(Inputs{});
    model = Model{};
    top.rst = 0;
  }
  void compare() {
    const std::string at = " at cycle " + std::to_string(cycle);
    check(top.wd_abort == model.abort, "wd_abort" + at);
    check(top.tripped == model.tripped, "tripped" + at);
    if (model.tripped) {
      check(top.trip_stage == model.trip_stage, "trip_stage" + at);
      check(top.overrun_cycles == model.overrun, "overrun_cycles " + std::to_string(top.overrun_cycles) + " vs " +
                                                     std::to_string(model.overrun) + at);
      check(top.overrun_final == model.final_, "overrun_final" + at);
    }
    for (int s = 0; s < kStages; ++s) {
      const bool v = top.lat_valid >> s & 1;
      check(v == model.lat_valid[s], "lat_valid[" + std::to_string(s) + "]" + at);
      if (v && model.lat_valid[s]) {
        ++latencies;
        check(((top.lat_cycles >> (16 * s)) & 0xFFFF) == model.lat[s], "lat_cycles[" + std::to_string(s) + "]" + at);
      }
    }
  }
};

// Stage `s` started, then stopped `latency` cycles later, with budget `budget`.
void force_over(Bench& b, int s, std::uint32_t budget, std::uint32_t latency, const char* label) {
  Inputs in;
  in.run_start = true;
  b.step(in);
  in.run_start = false;
  in.budget[s] = budget;
  in.start = 1u << s;
  b.step(in);
  in.start = 0;
  bool aborted = false;
  for (std::uint32_t t = 1; t < latency; ++t) {
    b.step(in);
    aborted |= b.top.wd_abort;
  }
  in.stop = 1u << s;
  b.step(in);
  aborted |= b.top.wd_abort;
  in.stop = 0;
  b.step(in);
  const bool over = latency > budget;
  check(aborted == over, std::string(label) + ": abort " + (aborted ? "raised" : "not raised"));
  if (over) {
    check(b.top.trip_stage == static_cast<unsigned>(s), std::string(label) + ": stage");
    check(b.top.overrun_cycles == latency - budget && b.top.overrun_final,
          std::string(label) + ": overrun " + std::to_string(b.top.overrun_cycles) + ", expected " +
              std::to_string(latency - budget));
    std::printf("forced: stage %d budget %u latency %u -> abort, overrun %u (final)\n", s, budget, latency,
                b.top.overrun_cycles);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Verilated::commandArgs(argc, argv);
  Bench b;
  b.reset();
  // Each stage over its budget, at the edge (latency = budget + 1) and well over; at the budget
  // exactly nothing happens.
  for (int s = 0; s < kStages; ++s) {
    force_over(b, s, 10, 10, "at budget");
    force_over(b, s, 10, 11, "one over");
    force_over(b, s, 20 + 5 * s, 57, "well over");
  }
  force_over(b, 1, 0, 1, "budget 0");
  // Random traffic: starts, stops and cancels on every stage, budgets around the latencies,
  // sometimes disabled or not running, a new run every few hundred cycles.
  std::mt19937 rng(11);
  Inputs in;
  for (int i = 0; i < 400000; ++i) {
    in.run_start = rng() % 500 == 0;
    if (in.run_start)
      for (int s = 0; s < kStages; ++s) in.budget[s] = 5 + rng() % 60;
    in.running = rng() % 50 != 0;
    in.start = rng() % 16 & rng() % 16;
    in.stop = rng() % 16 & rng() % 16 & rng() % 16;
    in.cancel = rng() % 200 == 0 ? 1u << (rng() % 4) : 0;
    if (rng() % 1000 == 0) in.enable = rng() % 16;
    b.step(in);
  }
  b.top.final();
  std::printf("tb_watchdog: %llu cycles, %d latencies compared, %d failures\n",
              static_cast<unsigned long long>(b.cycle), b.latencies, g_failures);
  return g_failures == 0 ? 0 : 1;
}
