// A calibration record (docs/BACKENDS.md): fresher figures for a device than its descriptor's,
// read once and used by the digital twin (noise) and by the pulse lowering (frequencies and
// amplitudes). Every field is optional.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "device/descriptor.h"

namespace qontos::device {

struct QubitCalibration {
  int qubit = 0;
  std::optional<double> t1_us, t2_us, readout_fidelity;
  std::optional<double> drive_if_mhz, readout_if_mhz;  // need a control section
};

struct CalibrationRecord {
  std::string calibration_id;  // empty: not given
  std::map<std::string, double> gate_fidelity;
  std::optional<double> bell_pair_fidelity;
  std::vector<QubitCalibration> qubits;
  std::map<std::string, double> pulse_amp;  // native gate or "measure" -> peak amplitude (0..1)
};

// Parses and checks a record against its device; throws std::runtime_error with
// "<origin>: <field>: <problem>".
CalibrationRecord parse_calibration(const Descriptor& device, const std::string& json_text, const std::string& origin);

// The device's control section with the record's frequencies and amplitudes.
ControlSection calibrated_control(const Descriptor& device, const CalibrationRecord& record);

}  // namespace qontos::device
