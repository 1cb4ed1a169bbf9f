// Recursive-descent parser for OpenQASM 2 and 3. It builds the syntax tree only; names,
// types and values are resolved by the elaborator. Constructs outside the supported subset
// (defcal, extern, box, arrays, ...) are rejected here with "unsupported: <feature>".
#pragma once

#include <memory>

#include "qasm/ast.h"
#include "qasm/diagnostic.h"

namespace qontos::qasm {

namespace detail {
class Parser;
}

/// Reads a file one top-level statement at a time, so that a large program never needs its
/// whole syntax tree (or token list) in memory. `default_version` applies when the file has no
/// OPENQASM line (include files inherit their includer's version).
class StatementStream {
 public:
  StatementStream(std::shared_ptr<const SourceFile> file, int default_version);
  ~StatementStream();
  StatementStream(const StatementStream&) = delete;
  StatementStream& operator=(const StatementStream&) = delete;

  int version() const;
  /// The OPENQASM version statement, if the file has one.
  ast::StmtPtr version_statement() const { return version_statement_; }
  /// The next top-level statement, or null at the end of the file.
  ast::StmtPtr next();

 private:
  std::shared_ptr<const SourceFile> file_;
  std::unique_ptr<detail::Parser> parser_;
  ast::StmtPtr version_statement_;
};

/// Parses a whole file.
ast::Program parse(const std::shared_ptr<const SourceFile>& file, int default_version = 3);

}  // namespace qontos::qasm
