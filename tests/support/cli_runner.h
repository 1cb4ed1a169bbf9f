// Runs the `qontos` command as a user would (through the shell, with files for stdin, stdout
// and stderr) for the end-to-end tests. Header-only: QONTOS_CLI is defined for the test binary.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace qontos::testing {

namespace fs = std::filesystem;

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// A scratch directory private to this test process.
inline fs::path scratch() {
  static fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("qontos-cli-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

inline CliRun qontos(const std::string& args, const std::string& stdin_text = "") {
  // Keys, proofs and the ledger go to a private home unless a test chose one.
  ::setenv("QONTOS_HOME", (scratch() / "home").c_str(), 0);
  static int n = 0;
  fs::path out = scratch() / ("out" + std::to_string(n));
  fs::path err = scratch() / ("err" + std::to_string(n));
  fs::path in = scratch() / ("in" + std::to_string(n++));
  std::ofstream(in) << stdin_text;
  std::string cmd =
      std::string(QONTOS_CLI) + " " + args + " <" + in.string() + " >" + out.string() + " 2>" + err.string();
  int status = std::system(cmd.c_str());
  CliRun r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

inline fs::path write(const std::string& name, const std::string& text) {
  fs::path p = scratch() / name;
  std::ofstream(p) << text;
  return p;
}

}  // namespace qontos::testing
