// `qontos backends`: every backend's health: queue depth, mean two-qubit fidelity, calibration
// epoch and age (stale past its TTL), measured throughput and cost per shot.
#include <CLI/CLI.hpp>
#include <cmath>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "backends/registry.h"
#include "cli/commands.h"
#include "device/descriptor.h"
#include "exec/runtime.h"
#include "ir/gate_set.h"

namespace qontos::cli {

void add_backends_command(CLI::App& app, BackendsCliOptions& o) {
  CLI::App* cmd = app.add_subcommand("backends", "Show every backend's health");
  cmd->add_flag("--json", o.json, "Print the table as JSON");
}

namespace {

double mean_two_qubit_fidelity(const device::Descriptor& d) {
  double sum = 0;
  int n = 0;
  for (const auto& [gate, f] : d.gate_fidelity) {
    const ir::GateSpec* s = ir::find_gate(gate);
    if (s && s->num_qubits == 2) {
      sum += f;
      ++n;
    }
  }
  return n ? sum / n : 1.0;  // an ideal simulator's gates are exact
}

/// The epoch in a calibration id of the form "<device>/YYYY-MM-DDTHH:MMZ", or -1.
long long calibration_epoch(const std::string& id) {
  const auto slash = id.rfind('/');
  if (slash == std::string::npos) return -1;
  std::tm tm{};
  std::istringstream in(id.substr(slash + 1));
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M");
  if (in.fail()) return -1;
  return static_cast<long long>(timegm(&tm));
}

// A 5-qubit GHZ circuit with 1000 shots: what one backend sustains on a small job.
const char* kProbe =
    "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[5] q;\nbit[5] c;\nh q[0];\n"
    "for int i in [0:3] { cx q[i], q[i+1]; }\nc = measure q;\n";

}  // namespace

int run_backends(const BackendsCliOptions& o) {
  try {
    const std::string devices = device::default_devices_dir();
    backends::BackendRegistry registry =
        backends::BackendRegistry::load(backends::BackendRegistry::default_path(devices), devices);
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    const long long now = static_cast<long long>(std::time(nullptr));
    for (const auto& b : registry.all()) {
      const device::Descriptor& d = b->descriptor();
      nlohmann::ordered_json row;
      row["backend"] = b->name();
      row["device"] = d.name;
      row["qubits"] = d.num_qubits;
      row["queue_depth"] = b->queue_depth();
      row["mean_2q_fidelity"] = mean_two_qubit_fidelity(d);
      row["calibration_id"] = d.calibration_id;
      const long long epoch = calibration_epoch(d.calibration_id);
      if (epoch >= 0) {
        row["calibration_age_s"] = now - epoch;
        row["calibration_stale"] = d.calibration_ttl_s > 0 && static_cast<double>(now - epoch) > d.calibration_ttl_s;
      }
      exec::SubmitOptions probe;
      probe.shots = 1000;
      probe.backend = b->name();
      try {
        exec::RunOutcome r = exec::submit_source(kProbe, "<probe>", probe, registry);
        row["throughput_shots_per_s"] = r.run_seconds > 0 ? std::round(1000 / r.run_seconds) : 0;
      } catch (const std::exception& e) {
        row["throughput_error"] = e.what();
      }
      row["cost_per_shot"] = d.cost_per_shot;
      rows.push_back(row);
    }
    if (o.json) {
      std::cout << rows.dump(2) << "\n";
      return 0;
    }
    std::cout << std::left << std::setw(34) << "backend" << std::right << std::setw(7) << "qubits" << std::setw(7)
              << "queue" << std::setw(9) << "2q fid" << std::setw(20) << "calibration age" << std::setw(14) << "shots/s"
              << std::setw(12) << "cost/shot"
              << "\n";
    for (const auto& r : rows) {
      std::ostringstream age;
      if (r.contains("calibration_age_s")) {
        age << std::fixed << std::setprecision(1) << r["calibration_age_s"].get<double>() / 86400.0 << " d"
            << (r["calibration_stale"].get<bool>() ? " STALE" : "");
      } else {
        age << "n/a (" << r["calibration_id"].get<std::string>() << ")";
      }
      std::cout << std::left << std::setw(34) << r["backend"].get<std::string>() << std::right << std::setw(7)
                << r["qubits"].get<int>() << std::setw(7) << r["queue_depth"].get<int>() << std::setw(9) << std::fixed
                << std::setprecision(4) << r["mean_2q_fidelity"].get<double>() << std::setw(20) << age.str()
                << std::setw(14)
                << (r.contains("throughput_shots_per_s") ? std::to_string(r["throughput_shots_per_s"].get<long long>())
                                                         : std::string("error"))
                << std::setw(12) << std::setprecision(5) << r["cost_per_shot"].get<double>() << "\n";
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "qontos: error: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace qontos::cli
