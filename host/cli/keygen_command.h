// `qontos keygen`: creates the Ed25519 key pair that signs proofs of execution.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace qontos::cli {

struct KeygenCliOptions {
  std::string out;  // directory for qontos.key and qontos.pub; empty: that of the signing key setting
};

void add_keygen_command(CLI::App& app, KeygenCliOptions& options);
/// 0 when the key pair was written; 2 when it cannot be (an existing key is never replaced).
int run_keygen(const KeygenCliOptions& options);

}  // namespace qontos::cli
