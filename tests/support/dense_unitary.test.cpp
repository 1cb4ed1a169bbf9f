// Tests of the independent dense evaluator, and through it of the host gate table
// (ir::single_qubit_matrix, ir::inverse_gate, ir::canonical_gate, ir::fold_controls,
// ir::unfold_controls).
#include "support/dense_unitary.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>

#include "ir/gate_set.h"

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
  // modifiers present
  ir::GateOp inv;
  inv.name = "s";
  inv.qubits = {0};
  inv.modifiers.push_back(ir::Modifier{ir::Modifier::Kind::kInv, 1, nullptr});
  EXPECT_NE(error_of(program(1, {ir::Op(inv)})).find("modifiers"), std::string::npos);
  // a user definition, even one shadowing a built-in name
  ir::Program defined = program(2, {gate("cx", {0, 1})});
  defined.gate_defs.push_back(ir::GateDefinition{"cx", {}, {"a", "b"}, {}, {}, false});
  EXPECT_NE(error_of(defined).find("user-defined"), std::string::npos);
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

}  // namespace
}  // namespace qontos::testing
