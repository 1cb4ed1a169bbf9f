#include "support/dense_unitary.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>

namespace qontos::testing {
namespace {

using C = std::complex<double>;
constexpr double kPi = std::numbers::pi;
const C kI(0.0, 1.0);

// Plain complex product (std::complex's operator* adds NaN/infinity recovery that the inner
// simulation loops do not need and cannot afford).
inline C cmul(C a, C b) {
  return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
}

std::size_t bit(int q) { return std::size_t{1} << q; }

// ---------------------------------------------------------------------------------------------
// Gate matrices, written from the OpenQASM 3 conventions (see the header).


// ---------------------------------------------------------------------------------------------
// Gate matrices, written from the OpenQASM 3 conventions (see the header).

struct GateEntry {
  std::string_view name;
  GateShape shape;
};

const GateEntry kGateTable[] = {
    {"U", {1, 3}},      {"u", {1, 3}},       {"u3", {1, 3}},     {"u2", {1, 2}},      {"u1", {1, 1}},
    {"u0", {1, 1}},     {"p", {1, 1}},       {"phase", {1, 1}},  {"id", {1, 0}},      {"x", {1, 0}},
    {"y", {1, 0}},      {"z", {1, 0}},       {"h", {1, 0}},      {"s", {1, 0}},       {"sdg", {1, 0}},
    {"t", {1, 0}},      {"tdg", {1, 0}},     {"sx", {1, 0}},     {"sxdg", {1, 0}},    {"rx", {1, 1}},
    {"ry", {1, 1}},     {"rz", {1, 1}},      {"cx", {2, 0}},     {"CX", {2, 0}},      {"cy", {2, 0}},
    {"cz", {2, 0}},     {"ch", {2, 0}},      {"swap", {2, 0}},   {"cp", {2, 1}},      {"cphase", {2, 1}},
    {"cu1", {2, 1}},    {"crx", {2, 1}},     {"cry", {2, 1}},    {"crz", {2, 1}},     {"cu", {2, 4}},
    {"cu3", {2, 3}},    {"csx", {2, 0}},     {"rxx", {2, 1}},    {"rzz", {2, 1}},     {"ccx", {3, 0}},
    {"cswap", {3, 0}},  {"c3x", {4, 0}},     {"c4x", {5, 0}},    {"c3sqrtx", {4, 0}}, {"rccx", {3, 0}},
    {"rc3x", {4, 0}},
};

// 2x2 matrix from its entries in reading order, stored column-major.
Unitary mat2(C m00, C m01, C m10, C m11) { return {m00, m10, m01, m11}; }

Unitary scaled(Unitary m, C factor) {
  for (C& x : m) x *= factor;
  return m;
}

Unitary u_gate(double theta, double phi, double lambda) {
  const double c = std::cos(theta / 2);
  const double s = std::sin(theta / 2);
  return mat2(c, -std::polar(1.0, lambda) * s, std::polar(1.0, phi) * s, std::polar(1.0, phi + lambda) * c);
}
Unitary u3_gate(double theta, double phi, double lambda) {
  return scaled(u_gate(theta, phi, lambda), std::polar(1.0, -(phi + lambda) / 2));
}
Unitary phase_gate(double lambda) { return mat2(1, 0, 0, std::polar(1.0, lambda)); }
Unitary rz_gate(double theta) { return mat2(std::polar(1.0, -theta / 2), 0, 0, std::polar(1.0, theta / 2)); }
Unitary rx_gate(double theta) {
  // exp(-iθX/2) = cos(θ/2) I - i sin(θ/2) X
  const double c = std::cos(theta / 2);
  const double s = std::sin(theta / 2);
  return mat2(c, -kI * s, -kI * s, c);
}
Unitary ry_gate(double theta) {
  // exp(-iθY/2) = cos(θ/2) I - i sin(θ/2) Y, and -iY = [[0,-1],[1,0]]
  const double c = std::cos(theta / 2);
  const double s = std::sin(theta / 2);
  return mat2(c, -s, s, c);
}
Unitary x_gate() { return mat2(0, 1, 1, 0); }
Unitary y_gate() { return mat2(0, -kI, kI, 0); }
Unitary z_gate() { return mat2(1, 0, 0, -1); }
Unitary h_gate() {
  const double r = 1 / std::sqrt(2.0);
  return mat2(r, r, r, -r);
}
Unitary sx_gate() { return mat2(C(0.5, 0.5), C(0.5, -0.5), C(0.5, -0.5), C(0.5, 0.5)); }
Unitary sxdg_gate() { return mat2(C(0.5, -0.5), C(0.5, 0.5), C(0.5, 0.5), C(0.5, -0.5)); }

Unitary swap_gate() {
  // local index bit 0 = first argument; swap exchanges |01> (index 1) and |10> (index 2)
  Unitary m(16, 0.0);
  m[0 * 4 + 0] = 1;
  m[1 * 4 + 2] = 1;
  m[2 * 4 + 1] = 1;
  m[3 * 4 + 3] = 1;
  return m;
}
Unitary rxx_gate(double theta) {
  // exp(-iθ X⊗X/2) = cos(θ/2) I - i sin(θ/2) X⊗X; X⊗X maps index j to j^3.
  Unitary m(16, 0.0);
  for (std::size_t j = 0; j < 4; ++j) {
    m[j * 4 + j] = std::cos(theta / 2);
    m[j * 4 + (j ^ 3)] = -kI * std::sin(theta / 2);
  }
  return m;
}
Unitary rzz_gate(double theta) {
  // exp(-iθ Z⊗Z/2): Z⊗Z is +1 on even parity (|00>, |11>), -1 on odd parity.
  Unitary m(16, 0.0);
  for (std::size_t j = 0; j < 4; ++j) {
    const bool odd = ((j & 1) ^ (j >> 1)) != 0;
    m[j * 4 + j] = std::polar(1.0, odd ? theta / 2 : -theta / 2);
  }
  return m;
}

// A gate applied inside a state vector: `m` (column-major, 2^t x 2^t, local bit j = targets[j])

// ---------------------------------------------------------------------------------------------
// Simulation. A circuit is a list of CompiledOps on n qubits; it is applied to state vectors
// (a unitary's columns are the images of the basis states).

// A gate applied inside a state vector: `m` (column-major, 2^t x 2^t, local bit j = targets[j])
// acts on the targets of the basis states whose control bits (control_mask) equal control_value.
struct CompiledOp {
  Unitary m;
  std::vector<int> targets;
  std::size_t control_mask = 0;
  std::size_t control_value = 0;
};

CompiledOp on(Unitary m, std::vector<int> targets, std::vector<int> controls = {}) {
  CompiledOp op{std::move(m), std::move(targets), 0, 0};
  for (int c : controls) op.control_mask |= bit(c);
  op.control_value = op.control_mask;
  return op;
}

void apply_dense(const CompiledOp& op, C* state, std::size_t dim) {
  const std::size_t cmask = op.control_mask;
  const std::size_t cval = op.control_value;
  if (op.targets.empty()) {  // a (controlled) phase
    const C ph = op.m[0];
    for (std::size_t i = 0; i < dim; ++i)
      if ((i & cmask) == cval) state[i] = cmul(ph, state[i]);
    return;
  }
  if (op.targets.size() == 1) {
    const std::size_t b = bit(op.targets[0]);
    const C m00 = op.m[0], m10 = op.m[1], m01 = op.m[2], m11 = op.m[3];
    if (m01 == C(0) && m10 == C(0)) {  // diagonal
      for (std::size_t i = 0; i < dim; ++i)
        if ((i & cmask) == cval) state[i] = cmul((i & b) ? m11 : m00, state[i]);
      return;
    }
    for (std::size_t hi = 0; hi < dim; hi += 2 * b)
      for (std::size_t i = hi; i < hi + b; ++i) {
        if ((i & cmask) != cval) continue;
        const C a0 = state[i];
        const C a1 = state[i | b];
        state[i] = cmul(m00, a0) + cmul(m01, a1);
        state[i | b] = cmul(m10, a0) + cmul(m11, a1);
      }
    return;
  }
  const std::size_t d = bit(static_cast<int>(op.targets.size()));
  std::vector<std::size_t> offsets(d, 0);
  std::size_t target_mask = 0;
  for (int t : op.targets) target_mask |= bit(t);
  for (std::size_t j = 0; j < d; ++j)
    for (std::size_t b = 0; b < op.targets.size(); ++b)
      if ((j >> b) & 1) offsets[j] |= bit(op.targets[b]);
  std::vector<C> in(d);
  for (std::size_t i = 0; i < dim; ++i) {
    if ((i & target_mask) != 0 || (i & cmask) != cval) continue;
    for (std::size_t j = 0; j < d; ++j) in[j] = state[i | offsets[j]];
    for (std::size_t r = 0; r < d; ++r) {
      C sum = 0;
      for (std::size_t c = 0; c < d; ++c) sum += cmul(op.m[c * d + r], in[c]);
      state[i | offsets[r]] = sum;
    }
  }
}

// For an op whose matrix has exactly one nonzero entry per column (a permutation with phases:
// x, cx, swap, ccx, z, cz, rz, p, ...), the row and value of that entry per column.
bool monomial_columns(const CompiledOp& op, std::vector<std::pair<std::size_t, C>>& cols) {
  const std::size_t d = bit(static_cast<int>(op.targets.size()));
  cols.assign(d, {0, C(0)});
  for (std::size_t c = 0; c < d; ++c) {
    int nonzero = 0;
    for (std::size_t r = 0; r < d; ++r)
      if (op.m[c * d + r] != C(0)) {
        ++nonzero;
        cols[c] = {r, op.m[c * d + r]};
      }
    if (nonzero != 1) return false;
  }
  return true;
}

// One step of a simulation plan: a dense op, or a diagonal / monomial map of the whole state
// (basis state i goes to perm[i] times phase[i]) that several consecutive ops were folded into.
struct Kernel {
  enum class Kind { kDense, kDiagonal, kMonomial };
  Kind kind = Kind::kDense;
  CompiledOp op;
  std::vector<std::size_t> perm;
  std::vector<C> phase;
};

// Largest state (qubits) for which consecutive monomial ops are folded into one map of the
// whole state: each such map holds 24 bytes per amplitude.
constexpr int kMaxFoldQubits = 12;

// Turns a circuit into kernels. Single-qubit gates are multiplied together per qubit until a
// multi-qubit op touches that qubit (gates on different qubits commute), and runs of monomial
// ops are folded into one map, so a circuit of thousands of gates costs far fewer passes.
std::vector<Kernel> plan(int num_qubits, const std::vector<CompiledOp>& ops) {
  const std::size_t dim = bit(num_qubits);
  const bool fold = num_qubits <= kMaxFoldQubits;
  std::vector<Kernel> kernels;
  std::vector<Unitary> pending(static_cast<std::size_t>(num_qubits));
  std::vector<std::size_t> perm;
  std::vector<C> phase;
  bool folding = false;
  bool permutes = false;
  std::vector<std::pair<std::size_t, C>> cols;

  auto flush_fold = [&] {
    if (!folding) return;
    Kernel k;
    k.kind = permutes ? Kernel::Kind::kMonomial : Kernel::Kind::kDiagonal;
    if (permutes) k.perm = std::move(perm);
    k.phase = std::move(phase);
    kernels.push_back(std::move(k));
    perm.clear();
    phase.clear();
    folding = false;
    permutes = false;
  };
  auto add = [&](CompiledOp op) {
    if (fold && monomial_columns(op, cols)) {
      if (!folding) {
        perm.resize(dim);
        std::iota(perm.begin(), perm.end(), std::size_t{0});
        phase.assign(dim, C(1));
        folding = true;
      }
      std::size_t target_mask = 0;
      for (int t : op.targets) target_mask |= bit(t);
      for (std::size_t i = 0; i < dim; ++i) {
        const std::size_t s = perm[i];
        if ((s & op.control_mask) != op.control_value) continue;
        std::size_t local = 0;
        for (std::size_t j = 0; j < op.targets.size(); ++j)
          if (s & bit(op.targets[j])) local |= std::size_t{1} << j;
        const auto [row, value] = cols[local];
        std::size_t out = s & ~target_mask;
        for (std::size_t j = 0; j < op.targets.size(); ++j)
          if ((row >> j) & 1) out |= bit(op.targets[j]);
        if (out != s) permutes = true;
        perm[i] = out;
        phase[i] = cmul(value, phase[i]);
      }
      return;
    }
    flush_fold();
    Kernel k;
    k.op = std::move(op);
    kernels.push_back(std::move(k));
  };
  auto flush_qubit = [&](int q) {
    Unitary& m = pending[static_cast<std::size_t>(q)];
    if (m.empty()) return;
    add(CompiledOp{std::move(m), {q}, 0, 0});
    m.clear();
  };
  for (const CompiledOp& op : ops) {
    if (op.targets.size() == 1 && op.control_mask == 0) {
      Unitary& m = pending[static_cast<std::size_t>(op.targets[0])];
      m = m.empty() ? op.m : multiply(op.m, m);
      continue;
    }
    for (int t : op.targets) flush_qubit(t);
    for (int q = 0; q < num_qubits; ++q)
      if (op.control_mask & bit(q)) flush_qubit(q);
    add(op);
  }
  for (int q = 0; q < num_qubits; ++q) flush_qubit(q);
  flush_fold();
  return kernels;
}

// Applies the kernels to `count` state vectors stored one after another, a batch of vectors at
// a time so that the batch stays in cache while every kernel passes over it.
void run(const std::vector<Kernel>& kernels, int num_qubits, C* states, std::size_t count) {
  const std::size_t dim = bit(num_qubits);
  const std::size_t batch = std::max<std::size_t>(1, (std::size_t{1} << 15) / dim);
  std::vector<C> scratch(dim);
  for (std::size_t first = 0; first < count; first += batch) {
    const std::size_t last = std::min(count, first + batch);
    for (const Kernel& k : kernels)
      for (std::size_t v = first; v < last; ++v) {
        C* state = states + v * dim;
        switch (k.kind) {
          case Kernel::Kind::kDense: apply_dense(k.op, state, dim); break;
          case Kernel::Kind::kDiagonal:
            for (std::size_t i = 0; i < dim; ++i) state[i] = cmul(k.phase[i], state[i]);
            break;
          case Kernel::Kind::kMonomial:
            for (std::size_t i = 0; i < dim; ++i) scratch[k.perm[i]] = cmul(k.phase[i], state[i]);
            std::copy(scratch.begin(), scratch.end(), state);
            break;
        }
      }
  }
}

Unitary product_of(int num_qubits, const std::vector<CompiledOp>& circuit) {
  Unitary u = identity_unitary(num_qubits);
  run(plan(num_qubits, circuit), num_qubits, u.data(), bit(num_qubits));
  return u;
}

Unitary u2_gate(double phi, double lambda) { return u3_gate(kPi / 2, phi, lambda); }

Unitary rccx_gate() {
  // qelib1.inc: rccx a,b,c { u2(0,pi) c; u1(pi/4) c; cx b,c; u1(-pi/4) c; cx a,c; u1(pi/4) c;
  //                          cx b,c; u1(-pi/4) c; u2(0,pi) c; }
  const int a = 0, b = 1, c = 2;
  auto h = [&] { return on(u2_gate(0, kPi), {c}); };
  auto t = [&](double sign) { return on(phase_gate(sign * kPi / 4), {c}); };
  auto cx = [&](int control) { return on(x_gate(), {c}, {control}); };
  return product_of(3, {h(), t(1), cx(b), t(-1), cx(a), t(1), cx(b), t(-1), h()});
}

Unitary rc3x_gate() {
  // qelib1.inc: rc3x a,b,c,d { u2(0,pi) d; u1(pi/4) d; cx c,d; u1(-pi/4) d; u2(0,pi) d;
  //   cx a,d; u1(pi/4) d; cx b,d; u1(-pi/4) d; cx a,d; u1(pi/4) d; cx b,d; u1(-pi/4) d;
  //   u2(0,pi) d; u1(pi/4) d; cx c,d; u1(-pi/4) d; u2(0,pi) d; }
  const int a = 0, b = 1, c = 2, d = 3;
  auto h = [&] { return on(u2_gate(0, kPi), {d}); };
  auto t = [&](double sign) { return on(phase_gate(sign * kPi / 4), {d}); };
  auto cx = [&](int control) { return on(x_gate(), {d}, {control}); };
  return product_of(4, {h(), t(1), cx(c), t(-1), h(), cx(a), t(1), cx(b), t(-1), cx(a), t(1), cx(b), t(-1), h(),
                        t(1), cx(c), t(-1), h()});
}

const GateEntry* lookup(std::string_view name) {
  for (const GateEntry& g : kGateTable)
    if (g.name == name) return &g;
  return nullptr;
}

// A gate as (matrix on its trailing qubits, number of leading control qubits).
struct Form {
  Unitary base;
  int controls = 0;
};

Form form_of(std::string_view name, const std::vector<double>& p) {
  const GateEntry* g = lookup(name);
  if (!g) throw std::invalid_argument("unknown gate '" + std::string(name) + "'");
  if (static_cast<int>(p.size()) != g->shape.num_params)
    throw std::invalid_argument("gate '" + std::string(name) + "' takes " + std::to_string(g->shape.num_params) +
                                " parameter(s), got " + std::to_string(p.size()));
  for (double v : p)
    if (!std::isfinite(v)) throw std::invalid_argument("gate '" + std::string(name) + "' has a non-finite parameter");
  // single-qubit
  if (name == "U") return {u_gate(p[0], p[1], p[2])};
  if (name == "u" || name == "u3") return {u3_gate(p[0], p[1], p[2])};
  if (name == "u2") return {u2_gate(p[0], p[1])};
  if (name == "u1" || name == "p" || name == "phase") return {phase_gate(p[0])};
  if (name == "u0" || name == "id") return {mat2(1, 0, 0, 1)};
  if (name == "x") return {x_gate()};
  if (name == "y") return {y_gate()};
  if (name == "z") return {z_gate()};
  if (name == "h") return {h_gate()};
  if (name == "s") return {mat2(1, 0, 0, kI)};
  if (name == "sdg") return {mat2(1, 0, 0, -kI)};
  if (name == "t") return {phase_gate(kPi / 4)};
  if (name == "tdg") return {phase_gate(-kPi / 4)};
  if (name == "sx") return {sx_gate()};
  if (name == "sxdg") return {sxdg_gate()};
  if (name == "rx") return {rx_gate(p[0])};
  if (name == "ry") return {ry_gate(p[0])};
  if (name == "rz") return {rz_gate(p[0])};
  // two-qubit
  if (name == "cx" || name == "CX") return {x_gate(), 1};
  if (name == "cy") return {y_gate(), 1};
  if (name == "cz") return {z_gate(), 1};
  if (name == "ch") return {h_gate(), 1};
  if (name == "swap") return {swap_gate()};
  if (name == "cp" || name == "cphase" || name == "cu1") return {phase_gate(p[0]), 1};
  if (name == "crx") return {rx_gate(p[0]), 1};
  if (name == "cry") return {ry_gate(p[0]), 1};
  if (name == "crz") return {rz_gate(p[0]), 1};
  if (name == "cu") return {scaled(u_gate(p[0], p[1], p[2]), std::polar(1.0, p[3])), 1};
  if (name == "cu3") return {u3_gate(p[0], p[1], p[2]), 1};
  if (name == "csx") return {sx_gate(), 1};
  if (name == "rxx") return {rxx_gate(p[0])};
  if (name == "rzz") return {rzz_gate(p[0])};
  // three or more qubits
  if (name == "ccx") return {x_gate(), 2};
  if (name == "cswap") return {swap_gate(), 1};
  if (name == "c3x") return {x_gate(), 3};
  if (name == "c4x") return {x_gate(), 4};
  if (name == "c3sqrtx") return {sx_gate(), 3};
  if (name == "rccx") return {rccx_gate()};
  if (name == "rc3x") return {rc3x_gate()};
  throw std::logic_error("dense_unitary: gate table and matrices disagree on '" + std::string(name) + "'");
}


// ---------------------------------------------------------------------------------------------
// Matrix powers.

std::size_t dim_of(const Unitary& u) { return bit(unitary_qubits(u)); }

// Eigenvectors of a Hermitian matrix `a` by cyclic complex Jacobi rotations: a unitary V with
// V† a V diagonal. Each rotation J acts on coordinates p, q: J = diag(1, e^{-iφ}) · R, where
// a_pq = |a_pq| e^{iφ} and R is the real Jacobi rotation that zeroes the (now real) entry.
Unitary hermitian_eigenvectors(Unitary a) {
  const std::size_t d = dim_of(a);
  auto at = [d](Unitary& m, std::size_t r, std::size_t c) -> C& { return m[c * d + r]; };
  Unitary v = identity_unitary(unitary_qubits(a));
  double norm2 = 0;
  for (const C& x : a) norm2 += std::norm(x);
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0;
    for (std::size_t p = 0; p < d; ++p)
      for (std::size_t q = 0; q < d; ++q)
        if (p != q) off += std::norm(at(a, p, q));
    if (off <= 1e-30 * norm2 || off == 0) break;
    for (std::size_t p = 0; p < d; ++p)
      for (std::size_t q = p + 1; q < d; ++q) {
        const C apq = at(a, p, q);
        const double r = std::abs(apq);
        if (r == 0) continue;
        const C e = apq / r;
        const double theta = (at(a, q, q).real() - at(a, p, p).real()) / (2 * r);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1);
        const double s = t * c;
        const C jpp = c, jpq = s, jqp = -s * std::conj(e), jqq = c * std::conj(e);
        for (std::size_t k = 0; k < d; ++k) {  // a <- a J
          const C akp = at(a, k, p), akq = at(a, k, q);
          at(a, k, p) = akp * jpp + akq * jqp;
          at(a, k, q) = akp * jpq + akq * jqq;
        }
        for (std::size_t k = 0; k < d; ++k) {  // a <- J† a
          const C apk = at(a, p, k), aqk = at(a, q, k);
          at(a, p, k) = std::conj(jpp) * apk + std::conj(jqp) * aqk;
          at(a, q, k) = std::conj(jpq) * apk + std::conj(jqq) * aqk;
        }
        at(a, p, q) = 0;
        at(a, q, p) = 0;
        at(a, p, p) = at(a, p, p).real();
        at(a, q, q) = at(a, q, q).real();
        for (std::size_t k = 0; k < d; ++k) {  // v <- v J
          const C vkp = at(v, k, p), vkq = at(v, k, q);
          at(v, k, p) = vkp * jpp + vkq * jqp;
          at(v, k, q) = vkp * jpq + vkq * jqq;
        }
      }
  }
  return v;
}

double max_off_diagonal(const Unitary& m) {
  const std::size_t d = dim_of(m);
  double worst = 0;
  for (std::size_t c = 0; c < d; ++c)
    for (std::size_t r = 0; r < d; ++r)
      if (r != c) worst = std::max(worst, std::abs(m[c * d + r]));
  return worst;
}

// A unitary u = V diag(λ) V†. The Hermitian matrix (e^{-iα}u + e^{iα}u†)/2 commutes with u and
// has eigenvalues cos(arg λ - α); its eigenvectors diagonalise u unless two distinct λ sit
// symmetrically about angle α, so a few α are tried and the best result is kept.
struct Eigen {
  Unitary vectors;
  std::vector<C> values;
};

Eigen unitary_eigen(const Unitary& u) {
  const std::size_t d = dim_of(u);
  const Unitary u_dag = adjoint(u);
  Eigen best;
  double best_residual = std::numeric_limits<double>::infinity();
  for (double alpha : {0.0, 0.6180339887498949, 1.4142135623730951, 2.718281828459045, -0.5772156649015329}) {
    const C e = std::polar(1.0, alpha);
    Unitary h(u.size());
    for (std::size_t i = 0; i < u.size(); ++i) h[i] = (std::conj(e) * u[i] + e * u_dag[i]) / 2.0;
    Unitary v = hermitian_eigenvectors(std::move(h));
    Unitary diag = multiply(adjoint(v), multiply(u, v));
    const double residual = max_off_diagonal(diag);
    if (residual < best_residual) {
      best_residual = residual;
      best.vectors = std::move(v);
      best.values.clear();
      for (std::size_t j = 0; j < d; ++j) best.values.push_back(diag[j * d + j]);
    }
    if (best_residual < 1e-13) break;
  }
  if (!(best_residual < 1e-9))
    throw std::invalid_argument("matrix_power: could not diagonalise the matrix (residual " +
                                std::to_string(best_residual) + ")");
  return best;
}


// ---------------------------------------------------------------------------------------------
// Programs.

std::string describe(const ir::Op& op) {
  std::string kind;
  if (const auto* g = std::get_if<ir::GateOp>(&op.v)) kind = "gate '" + g->name + "'";
  else if (std::holds_alternative<ir::MeasureOp>(op.v)) kind = "measure";
  else if (std::holds_alternative<ir::ResetOp>(op.v)) kind = "reset";
  else if (std::holds_alternative<ir::BarrierOp>(op.v)) kind = "barrier";
  else if (std::holds_alternative<ir::DelayOp>(op.v)) kind = "delay";
  else if (std::holds_alternative<ir::GlobalPhaseOp>(op.v)) kind = "gphase";
  else if (std::holds_alternative<ir::IfOp>(op.v)) kind = "if";
  else if (std::holds_alternative<ir::WhileOp>(op.v)) kind = "while";
  else if (std::holds_alternative<ir::AssignOp>(op.v)) kind = "assignment";
  else if (std::holds_alternative<ir::BreakOp>(op.v)) kind = "break";
  else kind = "continue";
  if (op.line > 0) kind += " at line " + std::to_string(op.line);
  return kind;
}

[[noreturn]] void reject(const ir::Op& op, const std::string& why) {
  throw std::invalid_argument("dense_unitary: " + describe(op) + ": " + why);
}

// A gate on its own local qubits: the leading controls.size() qubits are controls (true: the
// gate fires when that qubit is |1>, false: when it is |0>), the rest are the targets of `base`.
struct LocalGate {
  Unitary base;
  std::vector<bool> controls;
};

// Places a local gate on program qubits `qubits` (controls first) of an n-qubit circuit.
CompiledOp place(LocalGate g, const std::vector<int>& qubits, int n) {
  const int targets = unitary_qubits(g.base);
  const std::size_t arity = g.controls.size() + static_cast<std::size_t>(targets);
  if (qubits.size() != arity)
    throw std::invalid_argument("expects " + std::to_string(arity) + " qubit(s), got " + std::to_string(qubits.size()));
  for (std::size_t i = 0; i < qubits.size(); ++i) {
    const int q = qubits[i];
    if (q < 0 || q >= n) throw std::invalid_argument("qubit " + std::to_string(q) + " out of range");
    for (std::size_t j = 0; j < i; ++j)
      if (qubits[j] == q) throw std::invalid_argument("qubit " + std::to_string(q) + " used twice");
  }
  CompiledOp op;
  op.m = std::move(g.base);
  for (std::size_t i = 0; i < qubits.size(); ++i) {
    if (i < g.controls.size()) {
      op.control_mask |= bit(qubits[i]);
      if (g.controls[i]) op.control_value |= bit(qubits[i]);
    } else {
      op.targets.push_back(qubits[i]);
    }
  }
  return op;
}

ir::Angle evaluate(const ir::Expr& e, const std::vector<ir::Angle>& params, const char* what) {
  try {
    return ir::evaluate_angle(e, params);
  } catch (const std::exception& ex) {
    throw std::invalid_argument(std::string("cannot evaluate ") + what + ": " + ex.what());
  }
}

constexpr int kMaxDefinitionDepth = 64;

struct CompiledProgram {
  std::vector<CompiledOp> ops;
  double phase = 0;  // total global phase in radians
};

// Resolves gate applications (built-in, user-defined, gphase; with modifiers) into local gates.
class Evaluator {
 public:
  explicit Evaluator(const ir::Program& program) {
    for (const ir::GateDefinition& def : program.gate_defs) defs_[def.name] = &def;
  }

  // The gate `name` applied with actual parameters `params`, `extra_controls` positive controls
  // and `modifiers`; `enclosing` are the parameters of the definition the application sits in
  // (pow exponents are evaluated with them).
  LocalGate resolve(const std::string& name, const std::vector<ir::Angle>& params,
                    const std::vector<ir::Modifier>& modifiers, int extra_controls,
                    const std::vector<ir::Angle>& enclosing, int depth) {
    if (depth > kMaxDefinitionDepth)
      throw std::invalid_argument("gate definitions nested more than " + std::to_string(kMaxDefinitionDepth) +
                                  " deep (recursive definition?)");
    if (extra_controls < 0) throw std::invalid_argument("negative control count");
    LocalGate g;
    if (auto it = defs_.find(name); it != defs_.end()) {
      const ir::GateDefinition& def = *it->second;
      if (params.size() != def.param_names.size())
        throw std::invalid_argument("gate '" + name + "' takes " + std::to_string(def.param_names.size()) +
                                    " parameter(s), got " + std::to_string(params.size()));
      g.base = definition_unitary(def, params, depth + 1);
    } else if (name == "gphase") {
      if (params.size() != 1)
        throw std::invalid_argument("gphase takes 1 parameter, got " + std::to_string(params.size()));
      g.base = {std::polar(1.0, params[0].radians())};
    } else {
      std::vector<double> values;
      for (const ir::Angle& a : params) values.push_back(a.radians());
      Form form = form_of(name, values);
      g.base = std::move(form.base);
      g.controls.assign(static_cast<std::size_t>(form.controls), true);
    }
    g.controls.insert(g.controls.begin(), static_cast<std::size_t>(extra_controls), true);
    for (auto it = modifiers.rbegin(); it != modifiers.rend(); ++it) {
      switch (it->kind) {
        case ir::Modifier::Kind::kCtrl:
        case ir::Modifier::Kind::kNegCtrl:
          if (it->count < 1) throw std::invalid_argument("ctrl/negctrl count " + std::to_string(it->count) + " < 1");
          g.controls.insert(g.controls.begin(), static_cast<std::size_t>(it->count),
                            it->kind == ir::Modifier::Kind::kCtrl);
          break;
        case ir::Modifier::Kind::kInv: g.base = adjoint(g.base); break;
        case ir::Modifier::Kind::kPow: {
          if (!it->exponent) throw std::invalid_argument("pow modifier without an exponent");
          const double k = evaluate(*it->exponent, enclosing, "pow exponent").radians();
          g.base = matrix_power(g.base, k);
          break;
        }
      }
    }
    return g;
  }

  // A definition's unitary on its own qubits for the given actual parameters.
  Unitary definition_unitary(const ir::GateDefinition& def, const std::vector<ir::Angle>& params, int depth) {
    if (def.opaque) throw std::invalid_argument("opaque gate '" + def.name + "' has no body");
    std::pair<std::string, std::vector<double>> key{def.name, {}};
    for (const ir::Angle& a : params) key.second.push_back(a.radians());
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    const int n = static_cast<int>(def.qubit_names.size());
    if (n > kMaxUnitaryQubits)
      throw std::invalid_argument("gate '" + def.name + "' has " + std::to_string(n) + " qubits (limit " +
                                  std::to_string(kMaxUnitaryQubits) + ")");
    std::vector<CompiledOp> ops;
    double phase = 0;
    std::size_t phase_index = 0;
    for (const ir::Op& op : def.body) {
      try {
        if (std::holds_alternative<ir::GlobalPhaseOp>(op.v)) {
          if (phase_index >= def.phase_exprs.size()) throw std::invalid_argument("no phase expression for it");
          phase += evaluate(*def.phase_exprs[phase_index++], params, "phase").radians();
        } else if (const auto* g = std::get_if<ir::GateOp>(&op.v)) {
          std::vector<ir::Angle> actual = g->params;
          if (!g->param_exprs.empty()) {
            actual.clear();
            for (const ir::ExprPtr& e : g->param_exprs) {
              if (!e) throw std::invalid_argument("null parameter expression");
              actual.push_back(evaluate(*e, params, "parameter"));
            }
          }
          ops.push_back(place(resolve(g->name, actual, g->modifiers, g->controls, params, depth), g->qubits, n));
        } else if (!std::holds_alternative<ir::BarrierOp>(op.v) && !std::holds_alternative<ir::DelayOp>(op.v)) {
          throw std::invalid_argument("not allowed in a gate definition");
        }
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("in the body of gate '" + def.name + "', " + describe(op) + ": " + e.what());
      }
    }
    Unitary u = product_of(n, ops);
    if (phase != 0) u = scaled(std::move(u), std::polar(1.0, phase));
    cache_.emplace(std::move(key), u);
    return u;
  }

 private:
  std::map<std::string, const ir::GateDefinition*> defs_;
  std::map<std::pair<std::string, std::vector<double>>, Unitary> cache_;
};

CompiledProgram compile(const ir::Program& program) {
  const int n = program.num_qubits;
  CompiledProgram out;
  out.phase = program.global_phase.radians();
  Evaluator evaluator(program);
  for (const ir::Op& op : program.ops) {
    if (std::holds_alternative<ir::BarrierOp>(op.v) || std::holds_alternative<ir::DelayOp>(op.v)) continue;
    if (const auto* ph = std::get_if<ir::GlobalPhaseOp>(&op.v)) {
      out.phase += ph->phase.radians();
      continue;
    }
    const auto* g = std::get_if<ir::GateOp>(&op.v);
    if (!g) reject(op, "not a unitary operation");
    if (!g->param_exprs.empty()) reject(op, "symbolic parameters outside a gate definition");
    if (g->controls < 0) reject(op, "negative control count");
    try {
      out.ops.push_back(place(evaluator.resolve(g->name, g->params, g->modifiers, g->controls, {}, 0), g->qubits, n));
    } catch (const std::invalid_argument& e) {
      reject(op, e.what());
    }
  }
  return out;
}

std::size_t embed(std::size_t x, const std::vector<int>& layout) {
  std::size_t out = 0;
  for (std::size_t q = 0; q < layout.size(); ++q)
    if ((x >> q) & 1) out |= bit(layout[q]);
  return out;
}

void check_layout(const std::vector<int>& layout, int logical, int physical, const char* what) {
  if (static_cast<int>(layout.size()) != logical)
    throw std::invalid_argument(std::string("equivalent_after_layout: ") + what + " has " +
                                std::to_string(layout.size()) + " entries for " + std::to_string(logical) +
                                " logical qubits");
  std::vector<bool> used(static_cast<std::size_t>(physical), false);
  for (int p : layout) {
    if (p < 0 || p >= physical || used[static_cast<std::size_t>(p)])
      throw std::invalid_argument(std::string("equivalent_after_layout: ") + what +
                                  " is not an injective map into the physical qubits (entry " + std::to_string(p) +
                                  ")");
    used[static_cast<std::size_t>(p)] = true;
  }
}

// ---------------------------------------------------------------------------------------------
// Swaps. Routing inserts SWAPs, possibly spelled in native gates (three cz with single-qubit
// gates around them, ...). Whatever the spelling, consecutive gates on one pair of qubits whose
// product is e^{iφ} SWAP are a relabelling of those two qubits times a global phase.

std::size_t touched_mask(const CompiledOp& op) {
  std::size_t mask = op.control_mask;
  for (int t : op.targets) mask |= bit(t);
  return mask;
}

// A gate of a circuit, or (op == nullptr) a measurement of qubit `measured`.
struct Item {
  const CompiledOp* op = nullptr;
  int measured = -1;
};

struct SwapMatch {
  std::vector<std::size_t> members;  // item indices, ascending
  int a = 0;
  int b = 0;
  double phase = 0;
};

using Matrix4 = std::array<C, 16>;  // column-major

Matrix4 times(const Matrix4& x, const Matrix4& y) {
  Matrix4 out{};
  for (std::size_t c = 0; c < 4; ++c)
    for (std::size_t k = 0; k < 4; ++k) {
      const C ykc = y[c * 4 + k];
      if (ykc == C(0)) continue;
      for (std::size_t r = 0; r < 4; ++r) out[c * 4 + r] += cmul(x[k * 4 + r], ykc);
    }
  return out;
}

// Whether m = e^{iφ} SWAP (local bit 0 = first qubit of the pair), setting φ.
bool is_swap(const Matrix4& m, double& phase) {
  if (std::abs(std::abs(m[0]) - 1) > 1e-11) return false;
  const C ph = m[0] / std::abs(m[0]);
  static constexpr std::size_t kImage[4] = {0, 2, 1, 3};  // SWAP maps |01> and |10> to each other
  for (std::size_t c = 0; c < 4; ++c)
    for (std::size_t r = 0; r < 4; ++r)
      if (std::abs(m[c * 4 + r] - (r == kImage[c] ? ph : C(0))) > 1e-11) return false;
  phase = std::arg(ph);
  return true;
}

// Longest stretch of a run searched for one SWAP (a SWAP in native gates takes a few dozen).
constexpr std::size_t kSwapSearchWindow = 256;

// Finds SWAPs among `items` on n qubits. A run is a maximal stretch of gates acting only on
// one pair {a, b}, with no other gate or measurement on a or b in between; it starts with the
// single-qubit gates on a and b since their last multi-qubit gate or measurement (those may
// also end the previous run on a or b). Within each run, stretches whose product is e^{iφ} SWAP
// are matched from the left, never reusing a gate an earlier match took.
std::vector<SwapMatch> find_swaps(const std::vector<Item>& items, int n) {
  struct Run {
    int a, b;
    std::vector<std::size_t> members;
  };
  std::vector<Run> runs;
  std::vector<int> run_of(static_cast<std::size_t>(n), -1);
  std::vector<std::vector<std::size_t>> trailing(static_cast<std::size_t>(n));  // single-qubit gates
  auto close = [&](int q) {
    const int r = run_of[static_cast<std::size_t>(q)];
    if (r < 0) return;
    run_of[static_cast<std::size_t>(runs[static_cast<std::size_t>(r)].a)] = -1;
    run_of[static_cast<std::size_t>(runs[static_cast<std::size_t>(r)].b)] = -1;
  };
  for (std::size_t idx = 0; idx < items.size(); ++idx) {
    const Item& item = items[idx];
    if (!item.op) {
      close(item.measured);
      trailing[static_cast<std::size_t>(item.measured)].clear();
      continue;
    }
    std::vector<int> qubits;
    const std::size_t mask = touched_mask(*item.op);
    for (int q = 0; q < n; ++q)
      if (mask & bit(q)) qubits.push_back(q);
    if (qubits.size() == 1) {
      const auto q = static_cast<std::size_t>(qubits[0]);
      if (run_of[q] >= 0) runs[static_cast<std::size_t>(run_of[q])].members.push_back(idx);
      trailing[q].push_back(idx);
    } else if (qubits.size() == 2) {
      const auto a = static_cast<std::size_t>(qubits[0]);
      const auto b = static_cast<std::size_t>(qubits[1]);
      if (run_of[a] < 0 || run_of[a] != run_of[b]) {
        close(qubits[0]);
        close(qubits[1]);
        Run run{qubits[0], qubits[1], {}};
        std::merge(trailing[a].begin(), trailing[a].end(), trailing[b].begin(), trailing[b].end(),
                   std::back_inserter(run.members));
        run_of[a] = run_of[b] = static_cast<int>(runs.size());
        runs.push_back(std::move(run));
      }
      runs[static_cast<std::size_t>(run_of[a])].members.push_back(idx);
      trailing[a].clear();
      trailing[b].clear();
    } else {
      for (int q : qubits) {
        close(q);
        trailing[static_cast<std::size_t>(q)].clear();
      }
    }
  }
  std::vector<SwapMatch> matches;
  std::vector<bool> used(items.size(), false);
  for (const Run& run : runs) {
    std::vector<Matrix4> local;
    for (std::size_t idx : run.members) {
      const CompiledOp& op = *items[idx].op;
      CompiledOp l{op.m, {}, 0, 0};
      for (int t : op.targets) l.targets.push_back(t == run.a ? 0 : 1);
      if (op.control_mask & bit(run.a)) l.control_mask |= 1;
      if (op.control_mask & bit(run.b)) l.control_mask |= 2;
      if (op.control_value & bit(run.a)) l.control_value |= 1;
      if (op.control_value & bit(run.b)) l.control_value |= 2;
      const Unitary u = product_of(2, {std::move(l)});
      Matrix4 m;
      std::copy(u.begin(), u.end(), m.begin());
      local.push_back(m);
    }
    for (std::size_t i = 0; i < local.size();) {
      Matrix4 product{};
      for (std::size_t d = 0; d < 4; ++d) product[d * 4 + d] = 1;
      bool found = false;
      for (std::size_t j = i; j < local.size() && j < i + kSwapSearchWindow && !used[run.members[j]]; ++j) {
        product = times(local[j], product);
        double phase = 0;
        if (is_swap(product, phase)) {
          SwapMatch m{std::vector<std::size_t>(run.members.begin() + static_cast<std::ptrdiff_t>(i),
                                               run.members.begin() + static_cast<std::ptrdiff_t>(j) + 1),
                      run.a, run.b, phase};
          for (std::size_t idx : m.members) used[idx] = true;
          matches.push_back(std::move(m));
          i = j + 1;
          found = true;
          break;
        }
      }
      if (!found) ++i;
    }
  }
  return matches;
}

// A circuit with its SWAPs turned into relabellings: `ops` act on wires (wire w starts on
// physical qubit w), wire_at[p] is the wire on physical qubit p at the end, and the matched
// SWAPs' phases are added to `phase`.
struct Relabelled {
  std::vector<CompiledOp> ops;
  std::vector<int> wire_at;
  double phase = 0;
};

Relabelled relabel_swaps(const CompiledProgram& program, int n) {
  std::vector<Item> items;
  for (const CompiledOp& op : program.ops) items.push_back({&op, -1});
  const std::vector<SwapMatch> matches = find_swaps(items, n);
  std::vector<int> ends_match(items.size(), -1);
  std::vector<bool> matched(items.size(), false);
  Relabelled out;
  out.phase = program.phase;
  for (std::size_t m = 0; m < matches.size(); ++m) {
    for (std::size_t idx : matches[m].members) matched[idx] = true;
    ends_match[matches[m].members.back()] = static_cast<int>(m);
    out.phase += matches[m].phase;
  }
  out.wire_at.resize(static_cast<std::size_t>(n));
  std::iota(out.wire_at.begin(), out.wire_at.end(), 0);
  auto rename_mask = [&](std::size_t mask) {
    std::size_t r = 0;
    for (int q = 0; q < n; ++q)
      if (mask & bit(q)) r |= bit(out.wire_at[static_cast<std::size_t>(q)]);
    return r;
  };
  for (std::size_t idx = 0; idx < items.size(); ++idx) {
    if (ends_match[idx] >= 0) {
      // The whole SWAP happens here: its gates commute past everything between them that
      // touches neither qubit, and nothing in between touches them.
      const SwapMatch& m = matches[static_cast<std::size_t>(ends_match[idx])];
      std::swap(out.wire_at[static_cast<std::size_t>(m.a)], out.wire_at[static_cast<std::size_t>(m.b)]);
      continue;
    }
    if (matched[idx]) continue;
    const CompiledOp& op = program.ops[idx];
    CompiledOp r{op.m, {}, rename_mask(op.control_mask), rename_mask(op.control_value)};
    for (int t : op.targets) r.targets.push_back(out.wire_at[static_cast<std::size_t>(t)]);
    out.ops.push_back(std::move(r));
  }
  return out;
}

}  // namespace

std::optional<GateShape> known_gate(std::string_view name) {
  if (const GateEntry* g = lookup(name)) return g->shape;
  return std::nullopt;
}

Unitary gate_unitary(std::string_view name, const std::vector<double>& params, int extra_controls) {
  if (extra_controls < 0) throw std::invalid_argument("gate_unitary: negative control count");
  Form form = form_of(name, params);
  const int controls = extra_controls + form.controls;
  const int k = lookup(name)->shape.num_qubits + extra_controls;
  if (k > kMaxUnitaryQubits) throw std::invalid_argument("gate_unitary: too many qubits");
  std::vector<int> targets;
  std::vector<int> control_qubits;
  for (int q = 0; q < k; ++q) (q < controls ? control_qubits : targets).push_back(q);
  return product_of(k, {on(std::move(form.base), targets, control_qubits)});
}

Unitary identity_unitary(int num_qubits) {
  if (num_qubits < 0 || num_qubits > kMaxUnitaryQubits)
    throw std::invalid_argument("identity_unitary: " + std::to_string(num_qubits) + " qubits is out of range");
  const std::size_t dim = bit(num_qubits);
  Unitary u(dim * dim, 0.0);
  for (std::size_t i = 0; i < dim; ++i) u[i * dim + i] = 1;
  return u;
}

int unitary_qubits(const Unitary& u) {
  for (int n = 0; n <= 2 * kMaxUnitaryQubits; ++n) {
    const std::size_t dim = bit(n);
    if (dim * dim == u.size()) return n;
    if (dim * dim > u.size()) break;
  }
  throw std::invalid_argument("unitary_qubits: size " + std::to_string(u.size()) + " is not 4^n");
}

Unitary multiply(const Unitary& a, const Unitary& b) {
  if (a.size() != b.size()) throw std::invalid_argument("multiply: size mismatch");
  const std::size_t dim = bit(unitary_qubits(a));
  Unitary out(a.size(), 0.0);
  for (std::size_t col = 0; col < dim; ++col)
    for (std::size_t k = 0; k < dim; ++k) {
      const C bk = b[col * dim + k];
      if (bk == C(0)) continue;
      for (std::size_t row = 0; row < dim; ++row) out[col * dim + row] += a[k * dim + row] * bk;
    }
  return out;
}

Unitary adjoint(const Unitary& u) {
  const std::size_t dim = bit(unitary_qubits(u));
  Unitary out(u.size());
  for (std::size_t col = 0; col < dim; ++col)
    for (std::size_t row = 0; row < dim; ++row) out[row * dim + col] = std::conj(u[col * dim + row]);
  return out;
}

Unitary matrix_power(const Unitary& u, double k) {
  if (!std::isfinite(k)) throw std::invalid_argument("matrix_power: exponent is not finite");
  const int n = unitary_qubits(u);
  if (k == std::floor(k)) {
    if (std::fabs(k) > 9007199254740992.0) throw std::invalid_argument("matrix_power: exponent too large");
    Unitary base = k < 0 ? adjoint(u) : u;
    auto e = static_cast<std::uint64_t>(std::fabs(k));
    Unitary result = identity_unitary(n);
    while (e > 0) {
      if (e & 1) result = multiply(base, result);
      e >>= 1;
      if (e > 0) base = multiply(base, base);
    }
    return result;
  }
  if (n > kMaxFractionalPowerQubits)
    throw std::invalid_argument("matrix_power: non-integer power " + std::to_string(k) + " of a " + std::to_string(n) +
                                "-qubit gate (limit " + std::to_string(kMaxFractionalPowerQubits) + ")");
  if (!equal_exactly(multiply(adjoint(u), u), identity_unitary(n), 1e-9))
    throw std::invalid_argument("matrix_power: non-integer power of a matrix that is not unitary");
  const Eigen eig = unitary_eigen(u);
  const std::size_t d = eig.values.size();
  Unitary scaled_vectors = eig.vectors;  // V diag(λ^k)
  for (std::size_t j = 0; j < d; ++j) {
    double angle = std::arg(eig.values[j]);
    if (angle <= -kPi + 1e-9) angle = kPi;  // principal branch: arg in (-π, π], so -1 = e^{iπ}
    const C factor = std::polar(1.0, k * angle);
    for (std::size_t r = 0; r < d; ++r) scaled_vectors[j * d + r] *= factor;
  }
  return multiply(scaled_vectors, adjoint(eig.vectors));
}

Unitary unitary_of(const ir::Program& program) {
  if (program.num_qubits < 0 || program.num_qubits > kMaxUnitaryQubits)
    throw std::invalid_argument("unitary_of: " + std::to_string(program.num_qubits) + " qubits (limit " +
                                std::to_string(kMaxUnitaryQubits) + ")");
  const CompiledProgram compiled = compile(program);
  Unitary u = product_of(program.num_qubits, compiled.ops);
  if (compiled.phase != 0) u = scaled(std::move(u), std::polar(1.0, compiled.phase));
  return u;
}

ir::Program without_terminal_measurements(const ir::Program& program) {
  const int n = program.num_qubits;
  ir::Program out = program;
  out.ops.clear();
  std::vector<bool> measured(static_cast<std::size_t>(std::max(n, 0)), false);
  bool gate_after_measure = false;
  for (const ir::Op& op : program.ops) {
    if (const auto* m = std::get_if<ir::MeasureOp>(&op.v)) {
      if (m->qubit < 0 || m->qubit >= n)
        throw std::invalid_argument("without_terminal_measurements: " + describe(op) + " on qubit " +
                                    std::to_string(m->qubit) + " out of range");
      measured[static_cast<std::size_t>(m->qubit)] = true;
    } else if (const auto* g = std::get_if<ir::GateOp>(&op.v)) {
      for (int q : g->qubits) gate_after_measure |= q >= 0 && q < n && measured[static_cast<std::size_t>(q)];
      out.ops.push_back(op);
    } else if (std::holds_alternative<ir::DelayOp>(op.v) || std::holds_alternative<ir::GlobalPhaseOp>(op.v)) {
      out.ops.push_back(op);
    } else if (!std::holds_alternative<ir::BarrierOp>(op.v)) {
      throw std::invalid_argument("without_terminal_measurements: " + describe(op) + " is not unitary");
    }
  }
  if (!gate_after_measure) return out;

  // Some gate acts on a measured qubit. That is still a terminal measurement when the gates
  // on it after the measurement only swap it elsewhere: find the SWAPs by their products.
  Evaluator evaluator(program);
  std::vector<CompiledOp> gates;
  for (const ir::Op& op : program.ops)
    if (const auto* g = std::get_if<ir::GateOp>(&op.v)) {
      if (!g->param_exprs.empty()) reject(op, "symbolic parameters outside a gate definition");
      try {
        gates.push_back(place(evaluator.resolve(g->name, g->params, g->modifiers, g->controls, {}, 0), g->qubits, n));
      } catch (const std::invalid_argument& e) {
        reject(op, e.what());
      }
    }
  std::vector<Item> items;
  std::vector<const ir::Op*> item_source;
  std::size_t next_gate = 0;
  for (const ir::Op& op : program.ops) {
    if (const auto* m = std::get_if<ir::MeasureOp>(&op.v)) {
      items.push_back({nullptr, m->qubit});
      item_source.push_back(&op);
    } else if (std::holds_alternative<ir::GateOp>(op.v)) {
      items.push_back({&gates[next_gate++], -1});
      item_source.push_back(&op);
    }
  }
  const std::vector<SwapMatch> matches = find_swaps(items, n);
  std::vector<int> match_of(items.size(), -1);
  for (std::size_t m = 0; m < matches.size(); ++m)
    for (std::size_t idx : matches[m].members) match_of[idx] = static_cast<int>(m);
  std::fill(measured.begin(), measured.end(), false);
  for (std::size_t idx = 0; idx < items.size(); ++idx) {
    const Item& item = items[idx];
    if (!item.op) {
      measured[static_cast<std::size_t>(item.measured)] = true;
      continue;
    }
    if (match_of[idx] >= 0) {
      const SwapMatch& m = matches[static_cast<std::size_t>(match_of[idx])];
      if (idx == m.members.back()) {
        const bool measured_a = measured[static_cast<std::size_t>(m.a)];
        measured[static_cast<std::size_t>(m.a)] = measured[static_cast<std::size_t>(m.b)];
        measured[static_cast<std::size_t>(m.b)] = measured_a;
      }
      continue;
    }
    const std::size_t mask = touched_mask(*item.op);
    for (int q = 0; q < n; ++q)
      if ((mask & bit(q)) && measured[static_cast<std::size_t>(q)])
        throw std::invalid_argument("without_terminal_measurements: " + describe(*item_source[idx]) +
                                    " acts on qubit " + std::to_string(q) +
                                    " after it was measured (not a terminal measurement)");
  }
  return out;
}

bool equal_exactly(const Unitary& a, const Unitary& b, double tol) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(std::abs(a[i] - b[i]) <= tol)) return false;
  return true;
}

bool equal_up_to_global_phase(const Unitary& a, const Unitary& b, double tol) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  std::size_t best = 0;
  for (std::size_t i = 1; i < a.size(); ++i)
    if (std::abs(a[i]) > std::abs(a[best])) best = i;
  C phase = 1;
  if (std::abs(a[best]) > tol) {
    const C ratio = b[best] / a[best];
    if (std::abs(ratio) < 1e-12) return false;
    phase = ratio / std::abs(ratio);
  }
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(std::abs(b[i] - phase * a[i]) <= tol)) return false;
  return true;
}

Unitary permute_qubits(const Unitary& u, const std::vector<int>& perm) {
  const int n = unitary_qubits(u);
  if (static_cast<int>(perm.size()) != n)
    throw std::invalid_argument("permute_qubits: permutation of " + std::to_string(perm.size()) + " entries for " +
                                std::to_string(n) + " qubits");
  std::vector<bool> seen(perm.size(), false);
  for (int p : perm) {
    if (p < 0 || p >= n || seen[static_cast<std::size_t>(p)])
      throw std::invalid_argument("permute_qubits: not a permutation (entry " + std::to_string(p) + ")");
    seen[static_cast<std::size_t>(p)] = true;
  }
  const std::size_t dim = bit(n);
  std::vector<std::size_t> map(dim);
  for (std::size_t x = 0; x < dim; ++x) map[x] = embed(x, perm);
  Unitary out(u.size());
  for (std::size_t col = 0; col < dim; ++col)
    for (std::size_t row = 0; row < dim; ++row) out[map[col] * dim + map[row]] = u[col * dim + row];
  return out;
}

namespace {

// Physical programs can be larger than the largest state simulated, as long as the qubits they
// use are not; this bound only keeps basis-state indices inside a std::size_t.
constexpr int kMaxPhysicalProgramQubits = 60;

// The fallback of equivalent_after_layout: simulates the relabelled circuit on the wires it
// needs, for every logical basis state.
bool simulate_layout(const Unitary& expected, const Relabelled& wires, int np, const std::vector<int>& initial,
                     const std::vector<int>& final_layout, double tol) {
  const int nl = unitary_qubits(expected);
  std::vector<int> index_of(static_cast<std::size_t>(np), -1);
  int na = 0;
  auto use = [&](int wire) {
    if (index_of[static_cast<std::size_t>(wire)] < 0) index_of[static_cast<std::size_t>(wire)] = na++;
  };
  // a logical qubit's output position holds wire wire_at[final_layout[q]]
  std::vector<int> out_wires;
  for (int q = 0; q < nl; ++q)
    out_wires.push_back(wires.wire_at[static_cast<std::size_t>(final_layout[static_cast<std::size_t>(q)])]);
  for (int q = 0; q < nl; ++q) use(initial[static_cast<std::size_t>(q)]);
  for (int w : out_wires) use(w);
  for (const CompiledOp& op : wires.ops) {
    const std::size_t mask = touched_mask(op);
    for (int q = 0; q < np; ++q)
      if (mask & bit(q)) use(q);
  }
  if (na > kMaxLayoutPhysicalQubits)
    throw std::invalid_argument("equivalent_after_layout: the program uses " + std::to_string(na) +
                                " physical qubits (limit " + std::to_string(kMaxLayoutPhysicalQubits) + ")");
  auto remap_mask = [&](std::size_t mask) {
    std::size_t out = 0;
    for (int q = 0; q < np; ++q)
      if (mask & bit(q)) out |= bit(index_of[static_cast<std::size_t>(q)]);
    return out;
  };
  std::vector<CompiledOp> ops;
  for (const CompiledOp& op : wires.ops) {
    CompiledOp r{op.m, {}, remap_mask(op.control_mask), remap_mask(op.control_value)};
    for (int t : op.targets) r.targets.push_back(index_of[static_cast<std::size_t>(t)]);
    ops.push_back(std::move(r));
  }
  std::vector<int> in_layout, out_layout;
  for (int q = 0; q < nl; ++q) {
    in_layout.push_back(index_of[static_cast<std::size_t>(initial[static_cast<std::size_t>(q)])]);
    out_layout.push_back(index_of[static_cast<std::size_t>(out_wires[static_cast<std::size_t>(q)])]);
  }

  const std::vector<Kernel> kernels = plan(na, ops);
  const C physical_phase = std::polar(1.0, wires.phase);
  const std::size_t dim_l = bit(nl);
  const std::size_t dim_a = bit(na);
  std::vector<std::size_t> out_index(dim_l);
  for (std::size_t y = 0; y < dim_l; ++y) out_index[y] = embed(y, out_layout);
  const std::size_t batch = std::max<std::size_t>(1, (std::size_t{1} << 16) / dim_a);
  std::vector<C> states(batch * dim_a);
  std::vector<C> want(dim_a);
  bool have_phase = false;
  C phase = 1;
  for (std::size_t first = 0; first < dim_l; first += batch) {
    const std::size_t count = std::min(batch, dim_l - first);
    std::fill(states.begin(), states.end(), C(0));
    for (std::size_t v = 0; v < count; ++v) states[v * dim_a + embed(first + v, in_layout)] = 1;
    run(kernels, na, states.data(), count);
    for (std::size_t v = 0; v < count; ++v) {
      C* state = states.data() + v * dim_a;
      for (std::size_t i = 0; i < dim_a; ++i) state[i] *= physical_phase;
      const C* column = expected.data() + (first + v) * dim_l;
      if (!have_phase) {
        // Fix the global phase from the largest expected entry of the first column (its
        // magnitude is at least 2^{-nl/2}, far above any sensible tolerance).
        std::size_t best = 0;
        for (std::size_t y = 1; y < dim_l; ++y)
          if (std::abs(column[y]) > std::abs(column[best])) best = y;
        const C ratio = state[out_index[best]] / column[best];
        if (std::abs(ratio) < 1e-12) return false;
        phase = ratio / std::abs(ratio);
        have_phase = true;
      }
      std::fill(want.begin(), want.end(), C(0));
      for (std::size_t y = 0; y < dim_l; ++y) want[out_index[y]] = phase * column[y];
      for (std::size_t i = 0; i < dim_a; ++i)
        if (!(std::abs(state[i] - want[i]) <= tol)) return false;
    }
  }
  return true;
}

}  // namespace

bool equivalent_after_layout(const ir::Program& logical, const ir::Program& physical, double tol) {
  const int nl = logical.num_qubits;
  if (nl < 0 || nl > kMaxLayoutLogicalQubits)
    throw std::invalid_argument("equivalent_after_layout: " + std::to_string(nl) + " logical qubits (limit " +
                                std::to_string(kMaxLayoutLogicalQubits) + ")");
  return equivalent_after_layout(unitary_of(logical), physical, tol);
}

bool equivalent_after_layout(const Unitary& expected, const ir::Program& physical, double tol) {
  const int nl = unitary_qubits(expected);
  const int np = physical.num_qubits;
  if (nl > kMaxLayoutLogicalQubits)
    throw std::invalid_argument("equivalent_after_layout: " + std::to_string(nl) + " logical qubits (limit " +
                                std::to_string(kMaxLayoutLogicalQubits) + ")");
  if (np < 0 || np > kMaxPhysicalProgramQubits)
    throw std::invalid_argument("equivalent_after_layout: " + std::to_string(np) + " physical qubits (limit " +
                                std::to_string(kMaxPhysicalProgramQubits) + ")");
  std::vector<int> initial = physical.initial_layout;
  if (initial.empty())
    for (int q = 0; q < nl; ++q) initial.push_back(q);
  const std::vector<int> final_layout = physical.final_layout.empty() ? initial : physical.final_layout;
  check_layout(initial, nl, np, "initial_layout");
  check_layout(final_layout, nl, np, "final_layout");

  const Relabelled wires = relabel_swaps(compile(physical), np);
  std::vector<int> logical_of_wire(static_cast<std::size_t>(np), -1);
  for (int q = 0; q < nl; ++q) logical_of_wire[static_cast<std::size_t>(initial[static_cast<std::size_t>(q)])] = q;
  bool only_logical_wires = true;
  for (const CompiledOp& op : wires.ops) {
    const std::size_t mask = touched_mask(op);
    for (int q = 0; q < np; ++q)
      if ((mask & bit(q)) && logical_of_wire[static_cast<std::size_t>(q)] < 0) only_logical_wires = false;
  }
  if (!only_logical_wires) return simulate_layout(expected, wires, np, initial, final_layout, tol);

  // Every op acts on the logical qubits' wires: evaluate them as a logical circuit. Logical
  // qubit q's wire ends on physical qubit position_of[initial[q]], which must be where the final
  // layout puts some logical qubit sigma[q]; the output then carries bit q at bit sigma[q].
  std::vector<int> position_of(static_cast<std::size_t>(np));
  for (int p = 0; p < np; ++p) position_of[static_cast<std::size_t>(wires.wire_at[static_cast<std::size_t>(p)])] = p;
  std::vector<int> sigma(static_cast<std::size_t>(nl), -1);
  for (int q = 0; q < nl; ++q) {
    const int end = position_of[static_cast<std::size_t>(initial[static_cast<std::size_t>(q)])];
    for (int r = 0; r < nl; ++r)
      if (final_layout[static_cast<std::size_t>(r)] == end) sigma[static_cast<std::size_t>(q)] = r;
    if (sigma[static_cast<std::size_t>(q)] < 0) return false;  // it ends where no logical qubit should be
  }
  auto to_logical = [&](std::size_t mask) {
    std::size_t out = 0;
    for (int q = 0; q < np; ++q)
      if (mask & bit(q)) out |= bit(logical_of_wire[static_cast<std::size_t>(q)]);
    return out;
  };
  std::vector<CompiledOp> ops;
  for (const CompiledOp& op : wires.ops) {
    CompiledOp r{op.m, {}, to_logical(op.control_mask), to_logical(op.control_value)};
    for (int t : op.targets) r.targets.push_back(logical_of_wire[static_cast<std::size_t>(t)]);
    ops.push_back(std::move(r));
  }
  Unitary u = product_of(nl, ops);
  const C phase = std::polar(1.0, wires.phase);
  const std::size_t dim = bit(nl);
  std::vector<std::size_t> row_map(dim);
  for (std::size_t y = 0; y < dim; ++y) row_map[y] = embed(y, sigma);
  Unitary relabelled(u.size());
  for (std::size_t col = 0; col < dim; ++col)
    for (std::size_t row = 0; row < dim; ++row) relabelled[col * dim + row_map[row]] = phase * u[col * dim + row];
  return equal_up_to_global_phase(expected, relabelled, tol);
}

}  // namespace qontos::testing
