#include "twin/noise_model.h"

#include "device/calibration.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "ir/gate_set.h"

namespace qontos::twin {
namespace {

int arity(const std::string& gate) {
  const ir::GateSpec* s = ir::find_gate(gate);
  return s == nullptr ? 1 : s->num_qubits;
}

double mean_error(const std::map<std::string, double>& fidelity, int qubits) {
  double sum = 0;
  int n = 0;
  for (const auto& [gate, f] : fidelity)
    if (arity(gate) == qubits) {
      sum += 1 - f;
      ++n;
    }
  return n == 0 ? 0 : sum / n;
}

}  // namespace

double NoiseModel::error_of(const std::string& gate, int num_qubits) const {
  if (auto it = gate_error.find(gate); it != gate_error.end()) return it->second;
  return num_qubits >= 2 ? default_2q_error : default_1q_error;
}

double NoiseModel::duration_of(const std::string& gate, int num_qubits) const {
  if (auto it = gate_duration_ns.find(gate); it != gate_duration_ns.end()) return it->second;
  return num_qubits >= 2 ? default_2q_duration_ns : default_1q_duration_ns;
}

bool NoiseModel::crosses_modules(int a, int b) const {
  if (a >= static_cast<int>(module_of_qubit.size()) || b >= static_cast<int>(module_of_qubit.size())) return false;
  return module_of_qubit[a] != module_of_qubit[b];
}

NoiseModel NoiseModel::scaled(double factor) const {
  NoiseModel m = *this;
  for (auto& [g, e] : m.gate_error) e = std::min(1.0, e * factor);
  m.default_1q_error = std::min(1.0, default_1q_error * factor);
  m.default_2q_error = std::min(1.0, default_2q_error * factor);
  for (auto& e : m.readout_error) e = std::min(0.5, e * factor);
  for (auto& t : m.t1_ns) t = factor > 0 ? t / factor : 0;
  for (auto& t : m.t2_ns) t = factor > 0 ? t / factor : 0;
  m.bell_pair_error = std::min(1.0, bell_pair_error * factor);
  return m;
}

NoiseModel noise_model_from(const device::Descriptor& d) {
  NoiseModel m;
  for (const auto& [gate, f] : d.gate_fidelity) m.gate_error[gate] = 1 - f;
  m.default_1q_error = mean_error(d.gate_fidelity, 1);
  m.default_2q_error = mean_error(d.gate_fidelity, 2);
  m.gate_duration_ns = d.gate_duration_ns;
  for (const auto& [gate, t] : d.gate_duration_ns) {
    if (arity(gate) >= 2)
      m.default_2q_duration_ns = std::max(m.default_2q_duration_ns, t);
    else
      m.default_1q_duration_ns = std::max(m.default_1q_duration_ns, t);
  }
  m.measure_duration_ns = d.measure_duration_ns;
  const auto n = static_cast<std::size_t>(d.num_qubits);
  m.t1_ns.assign(n, d.t1_us * 1000);
  m.t2_ns.assign(n, d.t2_us * 1000);
  m.readout_error.assign(n, d.readout_fidelity > 0 ? 1 - d.readout_fidelity : 0);
  m.module_of_qubit = d.module_of_qubits();
  if (auto f = d.mean_bell_pair_fidelity()) {
    m.bell_pair_error = 1 - *f;
    for (const auto& l : d.links) m.link_latency_ns = std::max(m.link_latency_ns, l.latency_ns);
  }
  m.calibration_id = d.calibration_id;
  return m;
}

void apply_calibration(NoiseModel& model, const device::Descriptor& d, const std::string& json_text,
                       const std::string& origin) {
  const device::CalibrationRecord rec = device::parse_calibration(d, json_text, origin);
  if (!rec.calibration_id.empty()) model.calibration_id = rec.calibration_id;
  for (const auto& [gate, f] : rec.gate_fidelity) model.gate_error[gate] = 1 - f;
  if (rec.bell_pair_fidelity) model.bell_pair_error = 1 - *rec.bell_pair_fidelity;
  for (const device::QubitCalibration& q : rec.qubits) {
    const auto u = static_cast<std::size_t>(q.qubit);
    if (q.t1_us) model.t1_ns[u] = *q.t1_us * 1000;
    if (q.t2_us) model.t2_ns[u] = *q.t2_us * 1000;
    if (q.readout_fidelity) model.readout_error[u] = 1 - *q.readout_fidelity;
  }
}

}  // namespace qontos::twin
