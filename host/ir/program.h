// The canonical IR: one flat list of qubits and classical bits (named through registers), a
// list of operations with structured classical control, and the program's global phase.
// Every pass consumes and produces a Program; `serialise_json` gives its canonical form.
#pragma once

#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "ir/angle.h"
#include "ir/expr.h"

namespace qontos::ir {

struct Register {
  std::string name;
  int size = 0;
  int offset = 0;  // index of the register's first element in the flat list
  friend bool operator==(const Register&, const Register&) = default;
};

struct Variable {
  std::string name;
  std::string type;  // OpenQASM 3 type text: "int[32]", "uint[4]", "float[64]", "angle[10]", "bool"
  ExprPtr initial;   // may be null (zero-initialised)
};

/// A gate modifier as written in source; present only before the `inline` pass.
struct Modifier {
  enum class Kind { kCtrl, kNegCtrl, kInv, kPow };
  Kind kind = Kind::kCtrl;
  int count = 1;     // ctrl/negctrl: number of control qubits
  ExprPtr exponent;  // pow
};

struct Op;
using OpList = std::vector<Op>;

struct GateOp {
  std::string name;
  std::vector<Angle> params;
  std::vector<int> qubits;           // controls first, then the gate's own qubits
  int controls = 0;                  // leading qubits that control the named gate (after `inline`)
  std::vector<Modifier> modifiers;   // before `inline` only; their control qubits lead `qubits`
  std::vector<ExprPtr> param_exprs;  // inside a GateDefinition only: symbolic `params`
};
struct MeasureOp {
  int qubit = 0;
  int clbit = 0;
};
struct ResetOp {
  int qubit = 0;
};
struct BarrierOp {
  std::vector<int> qubits;
};
struct DelayOp {
  double duration = 0;
  std::string unit;  // ns, us, ms, s, dt
  std::vector<int> qubits;
};
struct GlobalPhaseOp {
  Angle phase;
};
struct IfOp {
  ExprPtr condition;
  OpList then_ops;
  OpList else_ops;
};
struct WhileOp {
  ExprPtr condition;
  OpList body;
};
struct AssignOp {
  enum class Target { kBit, kVar };
  Target target = Target::kVar;
  int index = 0;
  ExprPtr value;
};
struct BreakOp {};
struct ContinueOp {};

struct Op {
  std::variant<GateOp, MeasureOp, ResetOp, BarrierOp, DelayOp, GlobalPhaseOp, IfOp, WhileOp, AssignOp, BreakOp,
               ContinueOp>
      v;
  int line = 0;  // source line, for diagnostics; not part of the canonical form
  template <typename T, typename = std::enable_if_t<!std::is_same_v<std::decay_t<T>, Op>>>
  Op(T x, int source_line = 0) : v(std::move(x)), line(source_line) {}
};

/// A user gate definition kept until `inline`: parameters are symbolic (Expr::kParam) and
/// qubits are indices of the definition's formal qubit arguments.
struct GateDefinition {
  std::string name;
  std::vector<std::string> param_names;
  std::vector<std::string> qubit_names;
  OpList body;                       // GateOp (with param_exprs) and GlobalPhaseOp
  std::vector<ExprPtr> phase_exprs;  // symbolic phase of each GlobalPhaseOp, in body order
  bool opaque = false;
};

/// The `partition` pass's assignment of logical qubits to a device's modules.
struct PartitionMap {
  std::string method;                     // greedy, spectral or manual
  std::vector<std::string> module_names;  // in the device's order
  std::vector<int> capacities;            // qubits each module holds
  std::vector<int> module_of_qubit;       // logical qubit -> module index
  long long cut_gates = 0;                // Bell pairs the assignment needs (multi-qubit gates across modules)
  friend bool operator==(const PartitionMap&, const PartitionMap&) = default;
};

/// The `schedule` pass's timeline: when each top-level op starts on the device (as soon as its
/// qubits are free, with the descriptor's durations) and when the last one ends.
struct Timeline {
  double duration_ns = 0;
  std::vector<double> start_ns;  // one per top-level op
  friend bool operator==(const Timeline&, const Timeline&) = default;
};

struct Program {
  int num_qubits = 0;
  int num_clbits = 0;
  std::vector<Register> qregs;
  std::vector<Register> cregs;
  std::vector<Variable> vars;
  std::vector<GateDefinition> gate_defs;
  Angle global_phase;
  OpList ops;
  /// Physical placement after `layout`/`route`: initial_layout[logical] = physical qubit;
  /// final_layout[logical] = where that logical qubit ends. Empty before layout.
  std::vector<int> initial_layout;
  std::vector<int> final_layout;
  std::string device;                     // descriptor name once a device-specific pass has run
  std::optional<PartitionMap> partition;  // set by `partition`
  std::optional<Timeline> schedule;       // set by `schedule`
};

/// A copy of everything but the operations (passes that rebuild the op list start from it).
Program copy_without_ops(const Program& p);

/// Visits every op in program order, descending into if/while bodies.
template <typename F>
void for_each_op(const OpList& ops, F&& f) {
  for (const Op& op : ops) {
    f(op);
    if (const auto* i = std::get_if<IfOp>(&op.v)) {
      for_each_op(i->then_ops, f);
      for_each_op(i->else_ops, f);
    } else if (const auto* w = std::get_if<WhileOp>(&op.v)) {
      for_each_op(w->body, f);
    }
  }
}

/// Name of qubit or clbit `index` as "reg[i]".
std::string qubit_name(const Program& p, int index);
std::string clbit_name(const Program& p, int index);

}  // namespace qontos::ir
