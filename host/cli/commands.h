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
  std::string calibration;  // --emit pulses: frequencies and amplitudes from a calibration record
};

struct RtlCliOptions {
  std::vector<std::string> scenarios;
  bool json = false;
};
void add_rtl_command(CLI::App& app, RtlCliOptions& o);
int run_rtl(const RtlCliOptions& o);

struct PulsesCliOptions {
  std::string file;
};
void add_pulses_command(CLI::App& app, PulsesCliOptions& o);
int run_pulses(const PulsesCliOptions& o);

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
  std::string proof;  // default: beside -o, else HOME/proofs/
  bool no_proof = false;
  std::string key;  // signing key file (default from settings)
  std::string purpose;
  std::string tenant;
  std::string ledger;
};

struct VerifyCliOptions {
  std::string proof;
  std::string trusted_keys;
  std::string blobs;  // default: PROOF.blobs
  bool json = false;
};

struct ReplayCliOptions {
  std::string proof;
  std::string blobs;
  std::string backend;
  long long shots = 0;  // 0: as recorded
  unsigned long long seed = 0;
  bool seed_given = false;
  std::string output;  // the new proof
  std::string key;
  bool json = false;
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
void add_verify_command(CLI::App& app, VerifyCliOptions& options);
int run_verify(const VerifyCliOptions& options);
void add_replay_command(CLI::App& app, ReplayCliOptions& options);
int run_replay(const ReplayCliOptions& options);
std::string version_string();

}  // namespace qontos::cli
