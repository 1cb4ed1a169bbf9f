// An exact angle: a rational multiple of pi plus an inexact remainder.
//
// Angles written in source as `3*pi/8` or `pi/2` stay exact through every pass (adding,
// negating and scaling by rationals never rounds), so canonical serialisation and content
// addresses do not depend on floating-point rounding order. Only values that really are
// inexact (literals such as 0.1234, or results of sin/arccos) live in `remainder`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace qontos::ir {

struct Rational {
  std::int64_t num = 0;
  std::int64_t den = 1;  // always > 0, gcd(num, den) == 1

  static std::optional<Rational> make(std::int64_t num, std::int64_t den);
  /// The exact rational value of `value` when it is a whole number up to 2^53 or its
  /// denominator is a power of two up to 2^20.
  static std::optional<Rational> from_double(double value);
  bool is_zero() const { return num == 0; }
  double to_double() const { return static_cast<double>(num) / static_cast<double>(den); }
  friend bool operator==(const Rational&, const Rational&) = default;
};

/// Returns nullopt when the exact result does not fit in 64 bits.
std::optional<Rational> add(Rational a, Rational b);
std::optional<Rational> multiply(Rational a, Rational b);

class Angle {
 public:
  Angle() = default;
  static Angle pi_times(Rational r) { return Angle(r, 0.0); }
  static Angle from_double(double radians);
  static Angle zero() { return Angle(); }

  const Rational& pi_coefficient() const { return pi_; }
  double remainder() const { return remainder_; }
  bool is_exact() const { return remainder_ == 0.0; }
  bool is_zero() const { return pi_.is_zero() && remainder_ == 0.0; }
  double radians() const;

  Angle operator-() const;
  friend Angle operator+(const Angle& a, const Angle& b);
  friend Angle operator-(const Angle& a, const Angle& b) { return a + (-b); }
  Angle scaled(Rational factor) const;
  Angle scaled(double factor) const;

  /// Reduces into (-period/2, period/2] where period = 2*pi*k; exact part only moves by
  /// whole periods. Returns how many periods were removed.
  std::int64_t wrap(std::int64_t periods_of_two_pi);

  /// Canonical text: "0", "pi", "-pi/2", "3*pi/8", "0.125", "pi/4+0.001". Numbers use the
  /// shortest representation that reads back to the same double.
  std::string to_string() const;

  friend bool operator==(const Angle&, const Angle&) = default;

 private:
  Angle(Rational pi, double remainder) : pi_(pi), remainder_(remainder) {}
  void fold_into_remainder();
  Rational pi_{};
  double remainder_ = 0.0;
};

/// Shortest decimal text that reads back to exactly `value` ("0.1", "1e-07", "-3").
std::string format_double(double value);

}  // namespace qontos::ir
