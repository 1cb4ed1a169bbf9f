// Runs a program's shots on any QuantumState: the OpenQASM 3 semantics of measurement, reset,
// `if`, `while`, `break`, `continue` and classical assignment live here once, for every engine.
//
// Two strategies: a program whose measurements are all terminal is run once and its outcomes
// are drawn from the final distribution (`sampled`); any other program is run shot by shot
// (`trajectories`), starting each shot from a snapshot taken after its leading unitary gates.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "ir/program.h"
#include "simulate/classical.h"
#include "simulate/quantum_state.h"

namespace qontos::simulate {

struct ShotOptions {
  std::int64_t shots = 1024;
  std::uint64_t seed = 0;
  bool keep_shots = false;  // keep each shot's bitstring, in shot order
  /// Called now and then with the fraction done; may be empty.
  std::function<void(double)> progress;
  /// Polled between shots; when it becomes true the run stops with RunCancelled.
  const std::atomic<bool>* cancel = nullptr;
  /// Upper bound on loop iterations per shot, so a `while` that never ends is an error, not a hang.
  std::int64_t max_loop_iterations = 1'000'000;
};

struct ShotResult {
  std::map<std::string, std::int64_t> counts;  // bitstring (classical bit 0 rightmost) -> count
  std::vector<std::string> shots;              // with keep_shots
  std::string method;                          // "sampled" or "trajectories"
};

struct RunCancelled : std::runtime_error {
  RunCancelled() : std::runtime_error("the run was cancelled") {}
};

/// True when every measurement is terminal (nothing but other measurements follow it on its
/// qubit), there is no classical control, and resets only act on untouched qubits.
bool measurements_are_terminal(const ir::Program& program);

/// Number of leading top-level ops that are gates, barriers, delays or global phases.
std::size_t unitary_prefix_length(const ir::Program& program);

/// Executes `ops` for one shot. Throws std::runtime_error on a loop that exceeds its bound.
void execute_ops(const ir::OpList& ops, QuantumState& state, ClassicalState& classical, Rng& rng,
                 const ShotOptions& options);

/// Adds one shot's classical bits to the result.
void record_shot(ShotResult& result, const ClassicalState& classical, bool keep);

/// Shot-by-shot execution. `State` must be copyable (the snapshot after the unitary prefix).
/// `apply_prefix`, when given, applies the leading unitary ops in its own way (fused, say).
template <typename State>
ShotResult run_trajectories(const ir::Program& program, State& state, const ShotOptions& options,
                            const std::function<void(const ir::OpList&, State&)>& apply_prefix = nullptr) {
  ShotResult result;
  result.method = "trajectories";
  const std::size_t prefix = unitary_prefix_length(program);
  ClassicalState classical(program);
  Rng prefix_rng = Rng::stream(options.seed, ~std::uint64_t{0});
  const ir::OpList head(program.ops.begin(), program.ops.begin() + static_cast<std::ptrdiff_t>(prefix));
  const ir::OpList tail(program.ops.begin() + static_cast<std::ptrdiff_t>(prefix), program.ops.end());
  if (apply_prefix)
    apply_prefix(head, state);
  else
    execute_ops(head, state, classical, prefix_rng, options);
  const State snapshot = state;
  for (std::int64_t shot = 0; shot < options.shots; ++shot) {
    if (options.cancel != nullptr && options.cancel->load()) throw RunCancelled();
    if (shot > 0) state = snapshot;
    classical.clear();
    Rng rng = Rng::stream(options.seed, static_cast<std::uint64_t>(shot));
    execute_ops(tail, state, classical, rng, options);
    record_shot(result, classical, options.keep_shots);
    if (options.progress && (shot & 63) == 63)
      options.progress(static_cast<double>(shot + 1) / static_cast<double>(options.shots));
  }
  return result;
}

}  // namespace qontos::simulate
