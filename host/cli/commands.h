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
  std::string emit;   // json, qasm3, stats; empty: json unless --hashes alone
  std::string output;
  bool hashes = false;
  unsigned long long seed = 0x51A7E5EEDULL;
  int trials = 8;
  std::vector<std::string> inputs;  // NAME=VALUE
  std::string partitioner = "auto";
  std::string map;
};

struct SubmitCliOptions {
  std::string file;
  long long shots = 1024;
  std::string backend = "auto";
  std::string device;
  unsigned long long seed = 1;
  std::string partitioner = "auto";
  std::string map;
  std::string weights;
  bool json = false;
  std::string output;
  bool per_shot = false;
  std::string precision = "double";
  std::string statevector;  // write the final state here
  std::string calibration;
  bool progress = true;
  bool explain = false;
};

struct BackendsCliOptions {
  bool json = false;
};

void add_compile_command(CLI::App& app, CompileOptions& options);
int run_compile(const CompileOptions& options);
void add_submit_command(CLI::App& app, SubmitCliOptions& options);
int run_submit(const SubmitCliOptions& options);
void add_backends_command(CLI::App& app, BackendsCliOptions& options);
int run_backends(const BackendsCliOptions& options);
std::string version_string();

}  // namespace qontos::cli
