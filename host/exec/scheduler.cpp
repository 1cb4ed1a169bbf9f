#include "exec/scheduler.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace qontos::exec {

Weights Weights::parse(const std::string& text) {
  Weights w;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.empty()) continue;
    const auto eq = item.find('=');
    if (eq == std::string::npos) throw std::invalid_argument("weights: '" + item + "' is not name=value");
    const std::string key = item.substr(0, eq), value = item.substr(eq + 1);
    char* end = nullptr;
    const double x = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0' || !std::isfinite(x) || x < 0)
      throw std::invalid_argument("weights: " + key + ": '" + value + "' is not a non-negative number");
    if (key == "fidelity")
      w.fidelity = x;
    else if (key == "queue")
      w.queue = x;
    else if (key == "cost")
      w.cost = x;
    else if (key == "capacity")
      w.capacity = x;
    else
      throw std::invalid_argument("weights: '" + key + "' is not one of fidelity, queue, cost, capacity");
  }
  if (w.fidelity + w.queue + w.cost + w.capacity <= 0) throw std::invalid_argument("weights: all weights are zero");
  return w;
}

double estimated_fidelity(const ir::Program& compiled, const device::Descriptor& d) {
  const std::vector<int> module = d.module_of_qubits();
  const double link = d.mean_bell_pair_fidelity().value_or(1.0);
  double log_f = 0;
  ir::for_each_op(compiled.ops, [&](const ir::Op& op) {
    if (const auto* g = std::get_if<ir::GateOp>(&op.v)) {
      auto it = d.gate_fidelity.find(g->name);
      if (it != d.gate_fidelity.end() && it->second > 0) log_f += std::log(it->second);
      if (g->qubits.size() == 2 && !d.modules.empty()) {
        const auto a = static_cast<std::size_t>(g->qubits[0]), b = static_cast<std::size_t>(g->qubits[1]);
        if (a < module.size() && b < module.size() && module[a] != module[b] && link > 0) log_f += std::log(link);
      }
    } else if (std::holds_alternative<ir::MeasureOp>(op.v) && d.readout_fidelity > 0) {
      log_f += std::log(d.readout_fidelity);
    }
  });
  return std::exp(log_f);
}

CandidateScore score(const ExecutorContract& backend, const ir::Program& compiled, int logical_qubits,
                     std::int64_t shots, const Weights& w) {
  const device::Descriptor& d = backend.descriptor();
  CandidateScore s;
  s.backend = backend.name();
  s.eligible = true;
  s.estimated_fidelity = estimated_fidelity(compiled, d);
  s.queue_depth = backend.queue_depth();
  s.cost_per_shot = d.cost_per_shot;
  s.capacity_fit = d.num_qubits > 0 ? static_cast<double>(logical_qubits) / d.num_qubits : 0;
  s.fidelity_score = s.estimated_fidelity;
  s.queue_score = 1.0 / (1.0 + s.queue_depth);
  // Cost of the whole submission, on a scale where one currency unit halves the score.
  s.cost_score = 1.0 / (1.0 + s.cost_per_shot * static_cast<double>(shots));
  s.capacity_score = s.capacity_fit;
  const double sum = w.fidelity + w.queue + w.cost + w.capacity;
  s.total = (w.fidelity * s.fidelity_score + w.queue * s.queue_score + w.cost * s.cost_score +
             w.capacity * s.capacity_score) /
            sum;
  return s;
}

std::optional<std::size_t> choose(const std::vector<CandidateScore>& candidates) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < candidates.size(); ++i)
    if (candidates[i].eligible && (!best || candidates[i].total > candidates[*best].total)) best = i;
  return best;
}

}  // namespace qontos::exec
