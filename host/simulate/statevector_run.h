// Running a program on the statevector engine: fuse the gates, evolve, then either draw every
// shot from the final distribution (terminal measurements) or run per-shot trajectories.
#pragma once

#include <complex>
#include <string>
#include <vector>

#include "simulate/shot_runner.h"
#include "simulate/statevector.h"

namespace qontos::simulate {

struct StatevectorOptions {
  bool single_precision = false;
  int fusion_max_qubits = 4;  // 0 or 1: no fusion across qubits
};

/// Gates of a list of top-level ops as engine actions (barriers, delays and phases skipped).
std::vector<GateAction> gate_actions(const ir::OpList& ops);

ShotResult run_statevector(const ir::Program& program, const ShotOptions& shots, const StatevectorOptions& options);

/// The final state of a measurement-free program, as raw little-endian complex128 (or
/// complex64 with single_precision) amplitudes, amplitude index bit k = qubit k. Throws
/// std::runtime_error naming the first op that is not a gate.
std::string final_state_bytes(const ir::Program& program, const StatevectorOptions& options);

/// Applies the program's gates (top level only) to `state`, fused.
template <typename Real>
void evolve(Statevector<Real>& state, const ir::OpList& ops, int fusion_max_qubits);

}  // namespace qontos::simulate
