// Writing a command's output: to standard output, or to a file replaced atomically (written
// beside it, then renamed), so a failed write never leaves a truncated or half-old file.
#pragma once

#include <string>

namespace qontos::cli {

/// Writes `text` to `path` ("" = standard output). Returns false after printing
/// "qontos: error: cannot write '<path>'" on stderr.
bool write_output(const std::string& path, const std::string& text);

/// Reads a file ("-" = standard input); throws std::runtime_error "cannot open '<path>'".
std::string read_text(const std::string& path);

}  // namespace qontos::cli
