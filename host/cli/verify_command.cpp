// `qontos verify --proof F`: recomputes a proof's leaves, layers, chain, root and signature and
// prints one line; exit 0 when everything holds, 1 when anything does not (naming the first
// layer and leaf that fails), 2 when the proof or the trusted keys cannot be read.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/output.h"
#include "common/settings.h"
#include "proof/verify.h"

namespace qontos::cli {

void add_verify_command(CLI::App& app, VerifyCliOptions& o) {
  CLI::App* cmd = app.add_subcommand("verify", "Check a run's proof: every leaf, layer, the root and the signature");
  cmd->add_option("--proof", o.proof, "The .qproof file")->required();
  cmd->add_option("--trusted-keys", o.trusted_keys,
                  "Trusted public keys, one 'ed25519 <hex>' per line (default: from the settings, if any)");
  cmd->add_option("--blobs", o.blobs, "Directory of the proof's blobs (default: PROOF.blobs)");
  cmd->add_flag("--json", o.json, "Print the report as JSON");
}

int run_verify(const VerifyCliOptions& o) {
  return run_reporting_errors(o.proof, [&]() -> int {
    const std::string text = read_text(o.proof);
    SettingsFlags flags;
    flags.trusted_keys = o.trusted_keys;
    const Settings settings = load_settings(flags);
    std::optional<proof::TrustedKeys> trusted;
    if (settings.trusted_keys) trusted = proof::read_trusted_keys(*settings.trusted_keys);
    const std::string blobs = o.blobs.empty() ? proof::blob_dir_for(o.proof) : o.blobs;
    const proof::VerifyReport report = proof::verify_proof(text, blobs, trusted ? &*trusted : nullptr);
    if (o.json) {
      nlohmann::ordered_json j;
      j["ok"] = report.ok;
      j["layers"] = report.layer_ok;
      j["signature"] = report.signature_ok;
      j["key_id"] = report.key_id;
      j["key_trusted"] = report.key_trusted;
      j["root"] = report.root;
      if (!report.ok) {
        j["failed_at"] = report.failed_at;
        if (report.failed_leaf) j["leaf"] = *report.failed_leaf;
        j["leaf_name"] = report.failed_leaf_name;
        j["reason"] = report.reason;
      }
      std::cout << j.dump(2) << "\n";
    } else {
      (report.ok ? std::cout : std::cerr) << (report.ok ? "" : o.proof + ": ") << report.summary() << "\n";
      if (report.ok && !trusted)
        std::cerr << "qontos: note: no trusted keys given: the signature shows that the proof is intact under the key "
                     "it names ("
                  << report.key_id << "), not whose key that is (use --trusted-keys)\n";
    }
    return report.ok ? 0 : 1;
  });
}

}  // namespace qontos::cli
