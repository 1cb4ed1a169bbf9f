// Gate fusion for the statevector: runs of gates that together touch at most `max_qubits`
// qubits become one dense matrix, so the engine sweeps the 2^n amplitudes once per block
// instead of once per gate. Blocks on disjoint qubits stay open side by side and merge when a
// gate joins them; a block closes only when a gate on one of its qubits cannot join.
#pragma once

#include <vector>

#include "simulate/gate_action.h"

namespace qontos::simulate {

/// The fused sequence: applying its actions in order equals applying `gates` in order.
/// Gates on more than max_qubits qubits pass through unchanged (controls kept).
std::vector<GateAction> fuse_gates(const std::vector<GateAction>& gates, int max_qubits);

}  // namespace qontos::simulate
