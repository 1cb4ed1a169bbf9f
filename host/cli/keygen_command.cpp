// `qontos keygen [--out DIR]`: writes a fresh Ed25519 key pair, DIR/qontos.key (mode 0600) and
// DIR/qontos.pub, and prints the key's id and both paths. It never replaces an existing key.
#include "cli/keygen_command.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "cli/output.h"
#include "common/settings.h"
#include "proof/keys.h"
#include "proof/signing.h"

namespace qontos::cli {

void add_keygen_command(CLI::App& app, KeygenCliOptions& o) {
  CLI::App* cmd = app.add_subcommand("keygen", "Create the Ed25519 key pair that signs proofs of execution");
  cmd->add_option("--out", o.out,
                  "Directory for qontos.key and qontos.pub (default: the signing key's directory, "
                  "keys/ in the qontos home unless configured)")
      ->type_name("DIR");
}

int run_keygen(const KeygenCliOptions& o) {
  return run_reporting_errors(o.out, [&]() -> int {
    std::filesystem::path dir = o.out;
    std::filesystem::path configured;  // the signing key the other commands will use
    if (dir.empty()) {
      configured = load_settings().signing_key;
      dir = configured.parent_path();
      if (dir.empty()) dir = ".";
    }
    const proof::SigningKey key = proof::generate_key();
    const proof::KeyFiles files = proof::write_key_pair(dir, key);
    std::cout << "key id:     " << proof::key_id(key.public_key) << "\n"
              << "secret key: " << files.secret.string() << " (mode 0600; keep it private)\n"
              << "public key: " << files.pub.string() << " (give it to verifiers for their trusted keys)\n";
    // keygen always names the file qontos.key; a setting naming another file would not find it.
    if (!configured.empty() && configured.filename() != files.secret.filename())
      std::cerr << "qontos: note: the signing key setting names '" << configured.string()
                << "', not the new key; point it at '" << files.secret.string() << "' to sign with it\n";
    return 0;
  });
}

}  // namespace qontos::cli
