// The ledger's SQLite file: its schema (docs/formats/ledger.md), how a file is recognised as a
// ledger or refused, and reading and writing rows exactly as stored. It checks nothing about what
// the rows mean: the Ledger class appends and proves, verify.cpp judges. Not thread-safe; the
// Ledger serialises access.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ledger/compact_range.h"
#include "ledger/sqlite.h"
#include "proof/merkle.h"

namespace qontos::ledger {

/// SQLite's application_id of a qontos ledger ("QLDG"), and the schema version this code writes.
constexpr std::int64_t kLedgerApplicationId = 0x514C4447;
constexpr std::int64_t kLedgerSchemaVersion = 1;

/// One row of the entries table, unchecked: fields as stored, hashes as raw bytes.
struct StoredRow {
  std::uint64_t index = 0;
  std::string time;
  std::string kind;
  std::string actor;
  std::string payload_hash;  // 32 bytes when intact
  std::optional<std::string> payload;
  std::string leaf_hash;       // 32 bytes when intact
  std::string subtree_hashes;  // 32 bytes for each perfect subtree this entry completes above its leaf
};

/// One row of the checkpoints table, unchecked.
struct StoredCheckpoint {
  std::int64_t id = 0;  // 1, 2, ... in the order they were signed
  std::uint64_t tree_size = 0;
  std::string time;
  std::string public_key;  // the signer's 32-byte Ed25519 key, as it claimed
  std::string note;        // the signed note's wire form
};

class LedgerStore {
 public:
  /// Opens (and with `create`, makes when missing or empty) the ledger at `path`. Throws
  /// LedgerError when the file is not a qontos ledger, has a schema this code does not know, or
  /// cannot be read; nothing is written to a file that is refused.
  LedgerStore(const std::filesystem::path& path, bool create);

  const std::filesystem::path& path() const { return db_.path(); }
  Database& db() { return db_; }

  /// One more than the largest stored index (0 when there are no entries).
  std::uint64_t size();
  std::optional<StoredRow> row(std::uint64_t index);
  /// Visits rows with index >= from in index order until `visit` returns false.
  void scan(std::uint64_t from, const std::function<bool(const StoredRow&)>& visit);
  void insert(const StoredRow& row);

  /// The root of a perfect subtree from the stored hashes: the leaf hash of its last entry for a
  /// single leaf, else the (level-1)-th hash in that entry's subtree_hashes. LedgerError naming
  /// the entry when it is missing or its hashes are short.
  proof::Hash subtree(const PerfectSubtree& subtree);
  /// The compact range of the first `size` entries, from stored hashes.
  CompactRange compact_range(std::uint64_t size);

  std::string meta(const std::string& name);
  std::vector<StoredCheckpoint> checkpoints();
  std::int64_t insert_checkpoint(const StoredCheckpoint& checkpoint);

  /// What SQLite's quick_check finds and schema objects that are missing (the append-only
  /// triggers), one message each; empty when the file is sound.
  std::vector<std::string> storage_problems();

  /// A transaction that rolls back unless committed. An immediate one takes the write lock at
  /// once (appends); a deferred one reads one snapshot throughout (verification).
  class Transaction {
   public:
    Transaction(LedgerStore& store, bool immediate);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

   private:
    LedgerStore& store_;
    bool open_ = true;
  };

 private:
  void create_schema();
  void check_schema();

  Database db_;
  std::optional<Statement> insert_;
  std::optional<Statement> select_row_;
  std::optional<Statement> select_hashes_;
  std::optional<Statement> select_size_;
};

}  // namespace qontos::ledger
