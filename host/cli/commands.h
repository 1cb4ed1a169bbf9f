#pragma once

#include <map>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace qontos::cli {

struct CompileOptions {
  std::string file;
  std::string device;
  std::string until;  // empty: route with a device, else optimise
  std::string emit;  // json, qasm3, stats; empty: json unless --hashes alone
  std::string output;
  bool hashes = false;
  unsigned long long seed = 0x51A7E5EEDULL;
  int trials = 8;
  std::vector<std::string> inputs;  // NAME=VALUE
};

void add_compile_command(CLI::App& app, CompileOptions& options);
int run_compile(const CompileOptions& options);

}  // namespace qontos::cli
