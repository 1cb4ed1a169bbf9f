// The SQLite connection and statement wrappers declared in sqlite.h.
#include "ledger/sqlite.h"

#include <sqlite3.h>

namespace qontos::ledger {

Database::Database(const std::filesystem::path& path, bool create) : path_(path) {
  // No SQLite mutex: a connection is used by one thread at a time (the Ledger serialises access).
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw LedgerError(path, "cannot open: " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
  // Another process appending holds the write lock for one transaction; wait for it.
  sqlite3_busy_timeout(db_, 30000);
}

Database::~Database() {
  sqlite3_close_v2(db_);
}

void Database::fail(std::string_view doing, std::optional<std::uint64_t> entry) const {
  const int code = sqlite3_errcode(db_);
  std::string message = std::string(doing) + ": " + sqlite3_errmsg(db_);
  if ((code & 0xff) == SQLITE_NOTADB) message = "not a qontos ledger (not an SQLite database)";
  if ((code & 0xff) == SQLITE_CORRUPT)
    message = std::string("the file is damaged (SQLite: ") + sqlite3_errmsg(db_) + ")";
  throw LedgerError(path_, message, entry);
}

void Database::exec(std::string_view sql) {
  const std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail("SQL failed");
}

std::optional<std::int64_t> Database::query_int(std::string_view sql) {
  Statement s(*this, sql);
  if (!s.step() || s.is_null(0)) return std::nullopt;
  return s.column_int(0);
}

std::string Database::query_text(std::string_view sql) {
  Statement s(*this, sql);
  return s.step() ? s.column_text(0) : std::string();
}

Statement::Statement(Database& db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK)
    db.fail("cannot read");
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int i, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, i, value) != SQLITE_OK) db_.fail("bind");
  return *this;
}

Statement& Statement::bind_text(int i, std::string_view text) {
  if (sqlite3_bind_text64(stmt_, i, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8) != SQLITE_OK)
    db_.fail("bind");
  return *this;
}

Statement& Statement::bind_blob(int i, std::string_view bytes) {
  return bind_blob(i, bytes.data(), bytes.size());
}

Statement& Statement::bind_blob(int i, const void* data, std::size_t size) {
  // A zero-length blob must still be a BLOB, not NULL: SQLite binds NULL for a null pointer.
  static const char empty = 0;
  if (sqlite3_bind_blob64(stmt_, i, size ? data : &empty, size, SQLITE_TRANSIENT) != SQLITE_OK) db_.fail("bind");
  return *this;
}

Statement& Statement::bind_null(int i) {
  if (sqlite3_bind_null(stmt_, i) != SQLITE_OK) db_.fail("bind");
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3_reset(stmt_);
  db_.fail("cannot read or write");
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::column_int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::column_text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  return text ? std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)) : std::string();
}

std::string Statement::column_blob(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  return data ? std::string(static_cast<const char*>(data), static_cast<std::size_t>(size)) : std::string();
}

int Statement::column_type(int column) const {
  return sqlite3_column_type(stmt_, column);
}

}  // namespace qontos::ledger
