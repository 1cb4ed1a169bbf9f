// The twin's quantum state: a statevector over the physical qubits a program uses, with the
// noise model applied as quantum trajectories: a random Pauli after each gate (depolarising),
// amplitude-damping and dephasing jumps for the time each qubit spends in gates and idle,
// readout flips on the recorded bit, and a Bell pair charged per cross-module gate.
#pragma once

#include <vector>

#include "simulate/statevector.h"
#include "twin/noise_model.h"

namespace qontos::twin {

class NoisyState final : public simulate::QuantumState {
 public:
  /// `physical_qubits`: the device qubits the program touches; the state has one qubit per entry.
  NoisyState(const NoiseModel& model, std::vector<int> physical_qubits, int device_qubits);

  /// The random source for this shot's noise; must be set before applying anything.
  void set_rng(simulate::Rng* rng) { rng_ = rng; }

  int num_qubits() const override { return device_qubits_; }
  void apply_gate(const ir::GateOp& gate) override;
  bool measure(int qubit, simulate::Rng& rng) override;
  void reset(int qubit, simulate::Rng& rng) override;
  void clear() override;

  /// Bell pairs charged so far in this shot.
  long long bell_pairs() const { return bell_pairs_; }

 private:
  int local(int physical) const;
  void depolarise(const std::vector<int>& local_qubits, double probability);
  void decay(int local_qubit, double duration_ns);
  /// Brings the qubits' clocks to a common start, decaying each over its idle time; returns it.
  double synchronise(const std::vector<int>& local_qubits);

  const NoiseModel& model_;
  std::vector<int> physical_;  // local -> physical
  std::vector<int> local_of_;  // physical -> local (-1 if unused)
  int device_qubits_ = 0;
  simulate::Statevector<double> state_;
  std::vector<double> clock_ns_;  // per local qubit
  simulate::Rng* rng_ = nullptr;
  long long bell_pairs_ = 0;
};

}  // namespace qontos::twin
