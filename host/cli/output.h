// Writing a command's output: to standard output, or to a file replaced atomically (written
// beside it, then renamed), so a failed write never leaves a truncated or half-old file.
#pragma once

#include <functional>
#include <string>

namespace qontos::cli {

/// Writes `text` to `path` ("" = standard output). Returns false after printing
/// "qontos: error: cannot write '<path>'" on stderr.
bool write_output(const std::string& path, const std::string& text);

/// Reads a file ("-" = standard input); throws std::runtime_error "cannot open '<path>'".
std::string read_text(const std::string& path);

/// Runs a command's body and turns what it throws into a diagnostic on stderr and an exit
/// code: 2 for bad input (compile errors with their caret, pass errors, validation, capacity and
/// unsupported requests, bad options), 1 for backend failures and internal errors. `path`
/// names the input in messages.
int run_reporting_errors(const std::string& path, const std::function<int()>& body);

}  // namespace qontos::cli
