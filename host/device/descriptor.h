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
