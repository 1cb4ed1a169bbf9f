#include "support/dense_unitary.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <stdexcept>
#include <string>
#include <utility>

namespace qontos::testing {
namespace {

using C = std::complex<double>;
constexpr double kPi = std::numbers::pi;
const C kI(0.0, 1.0);

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
// acts on the targets of the basis states whose control bits are all 1.
struct CompiledOp {
  Unitary m;
  std::vector<int> targets;
  std::size_t control_mask = 0;
};

void apply(const CompiledOp& op, C* state, int num_qubits) {
  const std::size_t dim = std::size_t{1} << num_qubits;
  const std::size_t d = std::size_t{1} << op.targets.size();
  std::vector<std::size_t> offsets(d, 0);
  std::size_t target_mask = 0;
  for (std::size_t b = 0; b < op.targets.size(); ++b) target_mask |= std::size_t{1} << op.targets[b];
  for (std::size_t j = 0; j < d; ++j)
    for (std::size_t b = 0; b < op.targets.size(); ++b)
      if ((j >> b) & 1) offsets[j] |= std::size_t{1} << op.targets[b];
  std::vector<C> in(d);
  for (std::size_t i = 0; i < dim; ++i) {
    if ((i & target_mask) != 0 || (i & op.control_mask) != op.control_mask) continue;
    for (std::size_t j = 0; j < d; ++j) in[j] = state[i | offsets[j]];
    for (std::size_t r = 0; r < d; ++r) {
      C sum = 0;
      for (std::size_t c = 0; c < d; ++c) sum += op.m[c * d + r] * in[c];
      state[i | offsets[r]] = sum;
    }
  }
}

void apply_to_columns(const CompiledOp& op, Unitary& u, int num_qubits) {
  const std::size_t dim = std::size_t{1} << num_qubits;
  for (std::size_t col = 0; col < dim; ++col) apply(op, u.data() + col * dim, num_qubits);
}

CompiledOp on(Unitary m, std::vector<int> targets, std::vector<int> controls = {}) {
  CompiledOp op{std::move(m), std::move(targets), 0};
  for (int c : controls) op.control_mask |= std::size_t{1} << c;
  return op;
}

Unitary product_of(int num_qubits, const std::vector<CompiledOp>& circuit) {
  Unitary u = identity_unitary(num_qubits);
  for (const CompiledOp& op : circuit) apply_to_columns(op, u, num_qubits);
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

struct CompiledProgram {
  std::vector<CompiledOp> ops;
  double phase = 0;  // total global phase in radians
};

CompiledProgram compile(const ir::Program& program) {
  const int n = program.num_qubits;
  CompiledProgram out;
  out.phase = program.global_phase.radians();
  for (const ir::Op& op : program.ops) {
    if (std::holds_alternative<ir::BarrierOp>(op.v) || std::holds_alternative<ir::DelayOp>(op.v)) continue;
    if (const auto* ph = std::get_if<ir::GlobalPhaseOp>(&op.v)) {
      out.phase += ph->phase.radians();
      continue;
    }
    const auto* g = std::get_if<ir::GateOp>(&op.v);
    if (!g) reject(op, "not a unitary operation");
    if (!g->modifiers.empty()) reject(op, "gate modifiers are present (run inline first)");
    if (!g->param_exprs.empty()) reject(op, "symbolic parameters are present");
    for (const ir::GateDefinition& def : program.gate_defs)
      if (def.name == g->name) reject(op, "a user-defined gate (run inline first)");
    const GateEntry* entry = lookup(g->name);
    if (!entry) reject(op, "unknown gate");
    if (g->controls < 0) reject(op, "negative control count");
    if (static_cast<int>(g->params.size()) != entry->shape.num_params)
      reject(op, "expects " + std::to_string(entry->shape.num_params) + " parameter(s), got " +
                     std::to_string(g->params.size()));
    const int arity = g->controls + entry->shape.num_qubits;
    if (static_cast<int>(g->qubits.size()) != arity)
      reject(op, "expects " + std::to_string(arity) + " qubit(s), got " + std::to_string(g->qubits.size()));
    for (std::size_t i = 0; i < g->qubits.size(); ++i) {
      const int q = g->qubits[i];
      if (q < 0 || q >= n) reject(op, "qubit " + std::to_string(q) + " out of range");
      for (std::size_t j = 0; j < i; ++j)
        if (g->qubits[j] == q) reject(op, "qubit " + std::to_string(q) + " used twice");
    }
    std::vector<double> params;
    for (const ir::Angle& a : g->params) params.push_back(a.radians());
    Form form;
    try {
      form = form_of(g->name, params);
    } catch (const std::invalid_argument& e) {
      reject(op, e.what());
    }
    const std::size_t controls = static_cast<std::size_t>(g->controls + form.controls);
    CompiledOp c{std::move(form.base), std::vector<int>(g->qubits.begin() + static_cast<std::ptrdiff_t>(controls),
                                                        g->qubits.end()),
                 0};
    for (std::size_t i = 0; i < controls; ++i) c.control_mask |= std::size_t{1} << g->qubits[i];
    out.ops.push_back(std::move(c));
  }
  return out;
}

std::size_t embed(std::size_t x, const std::vector<int>& layout) {
  std::size_t out = 0;
  for (std::size_t q = 0; q < layout.size(); ++q)
    if ((x >> q) & 1) out |= std::size_t{1} << layout[q];
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
  const std::size_t dim = std::size_t{1} << num_qubits;
  Unitary u(dim * dim, 0.0);
  for (std::size_t i = 0; i < dim; ++i) u[i * dim + i] = 1;
  return u;
}

int unitary_qubits(const Unitary& u) {
  for (int n = 0; n <= 2 * kMaxUnitaryQubits; ++n) {
    const std::size_t dim = std::size_t{1} << n;
    if (dim * dim == u.size()) return n;
    if (dim * dim > u.size()) break;
  }
  throw std::invalid_argument("unitary_qubits: size " + std::to_string(u.size()) + " is not 4^n");
}

Unitary multiply(const Unitary& a, const Unitary& b) {
  if (a.size() != b.size()) throw std::invalid_argument("multiply: size mismatch");
  const std::size_t dim = std::size_t{1} << unitary_qubits(a);
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
  const std::size_t dim = std::size_t{1} << unitary_qubits(u);
  Unitary out(u.size());
  for (std::size_t col = 0; col < dim; ++col)
    for (std::size_t row = 0; row < dim; ++row) out[row * dim + col] = std::conj(u[col * dim + row]);
  return out;
}

Unitary unitary_of(const ir::Program& program) {
  if (program.num_qubits < 0 || program.num_qubits > kMaxUnitaryQubits)
    throw std::invalid_argument("unitary_of: " + std::to_string(program.num_qubits) + " qubits (limit " +
                                std::to_string(kMaxUnitaryQubits) + ")");
  const CompiledProgram compiled = compile(program);
  Unitary u = identity_unitary(program.num_qubits);
  for (const CompiledOp& op : compiled.ops) apply_to_columns(op, u, program.num_qubits);
  if (compiled.phase != 0) u = scaled(std::move(u), std::polar(1.0, compiled.phase));
  return u;
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
  const std::size_t dim = std::size_t{1} << n;
  std::vector<std::size_t> map(dim);
  for (std::size_t x = 0; x < dim; ++x) map[x] = embed(x, perm);
  Unitary out(u.size());
  for (std::size_t col = 0; col < dim; ++col)
    for (std::size_t row = 0; row < dim; ++row) out[map[col] * dim + map[row]] = u[col * dim + row];
  return out;
}

bool equivalent_after_layout(const ir::Program& logical, const ir::Program& physical, double tol) {
  const int nl = logical.num_qubits;
  const int np = physical.num_qubits;
  if (nl < 0 || nl > kMaxLayoutLogicalQubits)
    throw std::invalid_argument("equivalent_after_layout: " + std::to_string(nl) + " logical qubits (limit " +
                                std::to_string(kMaxLayoutLogicalQubits) + ")");
  if (np < 0 || np > kMaxLayoutPhysicalQubits)
    throw std::invalid_argument("equivalent_after_layout: " + std::to_string(np) + " physical qubits (limit " +
                                std::to_string(kMaxLayoutPhysicalQubits) + ")");
  std::vector<int> initial = physical.initial_layout;
  if (initial.empty())
    for (int q = 0; q < nl; ++q) initial.push_back(q);
  std::vector<int> final_layout = physical.final_layout.empty() ? initial : physical.final_layout;
  check_layout(initial, nl, np, "initial_layout");
  check_layout(final_layout, nl, np, "final_layout");

  const Unitary expected = unitary_of(logical);
  const CompiledProgram compiled = compile(physical);
  const C physical_phase = std::polar(1.0, compiled.phase);
  const std::size_t dim_l = std::size_t{1} << nl;
  const std::size_t dim_p = std::size_t{1} << np;
  std::vector<std::size_t> out_index(dim_l);
  for (std::size_t y = 0; y < dim_l; ++y) out_index[y] = embed(y, final_layout);

  std::vector<C> state(dim_p);
  std::vector<C> want(dim_p);
  bool have_phase = false;
  C phase = 1;
  for (std::size_t x = 0; x < dim_l; ++x) {
    std::fill(state.begin(), state.end(), C(0));
    state[embed(x, initial)] = 1;
    for (const CompiledOp& op : compiled.ops) apply(op, state.data(), np);
    for (C& amp : state) amp *= physical_phase;
    const C* column = expected.data() + x * dim_l;
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
    for (std::size_t i = 0; i < dim_p; ++i)
      if (!(std::abs(state[i] - want[i]) <= tol)) return false;
  }
  return true;
}

}  // namespace qontos::testing
