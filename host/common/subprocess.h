// Runs another program and waits for it: used to drive tools the host does not link (Verilator,
// the C++ compiler it calls, and the verilated harnesses it builds).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace qontos {

struct ProcessResult {
  int exit_code = 0;        // the program's exit status, or 128 + signal when a signal ended it
  std::string description;  // "exit status N" or "killed by signal N (SIGNAME)"
};

/// Runs argv[0] (looked up on PATH when it has no '/') with the other elements as arguments,
/// standard input from /dev/null and standard output and error appended to `log`. Throws
/// std::runtime_error when the program cannot be started (naming it and the reason).
ProcessResult run_process(const std::vector<std::string>& argv, const std::filesystem::path& log);

/// The full path of `program` found on PATH (or the program itself when it holds a '/' and is
/// executable); nullopt when there is none.
std::optional<std::filesystem::path> find_program(const std::string& program);

}  // namespace qontos
