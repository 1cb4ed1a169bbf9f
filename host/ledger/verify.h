// Checking a whole ledger against itself and against signed checkpoints: every row's fields
// against its leaf hash, every payload against its hash, indexes contiguous from 0, times never
// going back, every stored subtree hash against the tree recomputed from the leaves, and every
// checkpoint (stored or given) against the recomputed root at its size. What this can and cannot
// detect is in docs/formats/ledger.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "proof/keys.h"
#include "proof/merkle.h"

namespace qontos::ledger {

class LedgerStore;

/// A checkpoint note kept outside the ledger (a file, a witness), named in messages by `label`.
struct ExternalCheckpoint {
  std::string label;
  std::string note;
};

struct VerifyOptions {
  /// Keys whose checkpoint signatures are trusted. Without any, each stored checkpoint is checked
  /// against the public key stored beside it, which catches damage but not a forger who replaced
  /// both (the report says so).
  std::vector<proof::PublicKey> trusted_keys;
  std::vector<ExternalCheckpoint> external_checkpoints;
  /// Recheck entries from this index on, taking the stored tree before it as given (the ledger
  /// uses this after matching that prefix against a signed checkpoint). 0 checks everything.
  std::uint64_t from = 0;
  std::size_t max_problems = 100;
};

struct VerifyProblem {
  std::optional<std::uint64_t> entry;  // the entry concerned
  /// Set when the problem is somewhere in entries [entry, entry_end) but the ledger cannot tell
  /// where (a checkpoint contradicted by a consistent rewrite).
  std::optional<std::uint64_t> entry_end;
  std::optional<std::int64_t> checkpoint;  // a stored checkpoint's id
  std::string external;                    // an external checkpoint's label
  std::string message;
};

struct VerifyReport {
  std::filesystem::path file;
  std::uint64_t size = 0;  // entries found
  std::uint64_t from = 0;  // first entry rechecked
  proof::Hash root{};      // the root recomputed from the entries
  std::size_t checkpoints_checked = 0;
  bool signatures_authenticated = false;  // checked against trusted keys, not stored ones
  std::vector<VerifyProblem> problems;    // in the order found, at most max_problems
  std::size_t unlisted_problems = 0;

  bool ok() const { return problems.empty(); }
  /// The smallest entry index a problem names exactly; failing that, the start of the first
  /// range a contradicted checkpoint narrows a change down to.
  std::optional<std::uint64_t> first_bad_entry() const;
  /// `FILE: entry I: message`, `FILE: checkpoint #N: message` or `LABEL: message`.
  std::string describe(const VerifyProblem& problem) const;
  /// The same without the file: `entry I: message`, `checkpoint #N: message`, `message`.
  std::string describe_in_file(const VerifyProblem& problem) const;
};

/// Verifies the ledger in `store` as one snapshot (appends by others are not seen half-way).
/// Problems go into the report; it throws only when the file cannot be opened for reading.
VerifyReport verify_store(LedgerStore& store, const VerifyOptions& options);

}  // namespace qontos::ledger
