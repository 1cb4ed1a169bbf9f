// The ledger's SQLite file, declared in store.h.
#include "ledger/store.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>

#include "ledger/entry.h"

namespace qontos::ledger {
namespace {

// The triggers make the append-only rule part of the file, so a stray UPDATE or DELETE (from the
// sqlite3 shell, say) fails instead of silently rewriting history. Anyone can drop them; verify
// reports it, and the Merkle tree and signed checkpoints catch what is changed after.
constexpr const char* kSchema = R"sql(
CREATE TABLE ledger_meta(name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE entries(
  idx INTEGER PRIMARY KEY CHECK (idx >= 0),
  time TEXT NOT NULL,
  kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  payload_hash BLOB NOT NULL,
  payload BLOB,
  leaf_hash BLOB NOT NULL,
  subtree_hashes BLOB NOT NULL
) STRICT;
CREATE TABLE checkpoints(
  id INTEGER PRIMARY KEY,
  tree_size INTEGER NOT NULL CHECK (tree_size >= 0),
  time TEXT NOT NULL,
  public_key BLOB NOT NULL,
  note TEXT NOT NULL
) STRICT;
CREATE TRIGGER entries_append_only_update BEFORE UPDATE ON entries
  BEGIN SELECT RAISE(ABORT, 'the qontos ledger is append-only: entries cannot be changed'); END;
CREATE TRIGGER entries_append_only_delete BEFORE DELETE ON entries
  BEGIN SELECT RAISE(ABORT, 'the qontos ledger is append-only: entries cannot be deleted'); END;
CREATE TRIGGER checkpoints_append_only_update BEFORE UPDATE ON checkpoints
  BEGIN SELECT RAISE(ABORT, 'the qontos ledger is append-only: checkpoints cannot be changed'); END;
CREATE TRIGGER checkpoints_append_only_delete BEFORE DELETE ON checkpoints
  BEGIN SELECT RAISE(ABORT, 'the qontos ledger is append-only: checkpoints cannot be deleted'); END;
)sql";

constexpr const char* kTriggers[] = {"entries_append_only_update", "entries_append_only_delete",
                                     "checkpoints_append_only_update", "checkpoints_append_only_delete"};

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (char c : raw) {
    out += digits[static_cast<unsigned char>(c) >> 4];
    out += digits[static_cast<unsigned char>(c) & 15];
  }
  return out;
}

proof::Hash to_hash(const std::string& bytes, std::size_t offset) {
  proof::Hash h;
  std::copy(bytes.begin() + static_cast<std::ptrdiff_t>(offset),
            bytes.begin() + static_cast<std::ptrdiff_t>(offset + h.size()), h.begin());
  return h;
}

StoredRow read_row(const Statement& s) {
  StoredRow r;
  r.index = static_cast<std::uint64_t>(s.column_int(0));
  r.time = s.column_text(1);
  r.kind = s.column_text(2);
  r.actor = s.column_text(3);
  r.payload_hash = s.column_blob(4);
  if (!s.is_null(5)) r.payload = s.column_blob(5);
  r.leaf_hash = s.column_blob(6);
  r.subtree_hashes = s.column_blob(7);
  return r;
}

constexpr const char* kRowColumns = "idx, time, kind, actor, payload_hash, payload, leaf_hash, subtree_hashes";

}  // namespace

LedgerStore::LedgerStore(const std::filesystem::path& path, bool create) : db_(path, create) {
  // Reading the header is the first access: a file that is not SQLite fails here (NOTADB).
  std::int64_t application_id = db_.query_int("PRAGMA application_id").value_or(0);
  std::int64_t objects = db_.query_int("SELECT count(*) FROM sqlite_schema").value_or(0);
  if (application_id == 0 && objects == 0) {
    if (!create) throw LedgerError(path, "not a qontos ledger (an empty database)");
    create_schema();
    application_id = db_.query_int("PRAGMA application_id").value_or(0);
  }
  if (application_id != kLedgerApplicationId) {
    char id[16];
    std::snprintf(id, sizeof id, "0x%08llx", static_cast<unsigned long long>(application_id));
    throw LedgerError(path, std::string("not a qontos ledger (an SQLite database with application_id ") + id + ")");
  }
  check_schema();
  // WAL: a commit appends to the log and readers keep their snapshot; FULL: the log is synced on
  // every commit, so an acknowledged append survives power loss, not only a crash.
  if (db_.query_text("PRAGMA journal_mode=WAL") != "wal")
    throw LedgerError(path, "cannot switch the ledger to write-ahead logging");
  db_.exec("PRAGMA synchronous=FULL");
  insert_.emplace(db_, std::string("INSERT INTO entries(") + kRowColumns + ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8)");
  select_row_.emplace(db_, std::string("SELECT ") + kRowColumns + " FROM entries WHERE idx = ?1");
  select_hashes_.emplace(db_, "SELECT leaf_hash, subtree_hashes FROM entries WHERE idx = ?1");
  select_size_.emplace(db_, "SELECT max(idx) FROM entries");
}

void LedgerStore::create_schema() {
  // Write-ahead logging is set outside a transaction; the schema, the application id and the
  // metadata go in one, so a crash leaves either an empty file or a whole ledger.
  if (db_.query_text("PRAGMA journal_mode=WAL") != "wal")
    throw LedgerError(path(), "cannot switch the new ledger to write-ahead logging");
  Transaction t(*this, true);
  // Another process may have created it while this one waited for the lock.
  if (db_.query_int("SELECT count(*) FROM sqlite_schema").value_or(0) != 0) return;
  db_.exec(kSchema);
  db_.exec("PRAGMA application_id=" + std::to_string(kLedgerApplicationId));
  db_.exec("PRAGMA user_version=" + std::to_string(kLedgerSchemaVersion));
  Statement meta(db_, "INSERT INTO ledger_meta(name, value) VALUES (?1, ?2)");
  const std::pair<std::string, std::string> rows[] = {
      {"format", "qontos-ledger"},
      {"schema_version", std::to_string(kLedgerSchemaVersion)},
      {"created", utc_timestamp(std::chrono::system_clock::now())},
      // The origin names this log in its checkpoints; random so two ledgers never share one.
      {"origin", "qontos/ledger/" + random_hex(8)}};
  for (const auto& [name, value] : rows) {
    meta.bind_text(1, name).bind_text(2, value);
    meta.step();
    meta.reset();
  }
  t.commit();
}

void LedgerStore::check_schema() {
  const std::int64_t version = db_.query_int("PRAGMA user_version").value_or(0);
  if (version != kLedgerSchemaVersion)
    throw LedgerError(path(), "ledger schema version " + std::to_string(version) + " (this qontos reads version " +
                                  std::to_string(kLedgerSchemaVersion) + ")");
  for (const char* table : {"ledger_meta", "entries", "checkpoints"}) {
    Statement s(db_, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1");
    s.bind_text(1, table);
    if (!s.step() || s.column_int(0) != 1)
      throw LedgerError(path(), std::string("not a qontos ledger (the table '") + table + "' is missing)");
  }
  if (meta("format") != "qontos-ledger") throw LedgerError(path(), "not a qontos ledger (its format is not recorded)");
}

std::uint64_t LedgerStore::size() {
  select_size_->reset();
  const bool has_row = select_size_->step();
  const std::uint64_t n =
      has_row && !select_size_->is_null(0) ? static_cast<std::uint64_t>(select_size_->column_int(0)) + 1 : 0;
  select_size_->reset();
  return n;
}

std::optional<StoredRow> LedgerStore::row(std::uint64_t index) {
  select_row_->reset();
  select_row_->bind(1, static_cast<std::int64_t>(index));
  std::optional<StoredRow> r;
  if (select_row_->step()) r = read_row(*select_row_);
  select_row_->reset();
  return r;
}

void LedgerStore::scan(std::uint64_t from, const std::function<bool(const StoredRow&)>& visit) {
  Statement s(db_, std::string("SELECT ") + kRowColumns + " FROM entries WHERE idx >= ?1 ORDER BY idx");
  s.bind(1, static_cast<std::int64_t>(from));
  while (s.step())
    if (!visit(read_row(s))) break;
}

void LedgerStore::insert(const StoredRow& r) {
  Statement& s = *insert_;
  s.reset();
  s.bind(1, static_cast<std::int64_t>(r.index))
      .bind_text(2, r.time)
      .bind_text(3, r.kind)
      .bind_text(4, r.actor)
      .bind_blob(5, r.payload_hash);
  if (r.payload)
    s.bind_blob(6, *r.payload);
  else
    s.bind_null(6);
  s.bind_blob(7, r.leaf_hash).bind_blob(8, r.subtree_hashes);
  s.step();
  s.reset();
}

proof::Hash LedgerStore::subtree(const PerfectSubtree& t) {
  const std::uint64_t last = t.end() - 1;
  Statement& s = *select_hashes_;
  s.reset();
  s.bind(1, static_cast<std::int64_t>(last));
  if (!s.step()) {
    s.reset();
    throw LedgerError(path(), "missing (deleted?); run 'qontos ledger verify'", last);
  }
  const std::string bytes = s.column_blob(t.level == 0 ? 0 : 1);
  s.reset();
  const std::size_t offset = t.level == 0 ? 0 : (t.level - 1) * std::size_t{32};
  if (bytes.size() < offset + 32)
    throw LedgerError(path(), "its stored hashes are truncated; run 'qontos ledger verify'", last);
  return to_hash(bytes, offset);
}

CompactRange LedgerStore::compact_range(std::uint64_t size) {
  std::vector<proof::Hash> roots;
  for (const PerfectSubtree& t : perfect_subtrees_of(size)) roots.push_back(subtree(t));
  return CompactRange(size, std::move(roots));
}

std::string LedgerStore::meta(const std::string& name) {
  Statement s(db_, "SELECT value FROM ledger_meta WHERE name = ?1");
  s.bind_text(1, name);
  return s.step() ? s.column_text(0) : std::string();
}

std::vector<StoredCheckpoint> LedgerStore::checkpoints() {
  std::vector<StoredCheckpoint> out;
  Statement s(db_, "SELECT id, tree_size, time, public_key, note FROM checkpoints ORDER BY id");
  while (s.step()) {
    StoredCheckpoint c;
    c.id = s.column_int(0);
    c.tree_size = static_cast<std::uint64_t>(s.column_int(1));
    c.time = s.column_text(2);
    c.public_key = s.column_blob(3);
    c.note = s.column_text(4);
    out.push_back(std::move(c));
  }
  return out;
}

std::int64_t LedgerStore::insert_checkpoint(const StoredCheckpoint& c) {
  Statement s(db_, "INSERT INTO checkpoints(tree_size, time, public_key, note) VALUES (?1, ?2, ?3, ?4) RETURNING id");
  s.bind(1, static_cast<std::int64_t>(c.tree_size))
      .bind_text(2, c.time)
      .bind_blob(3, c.public_key)
      .bind_text(4, c.note);
  if (!s.step()) db_.fail("cannot store the checkpoint");
  const std::int64_t id = s.column_int(0);
  while (s.step()) {
  }
  return id;
}

std::vector<std::string> LedgerStore::storage_problems() {
  std::vector<std::string> out;
  Statement check(db_, "PRAGMA quick_check(20)");
  while (check.step()) {
    std::string line = check.column_text(0);
    if (line == "ok") continue;
    // One finding may span lines; keep each on one line and short.
    std::replace(line.begin(), line.end(), '\n', ' ');
    if (line.size() > 200) line = line.substr(0, 200) + " ...";
    out.push_back("SQLite's quick_check: " + line);
  }
  for (const char* trigger : kTriggers) {
    Statement s(db_, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = ?1");
    s.bind_text(1, trigger);
    if (!s.step() || s.column_int(0) != 1)
      out.push_back(std::string("the append-only trigger '") + trigger + "' has been removed");
  }
  return out;
}

LedgerStore::Transaction::Transaction(LedgerStore& store, bool immediate) : store_(store) {
  store_.db_.exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

LedgerStore::Transaction::~Transaction() {
  if (open_) {
    try {
      store_.db_.exec("ROLLBACK");
    } catch (...) {
      // SQLite may already have rolled back after the error that brought us here.
    }
  }
}

void LedgerStore::Transaction::commit() {
  store_.db_.exec("COMMIT");
  open_ = false;
}

}  // namespace qontos::ledger
