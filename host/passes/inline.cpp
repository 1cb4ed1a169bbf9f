// Pass `inline`: expands every user gate definition and every gate modifier (ctrl, negctrl,
// inv, pow) so that only IR gates remain, each with an optional number of leading control
// qubits. Phases that modifiers expose are kept exactly: a gphase under ctrl becomes a phase
// gate on the controls. Gate definitions are dropped from the program.
#include <cmath>
#include <map>
#include <unordered_map>

#include "ir/gate_set.h"
#include "passes/pass.h"
#include "qasm/diagnostic.h"
#include "qasm/elaborate.h"
#include "qasm/library.h"

namespace qontos::passes {
namespace {

using ir::Angle;
using ir::GateOp;
using ir::Op;
using ir::OpList;

constexpr int kMaxDepth = 64;

/// Applies `n` extra controls (the qubits in `ctrl`) to every op of `body`.
OpList add_controls(OpList body, const std::vector<int>& ctrl) {
  OpList out;
  const int n = static_cast<int>(ctrl.size());
  for (Op& op : body) {
    if (auto* g = std::get_if<GateOp>(&op.v)) {
      std::vector<int> q = ctrl;
      q.insert(q.end(), g->qubits.begin(), g->qubits.end());
      g->qubits = std::move(q);
      g->controls += n;
      out.push_back(std::move(op));
    } else if (auto* ph = std::get_if<ir::GlobalPhaseOp>(&op.v)) {
      // ctrl @ gphase(a) on controls c1..cn is a phase gate on cn controlled by c1..c(n-1).
      if (ph->phase.is_zero()) continue;
      GateOp p;
      p.name = "p";
      p.params = {ph->phase};
      p.qubits = ctrl;
      p.controls = n - 1;
      out.push_back(Op(std::move(p), op.line));
    } else {
      out.push_back(std::move(op));
    }
  }
  return out;
}

OpList invert(OpList body) {
  OpList out;
  for (auto it = body.rbegin(); it != body.rend(); ++it) {
    Op op = std::move(*it);
    if (auto* g = std::get_if<GateOp>(&op.v)) {
      ir::NamedGate inv = ir::inverse_gate(g->name, g->params);
      g->name = inv.name;
      g->params = inv.params;
      g->controls += inv.extra_controls;
      out.push_back(std::move(op));
      if (!inv.global_phase.is_zero()) out.push_back(Op(ir::GlobalPhaseOp{inv.global_phase}, op.line));
    } else if (auto* ph = std::get_if<ir::GlobalPhaseOp>(&op.v)) {
      ph->phase = -ph->phase;
      out.push_back(std::move(op));
    }
  }
  return out;
}

/// (e^{i·phase} G)^k for one gate G and real k, on the principal branch: the power of each
/// eigenvalue e^{iα} is e^{ikα} with α taken in (-π, π]. Written as gates plus a phase; nullopt
/// when G is not a phase or rotation gate (only integer powers of those are supported).
std::optional<OpList> fractional_power(const GateOp& g0, const Angle& phase, double k, int line) {
  ir::NamedGate base = ir::unfold_controls(g0.name, g0.params);
  ir::NamedGate canon = ir::canonical_gate(base.name, base.params);
  const int controls = g0.controls + base.extra_controls + canon.extra_controls;
  const std::string& n = canon.name;
  const auto& a = canon.params;
  auto pi = [](std::int64_t num, std::int64_t den) { return Angle::pi_times(*ir::Rational::make(num, den)); };
  // G = e^{i·extra} R(theta), with R a phase gate (eigenphases 0 and theta) or a rotation
  // (eigenphases -theta/2 and theta/2).
  std::string_view family;
  Angle theta;
  Angle extra = canon.global_phase;
  if (n == "p") {
    family = "p";
    theta = a[0];
  } else if (n == "z" || n == "s" || n == "sdg" || n == "t" || n == "tdg") {
    family = "p";
    theta = n == "z" ? pi(1, 1) : n == "s" ? pi(1, 2) : n == "sdg" ? pi(-1, 2) : n == "t" ? pi(1, 4) : pi(-1, 4);
  } else if (n == "rz" || n == "rx" || n == "ry" || n == "rxx" || n == "rzz") {
    family = ir::find_gate(n)->name;  // static storage
    theta = a[0];
  } else if (n == "x" || n == "y" || n == "sx" || n == "sxdg") {
    // X = e^{iπ/2} rx(π), Y = e^{iπ/2} ry(π), sx = e^{iπ/4} rx(π/2), sxdg = e^{-iπ/4} rx(-π/2).
    family = n == "y" ? "ry" : "rx";
    theta = n == "sx" ? pi(1, 2) : n == "sxdg" ? pi(-1, 2) : pi(1, 1);
    extra = extra + theta.scaled(ir::Rational{1, 2});
  } else {
    return std::nullopt;
  }
  const Angle phi = phase + extra;
  auto principal = [](Angle x) {
    x.wrap(1);
    return x;
  };
  GateOp r;
  r.name = std::string(family);
  Angle out_phase;
  if (family == "p") {
    const Angle lo = principal(phi);
    const Angle hi = principal(phi + theta);
    out_phase = lo.scaled(k);
    r.params = {(hi - lo).scaled(k)};
  } else {
    const Angle half = theta.scaled(ir::Rational{1, 2});
    const Angle lo = principal(phi - half);
    const Angle hi = principal(phi + half);
    out_phase = (lo + hi).scaled(k).scaled(ir::Rational{1, 2});
    r.params = {(hi - lo).scaled(k)};
  }
  OpList out;
  std::vector<int> ctrl(g0.qubits.begin(), g0.qubits.begin() + controls);
  r.qubits.assign(g0.qubits.begin() + controls, g0.qubits.end());
  out.push_back(Op(std::move(r), line));
  if (!out_phase.is_zero()) out.push_back(Op(ir::GlobalPhaseOp{out_phase}, line));
  if (controls > 0) return add_controls(std::move(out), ctrl);
  return out;
}

class Inliner {
 public:
  explicit Inliner(const ir::Program& p) {
    for (std::size_t i = 0; i < p.gate_defs.size(); ++i) defs_[p.gate_defs[i].name] = &p.gate_defs[i];
  }

  OpList ops(const OpList& in) {
    OpList out;
    out.reserve(in.size());
    for (const Op& op : in) {
      if (const auto* g = std::get_if<GateOp>(&op.v)) {
        if (g->modifiers.empty() && !defs_.count(g->name) && !ir::is_library_definition(g->name) &&
            g->name != "gphase") {
          out.push_back(op);  // already an IR gate: nothing to expand
          continue;
        }
        OpList expanded = expand(g->name, g->params, g->modifiers, 0, g->qubits, op.line, 0);
        for (Op& e : expanded) out.push_back(std::move(e));
      } else if (const auto* i = std::get_if<ir::IfOp>(&op.v)) {
        ir::IfOp copy{i->condition, ops(i->then_ops), ops(i->else_ops)};
        out.push_back(Op(std::move(copy), op.line));
      } else if (const auto* w = std::get_if<ir::WhileOp>(&op.v)) {
        ir::WhileOp copy{w->condition, ops(w->body)};
        out.push_back(Op(std::move(copy), op.line));
      } else {
        out.push_back(op);
      }
    }
    return out;
  }

 private:
  const ir::GateDefinition* library_definition(const std::string& name) {
    static const ir::Program library = qasm::elaborate_source(
        "include \"stdgates.inc\";\n" + qasm::library_definitions_text().substr(qasm::library_definitions_text().find('\n') + 1),
        "<qelib1.inc>");
    for (const auto& d : library.gate_defs)
      if (d.name == name) return &d;
    return nullptr;
  }

  OpList expand(const std::string& name, const std::vector<Angle>& params, const std::vector<ir::Modifier>& mods,
                std::size_t m, const std::vector<int>& qubits, int line, int depth) {
    if (depth > kMaxDepth) throw PassError("gate '" + name + "' is defined recursively or nested too deeply");
    if (m == mods.size()) return base(name, params, qubits, line, depth);
    const ir::Modifier& mod = mods[m];
    switch (mod.kind) {
      case ir::Modifier::Kind::kCtrl:
      case ir::Modifier::Kind::kNegCtrl: {
        std::vector<int> ctrl(qubits.begin(), qubits.begin() + mod.count);
        std::vector<int> rest(qubits.begin() + mod.count, qubits.end());
        OpList body = add_controls(expand(name, params, mods, m + 1, rest, line, depth), ctrl);
        if (mod.kind == ir::Modifier::Kind::kCtrl) return body;
        // negctrl: flip the controls around the controlled body.
        OpList out;
        for (int c : ctrl) out.push_back(Op(GateOp{"x", {}, {c}, 0, {}, {}}, line));
        for (Op& o : body) out.push_back(std::move(o));
        for (int c : ctrl) out.push_back(Op(GateOp{"x", {}, {c}, 0, {}, {}}, line));
        return out;
      }
      case ir::Modifier::Kind::kInv: return invert(expand(name, params, mods, m + 1, qubits, line, depth));
      case ir::Modifier::Kind::kPow: {
        double k = ir::evaluate_angle(*mod.exponent, params_stack_.empty() ? std::vector<Angle>{} : params_stack_.back()).radians();
        if (!std::isfinite(k)) throw PassError("pow exponent is not finite");
        if (k == std::floor(k)) {
          if (std::fabs(k) > 1e6) throw PassError("pow exponent " + ir::format_double(k) + " is too large to expand");
          OpList once = expand(name, params, mods, m + 1, qubits, line, depth);
          if (k < 0) once = invert(std::move(once));
          OpList out;
          for (long long i = 0; i < static_cast<long long>(std::fabs(k)); ++i)
            for (const Op& o : once) out.push_back(o);
          return out;
        }
        OpList once = expand(name, params, mods, m + 1, qubits, line, depth);
        const GateOp* only = nullptr;
        Angle phase;
        for (const Op& o : once) {
          if (const auto* g = std::get_if<GateOp>(&o.v)) {
            if (only) throw PassError("unsupported: pow(" + ir::format_double(k) + ") on gate '" + name +
                                      "', which expands to several gates (only integer powers are supported)");
            only = g;
          } else if (const auto* ph = std::get_if<ir::GlobalPhaseOp>(&o.v)) {
            phase = phase + ph->phase;
          }
        }
        if (!only) {
          // A pure phase e^{iφ}: its principal power.
          Angle principal = phase;
          principal.wrap(1);
          if (principal.is_zero()) return {};
          return {Op(ir::GlobalPhaseOp{principal.scaled(k)}, line)};
        }
        auto p = fractional_power(*only, phase, k, line);
        if (!p) throw PassError("unsupported: pow(" + ir::format_double(k) + ") on gate '" + only->name + "'");
        return std::move(*p);
      }
    }
    return {};
  }

  OpList base(const std::string& name, const std::vector<Angle>& params, const std::vector<int>& qubits, int line,
              int depth) {
    if (name == "gphase") return {Op(ir::GlobalPhaseOp{params.at(0)}, line)};
    const ir::GateDefinition* def = nullptr;
    if (auto it = defs_.find(name); it != defs_.end()) def = it->second;
    else if (ir::is_library_definition(name)) def = library_definition(name);
    if (!def) return {Op(GateOp{name, params, qubits, 0, {}, {}}, line)};
    if (def->opaque) throw PassError("unsupported: opaque gate '" + name + "' has no definition to inline");
    OpList out;
    std::size_t phase_index = 0;
    params_stack_.push_back(params);
    for (const Op& op : def->body) {
      if (std::holds_alternative<ir::GlobalPhaseOp>(op.v)) {
        Angle ph = ir::evaluate_angle(*def->phase_exprs.at(phase_index++), params);
        out.push_back(Op(ir::GlobalPhaseOp{ph}, line));
        continue;
      }
      const auto& g = std::get<GateOp>(op.v);
      std::vector<Angle> actual;
      for (const auto& e : g.param_exprs) actual.push_back(ir::evaluate_angle(*e, params));
      std::vector<int> q;
      for (int formal : g.qubits) q.push_back(qubits.at(static_cast<std::size_t>(formal)));
      for (Op& e : expand(g.name, actual, g.modifiers, 0, q, line, depth + 1)) out.push_back(std::move(e));
    }
    params_stack_.pop_back();
    return out;
  }

  std::unordered_map<std::string, const ir::GateDefinition*> defs_;
  std::vector<std::vector<Angle>> params_stack_;
};

}  // namespace

ir::Program run_inline(const ir::Program& in, const PassContext&) {
  Inliner inliner(in);
  ir::Program out = ir::copy_without_ops(in);
  out.ops = inliner.ops(in.ops);
  out.gate_defs.clear();
  return out;
}

}  // namespace qontos::passes
