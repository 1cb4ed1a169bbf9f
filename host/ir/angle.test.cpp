#include "ir/angle.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace qontos::ir {
namespace {

Angle pi(std::int64_t n, std::int64_t d = 1) { return Angle::pi_times(*Rational::make(n, d)); }

TEST(Rational, NormalisesSignAndCommonFactors) {
  EXPECT_EQ(*Rational::make(6, -8), (Rational{-3, 4}));
  EXPECT_FALSE(Rational::make(1, 0));
  EXPECT_EQ(*add({1, 3}, {1, 6}), (Rational{1, 2}));
  EXPECT_EQ(*multiply({2, 3}, {9, 4}), (Rational{3, 2}));
  EXPECT_FALSE(add({INT64_MAX, 1}, {1, 1}));
  EXPECT_EQ(*Rational::from_double(0.375), (Rational{3, 8}));
  EXPECT_FALSE(Rational::from_double(0.1));  // not a dyadic fraction
  // Large whole numbers stay exact (fuzzing found -21217807818889*pi/42435615637782 read back
  // as a plain number).
  EXPECT_EQ(*Rational::from_double(-21217807818889.0), (Rational{-21217807818889, 1}));
  EXPECT_EQ(Angle::from_double(-21217807818889.0).scaled(-1.0).to_string(), "21217807818889");
  EXPECT_TRUE(Angle::pi_times({1, 1}).scaled(-21217807818889.0).is_exact());
}

TEST(Angle, ArithmeticOnMultiplesOfPiStaysExact) {
  Angle a = pi(3, 8) + pi(1, 8);
  EXPECT_TRUE(a.is_exact());
  EXPECT_EQ(a, pi(1, 2));
  EXPECT_EQ(pi(1).scaled(Rational{3, 8}), pi(3, 8));
  EXPECT_EQ(pi(1, 4).scaled(2.0), pi(1, 2));
  EXPECT_EQ((pi(1, 4) - pi(1, 4)).to_string(), "0");
  Angle mixed = pi(1, 2) + Angle::from_double(0.25);
  EXPECT_FALSE(mixed.is_exact());
  EXPECT_DOUBLE_EQ(mixed.radians(), std::numbers::pi / 2 + 0.25);
}

TEST(Angle, CanonicalText) {
  EXPECT_EQ(pi(1).to_string(), "pi");
  EXPECT_EQ(pi(-1, 2).to_string(), "-pi/2");
  EXPECT_EQ(pi(3, 8).to_string(), "3*pi/8");
  EXPECT_EQ(Angle::from_double(0.1).to_string(), "0.1");
  EXPECT_EQ(Angle::from_double(1e-7).to_string(), "1e-07");
  EXPECT_EQ((pi(1, 4) + Angle::from_double(0.001)).to_string(), "pi/4+0.001");
  EXPECT_EQ((pi(1, 4) + Angle::from_double(-0.5)).to_string(), "pi/4-0.5");
  EXPECT_EQ(Angle().to_string(), "0");
}

TEST(Angle, ShortestTextReadsBackExactly) {
  for (double v : {0.1, 1.0 / 3.0, 2.220446049250313e-16, 123456.789, -0.0000001}) {
    std::string s = format_double(v);
    EXPECT_EQ(std::stod(s), v) << s;
  }
}

TEST(Angle, WrapReducesByWholePeriodsAndCountsThem) {
  Angle a = pi(7, 2);  // 3.5π → -π/2, one 2π turn removed
  EXPECT_EQ(a.wrap(1), 2);
  EXPECT_EQ(a, pi(-1, 2));
  Angle b = pi(1);  // π stays (the range is (-π, π])
  EXPECT_EQ(b.wrap(1), 0);
  EXPECT_EQ(b, pi(1));
  Angle c = pi(-1);  // -π → π
  EXPECT_EQ(c.wrap(1), -1);
  EXPECT_EQ(c, pi(1));
  Angle d = pi(3);  // period 4π: 3π → -π
  EXPECT_EQ(d.wrap(2), 1);
  EXPECT_EQ(d, pi(-1));
}

TEST(Angle, WrapKeepsMixedAnglesExactAndIsIdempotent) {
  Angle a = pi(5, 2) + Angle::from_double(0.1);  // 2.5π + 0.1 → π/2 + 0.1
  EXPECT_EQ(a.wrap(1), 1);
  EXPECT_EQ(a.to_string(), "pi/2+0.1");
  Angle again = a;
  EXPECT_EQ(again.wrap(1), 0);
  EXPECT_EQ(again, a);
  Angle plain = Angle::from_double(-3.6);
  EXPECT_EQ(plain.wrap(1), -1);
  EXPECT_NEAR(plain.radians(), 2 * std::numbers::pi - 3.6, 1e-15);
}

TEST(Angle, WrapSurvivesHugeAndNonFiniteValues) {
  Angle huge = Angle::from_double(1e300);
  huge.wrap(1);  // must not overflow an integer conversion (found by fuzzing)
  EXPECT_TRUE(std::isfinite(huge.radians()));
  EXPECT_LE(std::fabs(huge.radians()), std::numbers::pi);
  Angle big_mixed = pi(275491622554157, 4) + Angle::from_double(-216370614385417.72);
  big_mixed.wrap(1);
  EXPECT_TRUE(big_mixed.pi_coefficient().is_zero()) << big_mixed.to_string();
  Angle inf = Angle::from_double(INFINITY);
  EXPECT_EQ(inf.wrap(1), 0);
}

}  // namespace
}  // namespace qontos::ir
