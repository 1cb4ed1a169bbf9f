// The replay distances: values computed by hand, and chi-square tail probabilities against
// closed forms (dof 2: exp(-x/2); dof 1: erfc(sqrt(x/2))) and table values.
#include "common/distribution_distance.h"

#include <gtest/gtest.h>

#include <cmath>

namespace qontos {
namespace {

TEST(ChiSquareSurvival, MatchesClosedFormsAndTables) {
  for (double x : {0.1, 1.0, 2.5, 7.0, 30.0, 200.0}) {
    EXPECT_NEAR(chi_square_survival(x, 2), std::exp(-x / 2), 1e-12) << x;
    EXPECT_NEAR(chi_square_survival(x, 1), std::erfc(std::sqrt(x / 2)), 1e-12) << x;
  }
  EXPECT_NEAR(chi_square_survival(3.841458820694124, 1), 0.05, 1e-9);  // 95th percentile, 1 dof
  EXPECT_NEAR(chi_square_survival(18.307038053275146, 10), 0.05, 1e-9);
  EXPECT_NEAR(chi_square_survival(124.34211340400407, 100), 0.05, 1e-8);
  EXPECT_DOUBLE_EQ(chi_square_survival(0, 4), 1.0);
  EXPECT_THROW(chi_square_survival(1, 0), std::invalid_argument);
}

TEST(CompareCounts, IdenticalSamplesAreAtDistanceZero) {
  const std::map<std::string, std::int64_t> a{{"00", 480}, {"11", 520}};
  const auto d = compare_counts(a, a);
  EXPECT_EQ(d.total_variation, 0);
  EXPECT_NEAR(d.kl_divergence, 0, 1e-15);
  EXPECT_NEAR(d.chi_square, 0, 1e-12);
  EXPECT_EQ(d.degrees_of_freedom, 1);
  EXPECT_NEAR(d.p_value, 1, 1e-12);
}

TEST(CompareCounts, HandComputedValues) {
  // p = (0.75, 0.25), q = (0.25, 0.75) from 4 shots each.
  const std::map<std::string, std::int64_t> a{{"0", 3}, {"1", 1}}, b{{"0", 1}, {"1", 3}};
  const auto d = compare_counts(a, b);
  EXPECT_DOUBLE_EQ(d.total_variation, 0.5);
  // Smoothed: p = (3.5/5, 1.5/5), q = (1.5/5, 3.5/5).
  EXPECT_NEAR(d.kl_divergence, 0.7 * std::log(0.7 / 0.3) + 0.3 * std::log(0.3 / 0.7), 1e-12);
  // Expected 2 in every cell: 4 cells of (1)^2 / 2.
  EXPECT_NEAR(d.chi_square, 2.0, 1e-12);
  EXPECT_NEAR(d.p_value, std::erfc(1.0), 1e-12);
}

TEST(CompareCounts, DisjointSupportsAreFarApartButFinite) {
  const auto d = compare_counts({{"00", 1000}}, {{"11", 1000}});
  EXPECT_DOUBLE_EQ(d.total_variation, 1.0);
  EXPECT_TRUE(std::isfinite(d.kl_divergence));
  EXPECT_GT(d.kl_divergence, 5);
  EXPECT_LT(d.p_value, 1e-100);
  EXPECT_THROW(compare_counts({}, {{"0", 1}}), std::invalid_argument);
}

}  // namespace
}  // namespace qontos
