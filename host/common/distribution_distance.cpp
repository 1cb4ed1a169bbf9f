#include "common/distribution_distance.h"

#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

namespace qontos {
namespace {

// Q(s, x) by its continued fraction (modified Lentz), accurate for x >= s + 1.
double upper_gamma_continued_fraction(double s, double x) {
  const double tiny = 1e-300, eps = 1e-15;
  double b = x + 1 - s, c = 1 / tiny, d = 1 / b, h = d;
  for (int i = 1; i < 10000; ++i) {  // converges in O(sqrt(s)) terms
    const double an = -i * (i - s);
    b += 2;
    d = an * d + b;
    if (std::fabs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1) < eps) break;
  }
  return std::exp(-x + s * std::log(x) - std::lgamma(s)) * h;
}

// P(s, x) by its power series, accurate for x < s + 1.
double lower_gamma_series(double s, double x) {
  double term = 1 / s, sum = term;
  for (int n = 1; n < 10000; ++n) {
    term *= x / (s + n);
    sum += term;
    if (std::fabs(term) < std::fabs(sum) * 1e-15) break;
  }
  return sum * std::exp(-x + s * std::log(x) - std::lgamma(s));
}

}  // namespace

double chi_square_survival(double x, int dof) {
  if (dof <= 0) throw std::invalid_argument("chi-square needs at least one degree of freedom");
  if (x <= 0) return 1;
  const double s = dof / 2.0, half = x / 2;
  return half < s + 1 ? 1 - lower_gamma_series(s, half) : upper_gamma_continued_fraction(s, half);
}

DistributionDistance compare_counts(const std::map<std::string, std::int64_t>& first,
                                    const std::map<std::string, std::int64_t>& second) {
  std::set<std::string> outcomes;
  double n1 = 0, n2 = 0;
  for (const auto& [k, v] : first) {
    if (v > 0) outcomes.insert(k);
    n1 += static_cast<double>(v);
  }
  for (const auto& [k, v] : second) {
    if (v > 0) outcomes.insert(k);
    n2 += static_cast<double>(v);
  }
  if (n1 <= 0 || n2 <= 0) throw std::invalid_argument("cannot compare an empty sample");
  auto count = [](const std::map<std::string, std::int64_t>& m, const std::string& k) {
    const auto it = m.find(k);
    return it == m.end() ? 0.0 : static_cast<double>(it->second);
  };
  DistributionDistance d;
  const double k_outcomes = static_cast<double>(outcomes.size());
  for (const auto& k : outcomes) {
    const double a = count(first, k), b = count(second, k);
    d.total_variation += std::fabs(a / n1 - b / n2) / 2;
    const double p = (a + kSmoothing) / (n1 + kSmoothing * k_outcomes);
    const double q = (b + kSmoothing) / (n2 + kSmoothing * k_outcomes);
    d.kl_divergence += p * std::log(p / q);
    const double total = a + b;
    const double e1 = n1 * total / (n1 + n2), e2 = n2 * total / (n1 + n2);
    d.chi_square += (a - e1) * (a - e1) / e1 + (b - e2) * (b - e2) / e2;
  }
  d.degrees_of_freedom = static_cast<int>(outcomes.size()) - 1;
  d.p_value = d.degrees_of_freedom > 0 ? chi_square_survival(d.chi_square, d.degrees_of_freedom) : 1.0;
  return d;
}

}  // namespace qontos
