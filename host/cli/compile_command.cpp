// `qontos compile`: runs the compiler's passes up to one of them and writes its output.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/output.h"
#include "device/calibration.h"
#include "device/descriptor.h"
#include "ir/emit_qasm3.h"
#include "ir/serialise_json.h"
#include "ir/stats.h"
#include "passes/pipeline.h"
#include "pulses/lower.h"
#include "pulses/program_file.h"
#include "qasm/diagnostic.h"
#include "qasm/elaborate.h"

namespace qontos::cli {

void add_compile_command(CLI::App& app, CompileOptions& o) {
  CLI::App* cmd = app.add_subcommand("compile", "Compile an OpenQASM 2 or 3 file through the named passes");
  cmd->add_option("FILE", o.file, "OpenQASM source file ('-' reads standard input)")->required();
  cmd->add_option(
      "--device", o.device,
      "Device descriptor: a name in board/devices (e.g. superconducting-grid-16) or a path to a .json file");
  std::string passes;
  for (const auto& p : passes::pass_names()) passes += (passes.empty() ? "" : ", ") + p;
  cmd->add_option("--until", o.until,
                  "Stop after this pass (" + passes + "); default: schedule with a device, else optimise")
      ->check(CLI::IsMember(passes::pass_names()));
  cmd->add_option("--emit", o.emit,
                  "Output format: json (canonical IR), qasm3, stats, pulses (a sequencer program for --device, "
                  "docs/formats/pulse-program.md; use -o)")
      ->check(CLI::IsMember({"json", "qasm3", "stats", "pulses"}));
  cmd->add_option("-o,--output", o.output, "Write the output to this file instead of standard output");
  cmd->add_option("--calibration", o.calibration,
                  "Calibration record (JSON, docs/BACKENDS.md) whose pulse frequencies and amplitudes --emit pulses uses");
  cmd->add_flag("--hashes", o.hashes, "Print each pass's name and the SHA-256 of its output");
  cmd->add_option("--seed", o.seed, "Seed for layout and routing trials");
  cmd->add_option("--partitioner", o.partitioner, "Partitioner for the partition pass: auto, greedy, spectral, manual")
      ->check(CLI::IsMember({"auto", "greedy", "spectral", "manual"}));
  cmd->add_option("--map", o.map, "Qubit-to-module map (JSON) for --partitioner manual");
  cmd->add_option("--trials", o.trials, "Layout and routing trials")->check(CLI::Range(1, 1000));
  cmd->add_option("--input", o.inputs, "Value of an OpenQASM 3 input: --input theta=0.5 (repeatable)")
      ->type_name("NAME=VALUE")
      ->check([](const std::string& v) {
        auto eq = v.find('=');
        return eq == std::string::npos || eq == 0 || eq + 1 == v.size()
                   ? std::string("expected NAME=VALUE, got '" + v + "'")
                   : std::string();
      });
}

int run_compile(const CompileOptions& o) {
  const std::string path = o.file == "-" ? "<stdin>" : o.file;
  return run_reporting_errors(path, [&]() -> int {
    std::optional<device::Descriptor> dev;
    if (!o.device.empty()) dev = device::load_descriptor(o.device, device::default_devices_dir());
    if (!o.calibration.empty()) {
      if (o.emit != "pulses") throw passes::PassError("--calibration applies to --emit pulses");
      if (dev && dev->control)
        dev->control = device::calibrated_control(*dev, device::parse_calibration(*dev, read_text(o.calibration), o.calibration));
    }
    passes::PassContext ctx;
    ctx.device = dev ? &*dev : nullptr;
    ctx.seed = o.seed;
    ctx.routing_trials = o.trials;
    ctx.partitioner = o.partitioner;
    if (!o.map.empty()) {
      ctx.partition_map = read_text(o.map);
      ctx.partition_map_origin = o.map;
    }
    if (o.emit == "pulses" && !dev) throw passes::PassError("--emit pulses needs --device (a device with a control section)");
    if (o.emit == "pulses" && !o.until.empty() && o.until != "schedule")
      throw passes::PassError("--emit pulses lowers the scheduled circuit; drop --until " + o.until);
    std::string until = !o.until.empty() ? o.until : dev ? "schedule" : "optimise";
    std::string source;
    try {
      source = read_text(o.file);
    } catch (const std::runtime_error& e) {
      throw passes::PassError(e.what());
    }
    qasm::ElaborateOptions eo;
    for (const auto& kv : o.inputs) eo.inputs[kv.substr(0, kv.find('='))] = kv.substr(kv.find('=') + 1);
    std::vector<passes::Stage> stages = passes::compile_source(source, path, until, ctx, eo);
    std::ostringstream out;
    if (o.hashes) {
      for (const auto& s : stages)
        out << s.pass << (s.pass.size() < 10 ? std::string(10 - s.pass.size(), ' ') : " ") << s.hash << "\n";
    }
    std::string emit = o.emit.empty() ? (o.hashes ? "" : "json") : o.emit;
    const ir::Program& final = stages.back().program;
    if (emit == "json")
      out << ir::serialise_json(final) << "\n";
    else if (emit == "qasm3")
      out << ir::emit_qasm3(final);
    else if (emit == "pulses")
      out << pulses::write_program_file(pulses::lower_to_pulses(final, *dev));
    else if (emit == "stats") {
      out << "pass: " << stages.back().pass << "\n"
          << "content_address: " << stages.back().hash << "\n";
      out << ir::format_stats(ir::compute_stats(final));
    }
    if (!write_output(o.output, out.str())) return 2;
    return 0;
  });
}

}  // namespace qontos::cli
