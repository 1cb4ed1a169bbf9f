// Backend scoring: every candidate gets a weighted sum of four scores in [0, 1] (estimated
// fidelity of this circuit on it, queue, cost of the shots, and how snugly the circuit fills
// it). A candidate that cannot run the circuit (its compile or validate fails) is recorded
// with the reason and never chosen. Every candidate's breakdown goes into the run's manifest.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "exec/contract.h"

namespace qontos::exec {

struct Weights {
  double fidelity = 0.4;
  double queue = 0.2;
  double cost = 0.2;
  double capacity = 0.2;
  /// "fidelity=0.5,queue=0.1,cost=0.3,capacity=0.1" (any subset; others keep their default).
  /// Throws std::invalid_argument naming the bad entry.
  static Weights parse(const std::string& text);
};

struct CandidateScore {
  std::string backend;
  bool eligible = false;
  std::string reason;             // why not eligible
  double estimated_fidelity = 0;  // product of gate, readout and Bell-pair fidelities
  int queue_depth = 0;
  double cost_per_shot = 0;
  double capacity_fit = 0;  // circuit qubits / device qubits
  double fidelity_score = 0, queue_score = 0, cost_score = 0, capacity_score = 0;
  double total = 0;
};

/// Estimated probability that one shot runs without an error, from the device descriptor:
/// the product over gates of their fidelities, over measurements of the readout fidelity, and
/// over cross-module two-qubit gates of the link's Bell-pair fidelity.
double estimated_fidelity(const ir::Program& compiled, const device::Descriptor& device);

/// Scores one eligible candidate (the program compiled for its device).
CandidateScore score(const ExecutorContract& backend, const ir::Program& compiled, int logical_qubits,
                     std::int64_t shots, const Weights& weights);

/// Index of the best eligible candidate (ties: the earlier one), or nullopt if none is.
std::optional<std::size_t> choose(const std::vector<CandidateScore>& candidates);

}  // namespace qontos::exec
