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
#include <optional>
#include <exception>
#include <string>
#include <vector>

#include <omp.h>

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

/// Runs shots [0, options.shots) and gathers their bitstrings in shot order. With `threads`
/// > 1 the shots are spread over OpenMP threads, each with its own worker from `make_worker`
/// (its own state copy); every shot draws from Rng::stream(seed, shot), so the result does not
/// depend on the number of threads. Polls options.cancel between shots (RunCancelled); the first
/// exception any shot throws is rethrown.
template <typename Worker, typename MakeWorker, typename RunShot>
ShotResult run_shots(const ShotOptions& options, int threads, MakeWorker make_worker, RunShot run_shot) {
  const auto shots = static_cast<std::size_t>(options.shots);
  std::vector<std::string> records(shots);
  std::atomic<std::int64_t> done{0};
  std::atomic<bool> stop{false};
  std::exception_ptr failure;
#pragma omp parallel num_threads(threads > 1 ? threads : 1)
  {
    std::optional<Worker> worker;
#pragma omp for schedule(dynamic, 8)
    for (std::int64_t shot = 0; shot < options.shots; ++shot) {
      if (stop.load()) continue;
      try {
        if (options.cancel != nullptr && options.cancel->load()) throw RunCancelled();
        if (!worker) worker.emplace(make_worker());
        Rng rng = Rng::stream(options.seed, static_cast<std::uint64_t>(shot));
        records[static_cast<std::size_t>(shot)] = run_shot(*worker, shot, rng);
        const std::int64_t n = ++done;
        if (options.progress && omp_get_thread_num() == 0 && (n & 63) == 0)
          options.progress(static_cast<double>(n) / static_cast<double>(options.shots));
      } catch (...) {
#pragma omp critical(qontos_shot_failure)
        if (!failure) failure = std::current_exception();
        stop = true;
      }
    }
  }
  if (failure) std::rethrow_exception(failure);
  ShotResult result;
  result.method = "trajectories";
  for (auto& r : records) {
    ++result.counts[r];
    if (options.keep_shots) result.shots.push_back(std::move(r));
  }
  return result;
}

/// Shot-by-shot execution. `State` must be copyable (the snapshot after the unitary prefix,
/// which every shot starts from). `apply_prefix`, when given, applies the leading unitary ops
/// in its own way (fused, say). `threads` > 1 runs shots in parallel, one state copy each.
template <typename State>
ShotResult run_trajectories(const ir::Program& program, State& state, const ShotOptions& options,
                            const std::function<void(const ir::OpList&, State&)>& apply_prefix = nullptr,
                            int threads = 1) {
  const std::size_t prefix = unitary_prefix_length(program);
  const ir::OpList head(program.ops.begin(), program.ops.begin() + static_cast<std::ptrdiff_t>(prefix));
  const ir::OpList tail(program.ops.begin() + static_cast<std::ptrdiff_t>(prefix), program.ops.end());
  if (apply_prefix) {
    apply_prefix(head, state);
  } else {
    ClassicalState classical(program);
    Rng prefix_rng = Rng::stream(options.seed, ~std::uint64_t{0});
    execute_ops(head, state, classical, prefix_rng, options);
  }
  struct Worker {
    State state;
    ClassicalState classical;
  };
  const State& snapshot = state;
  return run_shots<Worker>(
      options, threads, [&] { return Worker{snapshot, ClassicalState(program)}; },
      [&](Worker& w, std::int64_t, Rng& rng) {
        w.state = snapshot;
        w.classical.clear();
        execute_ops(tail, w.state, w.classical, rng, options);
        return w.classical.bitstring();
      });
}

}  // namespace qontos::simulate
