// The `schedule` pass: gives every top-level operation its start time on the device, as soon
// as all its qubits are free (ASAP), from the descriptor's gate and measurement durations, and
// records the timeline and total duration in Program::schedule. Operations are unchanged.
// A barrier synchronises its qubits; an `if` takes the longer of its branches and a `while`
// one pass of its body (its iteration count is only known at run time). Without a device every
// duration is zero.
#include <algorithm>

#include "device/descriptor.h"
#include "ir/gate_set.h"
#include "passes/pass.h"

namespace qontos::passes {
namespace {

class Scheduler {
 public:
  Scheduler(const device::Descriptor* device, int num_qubits)
      : device_(device), free_at_(static_cast<std::size_t>(num_qubits), 0) {}

  double gate_duration(const ir::GateOp& g) const {
    if (!device_) return 0;
    if (auto it = device_->gate_duration_ns.find(g.name); it != device_->gate_duration_ns.end()) return it->second;
    // A gate without its own entry (an ideal device's) takes the longest listed gate of its width.
    double longest = 0;
    for (const auto& [name, t] : device_->gate_duration_ns) {
      const ir::GateSpec* spec = ir::find_gate(name);
      if (spec && (spec->num_qubits >= 2) == (g.qubits.size() >= 2)) longest = std::max(longest, t);
    }
    return longest;
  }

  /// Duration of a block run from a common start (used for if/while bodies).
  double block_duration(const ir::OpList& ops) {
    Scheduler inner(device_, static_cast<int>(free_at_.size()));
    for (const ir::Op& op : ops) inner.place(op);
    return inner.end();
  }

  static std::vector<int> qubits_of(const ir::Op& op, int num_qubits) {
    std::vector<int> qs;
    if (const auto* g = std::get_if<ir::GateOp>(&op.v))
      qs = g->qubits;
    else if (const auto* m = std::get_if<ir::MeasureOp>(&op.v))
      qs = {m->qubit};
    else if (const auto* r = std::get_if<ir::ResetOp>(&op.v))
      qs = {r->qubit};
    else if (const auto* b = std::get_if<ir::BarrierOp>(&op.v))
      qs = b->qubits;
    else if (const auto* d = std::get_if<ir::DelayOp>(&op.v))
      qs = d->qubits;
    else if (std::holds_alternative<ir::IfOp>(op.v) || std::holds_alternative<ir::WhileOp>(op.v))
      for (int q = 0; q < num_qubits; ++q) qs.push_back(q);  // control flow waits for every qubit
    return qs;
  }

  static double delay_ns(const ir::DelayOp& d) {
    if (d.unit == "ns") return d.duration;
    if (d.unit == "us") return d.duration * 1e3;
    if (d.unit == "ms") return d.duration * 1e6;
    if (d.unit == "s") return d.duration * 1e9;
    return 0;  // dt: device ticks, not described by the descriptor
  }

  double place(const ir::Op& op) {
    const std::vector<int> qs = qubits_of(op, static_cast<int>(free_at_.size()));
    double start = 0;
    for (int q : qs) start = std::max(start, free_at_[static_cast<std::size_t>(q)]);
    double duration = 0;
    if (const auto* g = std::get_if<ir::GateOp>(&op.v))
      duration = gate_duration(*g);
    else if (std::holds_alternative<ir::MeasureOp>(op.v) || std::holds_alternative<ir::ResetOp>(op.v))
      duration = device_ ? device_->measure_duration_ns : 0;
    else if (const auto* d = std::get_if<ir::DelayOp>(&op.v))
      duration = delay_ns(*d);
    else if (const auto* i = std::get_if<ir::IfOp>(&op.v))
      duration = std::max(block_duration(i->then_ops), block_duration(i->else_ops));
    else if (const auto* w = std::get_if<ir::WhileOp>(&op.v))
      duration = block_duration(w->body);
    for (int q : qs) free_at_[static_cast<std::size_t>(q)] = start + duration;
    end_ = std::max(end_, start + duration);
    return start;
  }

  double end() const { return end_; }

 private:
  const device::Descriptor* device_;
  std::vector<double> free_at_;
  double end_ = 0;
};

}  // namespace

ir::Program run_schedule(const ir::Program& in, const PassContext& ctx) {
  Scheduler s(ctx.device, in.num_qubits);
  ir::Timeline t;
  for (const ir::Op& op : in.ops) t.start_ns.push_back(s.place(op));
  t.duration_ns = s.end();
  ir::Program out = in;
  out.schedule = std::move(t);
  return out;
}

}  // namespace qontos::passes
