// A gate of the IR as the simulators apply it: control qubits, target qubits and the dense
// unitary on the targets. Matrix index bit j is targets[j] (little-endian, as amplitude
// indices), row-major, dimension 2^targets.size().
#pragma once

#include <complex>
#include <vector>

#include "ir/program.h"

namespace qontos::simulate {

struct GateAction {
  std::vector<int> controls;
  std::vector<int> targets;
  std::vector<std::complex<double>> matrix;
  int dimension() const { return 1 << targets.size(); }
};

/// Throws std::runtime_error naming a gate that has no matrix (an opaque or unexpanded gate).
GateAction gate_action(const ir::GateOp& gate);

/// The same action with its controls folded into the matrix (targets = controls then targets).
GateAction without_controls(const GateAction& action);

}  // namespace qontos::simulate
