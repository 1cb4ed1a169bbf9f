#include "ir/emit_qasm3.h"

#include <set>

#include "ir/gate_set.h"

namespace qontos::ir {
namespace {

const std::set<std::string>& stdgates() {
  static const std::set<std::string> names = {"p",      "x",   "y",  "z",    "h",   "s",     "sdg",   "t",  "tdg",
                                              "sx",     "rx",  "ry", "rz",   "cx",  "cy",    "cz",    "cp", "crx",
                                              "cry",    "crz", "ch", "swap", "ccx", "cswap", "cu",    "CX", "phase",
                                              "cphase", "id",  "u1", "u2",   "u3",  "U",     "gphase"};
  return names;
}

class Emitter {
 public:
  explicit Emitter(const Program& p) : p_(p) {}

  std::string run() {
    bool needs_qelib = false;
    auto scan = [&](const OpList& ops) {
      for_each_op(ops, [&](const Op& op) {
        if (const auto* g = std::get_if<GateOp>(&op.v))
          if (!stdgates().count(g->name) && find_gate(g->name)) needs_qelib = true;
      });
    };
    scan(p_.ops);
    for (const auto& d : p_.gate_defs) scan(d.body);
    out_ += "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n";
    if (needs_qelib) out_ += "include \"qelib1.inc\";  // OpenQASM 2 library gates (qontos provides it built in)\n";
    if (!p_.device.empty()) out_ += "#pragma qontos device " + p_.device + "\n";
    if (p_.qregs.empty() && p_.num_qubits > 0) out_ += "#pragma qontos qubits " + std::to_string(p_.num_qubits) + "\n";
    if (!p_.global_phase.is_zero()) out_ += "#pragma qontos global_phase " + p_.global_phase.to_string() + "\n";
    layout("initial_layout", p_.initial_layout);
    layout("final_layout", p_.final_layout);
    if (p_.partition) {
      const PartitionMap& m = *p_.partition;
      out_ += "#pragma qontos partition method=" + m.method + " cut_gates=" + std::to_string(m.cut_gates) + " modules=";
      for (std::size_t i = 0; i < m.module_names.size(); ++i)
        out_ += (i ? "," : "") + m.module_names[i] + ":" + std::to_string(m.capacities[i]);
      out_ += " map=";
      for (std::size_t i = 0; i < m.module_of_qubit.size(); ++i)
        out_ += (i ? "," : "") + std::to_string(m.module_of_qubit[i]);
      out_ += "\n";
    }
    if (p_.schedule) {
      out_ += "#pragma qontos schedule duration_ns=" + format_double(p_.schedule->duration_ns) + " start_ns=";
      for (std::size_t i = 0; i < p_.schedule->start_ns.size(); ++i)
        out_ += (i ? "," : "") + format_double(p_.schedule->start_ns[i]);
      out_ += "\n";
    }
    for (const auto& r : p_.qregs) out_ += "qubit[" + std::to_string(r.size) + "] " + r.name + ";\n";
    for (const auto& r : p_.cregs) out_ += "bit[" + std::to_string(r.size) + "] " + r.name + ";\n";
    for (const auto& v : p_.vars) out_ += v.type + " " + v.name + ";\n#pragma qontos runtime " + v.name + "\n";
    for (const auto& d : p_.gate_defs) gate_def(d);
    ops(p_.ops, 0);
    return std::move(out_);
  }

 private:
  void layout(const char* key, const std::vector<int>& v) {
    if (v.empty()) return;
    out_ += std::string("#pragma qontos ") + key;
    for (int x : v) out_ += " " + std::to_string(x);
    out_ += "\n";
  }

  std::string qubits(const std::vector<int>& qs) {
    std::string s;
    for (std::size_t i = 0; i < qs.size(); ++i) {
      if (i) s += ", ";
      s += formal_ ? (*formal_)[static_cast<std::size_t>(qs[i])] : qubit_name(p_, qs[i]);
    }
    return s;
  }

  std::string expr(const ExprPtr& e) { return to_qasm(*e, {&p_, params_}); }

  void indent(int depth) { out_.append(static_cast<std::size_t>(2 * depth), ' '); }

  void gate_def(const GateDefinition& d) {
    if (d.opaque) {
      out_ += "opaque " + d.name;
    } else {
      out_ += "gate " + d.name;
    }
    if (!d.param_names.empty()) {
      out_ += "(";
      for (std::size_t i = 0; i < d.param_names.size(); ++i) out_ += (i ? ", " : "") + d.param_names[i];
      out_ += ")";
    }
    for (std::size_t i = 0; i < d.qubit_names.size(); ++i) out_ += (i ? ", " : " ") + d.qubit_names[i];
    if (d.opaque) {
      out_ += ";\n";
      return;
    }
    out_ += " {\n";
    params_ = &d.param_names;
    formal_ = &d.qubit_names;
    std::size_t phase_index = 0;
    for (const Op& op : d.body) {
      indent(1);
      if (std::holds_alternative<GlobalPhaseOp>(op.v)) {
        out_ += "gphase(" + expr(d.phase_exprs.at(phase_index++)) + ");\n";
      } else {
        gate(std::get<GateOp>(op.v));
      }
    }
    params_ = nullptr;
    formal_ = nullptr;
    out_ += "}\n";
  }

  void gate(const GateOp& g) {
    for (const auto& m : g.modifiers) {
      switch (m.kind) {
        case Modifier::Kind::kCtrl:
          out_ += m.count == 1 ? "ctrl @ " : "ctrl(" + std::to_string(m.count) + ") @ ";
          break;
        case Modifier::Kind::kNegCtrl:
          out_ += m.count == 1 ? "negctrl @ " : "negctrl(" + std::to_string(m.count) + ") @ ";
          break;
        case Modifier::Kind::kInv:
          out_ += "inv @ ";
          break;
        case Modifier::Kind::kPow:
          out_ += "pow(" + expr(m.exponent) + ") @ ";
          break;
      }
    }
    if (g.controls > 0) out_ += g.controls == 1 ? "ctrl @ " : "ctrl(" + std::to_string(g.controls) + ") @ ";
    out_ += g.name;
    if (!g.param_exprs.empty()) {
      out_ += "(";
      for (std::size_t i = 0; i < g.param_exprs.size(); ++i) out_ += (i ? ", " : "") + expr(g.param_exprs[i]);
      out_ += ")";
    } else if (!g.params.empty()) {
      out_ += "(";
      for (std::size_t i = 0; i < g.params.size(); ++i) out_ += (i ? ", " : "") + g.params[i].to_string();
      out_ += ")";
    }
    if (!g.qubits.empty()) out_ += " " + qubits(g.qubits);
    out_ += ";\n";
  }

  void ops(const OpList& list, int depth) {
    for (const Op& op : list) {
      indent(depth);
      std::visit([&](const auto& x) { emit(x, depth); }, op.v);
    }
  }

  void emit(const GateOp& g, int) { gate(g); }
  void emit(const MeasureOp& m, int) {
    out_ += clbit_name(p_, m.clbit) + " = measure " + qubit_name(p_, m.qubit) + ";\n";
  }
  void emit(const ResetOp& r, int) { out_ += "reset " + qubit_name(p_, r.qubit) + ";\n"; }
  void emit(const BarrierOp& b, int) { out_ += "barrier " + qubits(b.qubits) + ";\n"; }
  void emit(const DelayOp& d, int) {
    out_ += "delay[" + format_double(d.duration) + d.unit + "] " + qubits(d.qubits) + ";\n";
  }
  void emit(const GlobalPhaseOp& g, int) { out_ += "gphase(" + g.phase.to_string() + ");\n"; }
  void emit(const IfOp& i, int depth) {
    out_ += "if (" + expr(i.condition) + ") {\n";
    ops(i.then_ops, depth + 1);
    indent(depth);
    out_ += "}";
    if (!i.else_ops.empty()) {
      out_ += " else {\n";
      ops(i.else_ops, depth + 1);
      indent(depth);
      out_ += "}";
    }
    out_ += "\n";
  }
  void emit(const WhileOp& w, int depth) {
    out_ += "while (" + expr(w.condition) + ") {\n";
    ops(w.body, depth + 1);
    indent(depth);
    out_ += "}\n";
  }
  void emit(const AssignOp& a, int) {
    std::string target = a.target == AssignOp::Target::kBit ? clbit_name(p_, a.index)
                                                            : p_.vars.at(static_cast<std::size_t>(a.index)).name;
    out_ += target + " = " + expr(a.value) + ";\n";
  }
  void emit(const BreakOp&, int) { out_ += "break;\n"; }
  void emit(const ContinueOp&, int) { out_ += "continue;\n"; }

  const Program& p_;
  const std::vector<std::string>* params_ = nullptr;
  const std::vector<std::string>* formal_ = nullptr;
  std::string out_;
};

}  // namespace

std::string emit_qasm3(const Program& program) {
  return Emitter(program).run();
}

}  // namespace qontos::ir
