// Tests of the stabilizer tableau engine and its Clifford rules. Every rule is checked against
// dense matrices built here (from ir::single_qubit_matrix and the OpenQASM 3 definitions of the
// controlled and two-qubit gates): a gate must be accepted exactly when its matrix maps every
// Pauli to a Pauli, and the tableau must then hold those images with their signs. Random
// Clifford circuits with mid-circuit measurement and reset are compared with a small dense
// statevector simulator, and larger ones (several words of rows) with a plain row-by-row
// textbook Aaronson–Gottesman tableau, both written in this file.
#include "simulate/stabilizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <complex>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "ir/gate_set.h"
#include "simulate/clifford.h"

namespace qontos::simulate {
namespace {

using ir::Angle;
using ir::GateOp;
using C = std::complex<double>;

Angle pi(std::int64_t num, std::int64_t den = 1) {
  return Angle::pi_times(*ir::Rational::make(num, den));
}

GateOp gate(std::string name, std::vector<int> qubits, std::vector<Angle> params = {}, int controls = 0) {
  GateOp g;
  g.name = std::move(name);
  g.qubits = std::move(qubits);
  g.params = std::move(params);
  g.controls = controls;
  return g;
}

std::string describe(const GateOp& g) {
  std::string s = g.name;
  for (const auto& a : g.params) s += " " + a.to_string();
  return s + " controls=" + std::to_string(g.controls);
}

// ---------------------------------------------------------------------------------------------
// Dense reference: matrices of dimension 2^k, index bit j is operand j.

struct Dense {
  int k = 0;
  std::vector<C> m;  // row-major
  C& at(std::size_t r, std::size_t c) { return m[r * (std::size_t{1} << k) + c]; }
  C at(std::size_t r, std::size_t c) const { return m[r * (std::size_t{1} << k) + c]; }
};

/// The base matrix (on its own qubits, little-endian) and the number of controls the test's own
/// table of OpenQASM 3 gates puts in front of it.
std::pair<std::vector<C>, int> base_matrix(const GateOp& g) {
  static const std::map<std::string, std::pair<std::string, int>> controlled = {
      {"cx", {"x", 1}},   {"cy", {"y", 1}},   {"cz", {"z", 1}},   {"ch", {"h", 1}},  {"cp", {"p", 1}},
      {"crx", {"rx", 1}}, {"cry", {"ry", 1}}, {"crz", {"rz", 1}}, {"ccx", {"x", 2}}, {"cphase", {"p", 1}},
      {"cu1", {"p", 1}},  {"CX", {"x", 1}},   {"csx", {"sx", 1}}, {"c3x", {"x", 3}}, {"cu3", {"u3", 1}}};
  std::string name = g.name;
  int controls = g.controls;
  std::vector<Angle> params = g.params;
  C phase = 1;
  if (auto it = controlled.find(name); it != controlled.end()) {
    name = it->second.first;
    controls += it->second.second;
  }
  if (name == "cu") {
    name = "U";
    phase = std::polar(1.0, params[3].radians());
    params.resize(3);
    controls += 1;
  }
  if (name == "cswap") {
    name = "swap";
    controls += 1;
  }
  if (name == "swap") return {{1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1}, controls};
  if (name == "rzz") {
    const double t = params[0].radians() / 2;
    const C e = std::polar(1.0, -t);
    const C f = std::polar(1.0, t);
    return {{e, 0, 0, 0, 0, f, 0, 0, 0, 0, f, 0, 0, 0, 0, e}, controls};
  }
  if (name == "rxx") {
    const double t = params[0].radians() / 2;
    const C c = std::cos(t);
    const C s = C(0, -std::sin(t));
    return {{c, 0, 0, s, 0, c, s, 0, 0, s, c, 0, s, 0, 0, c}, controls};
  }
  const ir::Matrix2 u = ir::single_qubit_matrix(name, params);
  return {{phase * u[0], phase * u[1], phase * u[2], phase * u[3]}, controls};
}

/// The full unitary of `g` on its operands 0..k-1 (controls first).
Dense unitary(const GateOp& g) {
  auto [v, controls] = base_matrix(g);
  const int arity = v.size() == 4 ? 1 : 2;
  Dense u;
  u.k = controls + arity;
  const std::size_t dim = std::size_t{1} << u.k;
  u.m.assign(dim * dim, 0);
  const std::size_t control_mask = (std::size_t{1} << controls) - 1;
  const std::size_t base_dim = std::size_t{1} << arity;
  for (std::size_t in = 0; in < dim; ++in) {
    if ((in & control_mask) != control_mask) {
      u.at(in, in) = 1;
      continue;
    }
    const std::size_t local_in = in >> controls;
    for (std::size_t local_out = 0; local_out < base_dim; ++local_out)
      u.at((local_out << controls) | (in & control_mask), in) = v[local_out * base_dim + local_in];
  }
  return u;
}

/// The matrix of a Pauli string (letter j acts on qubit j).
Dense pauli_matrix(const std::string& letters) {
  Dense p;
  p.k = static_cast<int>(letters.size());
  const std::size_t dim = std::size_t{1} << p.k;
  p.m.assign(dim * dim, 0);
  for (std::size_t in = 0; in < dim; ++in) {
    std::size_t out = in;
    C amp = 1;
    for (std::size_t j = 0; j < letters.size(); ++j) {
      const bool bit = (in >> j) & 1;
      if (letters[j] == 'X' || letters[j] == 'Y') out ^= std::size_t{1} << j;
      if (letters[j] == 'Z' && bit) amp = -amp;
      if (letters[j] == 'Y') amp *= bit ? C(0, -1) : C(0, 1);  // Y|0> = i|1>, Y|1> = -i|0>
    }
    p.at(out, in) = amp;
  }
  return p;
}

Dense multiply(const Dense& a, const Dense& b) {
  Dense c;
  c.k = a.k;
  const std::size_t dim = std::size_t{1} << a.k;
  c.m.assign(dim * dim, 0);
  for (std::size_t i = 0; i < dim; ++i)
    for (std::size_t l = 0; l < dim; ++l)
      for (std::size_t j = 0; j < dim; ++j) c.at(i, j) += a.at(i, l) * b.at(l, j);
  return c;
}

Dense adjoint(const Dense& a) {
  Dense c = a;
  const std::size_t dim = std::size_t{1} << a.k;
  for (std::size_t i = 0; i < dim; ++i)
    for (std::size_t j = 0; j < dim; ++j) c.at(i, j) = std::conj(a.at(j, i));
  return c;
}

std::vector<std::string> all_pauli_strings(int k) {
  std::vector<std::string> out{""};
  for (int j = 0; j < k; ++j) {
    std::vector<std::string> next;
    for (const auto& s : out)
      for (char l : {'I', 'X', 'Y', 'Z'}) next.push_back(s + l);
    out = next;
  }
  return out;
}

/// U P U† as a signed Pauli string ("+XZ"), or "" when it is not a Pauli.
std::string conjugate(const Dense& u, const std::string& p) {
  const Dense m = multiply(multiply(u, pauli_matrix(p)), adjoint(u));
  const std::size_t dim = std::size_t{1} << u.k;
  for (const auto& q : all_pauli_strings(u.k)) {
    const Dense qm = pauli_matrix(q);
    C trace = 0;
    for (std::size_t i = 0; i < dim; ++i)
      for (std::size_t j = 0; j < dim; ++j) trace += std::conj(qm.at(i, j)) * m.at(i, j);
    trace /= static_cast<double>(dim);
    const double sign = trace.real() > 0 ? 1.0 : -1.0;
    if (std::abs(trace - sign) > 1e-6) continue;
    // Entry by entry, so that a rotation a hair off a Clifford angle is not taken for one.
    double error = 0;
    for (std::size_t i = 0; i < m.m.size(); ++i) error = std::max(error, std::abs(m.m[i] - sign * qm.m[i]));
    return error < 1e-12 ? (sign > 0 ? "+" : "-") + q : "";
  }
  return "";
}

std::string single(int k, int j, char letter) {
  std::string s(static_cast<std::size_t>(k), 'I');
  s[static_cast<std::size_t>(j)] = letter;
  return s;
}

/// Checks one gate on operands 0..k-1: accepted exactly when the dense matrix is Clifford, and
/// then the tableau holds the images of every X_j (destabilizers) and Z_j (stabilizers).
void check_rule(const GateOp& g) {
  SCOPED_TRACE(describe(g));
  const Dense u = unitary(g);
  ASSERT_EQ(static_cast<int>(g.qubits.size()), u.k);
  std::vector<std::string> x_images, z_images;
  bool clifford = true;
  for (int j = 0; j < u.k; ++j) {
    x_images.push_back(conjugate(u, single(u.k, j, 'X')));
    z_images.push_back(conjugate(u, single(u.k, j, 'Z')));
    clifford = clifford && !x_images.back().empty() && !z_images.back().empty();
  }
  const auto refusal = clifford_refusal(g);
  EXPECT_EQ(!refusal.has_value(), clifford) << (refusal ? *refusal : "accepted");
  StabilizerState st(u.k);
  if (!clifford) {
    EXPECT_THROW(st.apply_gate(g), std::runtime_error);
    return;
  }
  if (refusal) return;
  st.apply_gate(g);
  for (int j = 0; j < u.k; ++j) {
    EXPECT_EQ(st.destabilizer(j), x_images[static_cast<std::size_t>(j)]) << "image of X" << j;
    EXPECT_EQ(st.stabilizer(j), z_images[static_cast<std::size_t>(j)]) << "image of Z" << j;
  }
}

TEST(StabilizerCliffordRules, FixedGates) {
  for (const char* name : {"x", "y", "z", "h", "s", "sdg", "t", "tdg", "sx", "sxdg", "id"}) check_rule(gate(name, {0}));
  for (const char* name : {"cx", "cy", "cz", "ch", "swap", "CX", "csx"}) check_rule(gate(name, {0, 1}));
  for (const char* name : {"ccx", "cswap"}) check_rule(gate(name, {0, 1, 2}));
  check_rule(gate("c3x", {0, 1, 2, 3}));
  // Controls given as a count on the base gate rather than folded into the name.
  for (const char* name : {"x", "y", "z", "h", "s", "sdg", "sx", "sxdg", "t"}) check_rule(gate(name, {0, 1}, {}, 1));
  for (const char* name : {"x", "z"}) check_rule(gate(name, {0, 1, 2}, {}, 2));
  check_rule(gate("cx", {0, 1, 2}, {}, 1));
  check_rule(gate("swap", {0, 1, 2}, {}, 1));
}

TEST(StabilizerCliffordRules, SingleAngleRotations) {
  for (const char* name : {"rx", "ry", "rz", "p", "u1"}) {
    for (int k = -16; k <= 16; ++k) check_rule(gate(name, {0}, {pi(k, 4)}));
    check_rule(gate(name, {0}, {Angle::from_double(0.3)}));
    check_rule(gate(name, {0}, {pi(524289, 1048576)}));  // a hair above pi/2, exactly
    for (int k = -16; k <= 16; ++k) check_rule(gate(name, {0, 1}, {pi(k, 4)}, 1));
    for (int k = -8; k <= 8; ++k) check_rule(gate(name, {0, 1, 2}, {pi(k, 2)}, 2));
  }
  for (const char* name : {"cp", "crx", "cry", "crz", "rzz", "rxx", "cphase", "cu1"}) {
    for (int k = -16; k <= 16; ++k) check_rule(gate(name, {0, 1}, {pi(k, 4)}));
    check_rule(gate(name, {0, 1}, {Angle::from_double(-1.25)}));
  }
  for (const char* name : {"rzz", "rxx"})
    for (int k = -8; k <= 8; ++k) check_rule(gate(name, {0, 1, 2}, {pi(k, 2)}, 1));
}

TEST(StabilizerCliffordRules, UAndCu) {
  for (int t = -4; t <= 4; ++t)
    for (int f = -4; f <= 4; ++f)
      for (int l = -4; l <= 4; ++l) {
        check_rule(gate("U", {0}, {pi(t, 4), pi(f, 4), pi(l, 4)}));
        check_rule(gate("U", {0, 1}, {pi(t, 2), pi(f, 4), pi(l, 4)}, 1));
        for (int g = -2; g <= 2; ++g) check_rule(gate("cu", {0, 1}, {pi(t, 2), pi(f, 4), pi(l, 4), pi(g, 4)}));
      }
  check_rule(gate("U", {0}, {pi(1, 2), Angle::from_double(0.5), pi(1, 1)}));
  check_rule(gate("u3", {0}, {pi(1, 2), pi(1, 2), pi(-1, 2)}));
  check_rule(gate("u2", {0}, {pi(1, 4), pi(-1, 4)}));
  check_rule(gate("u3", {0, 1}, {pi(1, 1), pi(1, 2), pi(1, 2)}, 1));
  check_rule(gate("cu3", {0, 1}, {pi(1, 1), pi(1, 2), pi(1, 2)}));
}

// ---------------------------------------------------------------------------------------------
// Basic behaviour.

TEST(Stabilizer, BellPairOutcomesAreEqualAndBothOccur) {
  int ones = 0;
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    StabilizerState st(2);
    st.apply_gate(gate("h", {0}));
    st.apply_gate(gate("cx", {0, 1}));
    Rng rng(seed);
    EXPECT_FALSE(st.peek_outcome(0).has_value());
    const bool a = st.measure(0, rng);
    EXPECT_EQ(st.peek_outcome(1), a);
    const bool b = st.measure(1, rng);
    EXPECT_EQ(a, b);
    ones += a;
  }
  EXPECT_GT(ones, 60);
  EXPECT_LT(ones, 140);
}

TEST(Stabilizer, GhzOnAThousandQubitsIsAllEqual) {
  const int n = 1000;
  StabilizerState st(n);
  st.apply_gate(gate("h", {0}));
  for (int q = 1; q < n; ++q) st.apply_gate(gate("cx", {q - 1, q}));
  int ones = 0;
  for (std::uint64_t seed = 0; seed < 8; ++seed) {
    StabilizerState shot = st;
    Rng rng(seed);
    const bool first = shot.measure(n / 2, rng);
    ones += first;
    for (int q = 0; q < n; ++q) ASSERT_EQ(shot.measure(q, rng), first) << "qubit " << q;
  }
  EXPECT_GT(ones, 0);
  EXPECT_LT(ones, 8);
}

TEST(Stabilizer, MeasurementAfterXIsDeterministic) {
  StabilizerState st(3);
  Rng rng(1);
  st.apply_gate(gate("x", {1}));
  EXPECT_EQ(st.peek_outcome(0), false);
  EXPECT_EQ(st.peek_outcome(1), true);
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(st.measure(1, rng));
    EXPECT_FALSE(st.measure(0, rng));
  }
  // Deterministic measurements draw nothing from the generator.
  Rng fresh(1);
  EXPECT_EQ(rng.next(), fresh.next());
}

TEST(Stabilizer, ResetReturnsToZero) {
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    StabilizerState st(2);
    Rng rng(seed);
    st.apply_gate(gate("h", {0}));
    st.apply_gate(gate("cx", {0, 1}));
    st.reset(0, rng);
    EXPECT_EQ(st.peek_outcome(0), false);
    st.apply_gate(gate("x", {1}));
    st.reset(1, rng);
    EXPECT_EQ(st.peek_outcome(1), false);
    st.clear();
    EXPECT_EQ(st.stabilizer(0), "+ZI");
    EXPECT_EQ(st.destabilizer(1), "+IX");
  }
}

TEST(Stabilizer, SameSeedSameOutcomes) {
  auto run = [](std::uint64_t seed) {
    StabilizerState st(40);
    Rng rng(seed);
    for (int q = 0; q < 40; ++q) st.apply_gate(gate("h", {q}));
    for (int q = 0; q + 1 < 40; q += 3) st.apply_gate(gate("cz", {q, q + 1}));
    std::vector<bool> out;
    for (int q = 0; q < 40; ++q) out.push_back(st.measure(q, rng));
    return out;
  };
  EXPECT_EQ(run(7), run(7));
  EXPECT_NE(run(7), run(8));
}

TEST(Stabilizer, SwapRelabelsQubits) {
  StabilizerState st(3);
  st.apply_gate(gate("x", {0}));
  st.apply_gate(gate("h", {1}));
  st.apply_gate(gate("swap", {0, 2}));
  EXPECT_EQ(st.stabilizer(0), "-IIZ");
  EXPECT_EQ(st.stabilizer(1), "+IXI");
  EXPECT_EQ(st.peek_outcome(2), true);
  EXPECT_EQ(st.peek_outcome(0), false);
  st.clear();
  EXPECT_EQ(st.stabilizer(0), "+ZII");
}

TEST(Stabilizer, RefusalMessages) {
  EXPECT_EQ(clifford_refusal(gate("t", {0})), "gate 't' is not a Clifford gate");
  EXPECT_EQ(clifford_refusal(gate("rz", {0}, {pi(1, 4)})),
            "gate 'rz(pi/4)' is not Clifford: its angle is not a multiple of pi/2");
  EXPECT_EQ(clifford_refusal(gate("rx", {0}, {Angle::from_double(0.3)})),
            "gate 'rx(0.3)' is not Clifford: its angle is not a multiple of pi/2");
  EXPECT_EQ(clifford_refusal(gate("cp", {0, 1}, {pi(1, 2)})),
            "gate 'cp(pi/2)' is not Clifford: its angle is not a multiple of pi");
  EXPECT_EQ(clifford_refusal(gate("U", {0}, {pi(1, 3), pi(0), pi(1)})),
            "gate 'U(pi/3,0,pi)' is not Clifford for these angles");
  EXPECT_EQ(clifford_refusal(gate("x", {0, 1, 2}, {}, 2)), "gate 'ctrl(2) @ x' is not a Clifford gate");
  EXPECT_EQ(clifford_refusal(gate("ccx", {0, 1, 2})), "gate 'ccx' is not a Clifford gate");
  EXPECT_EQ(clifford_refusal(gate("mygate", {0})), "gate 'mygate' is not a built-in gate");
  EXPECT_EQ(clifford_refusal(gate("cx", {0})), "gate 'cx' takes 2 qubits, got 1");
  EXPECT_EQ(clifford_refusal(gate("rz", {0}, {pi(1, 2)})), std::nullopt);

  StabilizerState st(2);
  try {
    st.apply_gate(gate("tdg", {1}));
    FAIL() << "tdg was applied";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("gate 'tdg' is not a Clifford gate"), std::string::npos) << e.what();
  }
  EXPECT_THROW(st.apply_gate(gate("h", {2})), std::runtime_error);
  EXPECT_THROW(st.apply_gate(gate("cx", {1, 1})), std::runtime_error);
  Rng rng(0);
  EXPECT_THROW(st.measure(-1, rng), std::runtime_error);
}

TEST(Stabilizer, FirstNonCliffordDescendsIntoControlFlow) {
  ir::Program p;
  p.num_qubits = 2;
  p.num_clbits = 1;
  p.ops.emplace_back(gate("h", {0}), 3);
  p.ops.emplace_back(ir::MeasureOp{0, 0}, 4);
  EXPECT_EQ(first_non_clifford(p), std::nullopt);
  ir::WhileOp w;
  w.condition = ir::Expr::bit(0);
  w.body.emplace_back(gate("s", {1}), 6);
  ir::IfOp i;
  i.condition = ir::Expr::bit(0);
  i.else_ops.emplace_back(gate("rz", {1}, {pi(1, 8)}), 8);
  w.body.emplace_back(std::move(i), 7);
  p.ops.emplace_back(std::move(w), 5);
  p.ops.emplace_back(gate("t", {0}), 10);
  const auto found = first_non_clifford(p);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->first, 8);
  EXPECT_EQ(found->second, "gate 'rz(pi/8)' is not Clifford: its angle is not a multiple of pi/2");
}

// ---------------------------------------------------------------------------------------------
// Random circuits against a dense statevector.

struct DenseState {
  int n;
  std::vector<C> amp;
  explicit DenseState(int qubits) : n(qubits), amp(std::size_t{1} << qubits) { amp[0] = 1; }

  void apply(const GateOp& g) {
    const Dense u = unitary(g);
    const std::size_t dim = std::size_t{1} << u.k;
    std::size_t mask = 0;
    for (int q : g.qubits) mask |= std::size_t{1} << q;
    std::vector<C> in(dim), out(dim);
    for (std::size_t base = 0; base < amp.size(); ++base) {
      if (base & mask) continue;
      auto index = [&](std::size_t local) {
        std::size_t i = base;
        for (std::size_t j = 0; j < g.qubits.size(); ++j)
          if ((local >> j) & 1) i |= std::size_t{1} << g.qubits[j];
        return i;
      };
      for (std::size_t l = 0; l < dim; ++l) in[l] = amp[index(l)];
      for (std::size_t r = 0; r < dim; ++r) {
        out[r] = 0;
        for (std::size_t c = 0; c < dim; ++c) out[r] += u.at(r, c) * in[c];
      }
      for (std::size_t l = 0; l < dim; ++l) amp[index(l)] = out[l];
    }
  }
  double probability_one(int q) const {
    double p = 0;
    for (std::size_t i = 0; i < amp.size(); ++i)
      if ((i >> q) & 1) p += std::norm(amp[i]);
    return p;
  }
  void project(int q, bool outcome) {
    const double p = outcome ? probability_one(q) : 1 - probability_one(q);
    for (std::size_t i = 0; i < amp.size(); ++i) amp[i] = (((i >> q) & 1) == outcome) ? amp[i] / std::sqrt(p) : 0;
  }
  /// <Z_S> for the qubits in the bit mask `subset`.
  double parity_expectation(std::size_t subset) const {
    double e = 0;
    for (std::size_t i = 0; i < amp.size(); ++i) e += (std::popcount(i & subset) % 2 ? -1 : 1) * std::norm(amp[i]);
    return e;
  }
};

/// <Z_S> from the tableau: fold the parity of S into its first qubit with cx, then read whether
/// that qubit's outcome is determined.
double tableau_parity(const StabilizerState& st, std::size_t subset) {
  StabilizerState copy = st;
  int first = -1;
  for (int q = 0; q < st.num_qubits(); ++q) {
    if (!((subset >> q) & 1)) continue;
    if (first < 0) {
      first = q;
    } else {
      copy.apply_gate(gate("cx", {q, first}));
    }
  }
  const auto outcome = copy.peek_outcome(first);
  return outcome ? (*outcome ? -1.0 : 1.0) : 0.0;
}

/// A random gate that the tableau must accept, on distinct random qubits of `n`.
GateOp random_clifford_gate(int n, Rng& rng) {
  auto qubit_list = [&](int count) {
    std::vector<int> q;
    while (static_cast<int>(q.size()) < count) {
      const int c = static_cast<int>(rng.below(static_cast<std::uint64_t>(n)));
      if (std::find(q.begin(), q.end(), c) == q.end()) q.push_back(c);
    }
    return q;
  };
  auto quarter = [&] { return pi(static_cast<std::int64_t>(rng.below(8)) - 4, 2); };
  auto half_turns = [&] { return pi(static_cast<std::int64_t>(rng.below(8)) - 4, 1); };
  static const char* fixed1[] = {"x", "y", "z", "h", "s", "sdg", "sx", "sxdg"};
  static const char* fixed2[] = {"cx", "cy", "cz", "swap"};
  static const char* rot1[] = {"rx", "ry", "rz", "p"};
  static const char* crot[] = {"cp", "crx", "cry", "crz"};
  for (;;) {
    GateOp g;
    switch (rng.below(n >= 2 ? 9 : 3)) {
      case 0:
        g = gate(fixed1[rng.below(8)], qubit_list(1));
        break;
      case 1:
        g = gate(rot1[rng.below(4)], qubit_list(1), {quarter()});
        break;
      case 2:
        g = gate("U", qubit_list(1), {quarter(), quarter(), quarter()});
        break;
      case 3:
      case 4:
        g = gate(fixed2[rng.below(4)], qubit_list(2));
        break;
      case 5:
        g = gate(crot[rng.below(4)], qubit_list(2), {half_turns()});
        break;
      case 6:
        g = gate(rng.below(2) ? "rzz" : "rxx", qubit_list(2), {quarter()});
        break;
      case 7:
        g = gate("cu", qubit_list(2), {half_turns(), quarter(), quarter(), quarter()});
        break;
      default:
        g = gate(fixed1[rng.below(3)], qubit_list(2), {}, 1);  // x, y, z with one control
        break;
    }
    if (!clifford_refusal(g)) return g;
  }
}

void expect_same_parities(const StabilizerState& st, const DenseState& sv) {
  for (std::size_t subset = 1; subset < (std::size_t{1} << sv.n); ++subset)
    ASSERT_NEAR(tableau_parity(st, subset), sv.parity_expectation(subset), 1e-9) << "Z parity of subset " << subset;
}

TEST(Stabilizer, RandomCircuitsMatchDenseStatevector) {
  Rng circuit_rng(2024);
  for (int trial = 0; trial < 150; ++trial) {
    const int n = 1 + trial % 6;
    SCOPED_TRACE("trial " + std::to_string(trial));
    StabilizerState st(n);
    DenseState sv(n);
    Rng outcome_rng(static_cast<std::uint64_t>(trial));
    for (int step = 0; step < 60; ++step) {
      const std::uint64_t kind = circuit_rng.below(10);
      if (kind < 8) {
        const GateOp g = random_clifford_gate(n, circuit_rng);
        st.apply_gate(g);
        sv.apply(g);
        continue;
      }
      // Mid-circuit measurement or reset: the tableau decides, the dense state must agree that
      // the outcome was certain or a fair coin, then follows the same branch.
      const int q = static_cast<int>(circuit_rng.below(static_cast<std::uint64_t>(n)));
      const double p1 = sv.probability_one(q);
      const auto peek = st.peek_outcome(q);
      if (peek) {
        ASSERT_NEAR(p1, *peek ? 1.0 : 0.0, 1e-9);
      } else {
        ASSERT_NEAR(p1, 0.5, 1e-9);
      }
      const bool outcome = st.measure(q, outcome_rng);
      if (peek) {
        ASSERT_EQ(outcome, *peek);
      }
      sv.project(q, outcome);
      if (kind == 9 && outcome) {
        st.apply_gate(gate("x", {q}));
        sv.apply(gate("x", {q}));
      }
      if (step % 10 == 9) expect_same_parities(st, sv);
    }
    expect_same_parities(st, sv);
  }
}

TEST(Stabilizer, SampledOutcomesFollowBornProbabilities) {
  Rng circuit_rng(77);
  for (int trial = 0; trial < 6; ++trial) {
    const int n = 6;
    StabilizerState st(n);
    DenseState sv(n);
    for (int step = 0; step < 30; ++step) {
      const GateOp g = random_clifford_gate(n, circuit_rng);
      st.apply_gate(g);
      sv.apply(g);
    }
    const int shots = 4000;
    std::vector<int> counts(std::size_t{1} << n);
    Rng rng(static_cast<std::uint64_t>(trial) + 100);
    for (int s = 0; s < shots; ++s) {
      StabilizerState shot = st;
      std::size_t outcome = 0;
      for (int q = 0; q < n; ++q) outcome |= static_cast<std::size_t>(shot.measure(q, rng)) << q;
      ++counts[outcome];
    }
    for (std::size_t i = 0; i < counts.size(); ++i) {
      const double p = std::norm(sv.amp[i]);
      if (p < 1e-12) {
        EXPECT_EQ(counts[i], 0) << "outcome " << i << " has probability 0";
      } else {
        const double sigma = std::sqrt(shots * p * (1 - p));
        EXPECT_NEAR(counts[i], shots * p, 5 * sigma + 1) << "outcome " << i;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Larger random circuits against a textbook tableau (one byte per bit, row by row, rowsum and
// scratch row as in Aaronson and Gottesman's paper), so that row words and the shift by n rows
// are exercised across word boundaries.

class TextbookTableau {
 public:
  explicit TextbookTableau(int n) : n_(n), x_(2 * n + 1, std::vector<int>(n)), z_(x_), r_(2 * n + 1) {
    for (int i = 0; i < n; ++i) {
      x_[i][i] = 1;
      z_[n + i][i] = 1;
    }
  }
  void h(int a) {
    for (int i = 0; i < 2 * n_; ++i) {
      r_[i] ^= x_[i][a] & z_[i][a];
      std::swap(x_[i][a], z_[i][a]);
    }
  }
  void s(int a) {
    for (int i = 0; i < 2 * n_; ++i) {
      r_[i] ^= x_[i][a] & z_[i][a];
      z_[i][a] ^= x_[i][a];
    }
  }
  void cx(int a, int b) {
    for (int i = 0; i < 2 * n_; ++i) {
      r_[i] ^= x_[i][a] & z_[i][b] & (x_[i][b] ^ z_[i][a] ^ 1);
      x_[i][b] ^= x_[i][a];
      z_[i][a] ^= z_[i][b];
    }
  }
  bool measure(int a, Rng& rng) {
    int p = -1;
    for (int i = n_; i < 2 * n_ && p < 0; ++i)
      if (x_[i][a]) p = i;
    if (p >= 0) {
      for (int i = 0; i < 2 * n_; ++i)
        if (i != p && x_[i][a]) rowsum(i, p);
      x_[p - n_] = x_[p];
      z_[p - n_] = z_[p];
      r_[p - n_] = r_[p];
      std::fill(x_[p].begin(), x_[p].end(), 0);
      std::fill(z_[p].begin(), z_[p].end(), 0);
      z_[p][a] = 1;
      r_[p] = rng.bernoulli(0.5);
      return r_[p];
    }
    const int scratch = 2 * n_;
    std::fill(x_[scratch].begin(), x_[scratch].end(), 0);
    std::fill(z_[scratch].begin(), z_[scratch].end(), 0);
    r_[scratch] = 0;
    for (int i = 0; i < n_; ++i)
      if (x_[i][a]) rowsum(scratch, i + n_);
    return r_[scratch];
  }
  std::string row(int i) const {
    std::string out(1, r_[i] ? '-' : '+');
    for (int j = 0; j < n_; ++j) out += x_[i][j] ? (z_[i][j] ? 'Y' : 'X') : (z_[i][j] ? 'Z' : 'I');
    return out;
  }

 private:
  static int g(int x1, int z1, int x2, int z2) {
    if (!x1 && !z1) return 0;
    if (x1 && z1) return z2 - x2;
    if (x1) return z2 * (2 * x2 - 1);
    return x2 * (1 - 2 * z2);
  }
  void rowsum(int h, int i) {
    int sum = 2 * r_[h] + 2 * r_[i];
    for (int j = 0; j < n_; ++j) sum += g(x_[i][j], z_[i][j], x_[h][j], z_[h][j]);
    r_[h] = ((sum % 4) + 4) % 4 == 2;
    for (int j = 0; j < n_; ++j) {
      x_[h][j] ^= x_[i][j];
      z_[h][j] ^= z_[i][j];
    }
  }
  int n_;
  std::vector<std::vector<int>> x_, z_;
  std::vector<int> r_;
};

TEST(Stabilizer, RandomCircuitsMatchTextbookTableau) {
  for (int n : {1, 31, 32, 33, 64, 70, 130}) {
    SCOPED_TRACE("n = " + std::to_string(n));
    StabilizerState st(n);
    TextbookTableau ref(n);
    Rng circuit(static_cast<std::uint64_t>(n));
    Rng rng_a(5);
    Rng rng_b(5);
    int random_outcomes = 0;
    for (int step = 0; step < 40 * n + 200; ++step) {
      const int a = static_cast<int>(circuit.below(static_cast<std::uint64_t>(n)));
      int b = static_cast<int>(circuit.below(static_cast<std::uint64_t>(n)));
      if (b == a) b = (a + 1) % n;
      const std::uint64_t kind = circuit.below(n == 1 ? 3 : 16);
      if (kind == 0) {
        st.apply_gate(gate("h", {a}));
        ref.h(a);
      } else if (kind == 1) {
        st.apply_gate(gate("s", {a}));
        ref.s(a);
      } else if (kind == 2) {
        const bool peek_random = !st.peek_outcome(a).has_value();
        random_outcomes += peek_random;
        ASSERT_EQ(st.measure(a, rng_a), ref.measure(a, rng_b)) << "step " << step;
      } else if (kind == 3) {
        st.apply_gate(gate("swap", {a, b}));
        ref.cx(a, b);
        ref.cx(b, a);
        ref.cx(a, b);
      } else if (kind == 4) {
        st.apply_gate(gate("cz", {a, b}));
        ref.h(b);
        ref.cx(a, b);
        ref.h(b);
      } else if (kind < 9) {
        st.apply_gate(gate("h", {a}));
        ref.h(a);
      } else {
        st.apply_gate(gate("cx", {a, b}));
        ref.cx(a, b);
      }
    }
    EXPECT_GT(random_outcomes, 0);
    for (int i = 0; i < n; ++i) {
      ASSERT_EQ(st.stabilizer(i), ref.row(n + i)) << "stabilizer " << i;
      ASSERT_EQ(st.destabilizer(i), ref.row(i)) << "destabilizer " << i;
    }
  }
}

}  // namespace
}  // namespace qontos::simulate
