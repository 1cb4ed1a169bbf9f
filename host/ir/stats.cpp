#include "ir/stats.h"

#include <algorithm>

namespace qontos::ir {
namespace {

void count(const OpList& ops, Stats& s) {
  for (const Op& op : ops) {
    if (const auto* g = std::get_if<GateOp>(&op.v)) {
      ++s.gates;
      if (g->qubits.size() == 2) ++s.two_qubit_gates;
      if (g->qubits.size() > 2) ++s.multi_qubit_gates;
      std::string key = g->controls ? "ctrl(" + std::to_string(g->controls) + ")@" + g->name : g->name;
      ++s.by_name[key];
    } else if (std::holds_alternative<MeasureOp>(op.v)) {
      ++s.measurements;
    } else if (std::holds_alternative<ResetOp>(op.v)) {
      ++s.resets;
    } else if (const auto* i = std::get_if<IfOp>(&op.v)) {
      ++s.conditionals;
      count(i->then_ops, s);
      count(i->else_ops, s);
    } else if (const auto* w = std::get_if<WhileOp>(&op.v)) {
      ++s.conditionals;
      count(w->body, s);
    }
  }
}

void touched(const OpList& ops, std::vector<int>& out) {
  for_each_op(ops, [&](const Op& op) {
    if (const auto* g = std::get_if<GateOp>(&op.v)) out.insert(out.end(), g->qubits.begin(), g->qubits.end());
    else if (const auto* m = std::get_if<MeasureOp>(&op.v)) out.push_back(m->qubit);
    else if (const auto* r = std::get_if<ResetOp>(&op.v)) out.push_back(r->qubit);
    else if (const auto* b = std::get_if<BarrierOp>(&op.v)) out.insert(out.end(), b->qubits.begin(), b->qubits.end());
    else if (const auto* d = std::get_if<DelayOp>(&op.v)) out.insert(out.end(), d->qubits.begin(), d->qubits.end());
  });
}

}  // namespace

Stats compute_stats(const Program& p) {
  Stats s;
  s.qubits = p.num_qubits;
  s.clbits = p.num_clbits;
  count(p.ops, s);
  std::vector<long long> level(static_cast<std::size_t>(std::max(p.num_qubits, 0)), 0);
  for (const Op& op : p.ops) {
    std::vector<int> qs;
    if (std::holds_alternative<BarrierOp>(op.v) || std::holds_alternative<GlobalPhaseOp>(op.v) ||
        std::holds_alternative<AssignOp>(op.v))
      continue;
    touched({op}, qs);
    if (std::holds_alternative<IfOp>(op.v) || std::holds_alternative<WhileOp>(op.v)) {
      // A classically controlled block waits for every qubit (its condition may read any bit).
      qs.clear();
      for (int q = 0; q < p.num_qubits; ++q) qs.push_back(q);
    }
    long long m = 0;
    for (int q : qs)
      if (q >= 0 && q < p.num_qubits) m = std::max(m, level[static_cast<std::size_t>(q)]);
    for (int q : qs)
      if (q >= 0 && q < p.num_qubits) level[static_cast<std::size_t>(q)] = m + 1;
  }
  for (long long l : level) s.depth = std::max(s.depth, l);
  return s;
}

std::string format_stats(const Stats& s) {
  std::string out;
  auto line = [&](const std::string& k, long long v) { out += k + ": " + std::to_string(v) + "\n"; };
  line("qubits", s.qubits);
  line("clbits", s.clbits);
  line("gates", s.gates);
  line("two_qubit_gates", s.two_qubit_gates);
  line("multi_qubit_gates", s.multi_qubit_gates);
  line("measurements", s.measurements);
  line("resets", s.resets);
  line("conditionals", s.conditionals);
  line("depth", s.depth);
  for (const auto& [name, n] : s.by_name) line("gate." + name, n);
  return out;
}

}  // namespace qontos::ir
