// Recursive-descent parser for OpenQASM 2 and 3. It builds the syntax tree only; names,
// types and values are resolved by the elaborator. Constructs outside the supported subset
// (defcal, extern, box, arrays, ...) are rejected here with "unsupported: <feature>".
#pragma once

#include <memory>

#include "qasm/ast.h"
#include "qasm/diagnostic.h"

namespace qontos::qasm {

/// Parses a whole file. `default_version` applies when the file has no OPENQASM line
/// (include files inherit their includer's version).
ast::Program parse(const std::shared_ptr<const SourceFile>& file, int default_version = 3);

}  // namespace qontos::qasm
