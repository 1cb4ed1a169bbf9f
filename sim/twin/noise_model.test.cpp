// The twin's noise model: what it takes from a descriptor, what a calibration record changes,
// and the messages a malformed record gets.
#include "twin/noise_model.h"

#include <gtest/gtest.h>

namespace qontos::twin {
namespace {

device::Descriptor grid() {
  return device::load_descriptor("superconducting-grid-16", QONTOS_DEVICES_DIR);
}

TEST(NoiseModel, ComesFromTheDescriptor) {
  const auto d = grid();
  const NoiseModel m = noise_model_from(d);
  EXPECT_DOUBLE_EQ(m.error_of("cz", 2), 1 - 0.995);
  EXPECT_DOUBLE_EQ(m.error_of("sx", 1), 1 - 0.9995);
  EXPECT_DOUBLE_EQ(m.duration_of("cz", 2), 60);
  EXPECT_DOUBLE_EQ(m.t1_ns.at(5), 120'000);
  EXPECT_NEAR(m.readout_error.at(0), 0.015, 1e-12);
  EXPECT_FALSE(m.crosses_modules(0, 1));
  const NoiseModel modular = noise_model_from(device::load_descriptor("modular-2x16", QONTOS_DEVICES_DIR));
  EXPECT_TRUE(modular.crosses_modules(7, 20));
  EXPECT_NEAR(modular.bell_pair_error, 0.04, 1e-12);
  EXPECT_DOUBLE_EQ(modular.link_latency_ns, 1200);
}

TEST(NoiseModel, CalibrationRecordOverridesPerQubitAndPerGate) {
  const auto d = grid();
  NoiseModel m = noise_model_from(d);
  apply_calibration(m, d,
                    R"({"device": "superconducting-grid-16", "calibration_id": "x/2026-12-01T06:00Z",
                        "qubits": [{"qubit": 3, "t1_us": 80, "t2_us": 60, "readout_fidelity": 0.9}],
                        "gate_fidelity": {"cz": 0.98}})",
                    "cal.json");
  EXPECT_EQ(m.calibration_id, "x/2026-12-01T06:00Z");
  EXPECT_DOUBLE_EQ(m.t1_ns.at(3), 80'000);
  EXPECT_DOUBLE_EQ(m.t1_ns.at(4), 120'000);
  EXPECT_NEAR(m.readout_error.at(3), 0.1, 1e-12);
  EXPECT_NEAR(m.error_of("cz", 2), 0.02, 1e-12);
}

TEST(NoiseModel, MalformedCalibrationRecordsNameTheField) {
  const auto d = grid();
  auto message = [&](const std::string& json) {
    NoiseModel m = noise_model_from(d);
    try {
      apply_calibration(m, d, json, "cal.json");
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message("{").rfind("cal.json: (document): not valid JSON", 0), 0u);
  EXPECT_EQ(message(R"({"device": "modular-2x16"})"),
            "cal.json: device: the record is for 'modular-2x16', not for 'superconducting-grid-16'");
  EXPECT_EQ(message(R"({"qubits": [{"qubit": 16}]})"),
            "cal.json: qubits[0].qubit: 16 is not a qubit of 'superconducting-grid-16'");
  EXPECT_EQ(message(R"({"qubits": [{"qubit": 1, "t1_us": -3}]})"),
            "cal.json: qubits[0].t1_us: must be a positive number");
  EXPECT_EQ(message(R"({"qubits": [{"qubit": 1, "t1_us": 10, "t2_us": 30}]})"),
            "cal.json: qubits[0]: T2 cannot exceed 2*T1");
  EXPECT_EQ(message(R"({"gate_fidelity": {"cx": 0.99}})"),
            "cal.json: gate_fidelity.cx: is not a native gate of 'superconducting-grid-16'");
  EXPECT_EQ(message(R"({"gate_fidelity": {"cz": 1.5}})"), "cal.json: gate_fidelity.cz: must be a number in [0, 1]");
  EXPECT_EQ(message(R"({"colour": "blue"})"), "cal.json: colour: unknown field");
}

TEST(NoiseModel, ScalingMultipliesErrorRates) {
  const NoiseModel m = noise_model_from(grid()).scaled(2);
  EXPECT_NEAR(m.error_of("cz", 2), 0.01, 1e-12);
  EXPECT_DOUBLE_EQ(m.t1_ns.at(0), 60'000);
}

}  // namespace
}  // namespace qontos::twin
