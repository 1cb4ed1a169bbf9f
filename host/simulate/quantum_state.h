// What a simulator engine offers the shot interpreter: gates, measurement and reset on its
// own state representation. The interpreter (shot_runner.h) owns classical state and control
// flow, so every engine (statevector, stabilizer tableau, the noisy twin) gets OpenQASM 3
// semantics from one place.
#pragma once

#include "ir/program.h"
#include "simulate/rng.h"

namespace qontos::simulate {

class QuantumState {
 public:
  virtual ~QuantumState() = default;
  virtual int num_qubits() const = 0;
  /// Applies a gate of the IR after `normalise` (a canonical name from ir/gate_set.h, with
  /// `controls` leading control qubits). Throws std::runtime_error naming a gate it cannot apply.
  virtual void apply_gate(const ir::GateOp& gate) = 0;
  /// Measures `qubit` in the Z basis, collapsing the state; returns the outcome.
  virtual bool measure(int qubit, Rng& rng) = 0;
  /// Returns `qubit` to |0> (measure, then flip if the outcome was 1).
  virtual void reset(int qubit, Rng& rng) = 0;
  /// Restores the state to |0...0> for the next shot.
  virtual void clear() = 0;
};

}  // namespace qontos::simulate
