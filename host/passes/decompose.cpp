// Pass `decompose`: rewrites every gate into the device's native gate set, read from its
// descriptor (`native_gates`). Multi-qubit gates expand through exact identities (ccx into six
// cx, cp into two, multi-controlled gates by the Barenco et al. recursion C^k(U) = C(V) C^{k-1}X
// C(V†) C^{k-1}X C^{k-1}(V) with V² = U); cx becomes h·cz·h on cz devices; single-qubit gates
// become rz·sx·rz·sx·rz (or fewer) with exact angles. Uncontrolled global phases move into the
// program's global phase. Without a device, or with a device that accepts every IR gate, the
// program is unchanged.
#include "passes/decompose.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <map>
#include <set>

#include "device/descriptor.h"
#include "ir/gate_set.h"
#include "passes/pass.h"
#include "qasm/elaborate.h"

namespace qontos::passes {
namespace {

using ir::Angle;
using ir::GateOp;
using ir::Op;
using ir::OpList;
using C = std::complex<double>;

Angle pi(std::int64_t n, std::int64_t d) { return Angle::pi_times(*ir::Rational::make(n, d)); }
Angle half(const Angle& a) { return a.scaled(ir::Rational{1, 2}); }

// Exact identities for multi-qubit gates, in time order, over cx and single-qubit gates.
const char* const kRules = R"(include "stdgates.inc";
gate r_cy a, b { sdg b; cx a, b; s b; }
gate r_cz a, b { h b; cx a, b; h b; }
gate r_cx_by_cz a, b { h b; cz a, b; h b; }
gate r_ch a, b { ry(pi/4) b; cx a, b; ry(-pi/4) b; }
gate r_swap a, b { cx a, b; cx b, a; cx a, b; }
gate r_cp(l) a, b { p(l/2) a; cx a, b; p(-l/2) b; cx a, b; p(l/2) b; }
gate r_crz(t) a, b { rz(t/2) b; cx a, b; rz(-t/2) b; cx a, b; }
gate r_cry(t) a, b { ry(t/2) b; cx a, b; ry(-t/2) b; cx a, b; }
gate r_crx(t) a, b { h b; rz(t/2) b; cx a, b; rz(-t/2) b; cx a, b; h b; }
gate r_cu(th, ph, la, ga) c, t {
  p(ga + (ph + la)/2) c; rz((la - ph)/2) t; cx c, t; rz(-(ph + la)/2) t; ry(-th/2) t; cx c, t; ry(th/2) t; rz(ph) t;
}
gate r_rxx(t) a, b { h a; h b; cx a, b; rz(t) b; cx a, b; h a; h b; }
gate r_rzz(t) a, b { cx a, b; rz(t) b; cx a, b; }
gate r_ccx a, b, c {
  h c; cx b, c; tdg c; cx a, c; t c; cx b, c; tdg c; cx a, c; t b; t c; h c; cx a, b; t a; tdg b; cx a, b;
}
gate r_cswap a, b, c { cx c, b; ccx a, b, c; cx c, b; }
)";

const std::map<std::string, const ir::GateDefinition*>& rules() {
  static const ir::Program program = qasm::elaborate_source(kRules, "<decompose rules>");
  static const std::map<std::string, const ir::GateDefinition*> table = [] {
    std::map<std::string, const ir::GateDefinition*> t;
    for (const auto& d : program.gate_defs) t[d.name.substr(2)] = &d;
    return t;
  }();
  return table;
}

/// A single-qubit gate as e^{i·phase} U(theta, phi, lambda), exactly.
struct UForm {
  Angle theta, phi, lambda, phase;
};

std::optional<UForm> exact_u(const std::string& n, const std::vector<Angle>& a) {
  if (n == "U") return UForm{a[0], a[1], a[2], {}};
  if (n == "x") return UForm{pi(1, 1), {}, pi(1, 1), {}};
  if (n == "y") return UForm{pi(1, 1), pi(1, 2), pi(1, 2), {}};
  if (n == "h") return UForm{pi(1, 2), {}, pi(1, 1), {}};
  if (n == "rx") return UForm{a[0], pi(-1, 2), pi(1, 2), {}};
  if (n == "ry") return UForm{a[0], {}, {}, {}};
  if (n == "rz") return UForm{{}, {}, a[0], -half(a[0])};
  if (n == "p") return UForm{{}, {}, a[0], {}};
  if (n == "z") return UForm{{}, {}, pi(1, 1), {}};
  if (n == "s") return UForm{{}, {}, pi(1, 2), {}};
  if (n == "sdg") return UForm{{}, {}, pi(-1, 2), {}};
  if (n == "t") return UForm{{}, {}, pi(1, 4), {}};
  if (n == "tdg") return UForm{{}, {}, pi(-1, 4), {}};
  if (n == "sx") return UForm{pi(1, 2), pi(-1, 2), pi(1, 2), pi(1, 4)};
  if (n == "sxdg") return UForm{pi(-1, 2), pi(-1, 2), pi(1, 2), pi(-1, 4)};
  if (n == "id") return UForm{};
  return std::nullopt;
}

/// Euler angles of a 2x2 unitary (numeric): m = e^{i·phase} U(theta, phi, lambda).
UForm numeric_u(const ir::Matrix2& m) {
  double theta = 2 * std::atan2(std::abs(m[2]), std::abs(m[0]));
  double phase, phi, lambda;
  if (std::abs(m[0]) > 1e-12) {
    phase = std::arg(m[0]);
    if (std::abs(m[2]) > 1e-12) {
      phi = std::arg(m[2]) - phase;
      lambda = std::arg(-m[1]) - phase;
    } else {
      phi = 0;
      lambda = std::arg(m[3]) - phase;
    }
  } else {
    // theta = pi: m = [[0, -e^{i(phase+lambda)}], [e^{i(phase+phi)}, 0]]; choose phase 0.
    phase = 0;
    phi = std::arg(m[2]);
    lambda = std::arg(-m[1]);
  }
  return UForm{Angle::from_double(theta), Angle::from_double(phi), Angle::from_double(lambda), Angle::from_double(phase)};
}

ir::Matrix2 matrix_of(const UForm& u) {
  ir::Matrix2 m = ir::single_qubit_matrix("U", {u.theta, u.phi, u.lambda});
  for (auto& x : m) x *= std::polar(1.0, u.phase.radians());
  return m;
}

/// V with V² = G on the principal branch, exactly where a closed form exists.
UForm square_root(const std::string& n, const std::vector<Angle>& a) {
  auto named = [&](const std::string& name, std::vector<Angle> p, Angle extra) {
    UForm u = *exact_u(name, p);
    u.phase = u.phase + extra;
    return u;
  };
  if (n == "x") return named("sx", {}, {});
  if (n == "z") return named("s", {}, {});
  if (n == "s") return named("t", {}, {});
  if (n == "sdg") return named("tdg", {}, {});
  if (n == "t") return named("p", {pi(1, 8)}, {});
  if (n == "tdg") return named("p", {pi(-1, 8)}, {});
  if (n == "p" || n == "rz" || n == "rx" || n == "ry") return named(n, {half(a[0])}, {});
  if (n == "sx") return named("rx", {pi(1, 4)}, pi(1, 8));
  if (n == "sxdg") return named("rx", {pi(-1, 4)}, pi(-1, 8));
  if (n == "y") return named("ry", {pi(1, 2)}, pi(1, 4));
  // Numeric principal square root of a 2x2 unitary.
  UForm u = *exact_u(n, a);
  ir::Matrix2 m = matrix_of(u);
  C det = m[0] * m[3] - m[1] * m[2];
  double alpha = std::arg(det) / 2;
  C f = std::polar(1.0, -alpha);
  ir::Matrix2 w = {m[0] * f, m[1] * f, m[2] * f, m[3] * f};  // in SU(2)
  double cos_beta = std::clamp(std::real(w[0] + w[3]) / 2, -1.0, 1.0);
  double beta = std::acos(cos_beta);
  ir::Matrix2 v;
  if (std::sin(beta) < 1e-12) {
    v = cos_beta > 0 ? ir::Matrix2{1, 0, 0, 1} : ir::Matrix2{C(0, -1), 0, 0, C(0, 1)};  // sqrt(-I) = -iZ·i... a valid root
  } else {
    // w = cos β I - i sin β (n·σ)  =>  sqrt(w) = cos(β/2) I - i sin(β/2) (n·σ)
    double s = std::sin(beta);
    double hs = std::sin(beta / 2);
    double hc = std::cos(beta / 2);
    for (int k = 0; k < 4; ++k) {
      C identity = (k == 0 || k == 3) ? C(cos_beta, 0) : C(0, 0);
      C nsigma = (w[static_cast<std::size_t>(k)] - identity) / C(0, -s);
      v[static_cast<std::size_t>(k)] = C(0, -hs) * nsigma + ((k == 0 || k == 3) ? C(hc, 0) : C(0, 0));
    }
  }
  for (auto& x : v) x *= std::polar(1.0, alpha / 2);
  return numeric_u(v);
}

UForm dagger(const UForm& u) { return UForm{-u.theta, -u.lambda, -u.phi, -u.phase}; }

class Decomposer {
 public:
  Decomposer(ir::Program& program, std::set<std::string> basis) : program_(program), basis_(std::move(basis)) {
    has_cx_ = basis_.count("cx") > 0;
    has_cz_ = basis_.count("cz") > 0;
  }

  OpList ops(const OpList& in, bool in_cf) {
    OpList out;
    out.reserve(in.size());
    for (const Op& op : in) {
      if (const auto* g = std::get_if<GateOp>(&op.v)) {
        lower(*g, op.line, in_cf, out, 0);
      } else if (const auto* ph = std::get_if<ir::GlobalPhaseOp>(&op.v)) {
        if (!in_cf) phase(ph->phase, false);
      } else if (const auto* i = std::get_if<ir::IfOp>(&op.v)) {
        out.push_back(Op(ir::IfOp{i->condition, ops(i->then_ops, true), ops(i->else_ops, true)}, op.line));
      } else if (const auto* w = std::get_if<ir::WhileOp>(&op.v)) {
        out.push_back(Op(ir::WhileOp{w->condition, ops(w->body, true)}, op.line));
      } else {
        out.push_back(op);
      }
    }
    return out;
  }

 private:
  void phase(const Angle& a, bool in_cf) {
    if (!in_cf) program_.global_phase = program_.global_phase + a;
  }

  /// Emits e^{i·phase} on `controls` controls: a global phase, or a (controlled) phase gate.
  void controlled_phase(const Angle& a, const std::vector<int>& ctrl, int line, bool in_cf, OpList& out, int depth) {
    if (a.is_zero()) return;
    if (ctrl.empty()) return phase(a, in_cf);
    lower(GateOp{"p", {a}, ctrl, static_cast<int>(ctrl.size()) - 1, {}, {}}, line, in_cf, out, depth + 1);
  }

  void expand_rule(const std::string& rule, const std::vector<Angle>& params, const std::vector<int>& qubits,
                   const std::vector<int>& ctrl, int line, bool in_cf, OpList& out, int depth) {
    const ir::GateDefinition& def = *rules().at(rule);
    for (const Op& op : def.body) {
      const auto& g = std::get<GateOp>(op.v);
      GateOp r;
      r.name = g.name;
      for (const auto& e : g.param_exprs) r.params.push_back(ir::evaluate_angle(*e, params));
      r.qubits = ctrl;
      for (int formal : g.qubits) r.qubits.push_back(qubits.at(static_cast<std::size_t>(formal)));
      r.controls = static_cast<int>(ctrl.size());
      lower(r, line, in_cf, out, depth + 1);
    }
  }

  void lower(const GateOp& in, int line, bool in_cf, OpList& out, int depth) {
    if (depth > 200) throw PassError("decomposition of '" + in.name + "' does not terminate");
    // Canonical spelling first (rule bodies may use any library name).
    ir::NamedGate c = ir::canonical_gate(in.name, in.params);
    ir::NamedGate b = ir::unfold_controls(c.name, c.params);
    const int nctrl = in.controls + c.extra_controls + b.extra_controls;
    std::vector<int> ctrl(in.qubits.begin(), in.qubits.begin() + nctrl);
    std::vector<int> own(in.qubits.begin() + nctrl, in.qubits.end());
    controlled_phase(c.global_phase, ctrl, line, in_cf, out, depth);
    const std::string& name = b.name;
    const auto& a = b.params;
    if (name == "id") return;

    // Already native?
    if (auto folded = ir::fold_controls(name, a, nctrl); folded && basis_.count(folded->name)) {
      out.push_back(Op(GateOp{folded->name, folded->params, in.qubits, 0, {}, {}}, line));
      return;
    }
    if (nctrl == 0 && own.size() == 1) return single_qubit(name, a, own[0], line, in_cf, out);
    if (nctrl == 0) return multi_qubit(name, a, own, line, in_cf, out, depth);
    // Controlled forms.
    if (own.size() > 1) {
      // A named controlled form with its own rule (swap with one control is cswap: 8 cx).
      if (auto named = ir::fold_controls(name, a, nctrl); named && rules().count(named->name))
        return expand_rule(named->name, named->params, in.qubits, {}, line, in_cf, out, depth);
      // ctrl distributes over the product of the gate's rule.
      ir::NamedGate folded_once = ir::fold_controls(name, a, 0).value_or(ir::NamedGate{name, a});
      if (!rules().count(folded_once.name)) throw PassError("no decomposition for controlled gate '" + name + "'");
      return expand_rule(folded_once.name, folded_once.params, own, ctrl, line, in_cf, out, depth);
    }
    if (nctrl == 1) {
      if (auto named = ir::fold_controls(name, a, 1))
        return multi_qubit(named->name, named->params, {ctrl[0], own[0]}, line, in_cf, out, depth);
      UForm u = *exact_u(name, a);
      return expand_rule("cu", {u.theta, u.phi, u.lambda, u.phase}, {ctrl[0], own[0]}, {}, line, in_cf, out, depth);
    }
    if (nctrl == 2 && name == "x") return expand_rule("ccx", {}, {ctrl[0], ctrl[1], own[0]}, {}, line, in_cf, out, depth);
    // C^k(G) = C_{ck}(V) · C^{k-1}X(→ck) · C_{ck}(V†) · C^{k-1}X(→ck) · C^{k-1}(V), V² = G.
    UForm v = square_root(name, a);
    UForm vd = dagger(v);
    const int last = ctrl.back();
    std::vector<int> rest(ctrl.begin(), ctrl.end() - 1);
    auto apply_u = [&](const UForm& u, std::vector<int> controls) {
      std::vector<int> q = controls;
      q.push_back(own[0]);
      lower(GateOp{"U", {u.theta, u.phi, u.lambda}, q, static_cast<int>(controls.size()), {}, {}}, line, in_cf, out, depth + 1);
      controlled_phase(u.phase, controls, line, in_cf, out, depth);
    };
    auto mcx = [&] {
      std::vector<int> q = rest;
      q.push_back(last);
      lower(GateOp{"x", {}, q, static_cast<int>(rest.size()), {}, {}}, line, in_cf, out, depth + 1);
    };
    apply_u(v, {last});
    mcx();
    apply_u(vd, {last});
    mcx();
    apply_u(v, rest);
  }

  /// An uncontrolled gate on two or more qubits that is not native.
  void multi_qubit(const std::string& name, const std::vector<Angle>& a, const std::vector<int>& own, int line,
                   bool in_cf, OpList& out, int depth) {
    if (name == "cx") {
      if (has_cz_) return expand_rule("cx_by_cz", {}, own, {}, line, in_cf, out, depth);
      throw PassError("the device's native gates have no two-qubit entangling gate to express 'cx'");
    }
    if ((name == "cz" || name == "cy" || name == "ch") && !has_cx_ && !has_cz_)
      throw PassError("the device's native gates have no two-qubit entangling gate to express '" + name + "'");
    if (rules().count(name)) return expand_rule(name, a, own, {}, line, in_cf, out, depth);
    throw PassError("no decomposition for gate '" + name + "'");
  }

  void emit1(const std::string& name, std::vector<Angle> params, int q, int line, OpList& out) {
    if ((name == "rz" || name == "p") && params[0].is_zero()) return;
    out.push_back(Op(GateOp{name, std::move(params), {q}, 0, {}, {}}, line));
  }

  void single_qubit(const std::string& name, const std::vector<Angle>& a, int q, int line, bool in_cf, OpList& out) {
    auto u = exact_u(name, a);
    if (!u) throw PassError("no decomposition for single-qubit gate '" + name + "'");
    if (basis_.count("U")) {
      phase(u->phase, in_cf);
      out.push_back(Op(GateOp{"U", {u->theta, u->phi, u->lambda}, {q}, 0, {}, {}}, line));
      return;
    }
    Angle sum = u->phi + u->lambda;
    if (u->theta.is_zero()) {
      if (basis_.count("rz")) {
        phase(u->phase + half(sum), in_cf);
        return emit1("rz", {sum}, q, line, out);
      }
      if (basis_.count("p")) {
        phase(u->phase, in_cf);
        return emit1("p", {sum}, q, line, out);
      }
    }
    if (basis_.count("rz") && basis_.count("sx")) {
      Angle t = u->theta;
      if (t == pi(1, 1) && basis_.count("x")) {
        // U(π, φ, λ) = e^{i(φ+λ+π)/2} rz(φ-λ-π) · x
        phase(u->phase + half(sum + pi(1, 1)), in_cf);
        out.push_back(Op(GateOp{"x", {}, {q}, 0, {}, {}}, line));
        return emit1("rz", {u->phi - u->lambda - pi(1, 1)}, q, line, out);
      }
      if (t == pi(1, 2)) {
        // U(π/2, φ, λ) = e^{i((φ+λ)/2 - π/4)} rz(φ+π/2) · sx · rz(λ-π/2)
        phase(u->phase + half(sum) - pi(1, 4), in_cf);
        emit1("rz", {u->lambda - pi(1, 2)}, q, line, out);
        out.push_back(Op(GateOp{"sx", {}, {q}, 0, {}, {}}, line));
        return emit1("rz", {u->phi + pi(1, 2)}, q, line, out);
      }
      // U(θ, φ, λ) = e^{i((φ+λ)/2 + π/2)} rz(φ+π) · sx · rz(θ+π) · sx · rz(λ)
      phase(u->phase + half(sum) + pi(1, 2), in_cf);
      emit1("rz", {u->lambda}, q, line, out);
      out.push_back(Op(GateOp{"sx", {}, {q}, 0, {}, {}}, line));
      emit1("rz", {t + pi(1, 1)}, q, line, out);
      out.push_back(Op(GateOp{"sx", {}, {q}, 0, {}, {}}, line));
      return emit1("rz", {u->phi + pi(1, 1)}, q, line, out);
    }
    std::string names;
    for (const auto& n : basis_) names += (names.empty() ? "" : ", ") + n;
    throw PassError("the native gates {" + names + "} cannot express single-qubit gate '" + name + "'");
  }

  ir::Program& program_;
  std::set<std::string> basis_;
  bool has_cx_ = false;
  bool has_cz_ = false;
};

}  // namespace

ir::Program decompose_to(const ir::Program& in, const std::vector<std::string>& basis) {
  ir::Program out = ir::copy_without_ops(in);
  Decomposer d(out, std::set<std::string>(basis.begin(), basis.end()));
  out.ops = d.ops(in.ops, false);
  Angle g = out.global_phase;
  g.wrap(1);
  out.global_phase = g;
  return out;
}

ir::Program run_decompose(const ir::Program& in, const PassContext& ctx) {
  if (!ctx.device || ctx.device->native_gates.empty()) return in;
  ir::Program out = decompose_to(in, ctx.device->native_gates);
  out.device = ctx.device->name;
  return out;
}

}  // namespace qontos::passes
