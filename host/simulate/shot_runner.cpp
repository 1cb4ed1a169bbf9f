#include "simulate/shot_runner.h"

#include <set>
#include <stdexcept>
#include <string>

namespace qontos::simulate {
namespace {

enum class Flow { kNormal, kBreak, kContinue };

struct Interpreter {
  QuantumState& state;
  ClassicalState& classical;
  Rng& rng;
  const ShotOptions& options;

  Flow run(const ir::OpList& ops) {
    for (const ir::Op& op : ops) {
      Flow f = step(op);
      if (f != Flow::kNormal) return f;
    }
    return Flow::kNormal;
  }

  Flow step(const ir::Op& op) {
    if (const auto* g = std::get_if<ir::GateOp>(&op.v)) {
      state.apply_gate(*g);
    } else if (const auto* m = std::get_if<ir::MeasureOp>(&op.v)) {
      classical.bits().at(m->clbit) = state.measure(m->qubit, rng) ? 1 : 0;
    } else if (const auto* r = std::get_if<ir::ResetOp>(&op.v)) {
      state.reset(r->qubit, rng);
    } else if (const auto* i = std::get_if<ir::IfOp>(&op.v)) {
      return run(classical.evaluate(*i->condition).truthy() ? i->then_ops : i->else_ops);
    } else if (const auto* w = std::get_if<ir::WhileOp>(&op.v)) {
      std::int64_t iterations = 0;
      while (classical.evaluate(*w->condition).truthy()) {
        if (++iterations > options.max_loop_iterations)
          throw std::runtime_error("line " + std::to_string(op.line) + ": while loop exceeded " +
                                   std::to_string(options.max_loop_iterations) + " iterations in one shot");
        if (run(w->body) == Flow::kBreak) break;
      }
    } else if (const auto* a = std::get_if<ir::AssignOp>(&op.v)) {
      classical.assign(*a);
    } else if (std::holds_alternative<ir::BreakOp>(op.v)) {
      return Flow::kBreak;
    } else if (std::holds_alternative<ir::ContinueOp>(op.v)) {
      return Flow::kContinue;
    }
    // Barrier, delay and global phase have no effect on an ideal engine's outcomes.
    return Flow::kNormal;
  }
};

}  // namespace

bool measurements_are_terminal(const ir::Program& program) {
  std::set<int> measured, touched;
  for (const ir::Op& op : program.ops) {
    if (const auto* g = std::get_if<ir::GateOp>(&op.v)) {
      for (int q : g->qubits) {
        if (measured.count(q)) return false;
        touched.insert(q);
      }
    } else if (const auto* m = std::get_if<ir::MeasureOp>(&op.v)) {
      measured.insert(m->qubit);
    } else if (const auto* r = std::get_if<ir::ResetOp>(&op.v)) {
      if (touched.count(r->qubit) || measured.count(r->qubit)) return false;
    } else if (std::holds_alternative<ir::BarrierOp>(op.v) || std::holds_alternative<ir::DelayOp>(op.v) ||
               std::holds_alternative<ir::GlobalPhaseOp>(op.v)) {
      continue;
    } else {
      return false;  // classical control or assignment
    }
  }
  return true;
}

std::size_t unitary_prefix_length(const ir::Program& program) {
  std::size_t n = 0;
  for (const ir::Op& op : program.ops) {
    if (!std::holds_alternative<ir::GateOp>(op.v) && !std::holds_alternative<ir::BarrierOp>(op.v) &&
        !std::holds_alternative<ir::DelayOp>(op.v) && !std::holds_alternative<ir::GlobalPhaseOp>(op.v))
      break;
    ++n;
  }
  return n;
}

void execute_ops(const ir::OpList& ops, QuantumState& state, ClassicalState& classical, Rng& rng,
                 const ShotOptions& options) {
  Interpreter{state, classical, rng, options}.run(ops);
}

void record_shot(ShotResult& result, const ClassicalState& classical, bool keep) {
  std::string s = classical.bitstring();
  ++result.counts[s];
  if (keep) result.shots.push_back(std::move(s));
}

}  // namespace qontos::simulate
