// How far apart two sampled distributions are, for comparing a replay with the run it replays:
// total variation, Kullback-Leibler divergence with additive smoothing (so outcomes seen in
// only one sample stay finite), and a chi-square test of homogeneity with its p-value.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace qontos {

struct DistributionDistance {
  double total_variation = 0;  // 1/2 sum |p - q| of the empirical distributions
  double kl_divergence = 0;    // KL(p || q) in nats, both smoothed with kSmoothing per outcome
  double chi_square = 0;       // homogeneity statistic over the 2 x K table
  int degrees_of_freedom = 0;  // K - 1, K = outcomes seen in either sample
  double p_value = 1;          // P(chi-square >= statistic) under "same distribution"
};

inline constexpr double kSmoothing = 0.5;  // Jeffreys-style pseudo-count

/// Both samples must be non-empty (std::invalid_argument otherwise).
DistributionDistance compare_counts(const std::map<std::string, std::int64_t>& first,
                                    const std::map<std::string, std::int64_t>& second);

/// P(X >= x) for X chi-square distributed with `dof` degrees of freedom (the regularised upper
/// incomplete gamma function Q(dof/2, x/2)).
double chi_square_survival(double x, int dof);

}  // namespace qontos
