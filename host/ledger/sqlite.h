// A thin RAII layer over the SQLite C API for the ledger: one connection and its prepared
// statements. Every failure becomes a LedgerError naming the database file, so callers never
// see a bare SQLite result code.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace qontos::ledger {

class Statement;

class Database {
 public:
  /// Opens `path` for reading and writing; creates the file only when `create` is set.
  /// Nothing is written by opening.
  Database(const std::filesystem::path& path, bool create);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Runs one or more statements that return no rows.
  void exec(std::string_view sql);
  /// The first column of the first row of a query (an integer), or nullopt when there is no row
  /// or the value is NULL.
  std::optional<std::int64_t> query_int(std::string_view sql);
  std::string query_text(std::string_view sql);

  const std::filesystem::path& path() const { return path_; }
  sqlite3* handle() const { return db_; }
  /// A LedgerError carrying SQLite's message for the last failure on this connection.
  [[noreturn]] void fail(std::string_view doing, std::optional<std::uint64_t> entry = std::nullopt) const;

 private:
  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
};

/// A prepared statement. Parameters are numbered from 1, columns from 0 (as in SQLite).
class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, std::int64_t value);
  Statement& bind_text(int i, std::string_view text);
  Statement& bind_blob(int i, std::string_view bytes);
  Statement& bind_blob(int i, const void* data, std::size_t size);
  Statement& bind_null(int i);

  /// Advances to the next row: true when there is one, false when done.
  bool step();
  /// Makes the statement ready to run again and clears its parameters.
  void reset();

  bool is_null(int column) const;
  std::int64_t column_int(int column) const;
  std::string column_text(int column) const;
  /// The column's bytes (a BLOB, or the bytes of any other type as SQLite converts them).
  std::string column_blob(int column) const;
  /// SQLite's storage class of the column in the current row (SQLITE_INTEGER, SQLITE_BLOB, ...).
  int column_type(int column) const;

 private:
  Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace qontos::ledger
