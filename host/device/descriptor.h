// A device descriptor: the machine-readable capabilities of one backend, read from JSON in
// board/devices/. The compiler, scheduler and twin read it; nothing about a device is
// hard-coded elsewhere.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace qontos::device {

struct Module {
  std::string name;
  std::vector<int> qubits;  // physical qubit indices belonging to this module
};

struct PhotonicLink {
  std::string from_module;
  std::string to_module;
  std::vector<std::pair<int, int>> qubit_pairs;  // coupled pairs across the link
  double bell_pair_fidelity = 0;
  double bell_pair_rate_hz = 0;
  double latency_ns = 0;
};

/// An envelope of the control hardware's waveform memory (docs in board/devices/README.md).
struct PulseShape {
  std::string shape;        // gaussian, square, flat_top
  double amp = 0;           // peak amplitude, fraction of DAC full scale (0..1)
  double sigma_ns = 0;      // gaussian
  double rise_ns = 0;       // flat_top: cosine ramps at both ends
  double duration_ns = 0;   // measure pulse (gates take gate_duration_ns)
};
struct QubitControl {
  int qubit = 0;
  int drive_channel = 0;     // sequencer DAC channel
  double drive_if_mhz = 0;   // intermediate frequency of the drive (the RF converter mixes the rest)
  int readout = 0;           // readout discriminator (ADC channel)
  int readout_channel = 0;   // DAC channel of the readout tone
  double readout_if_mhz = 0;
};
struct CouplerControl {
  int a = 0, b = 0;  // coupled qubits, a < b
  int channel = 0;
  double if_mhz = 0;
};
/// How the device is driven by the qontos sequencer: clock, channels, pulse envelopes.
struct ControlSection {
  double clock_mhz = 250;
  int samples_per_clock = 4;
  std::vector<QubitControl> qubits;
  std::vector<CouplerControl> couplers;
  std::map<std::string, PulseShape> gates;  // native gate -> envelope (rz is virtual: no pulse)
  PulseShape measure;                       // readout tone
  double trigger_delay_ns = 0;              // readout window start after the tone starts
  const QubitControl* qubit_control(int q) const;
  const CouplerControl* coupler(int a, int b) const;
};

struct Descriptor {
  std::string name;
  std::string modality;  // "simulator", "superconducting", ...
  int num_qubits = 0;
  /// Undirected coupled pairs (a < b). Empty with all_to_all == true means every pair.
  std::vector<std::pair<int, int>> coupling;
  bool all_to_all = false;
  std::vector<std::string> native_gates;  // e.g. {"rz","sx","x","cz"}; empty = every IR gate
  std::map<std::string, double> gate_duration_ns;
  std::map<std::string, double> gate_fidelity;
  double measure_duration_ns = 0;
  double readout_fidelity = 0;
  double t1_us = 0;
  double t2_us = 0;
  std::string calibration_id;
  double calibration_ttl_s = 0;
  double cost_per_shot = 0;
  bool mid_circuit_measurement = false;
  bool feed_forward = false;
  bool qec = false;
  std::vector<Module> modules;
  std::vector<PhotonicLink> links;
  std::optional<ControlSection> control;  // absent: no pulse-level lowering

  bool coupled(int a, int b) const;
  bool is_native(const std::string& gate) const;
  /// Index into `modules` of every qubit (all 0 without modules).
  std::vector<int> module_of_qubits() const;
  /// Mean Bell-pair fidelity over the links, or nullopt without links.
  std::optional<double> mean_bell_pair_fidelity() const;
};

/// Parses a descriptor; throws std::runtime_error with "<origin>: <field>: <problem>".
Descriptor parse_descriptor(const std::string& json_text, const std::string& origin);

/// Loads a descriptor by name (looked up in the devices directory) or by path to a .json file.
Descriptor load_descriptor(const std::string& name_or_path, const std::string& devices_dir);

/// The devices directory: $QONTOS_DEVICES_DIR, else the source tree's board/devices.
std::string default_devices_dir();

}  // namespace qontos::device
