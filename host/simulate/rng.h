// The simulators' random source: the project's generator (common/random.h) with the draws the
// engines need (uniform doubles from 53 bits, Bernoulli trials) and independent streams per
// shot. The standard library's distributions are implementation-defined, so they would make
// seeded counts differ between hosts.
#pragma once

#include <cstdint>

#include "common/random.h"

namespace qontos::simulate {

class Rng : public Prng {
 public:
  explicit Rng(std::uint64_t seed) : Prng(seed) {}
  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool bernoulli(double p) { return uniform() < p; }
  /// An independent stream for shot or worker `index` (deterministic in seed and index).
  static Rng stream(std::uint64_t seed, std::uint64_t index) {
    std::uint64_t mixed = seed ^ (0x9E3779B97F4A7C15ULL * (index + 1));
    return Rng(splitmix64(mixed));
  }
};

}  // namespace qontos::simulate
