// Verilator testbench of hdl/histogram/rtl/latency_histogram.v: random latencies on every stage
// (several per cycle), random bin layouts (shift, offset) and random snapshots; after each
// snapshot the whole snapshot bank is read the way the firmware does (select, then data reads that
// advance the selection through select_hw_we/_d) and compared with a C++ count of the same
// latencies. Every latency must be counted exactly once, including those arriving in the
// snapshot's own cycle. Built twice: with 32-bit counters, and with 4-bit counters to check that
// they saturate (define TB_COUNTER_BITS).
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "verilated.h"
#include TB_HEADER

namespace {

constexpr int kStages = 4;
constexpr int kBins = 64;
constexpr std::uint64_t kCounterMax = (std::uint64_t{1} << TB_COUNTER_BITS) - 1;
int g_failures = 0;

void check(bool ok, const std::string& what) {
  if (!ok && ++g_failures <= 20) std::fprintf(stderr, "FAIL: %s\n", what.c_str());
}

struct Bench {
  TB_MODEL top;
  std::uint64_t cycle = 0;
  // The counts the testbench expects in the live bank (the RTL counts a latency one edge after it
  // arrives, so a latency presented in the snapshot's cycle lands in the new live bank).
  std::vector<std::uint64_t> live = std::vector<std::uint64_t>(kStages * kBins, 0);
  std::vector<std::uint64_t> snap = std::vector<std::uint64_t>(kStages * kBins, 0);
  std::vector<int> pending;  // bins (stage * kBins + bin) presented last cycle
  unsigned shift = 0, offset = 0;

  int bin_of(unsigned latency) const {
    if (latency < offset) return 0;
    const unsigned b = (latency - offset) >> shift;
    return b >= kBins ? kBins - 1 : static_cast<int>(b);
  }

  // One clock edge. `latencies[s]` < 0: none.
  void edge(const int latencies[kStages], bool snapshot) {
    std::uint64_t packed = 0;
    unsigned valid = 0;
    for (int s = 0; s < kStages; ++s)
      if (latencies[s] >= 0) {
        valid |= 1u << s;
        packed |= std::uint64_t(latencies[s] & 0xFFFF) << (16 * s);
      }
    top.lat_valid = valid;
    top.lat_cycles = packed;
    top.shift = shift;
    top.offset = offset;
    top.snapshot = snapshot;
    top.clk = 0;
    top.eval();
    top.clk = 1;
    top.eval();
    ++cycle;
    // Model: the increments registered last cycle land on this edge.
    if (snapshot) {
      snap = live;
      std::fill(live.begin(), live.end(), 0);
    }
    for (int i : pending) live[i] = std::min(live[i] + 1, kCounterMax);
    pending.clear();
    for (int s = 0; s < kStages; ++s)
      if (latencies[s] >= 0) pending.push_back(s * kBins + bin_of(static_cast<unsigned>(latencies[s])));
  }
  void idle(int n) {
    const int none[kStages] = {-1, -1, -1, -1};
    for (int i = 0; i < n; ++i) edge(none, false);
  }

  // Reads the whole snapshot bank through select/data with auto-increment, as firmware does.
  void read_and_compare(const std::string& label) {
    top.lat_valid = 0;
    top.snapshot = 0;
    top.select_stage = 0;
    top.select_bin = 0;
    for (int i = 0; i < kStages * kBins; ++i) {
      top.clk = 0;
      top.eval();
      const std::uint64_t got = top.data;
      check(got == snap[i], label + ": stage " + std::to_string(i / kBins) + " bin " + std::to_string(i % kBins) +
                                ": " + std::to_string(got) + ", expected " + std::to_string(snap[i]));
      // The read strobe: the register block loads the selection from select_*_hw_d.
      top.data_re = 1;
      top.eval();
      check(top.select_hw_we, "select_hw_we with data_re");
      const unsigned next_bin = top.select_bin_hw_d, next_stage = top.select_stage_hw_d;
      top.clk = 1;
      top.eval();
      top.data_re = 0;
      top.select_bin = next_bin;
      top.select_stage = next_stage;
    }
    check(top.select_bin == 0 && top.select_stage == 0, label + ": selection wraps to stage 0 bin 0");
    top.select_bin = 70;  // beyond the bins: reads 0
    top.eval();
    check(top.data == 0, label + ": a selection beyond the bins reads 0");
  }
};

}  // namespace

int main(int argc, char** argv) {
  Verilated::commandArgs(argc, argv);
  Bench b;
  b.top.rst = 1;
  b.idle(2);
  b.top.rst = 0;
  std::mt19937 rng(5);
  std::uint64_t events = 0;
  int snapshots = 0;
  for (int round = 0; round < 60; ++round) {
    b.shift = rng() % 4 == 0 ? 0 : rng() % 6;
    b.offset = rng() % 3 == 0 ? 0 : rng() % 40;
    b.idle(2);  // the layout applies to the next latency
    const int cycles = 200 + static_cast<int>(rng() % 3000);
    for (int c = 0; c < cycles; ++c) {
      int lat[kStages];
      for (int s = 0; s < kStages; ++s) {
        lat[s] = (rng() % 3 == 0) ? static_cast<int>(rng() % (s == 1 ? 3000 : 300)) : -1;
        events += lat[s] >= 0;
      }
      // A snapshot in the middle of the traffic: latencies arriving in its cycle must not be lost.
      const bool snap = c == cycles - 1;
      b.edge(lat, snap);
    }
    ++snapshots;
    b.read_and_compare("round " + std::to_string(round));
  }
  // Everything since the last snapshot: take one more with the line idle.
  b.idle(2);
  const int none[kStages] = {-1, -1, -1, -1};
  b.edge(none, true);
  b.read_and_compare("final");
  // Saturation: one bin far beyond its counter's range.
  b.shift = 0;
  b.offset = 0;
  const int same[kStages] = {5, -1, -1, -1};
  for (std::uint64_t i = 0; i < std::min<std::uint64_t>(kCounterMax + 10, 100000); ++i) b.edge(same, false);
  b.idle(2);
  b.edge(none, true);
  b.read_and_compare("saturation");
  std::printf("tb_histogram (%d-bit counters): %llu cycles, %llu latencies, %d snapshots read back, %d failures\n",
              TB_COUNTER_BITS, static_cast<unsigned long long>(b.cycle), static_cast<unsigned long long>(events),
              snapshots + 2, g_failures);
  b.top.final();
  return g_failures == 0 ? 0 : 1;
}
