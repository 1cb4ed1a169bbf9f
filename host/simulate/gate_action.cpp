#include "simulate/gate_action.h"

#include <cmath>
#include <stdexcept>

#include "ir/gate_set.h"

namespace qontos::simulate {
namespace {
using C = std::complex<double>;

std::vector<C> two_qubit_matrix(const std::string& name, const std::vector<ir::Angle>& params) {
  // Index bit 0 = first qubit, bit 1 = second.
  if (name == "swap") return {1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1};
  const double t = params.at(0).radians() / 2;
  const C c(std::cos(t), 0), is(0, -std::sin(t));
  if (name == "rxx") return {c, 0, 0, is, 0, c, is, 0, 0, is, c, 0, is, 0, 0, c};
  if (name == "rzz") {
    const C minus = std::polar(1.0, -t), plus = std::polar(1.0, t);
    return {minus, 0, 0, 0, 0, plus, 0, 0, 0, 0, plus, 0, 0, 0, 0, minus};
  }
  throw std::runtime_error("gate '" + name + "' has no matrix in the simulator");
}
}  // namespace

GateAction gate_action(const ir::GateOp& gate) {
  if (!gate.modifiers.empty())
    throw std::runtime_error("gate '" + gate.name + "' still carries modifiers: run the inline pass first");
  const ir::GateSpec* spec = ir::find_gate(gate.name);
  if (spec == nullptr || ir::is_library_definition(gate.name))
    throw std::runtime_error("gate '" + gate.name + "' has no matrix in the simulator (opaque or not inlined)");
  ir::NamedGate canonical = ir::canonical_gate(gate.name, gate.params);
  ir::NamedGate base = ir::unfold_controls(canonical.name, canonical.params);
  ir::Angle phase = canonical.global_phase;
  if (base.name == "cu") {  // cu with a phase: controlled (e^{i gamma} U)
    phase = phase + base.params[3];
    base = {"U", {base.params[0], base.params[1], base.params[2]}, 1, {}};
  }
  const int controls = gate.controls + canonical.extra_controls + base.extra_controls;
  GateAction a;
  a.controls.assign(gate.qubits.begin(), gate.qubits.begin() + controls);
  a.targets.assign(gate.qubits.begin() + controls, gate.qubits.end());
  if (a.targets.size() == 1) {
    auto m = ir::single_qubit_matrix(base.name, base.params);
    a.matrix.assign(m.begin(), m.end());
  } else if (a.targets.size() == 2) {
    a.matrix = two_qubit_matrix(base.name, base.params);
  } else {
    throw std::runtime_error("gate '" + gate.name + "' has no matrix in the simulator");
  }
  if (!phase.is_zero()) {
    const C f = std::polar(1.0, phase.radians());
    for (auto& x : a.matrix) x *= f;
  }
  return a;
}

GateAction without_controls(const GateAction& action) {
  if (action.controls.empty()) return action;
  GateAction full;
  full.targets = action.controls;
  full.targets.insert(full.targets.end(), action.targets.begin(), action.targets.end());
  const int nc = static_cast<int>(action.controls.size());
  const int dim = 1 << full.targets.size();
  const int control_mask = (1 << nc) - 1;
  full.matrix.assign(static_cast<std::size_t>(dim) * dim, 0);
  for (int r = 0; r < dim; ++r) {
    if ((r & control_mask) != control_mask) {
      full.matrix[r * dim + r] = 1;
      continue;
    }
    for (int c = 0; c < dim; ++c) {
      if ((c & control_mask) != control_mask) continue;
      full.matrix[r * dim + c] = action.matrix[(r >> nc) * action.dimension() + (c >> nc)];
    }
  }
  return full;
}

}  // namespace qontos::simulate
