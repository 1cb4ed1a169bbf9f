// Canonical JSON form of a Program: objects with keys in sorted order, no whitespace, integers
// in decimal, angles and expressions as canonical text (see Angle::to_string, to_qasm). Source
// line numbers are not part of it. Its SHA-256 is the program's content address.
#pragma once

#include <string>

#include "ir/program.h"

namespace qontos::ir {

std::string serialise_json(const Program& program);

/// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(const std::string& data);

inline std::string content_address(const Program& program) { return sha256_hex(serialise_json(program)); }

}  // namespace qontos::ir
