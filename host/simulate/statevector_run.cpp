#include "simulate/statevector_run.h"

#include <omp.h>

#include <cstring>
#include <stdexcept>

#include "simulate/fusion.h"

namespace qontos::simulate {

std::vector<GateAction> gate_actions(const ir::OpList& ops) {
  std::vector<GateAction> actions;
  for (const ir::Op& op : ops)
    if (const auto* g = std::get_if<ir::GateOp>(&op.v)) {
      try {
        actions.push_back(gate_action(*g));
      } catch (const std::runtime_error& e) {
        throw std::runtime_error("line " + std::to_string(op.line) + ": " + e.what());
      }
    }
  return actions;
}

template <typename Real>
void evolve(Statevector<Real>& state, const ir::OpList& ops, int fusion_max_qubits) {
  std::vector<GateAction> actions = gate_actions(ops);
  if (fusion_max_qubits >= 1) actions = fuse_gates(actions, fusion_max_qubits);
  for (const GateAction& a : actions) state.apply(a);
}

namespace {

constexpr int kParallelShotsMaxQubits = 20;

template <typename Real>
ShotResult run_with(const ir::Program& program, const ShotOptions& shots, const StatevectorOptions& options) {
  Statevector<Real> state(program.num_qubits);
  if (!measurements_are_terminal(program)) {
    std::function<void(const ir::OpList&, Statevector<Real>&)> prefix =
        [&](const ir::OpList& head, Statevector<Real>& s) { evolve(s, head, options.fusion_max_qubits); };
    // Small states: shots in parallel, one copy each. Large ones: shots in turn, each gate threaded.
    const int threads = program.num_qubits <= kParallelShotsMaxQubits ? omp_get_max_threads() : 1;
    return run_trajectories(program, state, shots, prefix, threads);
  }
  // One evolution, then every shot drawn from |amplitude|^2 and mapped onto the measured bits.
  ir::OpList gates;
  std::vector<std::pair<int, int>> measured;  // (qubit, clbit) in program order
  for (const ir::Op& op : program.ops) {
    if (const auto* m = std::get_if<ir::MeasureOp>(&op.v))
      measured.emplace_back(m->qubit, m->clbit);
    else if (std::holds_alternative<ir::GateOp>(op.v))
      gates.push_back(op);
  }
  evolve(state, gates, options.fusion_max_qubits);
  Rng rng = Rng::stream(shots.seed, 0);
  std::vector<std::uint64_t> draws = state.sample(shots.shots, rng);
  // Sampled indices come sorted; shuffle so per-shot records look like independent shots.
  for (std::size_t i = draws.size(); i > 1; --i) std::swap(draws[i - 1], draws[rng.below(i)]);
  ShotResult result;
  result.method = "sampled";
  ClassicalState classical(program);
  for (std::uint64_t index : draws) {
    classical.clear();
    for (auto [q, c] : measured) classical.bits()[c] = static_cast<std::uint8_t>((index >> q) & 1);
    record_shot(result, classical, shots.keep_shots);
  }
  if (shots.progress) shots.progress(1.0);
  return result;
}

template <typename Real>
std::string state_bytes(const ir::Program& program, const StatevectorOptions& options) {
  if (const std::size_t unitary = unitary_prefix_length(program); unitary < program.ops.size())
    throw std::runtime_error("line " + std::to_string(program.ops[unitary].line) +
                             ": the final state is defined only for circuits without measurement, reset or "
                             "classical control");
  Statevector<Real> state(program.num_qubits);
  evolve(state, program.ops, options.fusion_max_qubits);
  // The program's global phase is part of the state it describes.
  ir::Angle total = program.global_phase;
  for (const ir::Op& op : program.ops)
    if (const auto* g = std::get_if<ir::GlobalPhaseOp>(&op.v)) total = total + g->phase;
  const std::complex<Real> phase = std::polar(static_cast<Real>(1), static_cast<Real>(total.radians()));
  std::string bytes(state.size() * sizeof(std::complex<Real>), '\0');
  auto* out = reinterpret_cast<std::complex<Real>*>(bytes.data());
  for (std::uint64_t i = 0; i < state.size(); ++i) out[i] = state.data()[i] * phase;
  return bytes;  // x86-64 and AArch64 are little-endian, matching the documented format
}

}  // namespace

ShotResult run_statevector(const ir::Program& program, const ShotOptions& shots, const StatevectorOptions& options) {
  return options.single_precision ? run_with<float>(program, shots, options)
                                  : run_with<double>(program, shots, options);
}

std::string final_state_bytes(const ir::Program& program, const StatevectorOptions& options) {
  return options.single_precision ? state_bytes<float>(program, options) : state_bytes<double>(program, options);
}

template void evolve<float>(Statevector<float>&, const ir::OpList&, int);
template void evolve<double>(Statevector<double>&, const ir::OpList&, int);

}  // namespace qontos::simulate
