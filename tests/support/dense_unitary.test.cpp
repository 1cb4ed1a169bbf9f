// Tests of the independent dense evaluator, and through it of the host gate table
// (ir::single_qubit_matrix, ir::inverse_gate, ir::canonical_gate, ir::fold_controls,
// ir::unfold_controls).
#include "support/dense_unitary.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>

#include "ir/gate_set.h"
#include "passes/pipeline.h"

namespace qontos::testing {
namespace {

using C = std::complex<double>;
constexpr double kPi = std::numbers::pi;
constexpr double kTight = 1e-12;

ir::Angle rad(double v) { return ir::Angle::from_double(v); }
ir::Angle pi_frac(std::int64_t n, std::int64_t d) { return ir::Angle::pi_times(*ir::Rational::make(n, d)); }

ir::Op gate(const std::string& name, std::vector<int> qubits, std::vector<ir::Angle> params = {}, int controls = 0) {
  ir::GateOp g;
  g.name = name;
  g.qubits = std::move(qubits);
  g.params = std::move(params);
  g.controls = controls;
  return ir::Op(std::move(g));
}

ir::Op gphase(ir::Angle a) {
  ir::GlobalPhaseOp g;
  g.phase = a;
  return ir::Op(g);
}

ir::Program program(int n, std::vector<ir::Op> ops) {
  ir::Program p;
  p.num_qubits = n;
  p.ops = std::move(ops);
  return p;
}

Unitary unitary(int n, std::vector<ir::Op> ops) { return unitary_of(program(n, std::move(ops))); }

std::size_t dim_of(const Unitary& u) { return std::size_t{1} << unitary_qubits(u); }
C entry(const Unitary& u, std::size_t row, std::size_t col) { return u[col * dim_of(u) + row]; }

std::string error_of(const ir::Program& p) {
  try {
    unitary_of(p);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

// Random angle samples: inexact doubles, exact multiples of pi, and mixtures.
std::vector<ir::Angle> random_angles(std::mt19937& rng, int count) {
  std::uniform_real_distribution<double> real(-4 * kPi, 4 * kPi);
  std::uniform_int_distribution<int> kind(0, 2);
  std::uniform_int_distribution<std::int64_t> num(-15, 15);
  std::uniform_int_distribution<std::int64_t> den(1, 8);
  std::vector<ir::Angle> out;
  for (int i = 0; i < count; ++i) {
    switch (kind(rng)) {
      case 0: out.push_back(rad(real(rng))); break;
      case 1: out.push_back(pi_frac(num(rng), den(rng))); break;
      default: out.push_back(pi_frac(num(rng), den(rng)) + rad(real(rng) / 10)); break;
    }
  }
  return out;
}

std::vector<int> reversed_qubits(int n) {
  std::vector<int> q;
  for (int i = n - 1; i >= 0; --i) q.push_back(i);
  return q;
}

// ---------------------------------------------------------------------------------------------
// Basic matrices and conventions.

TEST(DenseUnitary, LittleEndianAndControlFirst) {
  // cx q0,q1 on |q1=0,q0=1> (index 1) gives |q1=1,q0=1> (index 3); |q0=0,q1=1> (index 2) is fixed.
  Unitary cx = unitary(2, {gate("cx", {0, 1})});
  EXPECT_EQ(entry(cx, 3, 1), C(1));
  EXPECT_EQ(entry(cx, 1, 1), C(0));
  EXPECT_EQ(entry(cx, 2, 2), C(1));
  EXPECT_EQ(entry(cx, 0, 0), C(1));
  EXPECT_EQ(entry(cx, 1, 3), C(1));
  // the reverse orientation differs
  EXPECT_FALSE(equal_up_to_global_phase(cx, unitary(2, {gate("cx", {1, 0})})));
  // gate_unitary uses the same local order: bit 0 = first argument = control
  EXPECT_TRUE(equal_exactly(gate_unitary("cx", {}), cx, kTight));
}

TEST(DenseUnitary, ExplicitEntries) {
  const double r = 1 / std::sqrt(2.0);
  Unitary h = gate_unitary("h", {});
  EXPECT_NEAR(std::abs(entry(h, 1, 1) - C(-r)), 0, kTight);
  Unitary sx = gate_unitary("sx", {});
  EXPECT_NEAR(std::abs(entry(sx, 0, 1) - C(0.5, -0.5)), 0, kTight);
  Unitary y = gate_unitary("y", {});
  EXPECT_NEAR(std::abs(entry(y, 1, 0) - C(0, 1)), 0, kTight);  // Y|0> = i|1>
  // U(θ,φ,λ) entry (0,1) = -e^{iλ} sin(θ/2); (1,0) = e^{iφ} sin(θ/2)
  Unitary u = gate_unitary("U", {0.7, 0.3, -1.1});
  EXPECT_NEAR(std::abs(entry(u, 0, 1) + std::polar(1.0, -1.1) * std::sin(0.35)), 0, kTight);
  EXPECT_NEAR(std::abs(entry(u, 1, 0) - std::polar(1.0, 0.3) * std::sin(0.35)), 0, kTight);
  EXPECT_NEAR(std::abs(entry(u, 1, 1) - std::polar(1.0, 0.3 - 1.1) * std::cos(0.35)), 0, kTight);
  // rz and p
  EXPECT_NEAR(std::abs(entry(gate_unitary("rz", {0.8}), 0, 0) - std::polar(1.0, -0.4)), 0, kTight);
  EXPECT_NEAR(std::abs(entry(gate_unitary("p", {0.8}), 1, 1) - std::polar(1.0, 0.8)), 0, kTight);
  EXPECT_EQ(entry(gate_unitary("p", {0.8}), 0, 0), C(1));
  // ch: |c=1,t=0> (index 1) -> (|1,0> + |1,1>)/√2, control-0 states fixed
  Unitary ch = gate_unitary("ch", {});
  EXPECT_NEAR(std::abs(entry(ch, 1, 1) - r), 0, kTight);
  EXPECT_NEAR(std::abs(entry(ch, 3, 1) - r), 0, kTight);
  EXPECT_NEAR(std::abs(entry(ch, 3, 3) + r), 0, kTight);
  EXPECT_EQ(entry(ch, 2, 2), C(1));
  // rxx(θ)|00> = cos(θ/2)|00> - i sin(θ/2)|11>
  Unitary rxx = gate_unitary("rxx", {0.9});
  EXPECT_NEAR(std::abs(entry(rxx, 0, 0) - std::cos(0.45)), 0, kTight);
  EXPECT_NEAR(std::abs(entry(rxx, 3, 0) - C(0, -std::sin(0.45))), 0, kTight);
  // rzz(θ): |01> gets e^{+iθ/2}, |11> gets e^{-iθ/2}
  Unitary rzz = gate_unitary("rzz", {0.9});
  EXPECT_NEAR(std::abs(entry(rzz, 1, 1) - std::polar(1.0, 0.45)), 0, kTight);
  EXPECT_NEAR(std::abs(entry(rzz, 3, 3) - std::polar(1.0, -0.45)), 0, kTight);
}

TEST(DenseUnitary, EveryGateIsUnitary) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> real(-7, 7);
  for (const auto& spec : ir::all_gates()) {
    const auto shape = known_gate(spec.name);
    ASSERT_TRUE(shape) << spec.name;
    for (int extra = 0; extra <= 1; ++extra) {
      std::vector<double> params;
      for (int i = 0; i < shape->num_params; ++i) params.push_back(real(rng));
      Unitary u = gate_unitary(spec.name, params, extra);
      EXPECT_EQ(unitary_qubits(u), shape->num_qubits + extra) << spec.name;
      EXPECT_TRUE(equal_exactly(multiply(adjoint(u), u), identity_unitary(unitary_qubits(u)), 1e-12)) << spec.name;
    }
  }
}

TEST(DenseUnitary, SingleQubitIdentities) {
  EXPECT_TRUE(equal_exactly(unitary(1, {gate("h", {0}), gate("x", {0}), gate("h", {0})}), unitary(1, {gate("z", {0})}),
                            kTight));
  EXPECT_TRUE(equal_exactly(unitary(1, {gate("s", {0}), gate("s", {0})}), unitary(1, {gate("z", {0})}), kTight));
  EXPECT_TRUE(equal_exactly(unitary(1, {gate("t", {0}), gate("t", {0})}), unitary(1, {gate("s", {0})}), kTight));
  EXPECT_TRUE(equal_exactly(unitary(1, {gate("sx", {0}), gate("sx", {0})}), unitary(1, {gate("x", {0})}), kTight));
  EXPECT_TRUE(equal_exactly(unitary(1, {gate("sx", {0}), gate("sxdg", {0})}), identity_unitary(1), kTight));
  EXPECT_TRUE(equal_exactly(unitary(1, {gate("t", {0}), gate("tdg", {0})}), identity_unitary(1), kTight));
  EXPECT_TRUE(equal_exactly(unitary(1, {gate("s", {0}), gate("sdg", {0})}), identity_unitary(1), kTight));
  // Y = iXZ
  EXPECT_TRUE(equal_exactly(unitary(1, {gate("z", {0}), gate("x", {0}), gphase(pi_frac(1, 2))}),
                            unitary(1, {gate("y", {0})}), kTight));
  // sx = e^{iπ/4} rx(π/2)
  EXPECT_TRUE(equal_exactly(unitary(1, {gate("rx", {0}, {pi_frac(1, 2)}), gphase(pi_frac(1, 4))}),
                            unitary(1, {gate("sx", {0})}), kTight));
  for (double theta : {0.3, -2.1, 5.0}) {
    // rx = H rz H; ry = S rx S†; rx(θ) = U(θ,-π/2,π/2); ry(θ) = U(θ,0,0)
    EXPECT_TRUE(equal_exactly(unitary(1, {gate("h", {0}), gate("rz", {0}, {rad(theta)}), gate("h", {0})}),
                              unitary(1, {gate("rx", {0}, {rad(theta)})}), kTight));
    EXPECT_TRUE(equal_exactly(unitary(1, {gate("sdg", {0}), gate("rx", {0}, {rad(theta)}), gate("s", {0})}),
                              unitary(1, {gate("ry", {0}, {rad(theta)})}), kTight));
    EXPECT_TRUE(equal_exactly(unitary(1, {gate("U", {0}, {rad(theta), pi_frac(-1, 2), pi_frac(1, 2)})}),
                              unitary(1, {gate("rx", {0}, {rad(theta)})}), kTight));
    EXPECT_TRUE(equal_exactly(unitary(1, {gate("U", {0}, {rad(theta), rad(0), rad(0)})}),
                              unitary(1, {gate("ry", {0}, {rad(theta)})}), kTight));
  }
  // identities with a parameter that must be ignored
  EXPECT_TRUE(equal_exactly(unitary(1, {gate("u0", {0}, {rad(1.3)}), gate("id", {0})}), identity_unitary(1), kTight));
  // u2(0,π) = e^{-iπ/2} H
  EXPECT_TRUE(equal_exactly(unitary(1, {gate("u2", {0}, {rad(0), pi_frac(1, 1)}), gphase(pi_frac(1, 2))}),
                            unitary(1, {gate("h", {0})}), kTight));
}

TEST(DenseUnitary, RzAndPDifferOnlyByGlobalPhase) {
  for (double theta : {0.4, 1.9, -3.0}) {
    Unitary rz = unitary(1, {gate("rz", {0}, {rad(theta)})});
    Unitary p = unitary(1, {gate("p", {0}, {rad(theta)})});
    EXPECT_TRUE(equal_up_to_global_phase(rz, p));
    EXPECT_FALSE(equal_exactly(rz, p));
    EXPECT_TRUE(equal_exactly(unitary(1, {gate("p", {0}, {rad(theta)}), gphase(rad(-theta / 2))}), rz, kTight));
  }
}

TEST(DenseUnitary, U3AndUDifferByPhase) {
  const std::vector<ir::Angle> a = {rad(0.9), rad(0.4), rad(1.5)};
  Unitary u3 = unitary(1, {gate("u3", {0}, a)});
  Unitary u = unitary(1, {gate("U", {0}, a)});
  EXPECT_FALSE(equal_exactly(u3, u));
  EXPECT_TRUE(equal_up_to_global_phase(u3, u));
  EXPECT_TRUE(equal_exactly(unitary(1, {gate("U", {0}, a), gphase(rad(-(0.4 + 1.5) / 2))}), u3, kTight));
  EXPECT_TRUE(equal_exactly(unitary(1, {gate("u", {0}, a)}), u3, kTight));
  // u2(φ,λ) = u3(π/2,φ,λ)
  EXPECT_TRUE(equal_exactly(unitary(1, {gate("u2", {0}, {rad(0.4), rad(1.5)})}),
                            unitary(1, {gate("u3", {0}, {pi_frac(1, 2), rad(0.4), rad(1.5)})}), kTight));
}

TEST(DenseUnitary, TwoQubitIdentities) {
  Unitary cx = unitary(2, {gate("cx", {0, 1})});
  EXPECT_TRUE(equal_exactly(unitary(2, {gate("h", {1}), gate("cz", {0, 1}), gate("h", {1})}), cx, kTight));
  EXPECT_TRUE(equal_exactly(unitary(2, {gate("CX", {0, 1})}), cx, kTight));
  EXPECT_TRUE(equal_exactly(unitary(2, {gate("sdg", {1}), gate("cx", {0, 1}), gate("s", {1})}),
                            unitary(2, {gate("cy", {0, 1})}), kTight));
  EXPECT_TRUE(equal_exactly(unitary(2, {gate("cx", {0, 1}), gate("cx", {1, 0}), gate("cx", {0, 1})}),
                            unitary(2, {gate("swap", {0, 1})}), kTight));
  EXPECT_TRUE(equal_exactly(unitary(2, {gate("swap", {1, 0})}), unitary(2, {gate("swap", {0, 1})}), kTight));
  EXPECT_TRUE(equal_exactly(unitary(2, {gate("csx", {0, 1}), gate("csx", {0, 1})}), cx, kTight));
  EXPECT_TRUE(equal_exactly(unitary(2, {gate("cu", {0, 1}, {pi_frac(1, 2), rad(0), pi_frac(1, 1), rad(0)})}),
                            unitary(2, {gate("ch", {0, 1})}), kTight));
  for (double th : {0.35, -1.7, 2.9}) {
    const ir::Angle t = rad(th);
    // rzz = cx · rz · cx, rxx = (h⊗h) rzz (h⊗h), both exactly
    EXPECT_TRUE(equal_exactly(unitary(2, {gate("cx", {0, 1}), gate("rz", {1}, {t}), gate("cx", {0, 1})}),
                              unitary(2, {gate("rzz", {0, 1}, {t})}), kTight));
    EXPECT_TRUE(equal_exactly(unitary(2, {gate("h", {0}), gate("h", {1}), gate("rzz", {0, 1}, {t}), gate("h", {0}),
                                          gate("h", {1})}),
                              unitary(2, {gate("rxx", {0, 1}, {t})}), kTight));
    // controlled rotations as cu
    EXPECT_TRUE(equal_exactly(unitary(2, {gate("cu", {0, 1}, {t, pi_frac(-1, 2), pi_frac(1, 2), rad(0)})}),
                              unitary(2, {gate("crx", {0, 1}, {t})}), kTight));
    EXPECT_TRUE(equal_exactly(unitary(2, {gate("cu", {0, 1}, {t, rad(0), rad(0), rad(0)})}),
                              unitary(2, {gate("cry", {0, 1}, {t})}), kTight));
    EXPECT_TRUE(equal_exactly(unitary(2, {gate("cu", {0, 1}, {rad(0), rad(0), t, rad(-th / 2)})}),
                              unitary(2, {gate("crz", {0, 1}, {t})}), kTight));
    EXPECT_TRUE(equal_exactly(unitary(2, {gate("cu", {0, 1}, {rad(0), rad(0), t, rad(0)})}),
                              unitary(2, {gate("cp", {0, 1}, {t})}), kTight));
    EXPECT_TRUE(equal_exactly(unitary(2, {gate("cu1", {0, 1}, {t})}), unitary(2, {gate("cp", {0, 1}, {t})}), kTight));
    EXPECT_TRUE(
        equal_exactly(unitary(2, {gate("cphase", {0, 1}, {t})}), unitary(2, {gate("cp", {0, 1}, {t})}), kTight));
    // cp is symmetric in its qubits
    EXPECT_TRUE(equal_exactly(unitary(2, {gate("cp", {1, 0}, {t})}), unitary(2, {gate("cp", {0, 1}, {t})}), kTight));
  }
}

TEST(DenseUnitary, CpAndCrzAreNotEqualUpToGlobalPhase) {
  for (double th : {0.5, 2.0, -1.2}) {
    Unitary cp = unitary(2, {gate("cp", {0, 1}, {rad(th)})});
    Unitary crz = unitary(2, {gate("crz", {0, 1}, {rad(th)})});
    EXPECT_FALSE(equal_up_to_global_phase(cp, crz));
    // they differ by p(-θ/2) on the control, a relative (not global) phase
    EXPECT_TRUE(equal_exactly(unitary(2, {gate("cp", {0, 1}, {rad(th)}), gate("p", {0}, {rad(-th / 2)})}), crz, kTight));
  }
}

TEST(DenseUnitary, CuPhaseAndCu3) {
  const ir::Angle th = rad(1.1), ph = rad(-0.6), la = rad(2.3), ga = rad(0.8);
  // cu's γ is a phase on the control's |1> branch, i.e. p(γ) on the control
  EXPECT_TRUE(equal_exactly(unitary(2, {gate("cu", {0, 1}, {th, ph, la, rad(0)}), gate("p", {0}, {ga})}),
                            unitary(2, {gate("cu", {0, 1}, {th, ph, la, ga})}), kTight));
  EXPECT_FALSE(equal_up_to_global_phase(unitary(2, {gate("cu", {0, 1}, {th, ph, la, rad(0)})}),
                                        unitary(2, {gate("cu", {0, 1}, {th, ph, la, ga})})));
  // cu3 is controlled-u3, so it carries the u3 phase on the |1> branch only
  EXPECT_TRUE(equal_exactly(unitary(2, {gate("cu3", {0, 1}, {th, ph, la})}),
                            unitary(2, {gate("cu", {0, 1}, {th, ph, la, rad(-(-0.6 + 2.3) / 2)})}), kTight));
}

TEST(DenseUnitary, MultiQubitGatesOnBasisStates) {
  // ccx, c3x, c4x flip the last qubit iff all the others are 1; cswap swaps the last two iff
  // the first is 1.
  for (const auto& [name, n] : std::vector<std::pair<std::string, int>>{{"ccx", 3}, {"c3x", 4}, {"c4x", 5}}) {
    Unitary u = gate_unitary(name, {});
    const std::size_t dim = std::size_t{1} << n;
    const std::size_t controls = dim / 2 - 1;  // bits 0..n-2
    for (std::size_t x = 0; x < dim; ++x) {
      const std::size_t y = (x & controls) == controls ? x ^ (dim / 2) : x;
      EXPECT_EQ(entry(u, y, x), C(1)) << name << " " << x;
    }
    EXPECT_TRUE(equal_exactly(multiply(u, u), identity_unitary(n), kTight)) << name;
  }
  Unitary cswap = gate_unitary("cswap", {});
  for (std::size_t x = 0; x < 8; ++x) {
    std::size_t y = x;
    if ((x & 1) && (((x >> 1) & 1) != ((x >> 2) & 1))) y = x ^ 6;
    EXPECT_EQ(entry(cswap, y, x), C(1)) << x;
  }
  EXPECT_TRUE(equal_exactly(unitary(3, {gate("cx", {2, 1}), gate("ccx", {0, 1, 2}), gate("cx", {2, 1})}),
                            unitary(3, {gate("cswap", {0, 1, 2})}), kTight));
  // c3sqrtx squared is c3x
  EXPECT_TRUE(equal_exactly(unitary(4, {gate("c3sqrtx", {0, 1, 2, 3}), gate("c3sqrtx", {0, 1, 2, 3})}),
                            unitary(4, {gate("c3x", {0, 1, 2, 3})}), kTight));
  EXPECT_FALSE(equal_up_to_global_phase(unitary(4, {gate("c3sqrtx", {0, 1, 2, 3})}),
                                        unitary(4, {gate("c3x", {0, 1, 2, 3})})));
}

// d = a · b†; true when d is diagonal with unit-modulus entries (returned in `phases`).
bool differ_by_diagonal(const Unitary& a, const Unitary& b, std::vector<C>& phases) {
  Unitary d = multiply(a, adjoint(b));
  const std::size_t dim = dim_of(d);
  phases.clear();
  for (std::size_t c = 0; c < dim; ++c)
    for (std::size_t r = 0; r < dim; ++r) {
      if (r == c) {
        if (std::abs(std::abs(entry(d, r, c)) - 1) > 1e-12) return false;
        phases.push_back(entry(d, r, c));
      } else if (std::abs(entry(d, r, c)) > 1e-12) {
        return false;
      }
    }
  return true;
}

TEST(DenseUnitary, RelativePhaseToffolis) {
  std::vector<C> phases;
  Unitary rccx = gate_unitary("rccx", {});
  ASSERT_TRUE(differ_by_diagonal(rccx, gate_unitary("ccx", {}), phases));
  // a relative phase: not all the same
  EXPECT_FALSE(equal_up_to_global_phase(rccx, gate_unitary("ccx", {})));
  // The Margolus form of rccx (basis states written as binary indices, qubit 0 last): Toffoli
  // except |101> -> -|101>, |011> -> i|111>, |111> -> -i|011>. Here it comes out times -1,
  // because u2(0,π) = e^{-iπ/2} H in these conventions and the body has two of them.
  Unitary margolus(64, 0.0);
  for (std::size_t x : {0, 1, 2, 4, 6}) margolus[x * 8 + x] = 1;
  margolus[5 * 8 + 5] = -1;
  margolus[3 * 8 + 7] = C(0, 1);
  margolus[7 * 8 + 3] = C(0, -1);
  for (C& x : margolus) x = -x;
  EXPECT_TRUE(equal_exactly(rccx, margolus, kTight));

  Unitary rc3x = gate_unitary("rc3x", {});
  ASSERT_TRUE(differ_by_diagonal(rc3x, gate_unitary("c3x", {}), phases));
  EXPECT_FALSE(equal_up_to_global_phase(rc3x, gate_unitary("c3x", {})));
  // four u2(0,π) give (-i)^4 = 1, so no sign here: |0011> -> i|0011>, |1011> -> -i|1011>,
  // |0111> -> -|1111>, |1111> -> |0111>, every other basis state fixed
  Unitary expected = identity_unitary(4);
  expected[3 * 16 + 3] = C(0, 1);
  expected[11 * 16 + 11] = C(0, -1);
  expected[7 * 16 + 7] = 0;
  expected[15 * 16 + 15] = 0;
  expected[7 * 16 + 15] = -1;
  expected[15 * 16 + 7] = 1;
  EXPECT_TRUE(equal_exactly(rc3x, expected, kTight));

  // in a program, the gate's qubit order is honoured
  EXPECT_TRUE(equal_exactly(unitary(3, {gate("rccx", {2, 0, 1})}), permute_qubits(rccx, {2, 0, 1}), kTight));
  EXPECT_TRUE(equal_exactly(unitary(4, {gate("rc3x", {1, 3, 0, 2})}), permute_qubits(rc3x, {1, 3, 0, 2}), kTight));
}

TEST(DenseUnitary, GateOpControls) {
  EXPECT_TRUE(equal_exactly(unitary(2, {gate("x", {0, 1}, {}, 1)}), unitary(2, {gate("cx", {0, 1})}), kTight));
  EXPECT_TRUE(equal_exactly(unitary(3, {gate("x", {2, 0, 1}, {}, 2)}), unitary(3, {gate("ccx", {2, 0, 1})}), kTight));
  EXPECT_TRUE(equal_exactly(unitary(3, {gate("cx", {2, 0, 1}, {}, 1)}), unitary(3, {gate("ccx", {2, 0, 1})}), kTight));
  EXPECT_TRUE(equal_exactly(unitary(4, {gate("sx", {0, 1, 2, 3}, {}, 3)}),
                            unitary(4, {gate("c3sqrtx", {0, 1, 2, 3})}), kTight));
  EXPECT_TRUE(equal_exactly(unitary(3, {gate("swap", {0, 1, 2}, {}, 1)}), unitary(3, {gate("cswap", {0, 1, 2})}),
                            kTight));
  // a controlled U keeps no global phase: controlled (e^{iγ}U) is cu with γ
  EXPECT_TRUE(equal_exactly(unitary(2, {gate("U", {0, 1}, {rad(0.5), rad(0.2), rad(0.1)}, 1)}),
                            unitary(2, {gate("cu", {0, 1}, {rad(0.5), rad(0.2), rad(0.1), rad(0)})}), kTight));
  // x on qubit 2 controlled by qubit 1 leaves control-0 states alone and flips the rest
  Unitary cx_mid = unitary(3, {gate("x", {1, 2}, {}, 1)});
  EXPECT_EQ(entry(cx_mid, 0b001, 0b001), C(1));
  EXPECT_EQ(entry(cx_mid, 0b110, 0b010), C(1));
}

TEST(DenseUnitary, GlobalPhases) {
  ir::Program p = program(1, {gate("x", {0}), gphase(rad(0.3))});
  p.global_phase = rad(0.4);
  Unitary u = unitary_of(p);
  EXPECT_NEAR(std::abs(entry(u, 1, 0) - std::polar(1.0, 0.7)), 0, kTight);
  EXPECT_TRUE(equal_up_to_global_phase(u, gate_unitary("x", {})));
  EXPECT_FALSE(equal_exactly(u, gate_unitary("x", {})));
  // barriers and delays are identities
  ir::BarrierOp b;
  b.qubits = {0};
  ir::DelayOp d;
  d.duration = 10;
  d.unit = "ns";
  d.qubits = {0};
  EXPECT_TRUE(equal_exactly(unitary(1, {ir::Op(b), ir::Op(d)}), identity_unitary(1), 0));
  // empty program on zero qubits is the 1x1 identity
  EXPECT_EQ(unitary_of(program(0, {})).size(), 1u);
}

TEST(DenseUnitary, ComparisonHelpers) {
  Unitary h = gate_unitary("h", {});
  Unitary minus_h = h;
  for (C& x : minus_h) x = -x;
  EXPECT_TRUE(equal_up_to_global_phase(h, minus_h));
  EXPECT_FALSE(equal_exactly(h, minus_h));
  Unitary flipped = h;
  flipped[3] = -flipped[3];
  EXPECT_FALSE(equal_up_to_global_phase(h, flipped));
  EXPECT_FALSE(equal_up_to_global_phase(h, identity_unitary(2)));
  EXPECT_FALSE(equal_exactly(h, identity_unitary(2)));
  Unitary nearly = h;
  nearly[0] += 1e-10;
  EXPECT_TRUE(equal_exactly(h, nearly, 1e-9));
  EXPECT_FALSE(equal_exactly(h, nearly, 1e-11));
  EXPECT_THROW(unitary_qubits(Unitary(3)), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// Qubit permutation and layouts.

TEST(DenseUnitary, PermuteQubitsRelabels) {
  EXPECT_TRUE(equal_exactly(permute_qubits(unitary(2, {gate("cx", {0, 1})}), {1, 0}), unitary(2, {gate("cx", {1, 0})}),
                            kTight));
  std::vector<ir::Op> circuit = {gate("h", {0}),         gate("cx", {0, 2}),   gate("rz", {1}, {rad(0.7)}),
                                 gate("ccx", {1, 2, 0}), gate("t", {2}),       gate("cry", {2, 1}, {rad(-1.3)}),
                                 gate("sx", {1}),        gate("cu", {1, 0}, {rad(0.2), rad(0.3), rad(0.4), rad(0.5)})};
  const std::vector<int> perm = {2, 0, 1};
  std::vector<ir::Op> relabelled;
  for (const ir::Op& op : circuit) {
    ir::GateOp g = std::get<ir::GateOp>(op.v);
    for (int& q : g.qubits) q = perm[static_cast<std::size_t>(q)];
    relabelled.push_back(ir::Op(g));
  }
  Unitary u = unitary(3, circuit);
  Unitary permuted = permute_qubits(u, perm);
  EXPECT_TRUE(equal_exactly(permuted, unitary(3, relabelled), kTight));
  EXPECT_FALSE(equal_up_to_global_phase(permuted, u));
  EXPECT_TRUE(equal_exactly(permute_qubits(permuted, {1, 2, 0}), u, kTight));  // inverse permutation
  EXPECT_TRUE(equal_exactly(permute_qubits(u, {0, 1, 2}), u, 0));
  EXPECT_THROW(permute_qubits(u, {0, 0, 1}), std::invalid_argument);
  EXPECT_THROW(permute_qubits(u, {0, 1}), std::invalid_argument);
  EXPECT_THROW(permute_qubits(u, {0, 1, 3}), std::invalid_argument);
}

TEST(DenseUnitary, EquivalentAfterLayoutPlacement) {
  ir::Program logical = program(2, {gate("h", {0}), gate("cx", {0, 1}), gate("rz", {1}, {rad(0.4)})});
  // logical 0 -> physical 2, logical 1 -> physical 0, physical 1 unused
  ir::Program phys = program(3, {gate("h", {2}), gate("cx", {2, 0}), gate("rz", {0}, {rad(0.4)})});
  phys.initial_layout = {2, 0};
  phys.final_layout = {2, 0};
  EXPECT_TRUE(equivalent_after_layout(logical, phys));
  // final layout defaults to the initial one
  phys.final_layout.clear();
  EXPECT_TRUE(equivalent_after_layout(logical, phys));
  // a global phase is allowed
  phys.global_phase = rad(1.0);
  EXPECT_TRUE(equivalent_after_layout(logical, phys));
  // wrong placement
  phys.initial_layout = {0, 2};
  phys.final_layout = {0, 2};
  EXPECT_FALSE(equivalent_after_layout(logical, phys));
  // identity placement when no layout is given
  EXPECT_TRUE(equivalent_after_layout(logical, logical));
  EXPECT_TRUE(equivalent_after_layout(logical, program(2, {gate("h", {0}), gate("cx", {0, 1}),
                                                           gate("p", {1}, {rad(0.4)}), gphase(rad(-0.2))})));
}

TEST(DenseUnitary, EquivalentAfterLayoutRouting) {
  ir::Program logical = program(3, {gate("h", {0}), gate("cx", {0, 2}), gate("t", {2}), gate("cx", {1, 2})});
  // line 0-1-2: swap 1,2 so logical 2 sits on physical 1, then logical 1 is on physical 2
  ir::Program routed = program(3, {gate("h", {0}), gate("swap", {1, 2}), gate("cx", {0, 1}), gate("t", {1}),
                                   gate("cx", {2, 1})});
  routed.initial_layout = {0, 1, 2};
  routed.final_layout = {0, 2, 1};
  EXPECT_TRUE(equivalent_after_layout(logical, routed));
  // forgetting to record the final permutation is caught
  routed.final_layout = {0, 1, 2};
  EXPECT_FALSE(equivalent_after_layout(logical, routed));
  // as a plain unitary, the routed circuit is the logical one followed by the recorded swap
  routed.final_layout = {0, 2, 1};
  Unitary with_swap = multiply(unitary(3, {gate("swap", {1, 2})}), unitary_of(logical));
  EXPECT_TRUE(equal_exactly(unitary_of(routed), with_swap, kTight));
}

TEST(DenseUnitary, EquivalentAfterLayoutAncillas) {
  ir::Program logical = program(1, {gate("x", {0})});
  ir::Program phys = program(2, {gate("x", {1})});
  phys.initial_layout = {1};
  EXPECT_TRUE(equivalent_after_layout(logical, phys));
  // disturbing the unused qubit is caught
  phys.ops.push_back(gate("x", {0}));
  EXPECT_FALSE(equivalent_after_layout(logical, phys));
  // moving the logical qubit onto the ancilla is fine when the final layout says so
  ir::Program moved = program(2, {gate("x", {1}), gate("swap", {0, 1})});
  moved.initial_layout = {1};
  moved.final_layout = {0};
  EXPECT_TRUE(equivalent_after_layout(logical, moved));
  moved.final_layout = {1};
  EXPECT_FALSE(equivalent_after_layout(logical, moved));
  // a phase that differs between columns (a z on the logical qubit) is not a global phase
  ir::Program zed = program(2, {gate("x", {1}), gate("z", {1})});
  zed.initial_layout = {1};
  EXPECT_FALSE(equivalent_after_layout(logical, zed));
  // an ancilla that starts in |0> may be used as scratch if it is returned to |0>
  ir::Program scratch = program(2, {gate("cx", {1, 0}), gate("x", {1}), gate("cx", {1, 0}), gate("x", {0})});
  scratch.initial_layout = {1};
  // after: cx copies q1 to q0; x q1; cx q1,q0 -> q0 = q1_in ^ ~q1_in = 1; x q0 -> 0
  EXPECT_TRUE(equivalent_after_layout(logical, scratch));
}

TEST(DenseUnitary, EquivalentAfterLayoutRejectsBadLayouts) {
  ir::Program logical = program(2, {gate("cx", {0, 1})});
  ir::Program phys = program(3, {gate("cx", {0, 1})});
  phys.initial_layout = {0};
  EXPECT_THROW(equivalent_after_layout(logical, phys), std::invalid_argument);
  phys.initial_layout = {1, 1};
  EXPECT_THROW(equivalent_after_layout(logical, phys), std::invalid_argument);
  phys.initial_layout = {0, 3};
  EXPECT_THROW(equivalent_after_layout(logical, phys), std::invalid_argument);
  phys.initial_layout = {0, 1};
  phys.final_layout = {2, 2};
  EXPECT_THROW(equivalent_after_layout(logical, phys), std::invalid_argument);
  phys.final_layout = {};
  phys.ops.push_back(ir::Op(ir::MeasureOp{0, 0}));
  EXPECT_THROW(equivalent_after_layout(logical, phys), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// Rejected programs.

TEST(DenseUnitary, RejectsNonUnitaryAndUnknownOps) {
  EXPECT_NE(error_of(program(1, {ir::Op(ir::MeasureOp{0, 0}, 4)})).find("measure at line 4"), std::string::npos);
  EXPECT_NE(error_of(program(1, {ir::Op(ir::ResetOp{0})})).find("reset"), std::string::npos);
  EXPECT_NE(error_of(program(1, {ir::Op(ir::IfOp{})})).find("if"), std::string::npos);
  EXPECT_NE(error_of(program(1, {ir::Op(ir::WhileOp{})})).find("while"), std::string::npos);
  EXPECT_NE(error_of(program(1, {ir::Op(ir::AssignOp{})})).find("assignment"), std::string::npos);
  EXPECT_NE(error_of(program(1, {ir::Op(ir::BreakOp{})})).find("break"), std::string::npos);
  EXPECT_NE(error_of(program(1, {gate("foo", {0})})).find("gate 'foo'"), std::string::npos);
  // an opaque definition has nothing to evaluate
  ir::Program opaque = program(1, {gate("secret", {0})});
  opaque.gate_defs.push_back(ir::GateDefinition{"secret", {}, {"a"}, {}, {}, true});
  EXPECT_NE(error_of(opaque).find("opaque"), std::string::npos);
  // symbolic parameters only make sense inside a definition
  ir::GateOp symbolic;
  symbolic.name = "rz";
  symbolic.qubits = {0};
  symbolic.params = {rad(0)};
  symbolic.param_exprs = {ir::Expr::param(0)};
  EXPECT_NE(error_of(program(1, {ir::Op(symbolic)})).find("symbolic"), std::string::npos);
  // bad operands
  EXPECT_NE(error_of(program(1, {gate("rz", {0})})).find("parameter"), std::string::npos);
  EXPECT_NE(error_of(program(2, {gate("cx", {0})})).find("qubit"), std::string::npos);
  EXPECT_NE(error_of(program(2, {gate("cx", {0, 0})})).find("used twice"), std::string::npos);
  EXPECT_NE(error_of(program(2, {gate("x", {2})})).find("out of range"), std::string::npos);
  EXPECT_NE(error_of(program(2, {gate("x", {0, 1}, {}, 2)})).find("qubit"), std::string::npos);
  EXPECT_NE(error_of(program(2, {gate("x", {0}, {}, -1)})).find("negative"), std::string::npos);
  EXPECT_NE(error_of(program(kMaxUnitaryQubits + 1, {})).find("qubits"), std::string::npos);
  // and a valid program has no error
  EXPECT_EQ(error_of(program(2, {gate("cx", {0, 1})})), "");
  EXPECT_THROW(gate_unitary("nope", {}), std::invalid_argument);
  EXPECT_THROW(gate_unitary("rx", {}), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// Cross-checks of the host gate table (host/ir/gate_set.cpp) against this evaluator.

std::vector<double> radians_of(const std::vector<ir::Angle>& a) {
  std::vector<double> out;
  for (const auto& x : a) out.push_back(x.radians());
  return out;
}

TEST(HostGateTable, EveryGateIsKnownWithTheSameShape) {
  EXPECT_EQ(ir::all_gates().size(), 46u);
  for (const auto& spec : ir::all_gates()) {
    const auto shape = known_gate(spec.name);
    ASSERT_TRUE(shape) << spec.name;
    EXPECT_EQ(shape->num_qubits, spec.num_qubits) << spec.name;
    EXPECT_EQ(shape->num_params, spec.num_params) << spec.name;
    EXPECT_EQ(ir::find_gate(spec.name), &spec);
  }
  EXPECT_EQ(ir::find_gate("rccx")->canonical, false);
  EXPECT_TRUE(ir::is_library_definition("rccx"));
  EXPECT_TRUE(ir::is_library_definition("rc3x"));
  EXPECT_FALSE(ir::is_library_definition("ccx"));
}

TEST(HostGateTable, SingleQubitMatricesMatchExactly) {
  std::mt19937 rng(2024);
  int checked = 0;
  for (const auto& spec : ir::all_gates()) {
    if (spec.num_qubits != 1) continue;
    ++checked;
    for (int trial = 0; trial < 12; ++trial) {
      const std::vector<ir::Angle> params = random_angles(rng, spec.num_params);
      const ir::Matrix2 host = ir::single_qubit_matrix(spec.name, params);  // row-major
      const Unitary mine = gate_unitary(spec.name, radians_of(params));     // column-major
      for (std::size_t r = 0; r < 2; ++r)
        for (std::size_t c = 0; c < 2; ++c)
          EXPECT_LT(std::abs(host[r * 2 + c] - mine[c * 2 + r]), kTight)
              << spec.name << " entry (" << r << "," << c << ") trial " << trial;
    }
  }
  EXPECT_EQ(checked, 22);
  EXPECT_THROW(ir::single_qubit_matrix("cx", {}), std::invalid_argument);
}

// The program applying gate `name` on qubits reversed(0..n-1).
ir::Op host_gate(const std::string& name, const std::vector<ir::Angle>& params, int n) {
  return gate(name, reversed_qubits(n), params);
}

// The program op for a NamedGate result on the same qubits (extra controls lead).
std::vector<ir::Op> named_ops(const ir::NamedGate& g, int n) {
  return {gate(g.name, reversed_qubits(n), g.params, g.extra_controls), gphase(g.global_phase)};
}

TEST(HostGateTable, InverseGateIsTheExactInverse) {
  std::mt19937 rng(99);
  for (const auto& spec : ir::all_gates()) {
    if (ir::is_library_definition(spec.name)) continue;
    const std::string name(spec.name);
    for (int trial = 0; trial < 8; ++trial) {
      const std::vector<ir::Angle> params = random_angles(rng, spec.num_params);
      const ir::NamedGate inv = ir::inverse_gate(name, params);
      std::vector<ir::Op> ops = {host_gate(name, params, spec.num_qubits)};
      for (ir::Op& op : named_ops(inv, spec.num_qubits)) ops.push_back(std::move(op));
      Unitary product;
      ASSERT_NO_THROW(product = unitary(spec.num_qubits, ops)) << name << " -> " << inv.name;
      EXPECT_TRUE(equal_exactly(product, identity_unitary(spec.num_qubits), 1e-10))
          << name << " -> " << inv.name << " (" << inv.extra_controls << " controls, phase "
          << inv.global_phase.to_string() << ") trial " << trial;
    }
  }
}

TEST(HostGateTable, CanonicalGateHasTheSameUnitary) {
  std::mt19937 rng(5);
  for (const auto& spec : ir::all_gates()) {
    if (ir::is_library_definition(spec.name)) continue;
    const std::string name(spec.name);
    for (int trial = 0; trial < 8; ++trial) {
      const std::vector<ir::Angle> params = random_angles(rng, spec.num_params);
      const ir::NamedGate canon = ir::canonical_gate(name, params);
      if (spec.canonical) {
        EXPECT_EQ(canon.name, name);
        EXPECT_EQ(canon.params, params) << name;
        EXPECT_EQ(canon.extra_controls, 0) << name;
        EXPECT_TRUE(canon.global_phase.is_zero()) << name;
      }
      Unitary rewritten;
      ASSERT_NO_THROW(rewritten = unitary(spec.num_qubits, named_ops(canon, spec.num_qubits)))
          << name << " -> " << canon.name;
      EXPECT_TRUE(equal_exactly(unitary(spec.num_qubits, {host_gate(name, params, spec.num_qubits)}), rewritten, 1e-10))
          << name << " -> " << canon.name << " (" << canon.extra_controls << " controls, phase "
          << canon.global_phase.to_string() << ") trial " << trial;
    }
  }
}

TEST(HostGateTable, UnfoldAndFoldControlsPreserveTheUnitary) {
  std::mt19937 rng(31);
  int folded = 0;
  for (const auto& spec : ir::all_gates()) {
    if (ir::is_library_definition(spec.name)) continue;
    const std::string name(spec.name);
    const std::vector<ir::Angle> params = random_angles(rng, spec.num_params);
    const ir::NamedGate base = ir::unfold_controls(name, params);
    EXPECT_TRUE(base.global_phase.is_zero()) << name;
    EXPECT_TRUE(equal_exactly(unitary(spec.num_qubits, {host_gate(name, params, spec.num_qubits)}),
                              unitary(spec.num_qubits, named_ops(base, spec.num_qubits)), 1e-10))
        << name << " -> " << base.name << " with " << base.extra_controls << " controls";
    if (!spec.canonical) continue;
    for (int controls = 0; controls <= 3; ++controls) {
      const int n = spec.num_qubits + controls;
      const auto f = ir::fold_controls(name, params, controls);
      if (!f) continue;
      ++folded;
      EXPECT_TRUE(equal_exactly(unitary(n, {gate(name, reversed_qubits(n), params, controls)}),
                                unitary(n, named_ops(*f, n)), 1e-10))
          << name << " + " << controls << " controls -> " << f->name;
    }
  }
  EXPECT_GT(folded, 10);
  // cu with γ != 0 is not a controlled U (the phase would be lost)
  const std::vector<ir::Angle> cu = {rad(0.1), rad(0.2), rad(0.3), rad(0.4)};
  const ir::NamedGate cu_base = ir::unfold_controls("cu", cu);
  EXPECT_EQ(cu_base.extra_controls, 0);
  EXPECT_TRUE(equal_exactly(unitary(2, {host_gate("cu", cu, 2)}), unitary(2, named_ops(cu_base, 2)), 1e-10));
}

// ---------------------------------------------------------------------------------------------
// The evaluation engine against a naive product of embedded gate matrices.

// The 2^n x 2^n matrix of local matrix `g` (local bit j = qubits[j]) on n qubits, entry by
// entry: <row|G|col> = <row_local|g|col_local> when row and col agree off `qubits`, else 0.
Unitary embed_gate(const Unitary& g, const std::vector<int>& qubits, int n) {
  const std::size_t dim = std::size_t{1} << n;
  const std::size_t d = dim_of(g);
  std::size_t mask = 0;
  for (int q : qubits) mask |= std::size_t{1} << q;
  auto local = [&](std::size_t x) {
    std::size_t out = 0;
    for (std::size_t j = 0; j < qubits.size(); ++j)
      if ((x >> qubits[j]) & 1) out |= std::size_t{1} << j;
    return out;
  };
  Unitary u(dim * dim, 0.0);
  for (std::size_t col = 0; col < dim; ++col)
    for (std::size_t row = 0; row < dim; ++row)
      if ((col & ~mask) == (row & ~mask)) u[col * dim + row] = g[local(col) * d + local(row)];
  return u;
}

TEST(DenseUnitary, FusedEvaluationMatchesNaiveProducts) {
  // Random circuits mixing every gate (dense, diagonal, permutations, controlled), extra
  // controls and global phases: the evaluator fuses single-qubit runs and folds permutation
  // and diagonal runs, which must not change the product.
  std::mt19937 rng(11);
  std::vector<std::string> names;
  for (const auto& spec : ir::all_gates()) names.emplace_back(spec.name);
  for (const char* frequent : {"rz", "cz", "x", "cx", "sx", "p", "swap", "ccx"})
    for (int i = 0; i < 4; ++i) names.emplace_back(frequent);
  std::uniform_int_distribution<std::size_t> pick(0, names.size() - 1);
  std::uniform_real_distribution<double> angle(-7, 7);
  int circuits = 0;
  for (int n : {3, 5, 6}) {
    for (int trial = 0; trial < 6; ++trial) {
      std::vector<ir::Op> ops;
      Unitary expected = identity_unitary(n);
      C phase = 1;
      for (int k = 0; k < 80; ++k) {
        if (k % 17 == 5) {
          const double a = angle(rng);
          ops.push_back(gphase(rad(a)));
          phase *= std::polar(1.0, a);
          continue;
        }
        const std::string& name = names[pick(rng)];
        const GateShape shape = *known_gate(name);
        if (shape.num_qubits > n) continue;
        const int controls = shape.num_qubits < n && rng() % 4 == 0 ? 1 : 0;
        std::vector<int> qubits(static_cast<std::size_t>(n));
        std::iota(qubits.begin(), qubits.end(), 0);
        std::shuffle(qubits.begin(), qubits.end(), rng);
        qubits.resize(static_cast<std::size_t>(shape.num_qubits + controls));
        std::vector<ir::Angle> params;
        std::vector<double> values;
        for (int i = 0; i < shape.num_params; ++i) {
          values.push_back(angle(rng));
          params.push_back(rad(values.back()));
        }
        ops.push_back(gate(name, qubits, params, controls));
        expected = multiply(embed_gate(gate_unitary(name, values, controls), qubits, n), expected);
      }
      for (C& x : expected) x *= phase;
      EXPECT_TRUE(equal_exactly(unitary(n, ops), expected, 1e-10)) << n << " qubits, trial " << trial;
      ++circuits;
    }
  }
  EXPECT_EQ(circuits, 18);
}

// ---------------------------------------------------------------------------------------------
// Matrix powers.

Unitary mat(const std::string& name, std::vector<double> params = {}) { return gate_unitary(name, params); }

TEST(DenseUnitary, IntegerPowersAreExactProducts) {
  EXPECT_TRUE(equal_exactly(matrix_power(mat("s"), 2), mat("z"), kTight));
  EXPECT_TRUE(equal_exactly(matrix_power(mat("t"), -1), mat("tdg"), kTight));
  EXPECT_TRUE(equal_exactly(matrix_power(mat("sx"), 3), mat("sxdg"), kTight));
  EXPECT_TRUE(equal_exactly(matrix_power(mat("h"), 0), identity_unitary(1), 0));
  EXPECT_TRUE(equal_exactly(matrix_power(mat("t"), 8), identity_unitary(1), 1e-12));
  EXPECT_TRUE(equal_exactly(matrix_power(mat("rx", {0.3}), 5), mat("rx", {1.5}), 1e-12));
  EXPECT_TRUE(equal_exactly(matrix_power(mat("rx", {0.3}), -7), mat("rx", {-2.1}), 1e-12));
  // integer powers need no eigendecomposition, so they work on any size
  const Unitary c4x = gate_unitary("c4x", {});
  EXPECT_TRUE(equal_exactly(matrix_power(c4x, 2), identity_unitary(5), 0));
}

TEST(DenseUnitary, FractionalPowersUseThePrincipalBranch) {
  const double pi = kPi;
  // X, Z have eigenvalue -1 = e^{iπ}: their square roots take i there.
  EXPECT_TRUE(equal_exactly(matrix_power(mat("x"), 0.5), mat("sx"), 1e-12));
  EXPECT_TRUE(equal_exactly(matrix_power(mat("z"), 0.5), mat("s"), 1e-12));
  EXPECT_TRUE(equal_exactly(matrix_power(mat("z"), -0.5), mat("sdg"), 1e-12));
  EXPECT_TRUE(equal_exactly(matrix_power(mat("p", {-pi}), 0.5), mat("s"), 1e-12));  // p(-π) is Z
  EXPECT_TRUE(equal_exactly(matrix_power(mat("s"), 0.5), mat("t"), 1e-12));
  EXPECT_TRUE(equal_exactly(matrix_power(mat("t"), 0.5), mat("p", {pi / 8}), 1e-12));
  EXPECT_TRUE(equal_exactly(matrix_power(mat("rz", {1.2}), 0.5), mat("rz", {0.6}), 1e-12));
  // sx has eigenvalues 1 (on |+>) and i (on |->): its root is H p(π/4) H
  EXPECT_TRUE(equal_exactly(matrix_power(mat("sx"), 0.5),
                            unitary(1, {gate("h", {0}), gate("p", {0}, {pi_frac(1, 4)}), gate("h", {0})}), 1e-12));
  // rz(3π) = diag(i, -i): the principal root is rz(-π/2), not rz(3π/2) (which is -1 times it)
  EXPECT_TRUE(equal_exactly(matrix_power(mat("rz", {3 * pi}), 0.5), mat("rz", {-pi / 2}), 1e-12));
  EXPECT_FALSE(equal_exactly(matrix_power(mat("rz", {3 * pi}), 0.5), mat("rz", {3 * pi / 2}), 1e-6));
  // degenerate eigenvalues: controlled gates keep their control-0 block
  EXPECT_TRUE(equal_exactly(matrix_power(gate_unitary("cx", {}), 0.5), gate_unitary("csx", {}), 1e-12));
  EXPECT_TRUE(equal_exactly(matrix_power(gate_unitary("ccx", {}), 0.5), gate_unitary("sx", {}, 2), 1e-12));
  EXPECT_TRUE(equal_exactly(matrix_power(gate_unitary("cz", {}), 0.5), gate_unitary("cp", {pi / 2}), 1e-12));
  // √SWAP = (1+i)/2 I + (1-i)/2 SWAP (triplet eigenvalue 1, singlet -1 -> i)
  Unitary root_swap = identity_unitary(2);
  const Unitary swap = gate_unitary("swap", {});
  for (std::size_t i = 0; i < root_swap.size(); ++i) root_swap[i] = C(0.5, 0.5) * root_swap[i] + C(0.5, -0.5) * swap[i];
  EXPECT_TRUE(equal_exactly(matrix_power(swap, 0.5), root_swap, 1e-12));
}

TEST(DenseUnitary, FractionalPowersOfRandomUnitaries) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> angle(-4, 4);
  const std::vector<std::string> pool = {"U", "cx", "rzz", "ch", "cu", "rxx", "swap", "cry"};
  for (int n = 1; n <= 3; ++n) {
    for (int trial = 0; trial < 5; ++trial) {
      std::vector<ir::Op> ops;
      for (int k = 0; k < 12; ++k) {
        const std::string& name = pool[rng() % pool.size()];
        const GateShape shape = *known_gate(name);
        if (shape.num_qubits > n) continue;
        std::vector<int> qubits(static_cast<std::size_t>(n));
        std::iota(qubits.begin(), qubits.end(), 0);
        std::shuffle(qubits.begin(), qubits.end(), rng);
        qubits.resize(static_cast<std::size_t>(shape.num_qubits));
        std::vector<ir::Angle> params;
        for (int i = 0; i < shape.num_params; ++i) params.push_back(rad(angle(rng)));
        ops.push_back(gate(name, qubits, params));
      }
      const Unitary u = unitary(n, ops);
      const Unitary half = matrix_power(u, 0.5);
      const std::string what = std::to_string(n) + " qubits, trial " + std::to_string(trial);
      EXPECT_TRUE(equal_exactly(multiply(adjoint(half), half), identity_unitary(n), 1e-10)) << what;
      EXPECT_TRUE(equal_exactly(multiply(half, half), u, 1e-10)) << what;
      const Unitary third = matrix_power(u, 1.0 / 3);
      EXPECT_TRUE(equal_exactly(multiply(third, multiply(third, third)), u, 1e-10)) << what;
      // principal powers share one eigenbasis: U^a U^b = U^(a+b), U^-a = (U^a)†
      EXPECT_TRUE(equal_exactly(multiply(matrix_power(u, 0.3), matrix_power(u, 0.4)), matrix_power(u, 0.7), 1e-10))
          << what;
      EXPECT_TRUE(equal_exactly(matrix_power(u, -0.5), adjoint(half), 1e-10)) << what;
      EXPECT_TRUE(equal_exactly(matrix_power(u, 2.0), multiply(u, u), 1e-10)) << what;
    }
  }
}

TEST(DenseUnitary, MatrixPowerRejects) {
  EXPECT_THROW(matrix_power(mat("x"), std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
  EXPECT_THROW(matrix_power(mat("x"), std::numeric_limits<double>::infinity()), std::invalid_argument);
  EXPECT_THROW(matrix_power(identity_unitary(kMaxFractionalPowerQubits + 1), 0.5), std::invalid_argument);
  EXPECT_NO_THROW(matrix_power(identity_unitary(kMaxFractionalPowerQubits + 1), 3));
  Unitary not_unitary = identity_unitary(1);
  not_unitary[0] = 2;
  EXPECT_THROW(matrix_power(not_unitary, 0.5), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// Programs straight out of the parse pass: modifiers, gphase, user definitions.

ir::Program parse(const std::string& body, int qubits = 3) {
  return passes::run_parse("OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[" + std::to_string(qubits) + "] q;\n" +
                               body + "\n",
                           "test.qasm");
}
Unitary parsed(const std::string& body, int qubits = 3) { return unitary_of(parse(body, qubits)); }

TEST(DenseUnitary, ParsedProgramsKeepModifiersAndDefinitions) {
  // the evaluator sees the parse pass's output itself, not an inlined copy
  const ir::Program p = parse("gate g a { x a; }\nctrl @ g q[0], q[1];\ninv @ s q[2];");
  ASSERT_EQ(p.gate_defs.size(), 1u);
  ASSERT_EQ(p.ops.size(), 2u);
  EXPECT_EQ(std::get<ir::GateOp>(p.ops[0].v).modifiers.size(), 1u);
  EXPECT_TRUE(equal_exactly(unitary_of(p), unitary(3, {gate("cx", {0, 1}), gate("sdg", {2})}), kTight));
}

TEST(DenseUnitary, CtrlNegctrlAndInv) {
  const ir::Angle half_pi = pi_frac(1, 2);
  EXPECT_TRUE(equal_exactly(parsed("ctrl @ s q[0], q[1];", 2), unitary(2, {gate("cp", {0, 1}, {half_pi})}), kTight));
  EXPECT_TRUE(equal_exactly(parsed("negctrl @ x q[0], q[1];", 2),
                            unitary(2, {gate("x", {0}), gate("cx", {0, 1}), gate("x", {0})}), kTight));
  EXPECT_FALSE(equal_up_to_global_phase(parsed("negctrl @ x q[0], q[1];", 2), unitary(2, {gate("cx", {0, 1})})));
  // ctrl @ inv @ s = inv @ ctrl @ s = controlled sdg
  const Unitary csdg = unitary(2, {gate("cp", {1, 0}, {pi_frac(-1, 2)})});
  EXPECT_TRUE(equal_exactly(parsed("ctrl @ inv @ s q[1], q[0];", 2), csdg, kTight));
  EXPECT_TRUE(equal_exactly(parsed("inv @ ctrl @ s q[1], q[0];", 2), csdg, kTight));
  EXPECT_TRUE(equal_exactly(parsed("inv @ t q[1];", 2), unitary(2, {gate("tdg", {1})}), kTight));
  EXPECT_TRUE(equal_exactly(parsed("inv @ inv @ sx q[1];", 2), unitary(2, {gate("sx", {1})}), kTight));
  // several controls, and the order of the leading qubits
  EXPECT_TRUE(equal_exactly(parsed("ctrl(2) @ x q[2], q[0], q[1];"), unitary(3, {gate("ccx", {2, 0, 1})}), kTight));
  EXPECT_TRUE(equal_exactly(parsed("ctrl @ ctrl @ x q[2], q[0], q[1];"), unitary(3, {gate("ccx", {2, 0, 1})}), kTight));
  EXPECT_TRUE(equal_exactly(parsed("negctrl(2) @ z q[0], q[1], q[2];"),
                            unitary(3, {gate("x", {0}), gate("x", {1}), gate("z", {0, 1, 2}, {}, 2), gate("x", {0}),
                                        gate("x", {1})}),
                            kTight));
  // ctrl @ negctrl @ h a, b, c: a must be |1>, b must be |0>; the other way round differs
  const Unitary pos_neg = parsed("ctrl @ negctrl @ h q[0], q[1], q[2];");
  EXPECT_TRUE(equal_exactly(pos_neg, unitary(3, {gate("x", {1}), gate("h", {0, 1, 2}, {}, 2), gate("x", {1})}), kTight));
  const Unitary neg_pos = parsed("negctrl @ ctrl @ h q[0], q[1], q[2];");
  EXPECT_TRUE(equal_exactly(neg_pos, unitary(3, {gate("x", {0}), gate("h", {0, 1, 2}, {}, 2), gate("x", {0})}), kTight));
  EXPECT_FALSE(equal_up_to_global_phase(pos_neg, neg_pos));
  // a modifier on a gate that has controls of its own: its controls follow the modifier's
  EXPECT_TRUE(equal_exactly(parsed("negctrl @ cx q[2], q[0], q[1];"),
                            unitary(3, {gate("x", {2}), gate("ccx", {2, 0, 1}), gate("x", {2})}), kTight));
  // controlled U keeps U's phase on the control's |1> branch: ctrl @ u3 differs from ctrl @ U
  EXPECT_TRUE(equal_exactly(parsed("ctrl @ u3(0.5, 0.2, 0.1) q[0], q[1];", 2),
                            unitary(2, {gate("cu3", {0, 1}, {rad(0.5), rad(0.2), rad(0.1)})}), kTight));
  EXPECT_FALSE(equal_up_to_global_phase(parsed("ctrl @ u3(0.5, 0.2, 0.1) q[0], q[1];", 2),
                                        parsed("ctrl @ U(0.5, 0.2, 0.1) q[0], q[1];", 2)));
}

TEST(DenseUnitary, PowModifier) {
  EXPECT_TRUE(equal_exactly(parsed("pow(0.5) @ s q[0];", 1), unitary(1, {gate("t", {0})}), 1e-12));
  EXPECT_TRUE(equal_exactly(parsed("pow(0.5) @ t q[0];", 1), unitary(1, {gate("p", {0}, {pi_frac(1, 8)})}), 1e-12));
  EXPECT_TRUE(equal_exactly(parsed("pow(0.5) @ x q[0];", 1), unitary(1, {gate("sx", {0})}), 1e-12));
  EXPECT_TRUE(equal_exactly(parsed("pow(-0.5) @ z q[0];", 1), unitary(1, {gate("sdg", {0})}), 1e-12));
  EXPECT_TRUE(equal_exactly(parsed("pow(0.5) @ rz(3 * pi) q[0];", 1), unitary(1, {gate("rz", {0}, {pi_frac(-1, 2)})}),
                            1e-12));
  EXPECT_TRUE(equal_exactly(parsed("pow(0.5) @ sx q[0];", 1),
                            unitary(1, {gate("h", {0}), gate("p", {0}, {pi_frac(1, 4)}), gate("h", {0})}), 1e-12));
  EXPECT_TRUE(equal_exactly(parsed("pow(2) @ t q[0];", 1), unitary(1, {gate("s", {0})}), 1e-12));
  EXPECT_TRUE(equal_exactly(parsed("pow(3) @ sx q[0];", 1), unitary(1, {gate("sxdg", {0})}), 1e-12));
  EXPECT_TRUE(equal_exactly(parsed("pow(-1) @ s q[0];", 1), unitary(1, {gate("sdg", {0})}), 1e-12));
  EXPECT_TRUE(equal_exactly(parsed("pow(0) @ h q[0];", 1), identity_unitary(1), 0));
  // inv and pow in either order; ctrl outside
  EXPECT_TRUE(equal_exactly(parsed("inv @ pow(0.5) @ x q[0];", 1), unitary(1, {gate("sxdg", {0})}), 1e-12));
  EXPECT_TRUE(equal_exactly(parsed("pow(0.5) @ inv @ x q[0];", 1), unitary(1, {gate("sx", {0})}), 1e-12));
  EXPECT_TRUE(equal_exactly(parsed("ctrl @ pow(0.5) @ x q[1], q[0];", 2), unitary(2, {gate("csx", {1, 0})}), 1e-12));
  // ctrl @ inv @ pow(0.25) @ x: X^(1/4) = H p(π/4) H, so this is H cp(-π/4) H on the target
  EXPECT_TRUE(equal_exactly(parsed("ctrl @ inv @ pow(0.25) @ x q[0], q[1];", 2),
                            unitary(2, {gate("h", {1}), gate("cp", {0, 1}, {pi_frac(-1, 4)}), gate("h", {1})}), 1e-12));
  // pow of a gate with its own controls acts on the controlled block only
  EXPECT_TRUE(equal_exactly(parsed("pow(0.5) @ cx q[0], q[1];", 2), unitary(2, {gate("csx", {0, 1})}), 1e-12));
  EXPECT_TRUE(equal_exactly(parsed("pow(0.5) @ ccx q[2], q[1], q[0];"), unitary(3, {gate("sx", {2, 1, 0}, {}, 2)}),
                            1e-12));
  // the same modifiers built by hand, with no parser: ctrl @ pow(0.5) @ x on q1, q0
  ir::GateOp g;
  g.name = "x";
  g.qubits = {1, 0};
  g.modifiers.push_back(ir::Modifier{ir::Modifier::Kind::kCtrl, 1, nullptr});
  g.modifiers.push_back(ir::Modifier{ir::Modifier::Kind::kPow, 1, ir::Expr::real(rad(0.5))});
  EXPECT_TRUE(equal_exactly(unitary(2, {ir::Op(g)}), unitary(2, {gate("csx", {1, 0})}), 1e-12));
  g.modifiers[1].exponent = ir::Expr::integer(-1);
  EXPECT_TRUE(equal_exactly(unitary(2, {ir::Op(g)}), unitary(2, {gate("cx", {1, 0})}), 1e-12));
}

TEST(DenseUnitary, GphaseGate) {
  const Unitary top = parsed("gphase(0.3);", 1);
  EXPECT_TRUE(equal_exactly(top, unitary(1, {gphase(rad(0.3))}), kTight));
  EXPECT_NEAR(std::abs(entry(top, 0, 0) - std::polar(1.0, 0.3)), 0, kTight);
  EXPECT_TRUE(equal_exactly(parsed("ctrl @ gphase(0.7) q[0];", 1), unitary(1, {gate("p", {0}, {rad(0.7)})}), kTight));
  EXPECT_TRUE(
      equal_exactly(parsed("ctrl(2) @ gphase(0.7) q[1], q[0];", 2), unitary(2, {gate("cp", {0, 1}, {rad(0.7)})}), kTight));
  EXPECT_TRUE(equal_exactly(parsed("negctrl @ gphase(0.7) q[1];", 2),
                            unitary(2, {gate("x", {1}), gate("p", {1}, {rad(0.7)}), gate("x", {1})}), kTight));
  EXPECT_TRUE(equal_exactly(parsed("ctrl @ negctrl @ gphase(0.7) q[0], q[1];", 2),
                            unitary(2, {gate("x", {1}), gate("cp", {0, 1}, {rad(0.7)}), gate("x", {1})}), kTight));
  EXPECT_TRUE(equal_exactly(parsed("ctrl @ inv @ gphase(0.7) q[0];", 1), unitary(1, {gate("p", {0}, {rad(-0.7)})}),
                            kTight));
  EXPECT_TRUE(equal_exactly(parsed("ctrl @ pow(2) @ gphase(0.7) q[0];", 1), unitary(1, {gate("p", {0}, {rad(1.4)})}),
                            kTight));
  // the GateOp form with no qubits at all is a global phase
  ir::GateOp g;
  g.name = "gphase";
  g.params = {rad(0.5)};
  EXPECT_TRUE(equal_exactly(unitary(1, {ir::Op(g)}), unitary(1, {gphase(rad(0.5))}), kTight));
  g.params = {};
  EXPECT_NE(error_of(program(1, {ir::Op(g)})).find("gphase takes 1 parameter"), std::string::npos);
}

TEST(DenseUnitary, DefinitionsWithParameters) {
  const std::string rot = "gate rot(a, b) r { rz(a) r; ry(b / 2) r; rz(-a) r; }\n";
  EXPECT_TRUE(equal_exactly(parsed(rot + "rot(0.3, 0.8) q[1];", 2),
                            unitary(2, {gate("rz", {1}, {rad(0.3)}), gate("ry", {1}, {rad(0.4)}),
                                        gate("rz", {1}, {rad(-0.3)})}),
                            kTight));
  // nested definitions, qubit arguments in a different order, inv of a definition
  const std::string outer = rot + "gate outer(t) a, b { rot(t, 2 * t) b; cx a, b; inv @ rot(t, t) a; }\n";
  EXPECT_TRUE(equal_exactly(parsed(outer + "outer(0.5) q[1], q[0];", 2),
                            unitary(2, {gate("rz", {0}, {rad(0.5)}), gate("ry", {0}, {rad(0.5)}),
                                        gate("rz", {0}, {rad(-0.5)}), gate("cx", {1, 0}), gate("rz", {1}, {rad(0.5)}),
                                        gate("ry", {1}, {rad(-0.25)}), gate("rz", {1}, {rad(-0.5)})}),
                            kTight));
  // ctrl of a definition controls every gate of its body
  EXPECT_TRUE(equal_exactly(parsed(outer + "ctrl @ outer(0.5) q[2], q[1], q[0];"),
                            unitary(3, {gate("rz", {2, 0}, {rad(0.5)}, 1), gate("ry", {2, 0}, {rad(0.5)}, 1),
                                        gate("rz", {2, 0}, {rad(-0.5)}, 1), gate("ccx", {2, 1, 0}),
                                        gate("rz", {2, 1}, {rad(0.5)}, 1), gate("ry", {2, 1}, {rad(-0.25)}, 1),
                                        gate("rz", {2, 1}, {rad(-0.5)}, 1)}),
                            kTight));
  // parameter expressions with functions
  EXPECT_TRUE(equal_exactly(parsed("gate e(a) r { rx(sin(a)) r; rz(a * 2) r; }\ne(0.7) q[0];", 1),
                            unitary(1, {gate("rx", {0}, {rad(std::sin(0.7))}), gate("rz", {0}, {rad(1.4)})}), 1e-12));
  // a global phase in a body is a relative phase once the gate is controlled
  const std::string g = "gate g(a) r { gphase(a); x r; }\n";
  EXPECT_TRUE(equal_exactly(parsed(g + "g(0.4) q[0];", 1), unitary(1, {gate("x", {0}), gphase(rad(0.4))}), kTight));
  EXPECT_TRUE(equal_exactly(parsed(g + "ctrl @ g(0.4) q[0], q[1];", 2),
                            unitary(2, {gate("cx", {0, 1}), gate("p", {0}, {rad(0.4)})}), kTight));
  // (e^{iπ} X)^(1/2): -X has eigenvalue -1 on |+> and 1 on |->, so the root is i on |+>
  EXPECT_TRUE(equal_exactly(parsed(g + "pow(0.5) @ g(pi) q[0];", 1),
                            unitary(1, {gate("h", {0}), gate("x", {0}), gate("p", {0}, {pi_frac(1, 2)}), gate("x", {0}),
                                        gate("h", {0})}),
                            1e-12));
  // ctrl @ gphase inside a body
  EXPECT_TRUE(equal_exactly(parsed("gate h2 r { ctrl @ gphase(pi / 2) r; }\nh2 q[0];", 1),
                            unitary(1, {gate("s", {0})}), kTight));
  // a pow exponent inside a body is evaluated with the definition's parameters
  const std::string f = "gate f(k) r { pow(k) @ x r; }\n";
  EXPECT_TRUE(equal_exactly(parsed(f + "f(0.5) q[0];", 1), unitary(1, {gate("sx", {0})}), 1e-12));
  EXPECT_TRUE(equal_exactly(parsed(f + "ctrl @ f(0.25) q[1], q[0];", 2),
                            unitary(2, {gate("h", {0}), gate("cp", {1, 0}, {pi_frac(1, 4)}), gate("h", {0})}), 1e-12));
  // pow of a multi-gate definition: the power of its whole unitary
  EXPECT_TRUE(equal_exactly(parsed("gate mycx a, b { cx a, b; }\npow(0.5) @ mycx q[0], q[1];", 2),
                            unitary(2, {gate("csx", {0, 1})}), 1e-12));
  EXPECT_TRUE(equal_exactly(parsed("gate bell a, b { h a; cx a, b; }\npow(2) @ bell q[1], q[0];", 2),
                            unitary(2, {gate("h", {1}), gate("cx", {1, 0}), gate("h", {1}), gate("cx", {1, 0})}),
                            kTight));
}

TEST(DenseUnitary, HandBuiltDefinitions) {
  // def(a) r { gphase(-a); rz(a) r; } = e^{-ia} rz(a), with symbolic parameters as the parse
  // pass writes them
  ir::GateDefinition def;
  def.name = "d";
  def.param_names = {"a"};
  def.qubit_names = {"r"};
  def.body.push_back(ir::Op(ir::GlobalPhaseOp{}));
  def.phase_exprs.push_back(ir::Expr::unary("-", ir::Expr::param(0)));
  ir::GateOp body;
  body.name = "rz";
  body.qubits = {0};
  body.param_exprs = {ir::Expr::param(0)};
  def.body.push_back(ir::Op(body));
  ir::Program p = program(2, {gate("d", {1}, {rad(0.9)})});
  p.gate_defs.push_back(def);
  EXPECT_TRUE(
      equal_exactly(unitary_of(p), unitary(2, {gate("rz", {1}, {rad(0.9)}), gphase(rad(-0.9))}), kTight));
  // with a control the phase shows
  p.ops = {gate("d", {0, 1}, {rad(0.9)}, 1)};
  EXPECT_TRUE(equal_exactly(unitary_of(p), unitary(2, {gate("crz", {0, 1}, {rad(0.9)}), gate("p", {0}, {rad(-0.9)})}),
                            kTight));
  // wrong number of parameters or qubits
  p.ops = {gate("d", {1})};
  EXPECT_NE(error_of(p).find("takes 1 parameter"), std::string::npos);
  p.ops = {gate("d", {0, 1}, {rad(0.9)})};
  EXPECT_NE(error_of(p).find("expects 1 qubit"), std::string::npos);
  // a user definition takes precedence over a built-in of the same name (here: cx as nothing)
  ir::Program shadow = program(2, {gate("cx", {0, 1})});
  shadow.gate_defs.push_back(ir::GateDefinition{"cx", {}, {"a", "b"}, {}, {}, false});
  EXPECT_TRUE(equal_exactly(unitary_of(shadow), identity_unitary(2), 0));
  // a definition that uses itself never ends
  ir::GateDefinition loop{"loop", {}, {"a"}, {}, {}, false};
  loop.body.push_back(gate("loop", {0}));
  ir::Program recursive = program(1, {gate("loop", {0})});
  recursive.gate_defs.push_back(loop);
  EXPECT_NE(error_of(recursive).find("nested"), std::string::npos);
  // a body op on a qubit the definition does not have
  ir::GateDefinition bad{"bad", {}, {"a"}, {}, {}, false};
  bad.body.push_back(gate("x", {1}));
  ir::Program bad_program = program(2, {gate("bad", {0})});
  bad_program.gate_defs.push_back(bad);
  EXPECT_NE(error_of(bad_program).find("in the body of gate 'bad'"), std::string::npos);
  // a non-integer power of a definition over kMaxFractionalPowerQubits qubits is refused
  ir::GateDefinition wide{"wide", {}, {}, {}, {}, false};
  for (int q = 0; q <= kMaxFractionalPowerQubits; ++q) {
    wide.qubit_names.push_back("a" + std::to_string(q));
    wide.body.push_back(gate("h", {q}));
  }
  std::vector<int> all(static_cast<std::size_t>(kMaxFractionalPowerQubits + 1));
  std::iota(all.begin(), all.end(), 0);
  ir::GateOp wide_pow;
  wide_pow.name = "wide";
  wide_pow.qubits = all;
  wide_pow.modifiers.push_back(ir::Modifier{ir::Modifier::Kind::kPow, 1, ir::Expr::real(rad(0.5))});
  ir::Program wide_program = program(kMaxFractionalPowerQubits + 1, {ir::Op(wide_pow)});
  wide_program.gate_defs.push_back(wide);
  EXPECT_NE(error_of(wide_program).find("non-integer power"), std::string::npos);
  wide_program.ops = {ir::Op(wide_pow)};
  std::get<ir::GateOp>(wide_program.ops[0].v).modifiers[0].exponent = ir::Expr::integer(2);
  EXPECT_TRUE(equal_exactly(unitary_of(wide_program), identity_unitary(kMaxFractionalPowerQubits + 1), 1e-12));
}

// ---------------------------------------------------------------------------------------------
// Terminal measurements.

TEST(DenseUnitary, WithoutTerminalMeasurements) {
  ir::BarrierOp barrier;
  barrier.qubits = {0, 1};
  ir::Program p = program(2, {gate("h", {0}), gate("cx", {0, 1}), ir::Op(ir::MeasureOp{0, 0}), ir::Op(barrier),
                              ir::Op(ir::MeasureOp{1, 1}), ir::Op(ir::MeasureOp{0, 1}), gphase(rad(0.2))});
  const ir::Program stripped = without_terminal_measurements(p);
  ASSERT_EQ(stripped.ops.size(), 3u);
  EXPECT_TRUE(equal_exactly(unitary_of(stripped), unitary(2, {gate("h", {0}), gate("cx", {0, 1}), gphase(rad(0.2))}),
                            kTight));
  // a gate after a measurement of one of its qubits is a mid-circuit measurement
  p.ops.push_back(gate("cx", {1, 0}));
  try {
    without_terminal_measurements(p);
    ADD_FAILURE() << "mid-circuit measurement not detected";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("after it was measured"), std::string::npos) << e.what();
  }
  // a swap moves the measured qubit: measuring before it is measuring its new place after it
  ir::Program routed = program(3, {ir::Op(ir::MeasureOp{0, 0}), gate("swap", {0, 2}), gate("h", {0})});
  const ir::Program kept = without_terminal_measurements(routed);
  EXPECT_TRUE(equal_exactly(unitary_of(kept), unitary(3, {gate("swap", {0, 2}), gate("h", {0})}), kTight));
  routed.ops.push_back(gate("h", {2}));
  EXPECT_THROW(without_terminal_measurements(routed), std::invalid_argument);
  // ... but a controlled swap is a gate like any other
  ir::Program cswap = program(3, {ir::Op(ir::MeasureOp{0, 0}), gate("swap", {1, 0, 2}, {}, 1)});
  EXPECT_THROW(without_terminal_measurements(cswap), std::invalid_argument);
  EXPECT_THROW(without_terminal_measurements(program(1, {ir::Op(ir::ResetOp{0})})), std::invalid_argument);
  EXPECT_THROW(without_terminal_measurements(program(1, {ir::Op(ir::IfOp{})})), std::invalid_argument);
  EXPECT_THROW(without_terminal_measurements(program(1, {ir::Op(ir::MeasureOp{3, 0})})), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// Layout equivalence with routing swaps, on the logical shortcut and in full simulation.

struct Routed {
  ir::Program logical;
  ir::Program physical;
};

// A random logical circuit on nl qubits and a physical version on np qubits: a random
// placement, random swaps (ancillas included) with every later gate renamed accordingly, and
// optionally an ancilla borrowed as scratch and returned to |0> (so the shortcut cannot apply).
Routed random_routed(std::mt19937& rng, int nl, int np, bool scratch) {
  std::uniform_real_distribution<double> angle(-3, 3);
  const std::vector<std::string> pool = {"h", "rz", "sx", "cx", "cz", "ry", "ccx", "cp", "t"};
  std::vector<int> perm(static_cast<std::size_t>(np));
  std::iota(perm.begin(), perm.end(), 0);
  std::shuffle(perm.begin(), perm.end(), rng);
  std::vector<int> where(perm.begin(), perm.begin() + nl);  // logical -> physical, kept current
  Routed r;
  r.logical = program(nl, {});
  r.physical = program(np, {});
  r.physical.initial_layout = where;
  std::vector<int> holder(static_cast<std::size_t>(np), -1);  // physical -> logical
  for (int q = 0; q < nl; ++q) holder[static_cast<std::size_t>(where[static_cast<std::size_t>(q)])] = q;
  bool borrowed = false;
  for (int k = 0; k < 40; ++k) {
    if (rng() % 4 == 0) {
      const int a = static_cast<int>(rng() % static_cast<unsigned>(np));
      const int b = static_cast<int>(rng() % static_cast<unsigned>(np));
      if (a == b) continue;
      r.physical.ops.push_back(gate("swap", {a, b}));
      std::swap(holder[static_cast<std::size_t>(a)], holder[static_cast<std::size_t>(b)]);
      for (int q = 0; q < np; ++q)
        if (holder[static_cast<std::size_t>(q)] >= 0) where[static_cast<std::size_t>(holder[static_cast<std::size_t>(q)])] = q;
      continue;
    }
    const std::string& name = pool[rng() % pool.size()];
    const GateShape shape = *known_gate(name);
    if (shape.num_qubits > nl) continue;
    std::vector<int> qubits(static_cast<std::size_t>(nl));
    std::iota(qubits.begin(), qubits.end(), 0);
    std::shuffle(qubits.begin(), qubits.end(), rng);
    qubits.resize(static_cast<std::size_t>(shape.num_qubits));
    std::vector<ir::Angle> params;
    for (int i = 0; i < shape.num_params; ++i) params.push_back(rad(angle(rng)));
    std::vector<int> placed;
    for (int q : qubits) placed.push_back(where[static_cast<std::size_t>(q)]);
    r.logical.ops.push_back(gate(name, qubits, params));
    r.physical.ops.push_back(gate(name, placed, params));
    if (scratch && !borrowed && k >= 20) {
      borrowed = true;
      // copy a logical qubit onto a free ancilla and uncompute it
      for (int q = 0; q < np; ++q)
        if (holder[static_cast<std::size_t>(q)] < 0) {
          // the copy has the bit of logical qubit 0, so rz on it is rz on that qubit
          r.physical.ops.push_back(gate("cx", {where[0], q}));
          r.physical.ops.push_back(gate("rz", {q}, {rad(0.3)}));
          r.physical.ops.push_back(gate("cx", {where[0], q}));
          r.logical.ops.push_back(gate("rz", {0}, {rad(0.3)}));
          break;
        }
    }
  }
  r.physical.final_layout = where;
  return r;
}

TEST(DenseUnitary, EquivalentAfterLayoutWithRandomRouting) {
  std::mt19937 rng(21);
  int checked = 0;
  for (const bool scratch : {false, true}) {
    for (int trial = 0; trial < 8; ++trial) {
      Routed r = random_routed(rng, 4, 7, scratch);
      const std::string what = std::string(scratch ? "scratch" : "plain") + " trial " + std::to_string(trial);
      ASSERT_TRUE(equivalent_after_layout(r.logical, r.physical)) << what;
      // the same through a precomputed logical unitary
      EXPECT_TRUE(equivalent_after_layout(unitary_of(r.logical), r.physical)) << what;
      // an extra gate, an unrecorded swap or a wrong final layout is caught
      Routed changed = r;
      changed.physical.ops.push_back(gate("t", {changed.physical.final_layout[0]}));
      EXPECT_FALSE(equivalent_after_layout(changed.logical, changed.physical)) << what;
      Routed unrecorded = r;
      unrecorded.physical.ops.push_back(
          gate("swap", {unrecorded.physical.final_layout[0], unrecorded.physical.final_layout[1]}));
      EXPECT_FALSE(equivalent_after_layout(unrecorded.logical, unrecorded.physical)) << what;
      Routed misplaced = r;
      std::swap(misplaced.physical.final_layout[0], misplaced.physical.final_layout[1]);
      EXPECT_FALSE(equivalent_after_layout(misplaced.logical, misplaced.physical)) << what;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 16);
}

TEST(DenseUnitary, EquivalentAfterLayoutFinalPermutation) {
  // A logical swap may be done by relabelling alone: no physical op, exchanged final layout.
  const ir::Program logical = program(2, {gate("swap", {0, 1})});
  ir::Program phys = program(3, {});
  phys.initial_layout = {2, 0};
  phys.final_layout = {0, 2};
  EXPECT_TRUE(equivalent_after_layout(logical, phys));
  phys.final_layout = {2, 0};
  EXPECT_FALSE(equivalent_after_layout(logical, phys));
  // the same with the ancilla used as scratch (full simulation)
  phys.ops = {gate("cx", {2, 1}), gate("cx", {2, 1})};
  phys.final_layout = {0, 2};
  EXPECT_TRUE(equivalent_after_layout(logical, phys));
  phys.final_layout = {2, 0};
  EXPECT_FALSE(equivalent_after_layout(logical, phys));
}

TEST(DenseUnitary, EquivalentAfterLayoutOnLargeDevices) {
  // 20 physical qubits: only the ones in use are simulated.
  const ir::Program logical = program(2, {gate("h", {0}), gate("cx", {0, 1})});
  ir::Program phys = program(20, {gate("h", {17}), gate("swap", {17, 3}), gate("cx", {3, 9})});
  phys.initial_layout = {17, 9};
  phys.final_layout = {3, 9};
  EXPECT_TRUE(equivalent_after_layout(logical, phys));
  // borrowing 14 ancillas as scratch needs a 16-qubit simulation, still within the limit
  for (int a = 0; a < 20; ++a)
    if (a != 3 && a != 9 && a != 17 && phys.ops.size() < 3 + 2 * 14) {
      phys.ops.push_back(gate("cx", {9, a}));
      phys.ops.push_back(gate("cx", {9, a}));
    }
  EXPECT_TRUE(equivalent_after_layout(logical, phys));
  ir::Program disturbed = phys;
  disturbed.ops.push_back(gate("x", {0}));
  EXPECT_FALSE(equivalent_after_layout(logical, disturbed));
  // one more is over the limit
  for (int a = 0; a < 20; ++a)
    if (a != 3 && a != 9 && a != 17) phys.ops.push_back(gate("cz", {9, a}));
  EXPECT_THROW(equivalent_after_layout(logical, phys), std::invalid_argument);
}

}  // namespace
}  // namespace qontos::testing
