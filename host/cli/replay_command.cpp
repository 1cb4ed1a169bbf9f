// `qontos replay --proof F`: runs a proven job again from what its proof records, checks every
// pass's hash, writes a new proof, and reports how the new distribution compares with the
// recorded one. Exit 0 when the recorded plan was reproduced (every pass hash matches), 1 when
// it was not, 2 when the proof cannot be read or replayed.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/signing_identity.h"
#include "proof/replay.h"

namespace qontos::cli {

void add_replay_command(CLI::App& app, ReplayCliOptions& o) {
  CLI::App* cmd = app.add_subcommand("replay", "Run a proven job again and compare it with its proof");
  cmd->add_option("--proof", o.proof, "The .qproof file to replay")->required();
  cmd->add_option("--blobs", o.blobs, "Directory of the proof's blobs (default: PROOF.blobs)");
  cmd->add_option("--backend", o.backend, "Run on this backend instead of the recorded one");
  cmd->add_option("--shots", o.shots, "Shots (default: as recorded)")->check(CLI::Range(1LL, 100000000LL));
  cmd->add_option("--seed", o.seed, "Seed (default: as recorded)")->each([&o](const std::string&) {
    o.seed_given = true;
  });
  cmd->add_option("-o,--output", o.output, "Where to write the new proof (default: PROOF-replay.qproof)");
  cmd->add_option("--key", o.key, "Signing key for the new proof (default: from the settings)");
  cmd->add_flag("--json", o.json, "Print the report as JSON");
}

namespace {

std::string join(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : ", ") + i;
  return s;
}

}  // namespace

int run_replay(const ReplayCliOptions& o) {
  return run_reporting_errors(o.proof, [&]() -> int {
    const std::string text = read_text(o.proof);
    SettingsFlags flags;
    flags.signing_key = o.key;
    const Settings settings = load_settings(flags);
    const SigningIdentity signer = signing_identity(settings);
    if (signer.created) std::cerr << "qontos: created signing key " << signer.key_id << " at " << signer.path << "\n";
    proof::ReplayOptions ro;
    ro.backend = o.backend;
    if (o.shots > 0) ro.shots = o.shots;
    if (o.seed_given) ro.seed = o.seed;
    ro.compiler_version = version_string();
    const std::string blobs = o.blobs.empty() ? proof::blob_dir_for(o.proof) : o.blobs;
    proof::ReplayReport r;
    try {
      r = proof::replay(text, blobs, ro, signer.key, provenance_for(settings, "replay of " + o.proof));
    } catch (const proof::ReplayError& e) {
      std::cerr << o.proof << ": error: cannot replay: " << e.what() << "\n";
      return 2;
    }
    std::string out_path = o.output;
    if (out_path.empty()) {
      std::filesystem::path p(o.proof);
      out_path = (p.parent_path() / (p.stem().string() + "-replay.qproof")).string();
    }
    proof::write_proof(out_path, r.new_proof);
    const std::string new_root = proof::to_hex(r.new_proof.root);
    const auto& d = r.distance;
    if (o.json) {
      nlohmann::ordered_json j;
      j["recorded_root"] = r.recorded_root;
      j["new_proof"] = out_path;
      j["new_root"] = new_root;
      j["passes"] = {{"recorded", r.passes.size()}, {"matching", r.passes_matching}};
      nlohmann::ordered_json differing = nlohmann::ordered_json::array();
      for (const auto& p : r.passes)
        if (p.recorded != p.replayed)
          differing.push_back({{"pass", p.leaf}, {"recorded", p.recorded}, {"replayed", p.replayed}});
      j["passes"]["differing"] = differing;
      j["backends"] = {{"recorded", r.recorded_backends}, {"replayed", r.replayed_backends}};
      j["same_integrity_layer"] = r.same_integrity;
      j["same_plan_layer"] = r.same_plan;
      j["same_result_records"] = r.same_result_records;
      if (!r.same_result_records) j["first_result_difference"] = r.first_result_difference;
      j["distance"] = {{"total_variation", d.total_variation},
                       {"kl_divergence", d.kl_divergence},
                       {"chi_square", d.chi_square},
                       {"degrees_of_freedom", d.degrees_of_freedom},
                       {"p_value", d.p_value}};
      std::cout << j.dump(2) << "\n";
    } else {
      std::ostringstream s;
      s << "replaying " << o.proof << " (root " << r.recorded_root << ")\n";
      s << "passes: " << r.passes_matching << " of " << r.passes.size() << " hashes match";
      if (r.recorded_compiler != ro.compiler_version) s << " (recorded by " << r.recorded_compiler << ")";
      s << "\n";
      for (const auto& p : r.passes)
        if (p.recorded != p.replayed)
          s << "  " << p.leaf << ": recorded " << p.recorded << ", now "
            << (p.replayed.empty() ? "(not run)" : p.replayed) << "\n";
      s << "backends: " << join(r.replayed_backends)
        << (r.replayed_backends == r.recorded_backends ? " (as recorded)"
                                                       : " (recorded: " + join(r.recorded_backends) + ")")
        << "\n";
      s << "layer 1: " << (r.same_integrity ? "same" : "differs")
        << " · layer 2: " << (r.same_plan ? "same" : "differs") << " · layer 3 result records: "
        << (r.same_result_records ? "identical (" + std::to_string(r.result_records) + " leaves)"
                                  : "differ (first: '" + r.first_result_difference + "')")
        << "\n";
      s << std::setprecision(4) << "distance: total variation " << d.total_variation << " · KL " << d.kl_divergence
        << " nats · chi-square " << d.chi_square << " (" << d.degrees_of_freedom << " dof), p = " << d.p_value << "\n";
      s << "new proof: " << out_path << " (root " << new_root << ")\n";
      std::cout << s.str();
    }
    // With the recorded backend and seed every pass must reproduce; with others they may not.
    return r.passes_reproduced() || !o.backend.empty() || o.seed_given ? 0 : 1;
  });
}

}  // namespace qontos::cli
