// The scenarios `qontos rtl` runs on the verilated real-time path (hdl/rt/rtl/rt_top.v): each
// drives the design through its registers and streams the way a board would be driven, checks
// what it should, and reports its measured figures as a JSON object with "pass".
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace qontos::sim::rt {

// sequencer, feedforward, watchdog, histograms.
std::vector<std::string> scenario_names();

// Throws std::invalid_argument for an unknown name, std::runtime_error when qontos was built
// without Verilator (the message says so).
nlohmann::json run_scenario(const std::string& name);

// Whether this build has the verilated real-time path.
bool rt_model_available();

}  // namespace qontos::sim::rt
