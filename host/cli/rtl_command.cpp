// `qontos rtl SCENARIO... [--json]`: runs scenarios on the verilated real-time path
// (sim/rt/scenarios.h) and prints what each measured. Exit 0 when every scenario passed, 1 when
// one did not, 2 for an unknown scenario or a build without Verilator.
#include <CLI/CLI.hpp>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "rt/scenarios.h"

namespace qontos::cli {
namespace {

// One or a few lines per scenario for a reader; --json has everything.
std::string summary(const nlohmann::json& r) {
  std::ostringstream os;
  const std::string name = r.value("scenario", "?");
  os << name << ": " << (r.value("pass", false) ? "pass" : "FAIL");
  if (r.contains("error")) os << " (" << r["error"].get<std::string>() << ")";
  if (name == "sequencer" && r.contains("pulses")) {
    os << ", " << r["pulses"].size() << " pulses at cycles";
    for (const auto& p : r["pulses"]) os << " " << p["cycle"] << " (ch" << p["channel"] << ")";
    os << (r.value("model_agrees", false) ? ", as the model says" : ", NOT as the model says");
  } else if (name == "feedforward" && r.contains("cycles")) {
    os << ", measurement bit to correction " << r["cycles"] << " cycles (" << r["ns_at_250mhz"].get<double>()
       << " ns at 250 MHz; target " << r["target_cycles"] << "), decoder result to pulse " << r["decoder_cycles"]
       << " cycles";
  } else if (name == "watchdog" && r.contains("aborts")) {
    for (const auto& a : r["aborts"])
      os << "\n  " << a["stage"].get<std::string>() << ": budget " << a["budget"] << ", aborted with overrun "
         << a["overrun"] << (a.value("overrun_final", false) ? "" : " (at least; the abort cancelled the stage)")
         << (a.value("irq", false) ? ", interrupt raised" : ", NO interrupt") << (a.value("pass", false) ? "" : "  FAIL");
  } else if (name == "histograms" && r.contains("stages")) {
    for (const auto& st : r["stages"])
      os << "\n  " << st["stage"].get<std::string>() << ": " << st["events"] << " events, " << st["min"] << ".."
         << st["max"] << " cycles" << (st.value("matches_harness", false) ? ", equal to the harness's" : ", DIFFERENT");
  }
  return os.str();
}

}  // namespace

void add_rtl_command(CLI::App& app, RtlCliOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "rtl", "Run the real-time path (sequencer, readout, watchdog, histograms) in Verilator and print its figures");
  cmd->add_option("SCENARIO", o.scenarios, "sequencer, feedforward, watchdog, histograms, or all")->required();
  cmd->add_flag("--json", o.json, "Print JSON: one object per scenario (an array for several)");
}

int run_rtl(const RtlCliOptions& o) {
  std::vector<std::string> names;
  for (const auto& s : o.scenarios) {
    if (s == "all") {
      for (const auto& n : sim::rt::scenario_names()) names.push_back(n);
      continue;
    }
    const auto known = sim::rt::scenario_names();
    if (std::find(known.begin(), known.end(), s) == known.end()) {
      std::cerr << "qontos: error: unknown scenario '" << s << "' (sequencer, feedforward, watchdog, histograms, all)\n";
      return 2;
    }
    names.push_back(s);
  }
  if (!sim::rt::rt_model_available()) {
    try {
      sim::rt::run_scenario(names.front());
    } catch (const std::exception& e) {
      std::cerr << "qontos: error: " << e.what() << "\n";
    }
    return 2;
  }
  nlohmann::json all = nlohmann::json::array();
  bool pass = true;
  for (const auto& n : names) {
    nlohmann::json r;
    try {
      r = sim::rt::run_scenario(n);
    } catch (const std::exception& e) {
      r = {{"scenario", n}, {"pass", false}, {"error", e.what()}};
    }
    pass = pass && r.value("pass", false);
    if (!o.json) std::cout << summary(r) << "\n";
    all.push_back(std::move(r));
  }
  if (o.json) std::cout << (all.size() == 1 ? all[0].dump(2) : all.dump(2)) << "\n";
  return pass ? 0 : 1;
}

}  // namespace qontos::cli
