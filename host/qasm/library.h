// The gate libraries that `include "qelib1.inc"` (OpenQASM 2, the extended 42-gate library of
// current tooling) and `include "stdgates.inc"` (OpenQASM 3) make visible. Their gates are IR
// built-ins with exact matrices (ir/gate_set.h), so no library text is parsed, except for the
// two relative-phase Toffolis whose meaning is their qelib1.inc body.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace qontos::qasm {

/// Names made visible by a built-in include, or nullptr if `path` is not built in.
const std::vector<std::string>* builtin_include(std::string_view path);

/// OpenQASM 3 text defining rccx and rc3x exactly as the OpenQASM 2 library does.
const std::string& library_definitions_text();

}  // namespace qontos::qasm
