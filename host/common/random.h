// The one pseudo-random generator of qontos: xoshiro256** (Blackman, Vigna) seeded through
// splitmix64, with bounded draws by rejection. Its sequence is fully specified (unlike the
// standard library's distributions), so seeded routing and seeded shots are the same on every host.
#pragma once

#include <array>
#include <cstdint>

namespace qontos {

/// Advances `state` and returns the next splitmix64 output.
std::uint64_t splitmix64(std::uint64_t& state);

class Prng {
 public:
  explicit Prng(std::uint64_t seed);
  std::uint64_t next();
  /// Uniform in [0, bound); bound must be positive.
  std::uint64_t below(std::uint64_t bound);

 private:
  std::array<std::uint64_t, 4> s_{};
};

}  // namespace qontos
