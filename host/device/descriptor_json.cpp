#include "device/descriptor_json.h"

namespace qontos::device {

nlohmann::json descriptor_json(const Descriptor& d) {
  nlohmann::json j;
  j["name"] = d.name;
  j["modality"] = d.modality;
  j["num_qubits"] = d.num_qubits;
  if (d.all_to_all) {
    j["all_to_all"] = true;
  } else {
    nlohmann::json pairs = nlohmann::json::array();
    for (const auto& [a, b] : d.coupling) pairs.push_back({a, b});
    j["coupling"] = pairs;
  }
  j["native_gates"] = d.native_gates;
  j["gate_duration_ns"] = d.gate_duration_ns;
  j["gate_fidelity"] = d.gate_fidelity;
  j["measure_duration_ns"] = d.measure_duration_ns;
  j["readout_fidelity"] = d.readout_fidelity;
  j["t1_us"] = d.t1_us;
  j["t2_us"] = d.t2_us;
  j["calibration"] = {{"id", d.calibration_id}, {"ttl_s", d.calibration_ttl_s}};
  j["cost_per_shot"] = d.cost_per_shot;
  j["features"] = {
      {"mid_circuit_measurement", d.mid_circuit_measurement}, {"feed_forward", d.feed_forward}, {"qec", d.qec}};
  if (!d.modules.empty()) {
    nlohmann::json modules = nlohmann::json::array();
    for (const auto& m : d.modules) modules.push_back({{"name", m.name}, {"qubits", m.qubits}});
    j["modules"] = modules;
  }
  if (!d.links.empty()) {
    nlohmann::json links = nlohmann::json::array();
    for (const auto& l : d.links) {
      nlohmann::json pairs = nlohmann::json::array();
      for (const auto& [a, b] : l.qubit_pairs) pairs.push_back({a, b});
      links.push_back({{"from", l.from_module},
                       {"to", l.to_module},
                       {"qubit_pairs", pairs},
                       {"bell_pair_fidelity", l.bell_pair_fidelity},
                       {"bell_pair_rate_hz", l.bell_pair_rate_hz},
                       {"latency_ns", l.latency_ns}});
    }
    j["links"] = links;
  }
  return j;
}

}  // namespace qontos::device
