// `qontos submit`: runs a circuit end to end (compile, split, score backends, run, aggregate)
// and prints the counts, the chosen backends and the timings, or the result document (--json).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

#include "backends/registry.h"
#include "cli/audit.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "cli/signing_identity.h"
#include "common/settings.h"
#include "device/descriptor.h"
#include "exec/runtime.h"
#include "ir/serialise_json.h"
#include "passes/pipeline.h"
#include "proof/document.h"
#include "qasm/diagnostic.h"
#include "simulate/statevector_run.h"

namespace qontos::cli {

void add_submit_command(CLI::App& app, SubmitCliOptions& o) {
  CLI::App* cmd =
      app.add_subcommand("submit", "Run a circuit on the best backend (or one you name) and print the counts");
  cmd->add_option("FILE", o.file, "OpenQASM 2 or 3 source file ('-' reads standard input)")->required();
  cmd->add_option("--shots", o.shots, "Number of shots")->check(CLI::Range(1LL, 100000000LL));
  cmd->add_option("--backend", o.backend, "auto (scored) or a backend name from 'qontos backends'");
  cmd->add_option("--device", o.device, "Run on the noisy twin of this device (name in board/devices or a .json path)");
  cmd->add_option("--seed", o.seed, "Seed: the same seed gives the same counts");
  cmd->add_option("--partitioner", o.partitioner, "auto, greedy, spectral or manual (with --map)")
      ->check(CLI::IsMember({"auto", "greedy", "spectral", "manual"}));
  cmd->add_option("--map", o.map, "Qubit-to-module map (JSON) for --partitioner manual");
  cmd->add_option("--weights", o.weights, "Scoring weights: fidelity=..,queue=..,cost=..,capacity=..");
  cmd->add_flag("--json", o.json, "Print the result document (JSON) instead of the summary");
  cmd->add_option("-o,--output", o.output, "Also write the result document to this file");
  cmd->add_flag("--per-shot", o.per_shot, "Keep every shot's bitstring in the result document");
  cmd->add_option("--precision", o.precision, "Statevector precision: double or single")
      ->check(CLI::IsMember({"double", "single"}));
  cmd->add_option("--statevector", o.statevector,
                  "Write the final state of a measurement-free circuit: 2^n raw little-endian complex128 "
                  "(complex64 with --precision single) amplitudes, index bit k = qubit k");
  cmd->add_option("--calibration", o.calibration, "Calibration record (JSON) for the twin of its device");
  cmd->add_flag("!--no-progress", o.progress, "Never draw the progress bar");
  cmd->add_flag("--explain", o.explain, "Also print every stage: pass hashes, partition and each candidate's scores");
  cmd->add_option("--proof", o.proof,
                  "Write the run's signed proof here (default: beside -o as NAME.qproof, else in HOME/proofs/)");
  cmd->add_flag("--no-proof", o.no_proof, "Write no proof");
  cmd->add_option("--key", o.key, "Signing key file (default: $QONTOS_SIGNING_KEY, config.json, HOME/keys/qontos.key)");
  cmd->add_option("--purpose", o.purpose, "Why this run is made (recorded in the proof's provenance)");
  cmd->add_option("--tenant", o.tenant, "Tenant the run is accounted to (default: $QONTOS_TENANT, config, 'default')");
  cmd->add_option("--ledger", o.ledger, "Audit ledger file (default: $QONTOS_LEDGER, config, HOME/ledger.sqlite)");
}

namespace {

// A progress bar on stderr, only on a terminal and only once a run has taken a second.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled && isatty(STDERR_FILENO)), start_(Clock::now()) {}
  ~ProgressBar() { finish(); }
  void update(double fraction) {
    if (!enabled_ || std::chrono::duration<double>(Clock::now() - start_).count() < 1.0) return;
    const int width = 40, filled = static_cast<int>(fraction * width);
    std::fprintf(stderr, "\r[%s%s] %3d%%", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(width - filled), ' ').c_str(), static_cast<int>(fraction * 100));
    drawn_ = true;
  }
  void finish() {
    if (drawn_) std::fprintf(stderr, "\r%60s\r", "");
    drawn_ = false;
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  Clock::time_point start_;
  bool drawn_ = false;
};

/// A JSON array, with only its first 32 entries when it is longer (the result document has all).
std::string abbreviated(const nlohmann::ordered_json& array) {
  if (array.size() <= 32) return array.dump();
  std::string s = "[";
  for (std::size_t i = 0; i < 32; ++i) s += array[i].dump() + ",";
  return s + " ... " + std::to_string(array.size() - 32) + " more]";
}

std::string explain(const exec::RunOutcome& r) {
  std::ostringstream out;
  const auto& j = r.result;
  out << "circuit: " << j["circuit"]["path"].get<std::string>() << " (" << j["circuit"]["qubits"] << " qubits, "
      << j["circuit"]["clbits"] << " bits)\n";
  auto passes = [&](const nlohmann::ordered_json& list, const char* indent) {
    for (const auto& p : list)
      out << indent << std::left << std::setw(10) << p["name"].get<std::string>() << " " << p["hash"].get<std::string>()
          << "\n";
  };
  out << "passes (SHA-256 of each pass's output):\n";
  passes(j["plan"]["passes"], "  ");
  const auto& parts = j["plan"]["parts"];
  out << (parts.size() > 1 ? std::to_string(parts.size()) + " independent parts (no gate joins them):\n"
                           : std::string());
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const auto& p = parts[k];
    if (parts.size() > 1) out << "part " << k << ": qubits " << abbreviated(p["qubits"]) << "\n";
    out << "  candidates (score = weighted fidelity, queue, cost, capacity):\n";
    for (const auto& c : p["candidates"]) {
      out << "    " << std::left << std::setw(34) << c["backend"].get<std::string>();
      if (!c["eligible"].get<bool>()) {
        out << "not eligible: " << c["reason"].get<std::string>() << "\n";
        continue;
      }
      out << std::fixed << std::setprecision(3) << c["total"].get<double>() << "  ("
          << c["scores"]["fidelity"].get<double>() << ", " << c["scores"]["queue"].get<double>() << ", "
          << c["scores"]["cost"].get<double>() << ", " << c["scores"]["capacity"].get<double>() << ")\n";
    }
    out << "  chosen: " << p["backend"].get<std::string>() << "; its passes:\n";
    passes(p["passes"], "    ");
    if (p.contains("partition"))
      out << "  partition: " << p["partition"]["method"].get<std::string>() << ", modules "
          << p["partition"]["modules"].dump() << ", qubit -> module " << abbreviated(p["partition"]["module_of_qubit"])
          << ", gates cut " << p["partition"]["cut_gates"] << "\n";
    if (p.contains("duration_ns")) out << "  scheduled duration: " << p["duration_ns"].get<double>() << " ns\n";
  }
  return out.str();
}

std::string summary(const exec::RunOutcome& r) {
  std::ostringstream out;
  const auto& j = r.result;
  out << "counts (" << j["shots"].get<long long>() << " shots, most frequent first):\n";
  const std::size_t shown = std::min<std::size_t>(r.counts_by_frequency.size(), 16);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& [bits, n] = r.counts_by_frequency[i];
    out << "  " << (bits.empty() ? "(no bits)" : bits) << "  " << n << "\n";
  }
  if (r.counts_by_frequency.size() > shown)
    out << "  ... " << r.counts_by_frequency.size() - shown << " more outcomes (--json for all)\n";
  const auto& parts = j["plan"]["parts"];
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const auto& p = parts[k];
    out << (parts.size() > 1 ? "part " + std::to_string(k) + " (qubits " + p["qubits"].dump() + ")"
                             : std::string("backend"))
        << ": " << p["backend"].get<std::string>();
    for (const auto& c : p["candidates"])
      if (c["backend"] == p["backend"])
        out << " (score " << std::fixed << std::setprecision(3) << c["total"].get<double>() << ")";
    const auto& details = j["backends"][k]["details"];
    if (details.contains("bell_pairs") && details["bell_pairs"] != "0")
      out << ", Bell pairs " << details["bell_pairs"].get<std::string>();
    out << ", " << j["backends"][k]["method"].get<std::string>() << "\n";
  }
  const auto& t = j["timings"];
  out << std::fixed << std::setprecision(3) << "timings: compile " << t["compile_s"].get<double>() * 1e3
      << " ms, schedule " << t["schedule_s"].get<double>() * 1e3 << " ms, run " << t["run_s"].get<double>() * 1e3
      << " ms, aggregate " << t["aggregate_s"].get<double>() * 1e3 << " ms, total " << t["total_s"].get<double>() * 1e3
      << " ms\n";
  return out.str();
}

/// --proof, else the result file's name with .qproof, else HOME/proofs/<time>-<root>.qproof.
std::string proof_path_for(const SubmitCliOptions& o, const Settings& settings, const proof::BuiltProof& built) {
  if (!o.proof.empty()) return o.proof;
  if (!o.output.empty()) {
    std::string beside = std::filesystem::path(o.output).replace_extension(".qproof").string();
    return beside == o.output ? o.output + ".qproof" : beside;  // never over the result itself
  }
  const std::filesystem::path dir = settings.home / "proofs";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create '" + dir.string() + "': " + ec.message());
  std::string stamp = proof::utc_now();
  std::erase(stamp, ':');
  return (dir / (stamp + "-" + proof::to_hex(built.root).substr(0, 16) + ".qproof")).string();
}

}  // namespace

int run_submit(const SubmitCliOptions& o) {
  const std::string path = o.file == "-" ? "<stdin>" : o.file;
  return run_reporting_errors(path, [&]() -> int {
    exec::SubmitOptions so;
    so.shots = o.shots;
    so.seed = o.seed;
    so.backend = o.backend;
    so.device = o.device;
    so.partitioner = o.partitioner;
    if (!o.map.empty()) {
      so.map_json = read_text(o.map);
      so.map_origin = o.map;
    }
    if (!o.weights.empty()) so.weights = exec::Weights::parse(o.weights);
    so.keep_shots = o.per_shot;
    so.compiler_version = version_string();
    backends::RegistryOptions ro;
    ro.single_precision = o.precision == "single";
    if (!o.calibration.empty()) {
      ro.calibration_json = read_text(o.calibration);
      ro.calibration_origin = o.calibration;
    }
    const std::string devices = device::default_devices_dir();
    backends::BackendRegistry registry =
        backends::BackendRegistry::load(backends::BackendRegistry::default_path(devices), devices, ro);
    const std::string source = read_text(o.file);

    if (!o.statevector.empty()) {
      const auto stages = passes::compile_source(source, path, "normalise", {});
      simulate::StatevectorOptions sv;
      sv.single_precision = ro.single_precision;
      std::string bytes;
      try {
        bytes = simulate::final_state_bytes(stages.back().program, sv);
      } catch (const std::runtime_error& e) {
        throw exec::ExecFailure({exec::ErrorKind::kUnsupported, std::string("--statevector: ") + e.what()});
      }
      if (!write_output(o.statevector, bytes)) return 2;
    }

    // Settings and the signing key come first, so a bad key fails before the run.
    SettingsFlags flags;
    flags.signing_key = o.key;
    flags.tenant = o.tenant;
    flags.ledger = o.ledger;
    const Settings settings = load_settings(flags);
    Audit audit(settings, o.purpose);
    std::optional<SigningIdentity> signer;
    if (!o.no_proof) {
      signer = signing_identity(settings);
      if (signer->created) {
        audit.key_created(*signer);
        std::cerr << "qontos: created signing key " << signer->key_id << " at " << signer->path << "\n";
      }
      so.record_shots = true;
    }
    const std::string source_sha256 = ir::sha256_hex(source);
    so.approve = [&](const exec::PlannedRun& planned) { audit.approve(planned, path, source_sha256); };

    ProgressBar bar(o.progress && !o.json);
    so.progress = [&bar](double f) { bar.update(f); };
    exec::RunOutcome r = exec::submit_source(source, path, so, registry);
    bar.finish();
    const std::string document = r.result.dump(2) + "\n";
    if (!o.output.empty() && !write_output(o.output, document)) return 2;
    std::string proof_note;
    if (signer) {
      proof::RecordedRun recorded{source, path, so, ro.single_precision, ro.calibration_json};
      proof::Provenance provenance = provenance_for(settings, o.purpose);
      provenance.policy = audit.decisions();
      const proof::BuiltProof built = proof::build_proof(proof::run_layers(recorded, r, provenance), signer->key);
      const std::string proof_path = proof_path_for(o, settings, built);
      proof::write_proof(proof_path, built);
      audit.proof_written(proof::to_hex(built.root), proof_path, signer->key_id);
      proof_note = "proof: " + proof_path + " (root " + proof::to_hex(built.root) + ", key " + signer->key_id + ")\n";
    }
    std::cout << (o.json ? document : (o.explain ? explain(r) : std::string()) + summary(r) + proof_note);
    if (o.json && !proof_note.empty()) std::cerr << proof_note;
    return 0;
  });
}

}  // namespace qontos::cli
