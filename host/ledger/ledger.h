// The append-only audit ledger (issue 4): submissions, policy decisions, proofs and key events,
// each an entry with a UTC time, an actor and the SHA-256 of its payload, kept in an SQLite file
// (write-ahead log, synchronous=FULL) and hashed as the leaves of an RFC 9162 Merkle tree.
// Checkpoints signed with Ed25519 (C2SP tlog-checkpoint notes) are stored beside the entries;
// inclusion and consistency proofs come from stored subtree hashes in O(log n) reads. The file
// format, and what verification can and cannot catch, are in docs/formats/ledger.md.
//
// A Ledger is safe to share between threads. Appends from several threads are committed
// together (group commit: one transaction and one sync for all that are waiting), and several
// processes may append to one file (SQLite's lock serialises them).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/checkpoint.h"
#include "ledger/entry.h"
#include "ledger/error.h"
#include "ledger/store.h"
#include "ledger/verify.h"
#include "proof/merkle.h"
#include "proof/signing.h"

namespace qontos::ledger {

class Ledger {
 public:
  enum class Mode {
    kOpenExisting,     // refuse a missing file (reading commands)
    kCreateIfMissing,  // create the file (and its directory) when missing (appending commands)
  };

  /// Opens the ledger at `path`. Throws LedgerError naming the file when it is missing (with
  /// kOpenExisting), is not a qontos ledger, has an unknown schema version, or cannot be read.
  /// A refused file is never written to.
  static Ledger open(const std::filesystem::path& path, Mode mode = Mode::kCreateIfMissing);

  Ledger(Ledger&&) noexcept;
  Ledger& operator=(Ledger&&) noexcept;
  ~Ledger();

  const std::filesystem::path& path() const;
  /// The log's name in its checkpoints, chosen at random when the file was created.
  std::string origin() const;

  /// Appends one entry keeping `payload`, and returns its index once it is durable (synced to
  /// disk). Throws std::invalid_argument for an actor that cannot be recorded (see
  /// actor_problem) and LedgerError when the file cannot be written; nothing is appended then.
  std::uint64_t append(EntryKind kind, std::string_view actor, std::string_view payload);
  std::uint64_t append(const NewEntry& entry);
  /// Appends all `entries` in one transaction (all or none) with consecutive indexes, and
  /// returns the first index. An empty batch appends nothing and returns size().
  std::uint64_t append_batch(const std::vector<NewEntry>& entries);

  /// The number of entries (including those other processes appended).
  std::uint64_t size() const;
  /// Entry `index`. LedgerError naming the entry when it is out of range or unreadable.
  Entry entry(std::uint64_t index) const;
  /// Calls `visit` for up to `count` entries from `from`, in order.
  void for_each_entry(std::uint64_t from, std::uint64_t count, const std::function<void(const Entry&)>& visit) const;

  proof::Hash leaf_hash(std::uint64_t index) const;
  /// The tree hash of the first `tree_size` entries (of all entries without an argument).
  proof::Hash root() const;
  proof::Hash root(std::uint64_t tree_size) const;
  /// RFC 9162 proofs, checkable with proof::verify_inclusion and proof::verify_consistency.
  /// LedgerError when index >= tree_size, tree_size > size(), or 0 == old_size or
  /// old_size > new_size.
  std::vector<proof::Hash> inclusion_proof(std::uint64_t index, std::uint64_t tree_size) const;
  std::vector<proof::Hash> consistency_proof(std::uint64_t old_size, std::uint64_t new_size) const;

  struct SignedCheckpoint {
    std::int64_t id = 0;
    Checkpoint checkpoint;
    std::string note;  // the signed note's wire form
  };
  /// Verifies the entries not yet covered by a checkpoint, then signs and stores a checkpoint of
  /// all verified entries under `origin` (the ledger's own when empty). Refuses (LedgerError
  /// naming the first problem) when verification fails or the ledger contradicts a checkpoint
  /// already stored: a log must never sign two trees that are not one the prefix of the other.
  SignedCheckpoint sign_checkpoint(const proof::SigningKey& key, const std::string& origin = "");
  std::vector<StoredCheckpoint> checkpoints() const;

  /// Recomputes and checks everything (see verify.h); problems are in the report.
  VerifyReport verify(const VerifyOptions& options = {}) const;

 private:
  struct Impl;
  explicit Ledger(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace qontos::ledger
