#include "twin/noise_model.h"

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
  auto fail = [&](const std::string& field, const std::string& problem) {
    throw std::runtime_error(origin + ": " + field + ": " + problem);
  };
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    fail("(document)", std::string("not valid JSON: ") + e.what());
  }
  if (!doc.is_object()) fail("(document)", "a calibration record must be a JSON object");
  auto probability = [&](const nlohmann::json& v, const std::string& field) {
    if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 1) fail(field, "must be a number in [0, 1]");
    return v.get<double>();
  };
  auto positive = [&](const nlohmann::json& v, const std::string& field) {
    if (!v.is_number() || v.get<double>() <= 0) fail(field, "must be a positive number");
    return v.get<double>();
  };
  for (const auto& [key, value] : doc.items()) {
    if (key == "device") {
      if (!value.is_string() || value.get<std::string>() != d.name)
        fail("device", "the record is for '" + (value.is_string() ? value.get<std::string>() : value.dump()) +
                           "', not for '" + d.name + "'");
    } else if (key == "calibration_id") {
      if (!value.is_string() || value.get<std::string>().empty()) fail(key, "must be a non-empty string");
      model.calibration_id = value.get<std::string>();
    } else if (key == "gate_fidelity") {
      if (!value.is_object()) fail(key, "must be an object of gate name to fidelity");
      for (const auto& [gate, f] : value.items()) {
        if (!d.is_native(gate)) fail(key + "." + gate, "is not a native gate of '" + d.name + "'");
        model.gate_error[gate] = 1 - probability(f, key + "." + gate);
      }
    } else if (key == "bell_pair_fidelity") {
      model.bell_pair_error = 1 - probability(value, key);
    } else if (key == "qubits") {
      if (!value.is_array()) fail(key, "must be an array");
      for (std::size_t i = 0; i < value.size(); ++i) {
        const auto& q = value[i];
        const std::string at = "qubits[" + std::to_string(i) + "]";
        if (!q.is_object() || !q.contains("qubit") || !q["qubit"].is_number_integer())
          fail(at, "needs an integer 'qubit'");
        const int index = q["qubit"].get<int>();
        if (index < 0 || index >= d.num_qubits)
          fail(at + ".qubit", std::to_string(index) + " is not a qubit of '" + d.name + "'");
        const auto u = static_cast<std::size_t>(index);
        for (const auto& [field, v] : q.items()) {
          if (field == "qubit") continue;
          if (field == "t1_us")
            model.t1_ns[u] = positive(v, at + ".t1_us") * 1000;
          else if (field == "t2_us")
            model.t2_ns[u] = positive(v, at + ".t2_us") * 1000;
          else if (field == "readout_fidelity")
            model.readout_error[u] = 1 - probability(v, at + ".readout_fidelity");
          else
            fail(at + "." + field, "unknown field");
        }
        if (model.t1_ns[u] > 0 && model.t2_ns[u] > 2 * model.t1_ns[u]) fail(at, "T2 cannot exceed 2*T1");
      }
    } else {
      fail(key, "unknown field");
    }
  }
}

}  // namespace qontos::twin
