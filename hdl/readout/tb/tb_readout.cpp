// Verilator testbench of hdl/readout/rtl/readout.v. A random I/Q stream (with gaps in tvalid) and
// random triggers, windows, delays, rotations and thresholds; the expected measurements are
// computed independently from the recorded stream: after a trigger in cycle u, skip `delay` valid
// beats, sum the next `window` (0 -> 1), and expect `valid` three cycles after the last one with
// rot = (sum_i * cos - sum_q * sin) >> 15 (floor), saturated to int32, bit = rot > threshold.
// A trigger up to one cycle after a measurement's last beat cuts it short (counted in
// retriggers). Also: full-scale inputs over a long window (the saturation of the rotated sum) and
// the two states a calibrated qubit readout separates.
#include <cstdint>
#include <cstdio>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include "Vreadout.h"
#include "verilated.h"

namespace {

constexpr int kPairs = 2;
int g_failures = 0;
void check(bool ok, const std::string& what) {
  if (!ok && ++g_failures <= 20) std::fprintf(stderr, "FAIL: %s\n", what.c_str());
}

struct Config {
  unsigned window = 64, delay = 0;
  std::int16_t cos = 0x7FFF, sin = 0;
  std::int32_t threshold = 0;
};

struct Expected {
  std::uint64_t cycle;  // when valid is high
  bool bit;
  std::int32_t last_i;
};

struct Beat {
  bool valid;
  std::int16_t i[kPairs], q[kPairs];
};

std::int32_t discriminate(std::int64_t sum_i, std::int64_t sum_q, const Config& c) {
  const __int128 diff = static_cast<__int128>(sum_i) * c.cos - static_cast<__int128>(sum_q) * c.sin;
  __int128 rot = diff >> 15;  // arithmetic: floor
  if (rot > INT32_MAX) rot = INT32_MAX;
  if (rot < INT32_MIN) rot = INT32_MIN;
  return static_cast<std::int32_t>(rot);
}

class Bench {
 public:
  Vreadout top;
  std::uint64_t cycle = 0;
  std::vector<Beat> stream;  // stream[c]: the beat presented in cycle c
  std::deque<Expected> expected;
  int measurements = 0, retriggers = 0;
  // The measurement in flight: trigger cycle and config.
  bool in_flight = false;
  std::uint64_t trig_cycle = 0;
  Config cfg;

  void set_config(const Config& c) {
    cfg = c;
    top.window = static_cast<std::uint16_t>(c.window);
    top.delay = static_cast<std::uint16_t>(c.delay);
    top.rot_cos = static_cast<std::uint16_t>(c.cos);
    top.rot_sin = static_cast<std::uint16_t>(c.sin);
    top.threshold = static_cast<std::uint32_t>(c.threshold);
  }

  // Presents `beat` (and the trigger) in this cycle, clocks, then checks the outputs.
  void step(const Beat& beat, bool trigger) {
    std::uint64_t data = 0;
    for (int k = 0; k < kPairs; ++k)
      data |= (std::uint64_t(std::uint16_t(beat.i[k])) | (std::uint64_t(std::uint16_t(beat.q[k])) << 16)) << (32 * k);
    top.s_axis_tdata = data;
    top.s_axis_tvalid = beat.valid;
    top.trigger = trigger;
    top.clk = 0;
    top.eval();
    check(top.s_axis_tready, "tready is always high");
    top.clk = 1;
    top.eval();
    stream.push_back(beat);
    if (trigger) start(cycle);
    ++cycle;
    // Outputs now show the state after the edge that ended cycle `cycle - 1`: valid is "high in
    // cycle `cycle`".
    const bool want = !expected.empty() && expected.front().cycle == cycle;
    check(top.valid == want, "valid " + std::to_string(top.valid) + " in cycle " + std::to_string(cycle));
    if (want && top.valid) {
      const Expected e = expected.front();
      check(top.meas_bit == e.bit, "bit in cycle " + std::to_string(cycle));
      check(static_cast<std::int32_t>(top.last_i) == e.last_i,
            "last_i " + std::to_string(static_cast<std::int32_t>(top.last_i)) + ", expected " + std::to_string(e.last_i));
      ++measurements;
    }
    if (want) expected.pop_front();
    check(top.count == static_cast<std::uint32_t>(measurements), "count");
    check(top.retriggers == static_cast<std::uint32_t>(retriggers), "retriggers in cycle " + std::to_string(cycle));
  }

  // A trigger in cycle u: the expected result is computed once the stream holds its beats
  // (finish() below), or the earlier measurement is cut short.
  void start(std::uint64_t u) {
    if (in_flight) {
      ++retriggers;  // its last beat is not in yet: abandoned
    } else if (!expected.empty() && expected.back().cycle == u + 2) {
      ++retriggers;  // its last beat came in cycle u - 1 (being multiplied in u): abandoned
      expected.pop_back();
    }
    in_flight = true;
    trig_cycle = u;
  }

  // Called every cycle after step(): once the window's last beat is in, queue the expected result.
  void finish() {
    if (!in_flight) return;
    unsigned skipped = 0, summed = 0;
    const unsigned window = cfg.window == 0 ? 1 : cfg.window;
    std::int64_t sum_i = 0, sum_q = 0;
    for (std::uint64_t c = trig_cycle + 1; c < stream.size(); ++c) {
      if (!stream[c].valid) continue;
      if (skipped < cfg.delay) {
        ++skipped;
        continue;
      }
      for (int k = 0; k < kPairs; ++k) {
        sum_i += stream[c].i[k];
        sum_q += stream[c].q[k];
      }
      if (++summed == window) {
        const std::int32_t rot = discriminate(sum_i, sum_q, cfg);
        expected.push_back({c + 3, rot > cfg.threshold, rot});
        in_flight = false;
        return;
      }
    }
  }
};

Beat random_beat(std::mt19937& rng, int valid_percent, int amplitude) {
  Beat b;
  b.valid = static_cast<int>(rng() % 100) < valid_percent;
  for (int k = 0; k < kPairs; ++k) {
    b.i[k] = static_cast<std::int16_t>(static_cast<int>(rng() % (2 * amplitude + 1)) - amplitude);
    b.q[k] = static_cast<std::int16_t>(static_cast<int>(rng() % (2 * amplitude + 1)) - amplitude);
  }
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  Verilated::commandArgs(argc, argv);
  Bench b;
  std::mt19937 rng(9);
  b.top.rst = 1;
  b.set_config(Config{});
  for (int i = 0; i < 3; ++i) {
    b.top.clk = 0;
    b.top.eval();
    b.top.clk = 1;
    b.top.eval();
  }
  b.top.rst = 0;
  // Random measurements: configuration changed only between them, triggers sometimes early
  // (cutting the measurement short) or right after it.
  for (int m = 0; m < 3000; ++m) {
    Config c;
    c.window = rng() % 10 == 0 ? 0 : 1 + rng() % 80;
    c.delay = rng() % 3 == 0 ? 0 : rng() % 20;
    c.cos = static_cast<std::int16_t>(static_cast<int>(rng() % 65536) - 32768);
    c.sin = static_cast<std::int16_t>(static_cast<int>(rng() % 65536) - 32768);
    c.threshold = static_cast<std::int32_t>(static_cast<int>(rng() % 200001) - 100000);
    b.set_config(c);
    const int valid_percent = rng() % 2 ? 100 : 70;
    b.step(random_beat(rng, valid_percent, 30000), true);
    b.finish();
    const int cut = rng() % 15 == 0 ? static_cast<int>(rng() % 60) : -1;
    for (int t = 0; t < 400 && (b.in_flight || !b.expected.empty()); ++t) {
      const bool again = t == cut;
      b.step(random_beat(rng, valid_percent, 30000), again);
      b.finish();
    }
    for (int t = static_cast<int>(rng() % 3); t > 0; --t) {
      b.step(random_beat(rng, 100, 30000), false);
      b.finish();
    }
  }
  // Saturation: full-scale I over a long window, no rotation.
  {
    Config c;
    c.window = 60000;
    c.cos = 0x7FFF;
    b.set_config(c);
    Beat full{true, {32767, 32767}, {0, 0}};
    b.step(full, true);
    b.finish();
    while (b.in_flight || !b.expected.empty()) {
      b.step(full, false);
      b.finish();
    }
    check(static_cast<std::int32_t>(b.top.last_i) == INT32_MAX, "full-scale window saturates at INT32_MAX");
  }
  // Two states separated by a rotation: |0> around (+800, +800), |1> around (-800, -800) per
  // pair; rotating by 45 degrees puts the separation on I; threshold 0 reads them as 0 and 1.
  {
    Config c;
    c.window = 32;
    c.cos = 23170;  // cos(45 deg) in Q1.15
    c.sin = -23170;
    b.set_config(c);
    for (int state = 0; state < 2; ++state) {
      const std::int16_t v = state == 0 ? -800 : 800;
      Beat s{true, {v, v}, {v, v}};
      b.step(s, true);
      b.finish();
      while (b.in_flight || !b.expected.empty()) {
        b.step(s, false);
        b.finish();
      }
      check(b.top.meas_bit == (state == 1), "state " + std::to_string(state) + " discriminated");
    }
  }
  // The threshold is strict: a rotated value equal to it reads 0, one above it reads 1.
  {
    Config c;
    c.window = 4;
    const std::int16_t v = 1000;
    Beat s{true, {v, v}, {0, 0}};
    const std::int32_t rot = discriminate(4 * 2 * v, 0, c);  // 4 beats of two pairs
    for (std::int32_t t : {rot, rot - 1}) {
      c.threshold = t;
      b.set_config(c);
      b.step(s, true);
      b.finish();
      while (b.in_flight || !b.expected.empty()) {
        b.step(s, false);
        b.finish();
      }
      check(b.top.meas_bit == (t < rot), "threshold " + std::to_string(t) + " against rotated value " + std::to_string(rot));
    }
  }
  b.top.final();
  std::printf("tb_readout: %llu cycles, %d measurements, %d cut short, %d failures\n",
              static_cast<unsigned long long>(b.cycle), b.measurements, b.retriggers, g_failures);
  return g_failures == 0 ? 0 : 1;
}
