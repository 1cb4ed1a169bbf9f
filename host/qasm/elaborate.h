// Turns a parsed OpenQASM program into the IR: resolves names and includes, evaluates every
// compile-time classical computation (constants, for-loops, subroutine calls, let aliases),
// broadcasts register operands, and keeps what depends on measurement results as run-time
// classical control (if/while/assign over bits and variables). User gate definitions and gate
// modifiers are kept for the `inline` pass.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "ir/program.h"
#include "qasm/ast.h"
#include "qasm/diagnostic.h"

namespace qontos::qasm {

struct ElaborateOptions {
  /// Values for `input` declarations, as source text ("0.5", "pi/4", "3").
  std::map<std::string, std::string> inputs;
  /// Upper bound on elaborated statements (loop unrolling), so that no input can hang us.
  long long max_statements = 4'000'000;
};

/// Parses and elaborates `source` (the `parse` pass). Throws CompileError.
ir::Program elaborate_source(const std::string& source, const std::string& path,
                             const ElaborateOptions& options = {});

}  // namespace qontos::qasm
