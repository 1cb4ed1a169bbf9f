// The digital twin's noise model, built from a device descriptor and optionally refined by a
// calibration record: depolarising error per gate (1 - fidelity), readout error, T1/T2 decay of
// every qubit over the time it spends in gates and idle, and for multi-module machines the
// Bell pair that each cross-module two-qubit gate consumes (its infidelity and its latency).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "device/descriptor.h"

namespace qontos::twin {

struct NoiseModel {
  std::map<std::string, double> gate_error;  // by gate name: depolarising probability
  double default_1q_error = 0;               // gates without their own entry
  double default_2q_error = 0;
  std::map<std::string, double> gate_duration_ns;
  double default_1q_duration_ns = 0;
  double default_2q_duration_ns = 0;
  double measure_duration_ns = 0;
  std::vector<double> t1_ns;          // per physical qubit; 0 = no relaxation
  std::vector<double> t2_ns;          // per physical qubit; 0 = no dephasing
  std::vector<double> readout_error;  // per physical qubit: probability the recorded bit flips
  std::vector<int> module_of_qubit;   // per physical qubit; all 0 on a single-module device
  double bell_pair_error = 0;         // depolarising probability charged per cross-module gate
  double link_latency_ns = 0;         // added to both qubits' clocks per cross-module gate
  std::string calibration_id;

  double error_of(const std::string& gate, int num_qubits) const;
  double duration_of(const std::string& gate, int num_qubits) const;
  bool crosses_modules(int a, int b) const;

  /// Every error rate scaled by `factor` (and decay times divided by it), for sweeps.
  NoiseModel scaled(double factor) const;
};

NoiseModel noise_model_from(const device::Descriptor& descriptor);

/// Applies a calibration record (JSON) on top of the model. Format (every field optional):
///   {"device": "<descriptor name>", "calibration_id": "...",
///    "qubits": [{"qubit": 3, "t1_us": 110, "t2_us": 80, "readout_fidelity": 0.97}, ...],
///    "gate_fidelity": {"cz": 0.993, ...}, "bell_pair_fidelity": 0.95}
/// Throws std::runtime_error "<origin>: <field>: <problem>" on a malformed record.
void apply_calibration(NoiseModel& model, const device::Descriptor& descriptor, const std::string& json_text,
                       const std::string& origin);

}  // namespace qontos::twin
