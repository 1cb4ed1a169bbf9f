#include "twin/twin_run.h"

#include <omp.h>

#include <atomic>
#include <exception>
#include <set>

#include "twin/noisy_state.h"

namespace qontos::twin {

std::vector<int> used_qubits(const ir::Program& program) {
  std::set<int> used;
  ir::for_each_op(program.ops, [&](const ir::Op& op) {
    if (const auto* g = std::get_if<ir::GateOp>(&op.v)) used.insert(g->qubits.begin(), g->qubits.end());
    if (const auto* m = std::get_if<ir::MeasureOp>(&op.v)) used.insert(m->qubit);
    if (const auto* r = std::get_if<ir::ResetOp>(&op.v)) used.insert(r->qubit);
  });
  return {used.begin(), used.end()};
}

TwinRunResult run_twin(const ir::Program& program, const NoiseModel& model, int device_qubits,
                       const simulate::ShotOptions& options) {
  const std::vector<int> qubits = used_qubits(program);
  const auto shots = static_cast<std::size_t>(options.shots);
  std::vector<std::string> records(shots);
  std::atomic<long long> bell_pairs{0};
  std::atomic<std::int64_t> done{0};
  std::exception_ptr failure;
  std::atomic<bool> stop{false};
#pragma omp parallel
  {
    NoisyState state(model, qubits, device_qubits);
    simulate::ClassicalState classical(program);
#pragma omp for schedule(dynamic, 16)
    for (std::int64_t shot = 0; shot < options.shots; ++shot) {
      if (stop.load()) continue;
      try {
        if (options.cancel != nullptr && options.cancel->load()) throw simulate::RunCancelled();
        simulate::Rng rng = simulate::Rng::stream(options.seed, static_cast<std::uint64_t>(shot));
        state.clear();
        state.set_rng(&rng);
        classical.clear();
        simulate::execute_ops(program.ops, state, classical, rng, options);
        records[static_cast<std::size_t>(shot)] = classical.bitstring();
        bell_pairs += state.bell_pairs();
        const std::int64_t n = ++done;
        if (options.progress && omp_get_thread_num() == 0 && (n & 63) == 0)
          options.progress(static_cast<double>(n) / static_cast<double>(options.shots));
      } catch (...) {
#pragma omp critical
        if (!failure) failure = std::current_exception();
        stop = true;
      }
    }
  }
  if (failure) std::rethrow_exception(failure);
  TwinRunResult result;
  result.shots.method = "trajectories";
  for (auto& r : records) {
    ++result.shots.counts[r];
    if (options.keep_shots) result.shots.shots.push_back(std::move(r));
  }
  result.bell_pairs = bell_pairs.load();
  return result;
}

}  // namespace qontos::twin
