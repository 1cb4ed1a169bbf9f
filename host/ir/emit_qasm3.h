// Writes a Program as OpenQASM 3 that the qontos front end reads back to the same IR (compile
// the text up to the same pass and the content address is identical). Facts the language has
// no statement for (layouts, global phase, the device) travel as `#pragma qontos ...` lines.
#pragma once

#include <string>

#include "ir/program.h"

namespace qontos::ir {

std::string emit_qasm3(const Program& program);

}  // namespace qontos::ir
