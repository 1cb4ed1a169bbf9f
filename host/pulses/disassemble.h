// The pulse program's text form (`qontos pulses show`): one line per instruction.
#pragma once

#include <string>

#include "pulses/program_file.h"

namespace qontos::pulses {

std::string disassemble(const PulseProgram& program);

}  // namespace qontos::pulses
