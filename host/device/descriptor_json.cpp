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
  if (d.control) {
    const ControlSection& c = *d.control;
    auto shape = [](const PulseShape& p) {
      nlohmann::json s = {{"shape", p.shape}, {"amp", p.amp}};
      if (p.shape == "gaussian") s["sigma_ns"] = p.sigma_ns;
      if (p.shape == "flat_top") s["rise_ns"] = p.rise_ns;
      if (p.duration_ns > 0) s["duration_ns"] = p.duration_ns;
      return s;
    };
    nlohmann::json qubits = nlohmann::json::array();
    for (const auto& q : c.qubits)
      qubits.push_back({{"qubit", q.qubit}, {"drive_channel", q.drive_channel}, {"drive_if_mhz", q.drive_if_mhz},
                        {"readout", q.readout}, {"readout_channel", q.readout_channel}, {"readout_if_mhz", q.readout_if_mhz}});
    nlohmann::json couplers = nlohmann::json::array();
    for (const auto& k : c.couplers) couplers.push_back({{"qubits", {k.a, k.b}}, {"channel", k.channel}, {"if_mhz", k.if_mhz}});
    nlohmann::json gates = nlohmann::json::object();
    for (const auto& [name, p] : c.gates) gates[name] = shape(p);
    j["control"] = {{"clock_mhz", c.clock_mhz}, {"samples_per_clock", c.samples_per_clock}, {"qubits", qubits},
                    {"couplers", couplers}, {"gates", gates}, {"measure", shape(c.measure)},
                    {"trigger_delay_ns", c.trigger_delay_ns}};
  }
  return j;
}

}  // namespace qontos::device
