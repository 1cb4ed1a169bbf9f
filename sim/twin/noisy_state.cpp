#include "twin/noisy_state.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace qontos::twin {
namespace {
using C = std::complex<double>;
const std::vector<C> kPauli[4] = {{1, 0, 0, 1}, {0, 1, 1, 0}, {0, C(0, -1), C(0, 1), 0}, {1, 0, 0, -1}};
}  // namespace

NoisyState::NoisyState(const NoiseModel& model, std::vector<int> physical_qubits, int device_qubits)
    : model_(model),
      physical_(std::move(physical_qubits)),
      local_of_(static_cast<std::size_t>(device_qubits), -1),
      device_qubits_(device_qubits),
      state_(static_cast<int>(physical_.size())),
      clock_ns_(physical_.size(), 0) {
  const auto n = static_cast<std::size_t>(device_qubits);
  if (model.t1_ns.size() < n || model.t2_ns.size() < n || model.readout_error.size() < n)
    throw std::runtime_error("twin: the noise model describes fewer qubits than the device's " +
                             std::to_string(device_qubits));
  for (std::size_t i = 0; i < physical_.size(); ++i)
    local_of_.at(static_cast<std::size_t>(physical_[i])) = static_cast<int>(i);
}

int NoisyState::local(int physical) const {
  if (physical < 0 || physical >= device_qubits_ || local_of_[physical] < 0)
    throw std::runtime_error("twin: qubit " + std::to_string(physical) + " was not declared to the noisy state");
  return local_of_[physical];
}

void NoisyState::clear() {
  state_.clear();
  std::fill(clock_ns_.begin(), clock_ns_.end(), 0.0);
  bell_pairs_ = 0;
}

void NoisyState::depolarise(const std::vector<int>& qubits, double probability) {
  if (probability <= 0 || !rng_->bernoulli(probability)) return;
  // One of the 4^k - 1 non-identity Paulis, uniformly.
  const std::uint64_t count = (std::uint64_t{1} << (2 * qubits.size())) - 1;
  std::uint64_t pick = 1 + rng_->below(count);
  for (int q : qubits) {
    const auto p = static_cast<std::size_t>(pick & 3);
    pick >>= 2;
    if (p != 0) state_.apply({{}, {q}, kPauli[p]});
  }
}

void NoisyState::decay(int q, double t) {
  if (t <= 0) return;
  const int p = physical_[q];
  const double t1 = model_.t1_ns[p], t2 = model_.t2_ns[p];
  if (t1 > 0) {
    const double gamma = 1 - std::exp(-t / t1);
    const double p1 = state_.probability_one(q);
    const double jump = gamma * p1;
    if (rng_->uniform() < jump) {
      state_.apply({{}, {q}, {0, 1 / std::sqrt(p1), 0, 0}});  // |1> -> |0>, renormalised
    } else {
      const double keep = std::sqrt(1 - jump);
      state_.apply({{}, {q}, {1 / keep, 0, 0, std::sqrt(1 - gamma) / keep}});
    }
  }
  if (t2 > 0) {
    // Pure dephasing rate 1/T_phi = 1/T2 - 1/(2 T1).
    const double rate = 1 / t2 - (t1 > 0 ? 1 / (2 * t1) : 0);
    if (rate > 0 && rng_->bernoulli((1 - std::exp(-t * rate)) / 2)) state_.apply({{}, {q}, kPauli[3]});
  }
}

double NoisyState::synchronise(const std::vector<int>& qubits) {
  double start = 0;
  for (int q : qubits) start = std::max(start, clock_ns_[q]);
  for (int q : qubits) {
    decay(q, start - clock_ns_[q]);
    clock_ns_[q] = start;
  }
  return start;
}

void NoisyState::apply_gate(const ir::GateOp& gate) {
  simulate::GateAction action = simulate::gate_action(gate);
  std::vector<int> touched;
  for (int& q : action.controls) touched.push_back(q = local(q));
  for (int& q : action.targets) touched.push_back(q = local(q));
  const double start = synchronise(touched);
  double duration = model_.duration_of(gate.name, static_cast<int>(gate.qubits.size()));
  state_.apply(action);
  depolarise(touched, model_.error_of(gate.name, static_cast<int>(gate.qubits.size())));
  if (gate.qubits.size() == 2 && model_.crosses_modules(gate.qubits[0], gate.qubits[1])) {
    // The gate is teleported through one Bell pair: its infidelity lands on both qubits and
    // both wait for the link.
    ++bell_pairs_;
    depolarise(touched, model_.bell_pair_error);
    duration += model_.link_latency_ns;
  }
  for (int q : touched) {
    decay(q, duration);
    clock_ns_[q] = start + duration;
  }
}

bool NoisyState::measure(int qubit, simulate::Rng& rng) {
  const int q = local(qubit);
  synchronise({q});
  decay(q, model_.measure_duration_ns);
  clock_ns_[q] += model_.measure_duration_ns;
  const bool outcome = state_.measure(q, rng);
  // Readout error corrupts the record, not the state.
  return rng.bernoulli(model_.readout_error[static_cast<std::size_t>(qubit)]) ? !outcome : outcome;
}

void NoisyState::reset(int qubit, simulate::Rng& rng) {
  const int q = local(qubit);
  synchronise({q});
  state_.reset(q, rng);
}

}  // namespace qontos::twin
