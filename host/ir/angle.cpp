#include "ir/angle.h"

#include <charconv>
#include <cmath>
#include <numbers>
#include <numeric>

namespace qontos::ir {

std::optional<Rational> Rational::make(std::int64_t num, std::int64_t den) {
  if (den == 0) return std::nullopt;
  if (den < 0) {
    if (num == INT64_MIN || den == INT64_MIN) return std::nullopt;
    num = -num;
    den = -den;
  }
  std::int64_t g = std::gcd(num, den);
  if (g > 1) {
    num /= g;
    den /= g;
  }
  return Rational{num, den};
}

std::optional<Rational> Rational::from_double(double value) {
  if (!std::isfinite(value)) return std::nullopt;
  // Whole numbers are exact up to 2^53 (larger doubles are integers too, but sparse).
  if (value == std::floor(value) && std::fabs(value) <= 9007199254740992.0)
    return Rational{static_cast<std::int64_t>(value), 1};
  if (std::fabs(value) > 1e12) return std::nullopt;
  constexpr std::int64_t kMaxDen = std::int64_t{1} << 20;
  double scaled = value * static_cast<double>(kMaxDen);
  if (scaled != std::floor(scaled)) return std::nullopt;
  return make(static_cast<std::int64_t>(scaled), kMaxDen);
}

std::optional<Rational> add(Rational a, Rational b) {
  std::int64_t l = std::lcm(a.den, b.den);
  std::int64_t x = 0;
  std::int64_t y = 0;
  std::int64_t n = 0;
  if (__builtin_mul_overflow(a.num, l / a.den, &x) || __builtin_mul_overflow(b.num, l / b.den, &y) ||
      __builtin_add_overflow(x, y, &n))
    return std::nullopt;
  return Rational::make(n, l);
}

std::optional<Rational> multiply(Rational a, Rational b) {
  std::int64_t g1 = std::gcd(a.num, b.den);
  std::int64_t g2 = std::gcd(b.num, a.den);
  if (g1 == 0) g1 = 1;
  if (g2 == 0) g2 = 1;
  std::int64_t n = 0;
  std::int64_t d = 0;
  if (__builtin_mul_overflow(a.num / g1, b.num / g2, &n) ||
      __builtin_mul_overflow(a.den / g2, b.den / g1, &d))
    return std::nullopt;
  return Rational::make(n, d);
}

Angle Angle::from_double(double radians) { return Angle(Rational{}, radians); }

double Angle::radians() const { return pi_.to_double() * std::numbers::pi + remainder_; }

void Angle::fold_into_remainder() {
  remainder_ = radians();
  pi_ = Rational{};
}

Angle Angle::operator-() const {
  if (pi_.num == INT64_MIN) return Angle(Rational{}, -radians());
  return Angle(Rational{-pi_.num, pi_.den}, remainder_ == 0.0 ? 0.0 : -remainder_);
}

Angle operator+(const Angle& a, const Angle& b) {
  auto sum = add(a.pi_, b.pi_);
  if (!sum) return Angle(Rational{}, a.radians() + b.radians());
  return Angle(*sum, a.remainder_ + b.remainder_);
}

Angle Angle::scaled(Rational factor) const {
  auto product = multiply(pi_, factor);
  if (!product) return Angle(Rational{}, radians() * factor.to_double());
  double r = remainder_ == 0.0 ? 0.0 : remainder_ * factor.to_double();
  return Angle(*product, r);
}

Angle Angle::scaled(double factor) const {
  if (auto exact = Rational::from_double(factor)) return scaled(*exact);
  return Angle(Rational{}, radians() * factor);
}

std::int64_t Angle::wrap(std::int64_t periods_of_two_pi) {
  const std::int64_t k = periods_of_two_pi;
  const double period = 2.0 * static_cast<double>(k) * std::numbers::pi;
  // How many whole periods to remove, judged on the total value (exact part plus remainder).
  std::int64_t m = 0;
  if (remainder_ == 0.0) {
    // Exact part pi*n/d with period 2k (in units of pi): move n into (-k*d, k*d].
    std::int64_t full = 0;
    std::int64_t half = 0;
    if (!__builtin_mul_overflow(2 * k, pi_.den, &full) && !__builtin_mul_overflow(k, pi_.den, &half)) {
      std::int64_t n = pi_.num;
      m = n / full;
      n -= m * full;
      if (n > half) {
        n -= full;
        m += 1;
      } else if (n <= -half) {
        n += full;
        m -= 1;
      }
      pi_ = *Rational::make(n, pi_.den);
      return m;
    }
  }
  const double v = radians();
  if (!std::isfinite(v)) return 0;
  double turns = std::round(v / period);
  double rest = v - turns * period;
  if (rest <= -period / 2) {
    rest += period;
    turns -= 1;
  } else if (rest > period / 2) {
    rest -= period;
    turns += 1;
  }
  // Only the parity of the count matters to callers, and an even modulus keeps it.
  const double kParityModulus = 4611686018427387904.0;  // 2^62
  m = static_cast<std::int64_t>(std::fmod(turns, kParityModulus));
  // A remainder larger than a period carries no exact meaning next to the exact part (the two
  // would cancel in floating point): then the angle becomes the reduced number. Otherwise the
  // whole periods come off the exact part, which stays exact.
  if (std::fabs(remainder_) <= period && std::fabs(turns) < 1e15) {
    if (turns == 0) return 0;
    if (auto shifted = add(pi_, Rational{-2 * k * static_cast<std::int64_t>(turns), 1})) {
      pi_ = *shifted;
      return m;
    }
  }
  pi_ = Rational{};
  remainder_ = rest;
  return m;
}

std::string format_double(double value) {
  if (value == 0.0) return "0";
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, result.ptr);
}

std::string Angle::to_string() const {
  std::string out;
  if (!pi_.is_zero()) {
    std::int64_t n = pi_.num;
    if (n < 0) out += "-";
    std::uint64_t magnitude = n < 0 ? static_cast<std::uint64_t>(-(n + 1)) + 1 : static_cast<std::uint64_t>(n);
    if (magnitude != 1) out += std::to_string(magnitude) + "*";
    out += "pi";
    if (pi_.den != 1) out += "/" + std::to_string(pi_.den);
  }
  if (remainder_ != 0.0 || out.empty()) {
    std::string r = format_double(remainder_);
    if (!out.empty() && remainder_ > 0) out += "+";
    out += r;
  }
  return out;
}

}  // namespace qontos::ir
