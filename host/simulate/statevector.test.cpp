// The statevector engine against a naive reference written here: dense matrices applied with
// explicit index arithmetic, so the kernel's bit tricks, the fusion and the sampling are each
// checked by something that shares none of their code.
#include "simulate/statevector.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "simulate/fusion.h"
#include "simulate/kernels.h"

namespace qontos::simulate {
namespace {
using C = std::complex<double>;

std::vector<C> random_unitary_like(int dim, std::mt19937_64& g) {
  // Not unitary: a random matrix checks the kernel's arithmetic more thoroughly.
  std::normal_distribution<double> d;
  std::vector<C> m(static_cast<std::size_t>(dim) * dim);
  for (auto& x : m) x = C(d(g), d(g));
  return m;
}

std::vector<C> random_state(int n, std::mt19937_64& g) {
  std::normal_distribution<double> d;
  std::vector<C> s(std::size_t{1} << n);
  for (auto& x : s) x = C(d(g), d(g));
  return s;
}

// out[x] = sum_y M[row(x)][col(y)] in[y] over y that agree with x outside the targets, for x
// whose control bits are all 1; other amplitudes unchanged.
std::vector<C> reference_apply(const std::vector<C>& in, const std::vector<int>& targets,
                               const std::vector<int>& controls, const std::vector<C>& m) {
  const int k = static_cast<int>(targets.size()), dim = 1 << k;
  std::vector<C> out = in;
  for (std::size_t x = 0; x < in.size(); ++x) {
    bool on = true;
    for (int c : controls) on = on && ((x >> c) & 1);
    if (!on) continue;
    int row = 0;
    std::size_t rest = x;
    for (int j = 0; j < k; ++j) {
      row |= static_cast<int>((x >> targets[j]) & 1) << j;
      rest &= ~(std::size_t{1} << targets[j]);
    }
    C s = 0;
    for (int col = 0; col < dim; ++col) {
      std::size_t y = rest;
      for (int j = 0; j < k; ++j)
        if ((col >> j) & 1) y |= std::size_t{1} << targets[j];
      s += m[row * dim + col] * in[y];
    }
    out[x] = s;
  }
  return out;
}

template <typename Real>
void check_kernel_on(int n, const std::vector<int>& targets, const std::vector<int>& controls, std::mt19937_64& g,
                     double tol);

template <typename Real>
void check_kernel(int n, int k, int c, std::uint64_t seed, double tol) {
  std::mt19937_64 g(seed);
  std::vector<int> qubits(n);
  for (int i = 0; i < n; ++i) qubits[i] = i;
  std::shuffle(qubits.begin(), qubits.end(), g);
  std::vector<int> targets(qubits.begin(), qubits.begin() + k);
  std::vector<int> controls(qubits.begin() + k, qubits.begin() + k + c);
  check_kernel_on<Real>(n, targets, controls, g, tol);
}

template <typename Real>
void check_kernel_on(int n, const std::vector<int>& targets, const std::vector<int>& controls, std::mt19937_64& g,
                     double tol) {
  const int k = static_cast<int>(targets.size()), c = static_cast<int>(controls.size());
  auto m = random_unitary_like(1 << k, g);
  auto in = random_state(n, g);
  std::vector<std::complex<Real>> amps(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) amps[i] = std::complex<Real>(in[i]);
  apply_matrix<Real>(amps.data(), n, targets, controls, m);
  auto expected = reference_apply(in, targets, controls, m);
  for (std::size_t i = 0; i < in.size(); ++i) {
    ASSERT_NEAR(amps[i].real(), expected[i].real(), tol) << "n=" << n << " k=" << k << " c=" << c << " index " << i;
    ASSERT_NEAR(amps[i].imag(), expected[i].imag(), tol) << "n=" << n << " k=" << k << " c=" << c << " index " << i;
  }
}

TEST(StatevectorKernel, MatchesReferenceForEveryWidthAndControlCount) {
  std::uint64_t seed = 1;
  for (int k = 1; k <= 6; ++k)
    for (int c = 0; c <= 2; ++c) {
      check_kernel<double>(9, k, c, seed++, 1e-9);
      check_kernel<float>(9, k, c, seed++, 2e-3);
    }
}

TEST(StatevectorKernel, VectorPathMatchesReference) {
  // Qubits 0 and 1 free: consecutive groups are contiguous, so 4 (float) or 2 (double) groups
  // are processed as one vector; a run of odd length leaves a scalar tail.
  std::mt19937_64 g(42);
  for (const auto& [targets, controls] : std::vector<std::pair<std::vector<int>, std::vector<int>>>{
           {{2}, {}}, {{3, 5}, {}}, {{6, 2}, {4}}, {{2, 3, 4, 7}, {}}, {{8, 5, 3, 2}, {6}}, {{1}, {}}, {{1, 4}, {3}}})
    for (int rep = 0; rep < 2; ++rep) {
      check_kernel_on<float>(9, targets, controls, g, 2e-3);
      check_kernel_on<double>(9, targets, controls, g, 1e-9);
    }
}

TEST(StatevectorKernel, ThreadedSizesMatchReference) {
  check_kernel<double>(17, 2, 1, 99, 1e-9);
  check_kernel<double>(17, 4, 0, 98, 1e-9);
}

TEST(StatevectorKernel, RejectsRepeatedQubits) {
  std::vector<std::complex<double>> amps(8);
  std::vector<C> m(16);
  EXPECT_THROW(apply_matrix<double>(amps.data(), 3, {1, 1}, {}, m), std::invalid_argument);
  EXPECT_THROW(apply_matrix<double>(amps.data(), 3, {0}, {0}, std::vector<C>(4)), std::invalid_argument);
  EXPECT_THROW(apply_matrix<double>(amps.data(), 3, {3}, {}, std::vector<C>(4)), std::invalid_argument);
}

TEST(StatevectorFusion, FusedSequenceGivesTheSameState) {
  std::mt19937_64 g(7);
  const int n = 8;
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<GateAction> gates;
    for (int i = 0; i < 40; ++i) {
      std::vector<int> q(n);
      for (int j = 0; j < n; ++j) q[j] = j;
      std::shuffle(q.begin(), q.end(), g);
      const int k = 1 + static_cast<int>(g() % 2), c = static_cast<int>(g() % 2);
      gates.push_back(
          GateAction{{q.begin() + k, q.begin() + k + c}, {q.begin(), q.begin() + k}, random_unitary_like(1 << k, g)});
    }
    for (int width : {1, 2, 3, 4, 5}) {
      auto fused = fuse_gates(gates, width);
      Statevector<double> a(n), b(n);
      for (const auto& x : gates) a.apply(x);
      for (const auto& x : fused) {
        EXPECT_LE(static_cast<int>(x.targets.size() + x.controls.size()), std::max(width, 3));
        b.apply(x);
      }
      for (std::uint64_t i = 0; i < a.size(); ++i)
        ASSERT_NEAR(std::abs(a.data()[i] - b.data()[i]), 0.0, 1e-6 * (1 + std::abs(a.data()[i])))
            << "trial " << trial << " width " << width;
      if (width >= 3) {
        EXPECT_LT(fused.size(), gates.size());
      }
    }
  }
}

TEST(Statevector, MeasurementCollapsesAndFollowsBornRule) {
  const double theta = 1.1;
  int ones = 0;
  const int shots = 20000;
  Rng rng(5);
  for (int s = 0; s < shots; ++s) {
    Statevector<double> sv(2);
    sv.apply({{}, {0}, {std::cos(theta / 2), -std::sin(theta / 2), std::sin(theta / 2), std::cos(theta / 2)}});
    sv.apply({{0}, {1}, {0, 1, 1, 0}});  // CNOT: qubit 1 copies qubit 0
    const bool a = sv.measure(0, rng);
    EXPECT_EQ(sv.probability_one(1), a ? 1.0 : 0.0);
    EXPECT_NEAR(sv.norm_squared(), 1.0, 1e-12);
    ones += a;
  }
  const double p = std::pow(std::sin(theta / 2), 2);
  EXPECT_NEAR(ones / double(shots), p, 4 * std::sqrt(p * (1 - p) / shots));
}

TEST(Statevector, ResetReturnsToZero) {
  Rng rng(3);
  for (int s = 0; s < 50; ++s) {
    Statevector<float> sv(3);
    const double h = 1 / std::sqrt(2.0);
    sv.apply({{}, {2}, {h, h, h, -h}});
    sv.reset(2, rng);
    EXPECT_NEAR(std::abs(sv.data()[0]), 1.0, 1e-6);
  }
}

TEST(Statevector, SamplesFollowTheDistribution) {
  Statevector<double> sv(3);
  // Make a normalised state by hand: amplitudes proportional to 1..8.
  double norm = 0;
  for (int i = 0; i < 8; ++i) norm += (i + 1) * (i + 1);
  for (int i = 0; i < 8; ++i) sv.data()[i] = (i + 1) / std::sqrt(norm);
  Rng rng(17);
  const std::int64_t shots = 100000;
  auto draws = sv.sample(shots, rng);
  ASSERT_EQ(static_cast<std::int64_t>(draws.size()), shots);
  EXPECT_TRUE(std::is_sorted(draws.begin(), draws.end()));
  std::vector<int> counts(8);
  for (auto d : draws) ++counts.at(d);
  for (int i = 0; i < 8; ++i) {
    const double p = (i + 1) * (i + 1) / norm;
    EXPECT_NEAR(counts[i] / double(shots), p, 5 * std::sqrt(p * (1 - p) / shots)) << i;
  }
}

TEST(Statevector, RefusesImpossibleSizes) {
  EXPECT_THROW(Statevector<double>(-1), std::runtime_error);
  EXPECT_THROW(Statevector<double>(41), std::runtime_error);
}

}  // namespace
}  // namespace qontos::simulate
