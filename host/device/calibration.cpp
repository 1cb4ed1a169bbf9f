// Reads calibration records strictly: the device must match, every field is known and in range,
// qubits exist, gates are native, frequencies lie in the DAC's band.
#include "device/calibration.h"

#include <stdexcept>

#include <nlohmann/json.hpp>

namespace qontos::device {

CalibrationRecord parse_calibration(const Descriptor& d, const std::string& json_text, const std::string& origin) {
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
  auto frequency = [&](const nlohmann::json& v, const std::string& field) {
    if (!d.control) fail(field, "'" + d.name + "' has no control section, so no pulse frequencies");
    const double half = d.control->clock_mhz * d.control->samples_per_clock / 2;
    if (!v.is_number() || v.get<double>() < -half || v.get<double>() > half)
      fail(field, "must be a number in [" + std::to_string(-half) + ", " + std::to_string(half) + "] MHz");
    return v.get<double>();
  };
  CalibrationRecord rec;
  for (const auto& [key, value] : doc.items()) {
    if (key == "device") {
      if (!value.is_string() || value.get<std::string>() != d.name)
        fail("device", "the record is for '" + (value.is_string() ? value.get<std::string>() : value.dump()) +
                           "', not for '" + d.name + "'");
    } else if (key == "calibration_id") {
      if (!value.is_string() || value.get<std::string>().empty()) fail(key, "must be a non-empty string");
      rec.calibration_id = value.get<std::string>();
    } else if (key == "gate_fidelity") {
      if (!value.is_object()) fail(key, "must be an object of gate name to fidelity");
      for (const auto& [gate, f] : value.items()) {
        if (!d.is_native(gate)) fail(key + "." + gate, "is not a native gate of '" + d.name + "'");
        rec.gate_fidelity[gate] = probability(f, key + "." + gate);
      }
    } else if (key == "bell_pair_fidelity") {
      rec.bell_pair_fidelity = probability(value, key);
    } else if (key == "pulse_amp") {
      if (!value.is_object()) fail(key, "must be an object of gate name (or measure) to amplitude");
      for (const auto& [gate, a] : value.items()) {
        if (!d.control) fail(key, "'" + d.name + "' has no control section, so no pulses");
        if (gate != "measure" && !d.control->gates.count(gate))
          fail(key + "." + gate, "is not a gate with a pulse in the control section of '" + d.name + "'");
        rec.pulse_amp[gate] = probability(a, key + "." + gate);
      }
    } else if (key == "qubits") {
      if (!value.is_array()) fail(key, "must be an array");
      for (std::size_t i = 0; i < value.size(); ++i) {
        const auto& q = value[i];
        const std::string at = "qubits[" + std::to_string(i) + "]";
        if (!q.is_object() || !q.contains("qubit") || !q["qubit"].is_number_integer())
          fail(at, "needs an integer 'qubit'");
        QubitCalibration qc;
        qc.qubit = q["qubit"].get<int>();
        if (qc.qubit < 0 || qc.qubit >= d.num_qubits)
          fail(at + ".qubit", std::to_string(qc.qubit) + " is not a qubit of '" + d.name + "'");
        for (const auto& [field, v] : q.items()) {
          if (field == "qubit") continue;
          if (field == "t1_us")
            qc.t1_us = positive(v, at + ".t1_us");
          else if (field == "t2_us")
            qc.t2_us = positive(v, at + ".t2_us");
          else if (field == "readout_fidelity")
            qc.readout_fidelity = probability(v, at + ".readout_fidelity");
          else if (field == "drive_if_mhz")
            qc.drive_if_mhz = frequency(v, at + ".drive_if_mhz");
          else if (field == "readout_if_mhz")
            qc.readout_if_mhz = frequency(v, at + ".readout_if_mhz");
          else
            fail(at + "." + field, "unknown field");
        }
        const double t1 = qc.t1_us.value_or(d.t1_us), t2 = qc.t2_us.value_or(d.t2_us);
        if (t1 > 0 && t2 > 2 * t1) fail(at, "T2 cannot exceed 2*T1");
        if ((qc.drive_if_mhz || qc.readout_if_mhz) && !d.control->qubit_control(qc.qubit))
          fail(at, "qubit " + std::to_string(qc.qubit) + " has no entry in the control section");
        rec.qubits.push_back(qc);
      }
    } else {
      fail(key, "unknown field");
    }
  }
  return rec;
}

ControlSection calibrated_control(const Descriptor& d, const CalibrationRecord& rec) {
  ControlSection c = *d.control;
  for (const QubitCalibration& qc : rec.qubits)
    for (QubitControl& q : c.qubits)
      if (q.qubit == qc.qubit) {
        if (qc.drive_if_mhz) q.drive_if_mhz = *qc.drive_if_mhz;
        if (qc.readout_if_mhz) q.readout_if_mhz = *qc.readout_if_mhz;
      }
  for (const auto& [gate, amp] : rec.pulse_amp) {
    if (gate == "measure")
      c.measure.amp = amp;
    else
      c.gates[gate].amp = amp;
  }
  return c;
}

}  // namespace qontos::device
