// `qontos ledger`: inspect and vouch for the audit ledger. Subcommands: verify (recompute and
// check everything), checkpoint (sign a C2SP checkpoint of the tree and store it), prove
// (inclusion proof of one entry), consistency (proof that a smaller tree is a prefix of a larger
// one), show (list entries). Exit codes: 0 success, 1 verification failed (or an internal
// error), 2 bad input or usage (a missing or damaged ledger file, an index out of range, a bad
// key file), with the file and entry named on stderr.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace qontos::cli {

struct LedgerCliOptions {
  std::string action;  // the subcommand given: verify, checkpoint, prove, consistency or show
  std::string ledger;  // --ledger PATH; empty: from the settings
  bool json = false;
  // verify
  std::string trusted_keys;              // empty: from the settings, if any
  std::vector<std::string> checkpoints;  // checkpoint notes kept outside the ledger
  // checkpoint
  std::string key;     // signing key file; empty: from the settings
  std::string origin;  // empty: the ledger's own
  std::string output;  // also write the note to this file
  // prove, consistency, show
  std::uint64_t index = 0;
  std::uint64_t from = 0;
  std::uint64_t to = 0;  // the tree size a proof is for (prove --size, consistency --to)
  bool to_given = false;
  std::uint64_t count = 0;
  bool count_given = false;
};

void add_ledger_command(CLI::App& app, LedgerCliOptions& options);
int run_ledger(const LedgerCliOptions& options);

}  // namespace qontos::cli
