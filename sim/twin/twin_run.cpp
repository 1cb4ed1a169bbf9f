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
  std::atomic<long long> bell_pairs{0};
  struct Worker {
    NoisyState state;
    simulate::ClassicalState classical;
  };
  TwinRunResult result;
  result.shots = simulate::run_shots<Worker>(
      options, omp_get_max_threads(),
      [&] { return Worker{NoisyState(model, qubits, device_qubits), simulate::ClassicalState(program)}; },
      [&](Worker& w, std::int64_t, simulate::Rng& rng) {
        w.state.clear();
        w.state.set_rng(&rng);
        w.classical.clear();
        simulate::execute_ops(program.ops, w.state, w.classical, rng, options);
        bell_pairs += w.state.bell_pairs();
        return w.classical.bitstring();
      });
  result.bell_pairs = bell_pairs.load();
  return result;
}

}  // namespace qontos::twin
