#include "passes/sabre.h"

#include <algorithm>
#include <type_traits>

#include "passes/pass.h"

namespace qontos::passes::sabre {
namespace {

constexpr std::size_t kExtendedSetSize = 20;  // lookahead gates beyond the front layer
constexpr std::int64_t kExtendedWeight2 = 1;  // extended-set weight 0.5, as 1/2 in exact arithmetic
constexpr std::int64_t kDecayScale = 1000;    // decay factor 1 + 0.001 * k  ==  (1000 + k) / 1000
constexpr int kDecayResetInterval = 5;        // SWAPs between resets of the decay factors


/// Wires an op occupies: qubits 0..num_wires-1, then clbit c as num_wires + c.
void op_wires(const ir::Op& op, int num_wires, std::vector<int>& w) {
  w.clear();
  auto all = [&] {
    for (int q = 0; q < num_wires; ++q) w.push_back(q);
  };
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, ir::GateOp>) {
          w = x.qubits;
        } else if constexpr (std::is_same_v<T, ir::MeasureOp>) {
          w = {x.qubit, num_wires + x.clbit};
        } else if constexpr (std::is_same_v<T, ir::ResetOp>) {
          w = {x.qubit};
        } else if constexpr (std::is_same_v<T, ir::BarrierOp> || std::is_same_v<T, ir::DelayOp>) {
          if (x.qubits.empty())
            all();  // an operand-less barrier or delay spans every qubit
          else
            w = x.qubits;
        }
      },
      op.v);
}

bool is_segment_op(const ir::Op& op) {
  return std::holds_alternative<ir::GateOp>(op.v) || std::holds_alternative<ir::MeasureOp>(op.v) ||
         std::holds_alternative<ir::ResetOp>(op.v) || std::holds_alternative<ir::BarrierOp>(op.v) ||
         std::holds_alternative<ir::DelayOp>(op.v) || std::holds_alternative<ir::GlobalPhaseOp>(op.v);
}

class SegmentBuilder {
 public:
  explicit SegmentBuilder(int num_wires) : num_wires_(num_wires) {}
  void add(const ir::Op& op) {
    const int id = static_cast<int>(seg_.nodes.size());
    Node node;
    node.op = &op;
    if (const auto* g = std::get_if<ir::GateOp>(&op.v); g && g->qubits.size() == 2) {
      node.a = g->qubits[0];
      node.b = g->qubits[1];
    }
    op_wires(op, num_wires_, wires_);
    preds_.clear();
    for (int w : wires_) {
      const auto wi = static_cast<std::size_t>(w);
      if (wi >= last_.size()) last_.resize(wi + 1, -1);
      const int p = last_[wi];
      if (p >= 0 && std::find(preds_.begin(), preds_.end(), p) == preds_.end()) preds_.push_back(p);
      last_[wi] = id;
    }
    node.predecessors = static_cast<int>(preds_.size());
    for (int p : preds_) seg_.nodes[static_cast<std::size_t>(p)].successors.push_back(id);
    seg_.nodes.push_back(std::move(node));
  }
  bool empty() const { return seg_.nodes.empty(); }
  Segment take() {
    last_.clear();
    return std::exchange(seg_, Segment{});
  }

 private:
  int num_wires_;
  Segment seg_;
  std::vector<int> last_;  // last node on each wire
  std::vector<int> wires_, preds_;
};

ir::Op relabel_op(const ir::Op& op, const std::vector<int>& map) {
  ir::Op out = op;
  auto m = [&](int& q) { q = map.at(static_cast<std::size_t>(q)); };
  std::visit(
      [&](auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, ir::GateOp> || std::is_same_v<T, ir::BarrierOp> ||
                      std::is_same_v<T, ir::DelayOp>) {
          for (int& q : x.qubits) m(q);
        } else if constexpr (std::is_same_v<T, ir::MeasureOp> || std::is_same_v<T, ir::ResetOp>) {
          m(x.qubit);
        } else if constexpr (std::is_same_v<T, ir::IfOp>) {
          x.then_ops = relabel(x.then_ops, map);
          x.else_ops = relabel(x.else_ops, map);
        } else if constexpr (std::is_same_v<T, ir::WhileOp>) {
          x.body = relabel(x.body, map);
        }
      },
      out.v);
  return out;
}

ir::Op swap_op(int p, int q) {
  ir::GateOp g;
  g.name = "swap";
  g.qubits = {std::min(p, q), std::max(p, q)};
  return ir::Op(std::move(g));
}

class Router {
 public:
  Router(const Device& dev, std::vector<int> layout, std::uint64_t seed, std::size_t stuck_limit)
      : dev_(dev), l2p_(std::move(layout)), p2l_(l2p_.size()), decay_(l2p_.size(), 0), rng_(seed), touch_(l2p_.size()) {
    for (std::size_t w = 0; w < l2p_.size(); ++w) p2l_[static_cast<std::size_t>(l2p_[w])] = static_cast<int>(w);
    const auto n = static_cast<std::size_t>(dev_.distance.num_qubits());
    stuck_limit_ = stuck_limit > 0 ? stuck_limit : 10 * std::max<std::size_t>(n, 1);
    frames_.push_back(Frame{});
  }

  void block(const Block& b, ir::OpList* out) {
    for (const Item& item : b) {
      switch (item.kind) {
        case Item::Kind::kSegment: segment(item.segment, out); break;
        case Item::Kind::kIf: {
          const auto& src = std::get<ir::IfOp>(item.op->v);
          ir::IfOp routed{src.condition, {}, {}};
          body(item.first, out ? &routed.then_ops : nullptr, false);
          body(item.second, out ? &routed.else_ops : nullptr, false);
          if (out) out->emplace_back(std::move(routed), item.op->line);
          break;
        }
        case Item::Kind::kWhile: {
          const auto& src = std::get<ir::WhileOp>(item.op->v);
          ir::WhileOp routed{src.condition, {}};
          body(item.first, out ? &routed.body : nullptr, true);
          if (out) out->emplace_back(std::move(routed), item.op->line);
          break;
        }
        case Item::Kind::kJump: jump(out); [[fallthrough]];
        case Item::Kind::kClassical:
          if (out) out->push_back(*item.op);
          break;
      }
    }
  }

  Result result() const { return {l2p_, swaps_}; }

 private:
  struct Frame {
    std::vector<std::pair<int, int>> log;  // SWAPs applied in this body, in order
    bool loop = false;
  };
  struct Touch {
    const Node* gate;
    bool extended;  // in the extended set rather than the front layer
  };

  int dist(int p, int q) const { return dev_.distance(p, q); }
  int phys(int wire) const { return l2p_[static_cast<std::size_t>(wire)]; }

  void exchange(int p, int q) {
    const auto pi = static_cast<std::size_t>(p), qi = static_cast<std::size_t>(q);
    std::swap(p2l_[pi], p2l_[qi]);
    l2p_[static_cast<std::size_t>(p2l_[pi])] = p;
    l2p_[static_cast<std::size_t>(p2l_[qi])] = q;
  }
  void emit_swap(int p, int q, ir::OpList* out) {
    ++swaps_;
    if (out) out->push_back(swap_op(p, q));
  }
  void apply_swap(int p, int q, ir::OpList* out) {
    exchange(p, q);
    frames_.back().log.emplace_back(p, q);
    emit_swap(p, q, out);
  }

  /// Routes an if/while body from the current layout and undoes its SWAPs at its end.
  void body(const Block& b, ir::OpList* out, bool loop) {
    frames_.push_back(Frame{{}, loop});
    block(b, out);
    const Frame frame = std::move(frames_.back());
    frames_.pop_back();
    for (auto it = frame.log.rbegin(); it != frame.log.rend(); ++it) {
      exchange(it->first, it->second);
      emit_swap(it->first, it->second, out);
    }
  }

  /// break/continue leave the loop body early: restore the layout the body started from. The
  /// compile-time layout is left alone (code after a jump in the same block is unreachable).
  void jump(ir::OpList* out) {
    const auto loop = std::find_if(frames_.rbegin(), frames_.rend(), [](const Frame& f) { return f.loop; });
    if (loop == frames_.rend()) return;
    for (auto f = frames_.rbegin(); f != std::next(loop); ++f)
      for (auto it = f->log.rbegin(); it != f->log.rend(); ++it) emit_swap(it->first, it->second, out);
  }

  void execute(const Node& node, ir::OpList* out) {
    if (out) out->push_back(relabel_op(*node.op, l2p_));
  }

  /// Gates reachable from the front layer (breadth first), up to kExtendedSetSize two-qubit ones.
  void extended_set(const Segment& s, const std::vector<int>& front) {
    extended_.clear();
    ++stamp_;
    if (visited_.size() < s.nodes.size()) visited_.resize(s.nodes.size(), 0);
    std::size_t head = 0;
    queue_.clear();
    for (int i : front)
      for (int j : s.nodes[static_cast<std::size_t>(i)].successors)
        if (visited_[static_cast<std::size_t>(j)] != stamp_) {
          visited_[static_cast<std::size_t>(j)] = stamp_;
          queue_.push_back(j);
        }
    while (head < queue_.size() && extended_.size() < kExtendedSetSize) {
      const Node& n = s.nodes[static_cast<std::size_t>(queue_[head++])];
      if (n.b >= 0) extended_.push_back(&n);
      for (int j : n.successors)
        if (visited_[static_cast<std::size_t>(j)] != stamp_) {
          visited_[static_cast<std::size_t>(j)] = stamp_;
          queue_.push_back(j);
        }
    }
  }

  /// Change in the summed distance of the gates touching physical qubit p or q (listed in
  /// touch_) if p and q were exchanged: {front layer, extended set}.
  std::pair<std::int64_t, std::int64_t> swap_delta(int p, int q) const {
    auto at = [&](int wire) {
      const int x = phys(wire);
      return x == p ? q : (x == q ? p : x);
    };
    std::int64_t df = 0, de = 0;
    auto add = [&](const Touch& t) {
      const int d = dist(at(t.gate->a), at(t.gate->b)) - dist(phys(t.gate->a), phys(t.gate->b));
      (t.extended ? de : df) += d;
    };
    for (const Touch& t : touch_[static_cast<std::size_t>(p)]) add(t);
    for (const Touch& t : touch_[static_cast<std::size_t>(q)])
      if (phys(t.gate->a) != p && phys(t.gate->b) != p) add(t);  // gates on p and q counted once
    return {df, de};
  }

  void choose_swap(const std::vector<const Node*>& front_gates, ir::OpList* out) {
    // Index the front and extended gates by the physical qubits they act on: a SWAP only
    // changes the distances of gates on its own two qubits.
    std::int64_t base_f = 0, base_e = 0;
    auto note = [&](const Node* g, bool extended) {
      for (int p : {phys(g->a), phys(g->b)}) {
        auto& list = touch_[static_cast<std::size_t>(p)];
        if (list.empty()) touched_.push_back(p);
        list.push_back({g, extended});
      }
      (extended ? base_e : base_f) += dist(phys(g->a), phys(g->b));
    };
    for (const Node* g : front_gates) note(g, false);
    for (const Node* g : extended_) note(g, true);

    candidates_.clear();
    for (const Node* g : front_gates)
      for (int p : {phys(g->a), phys(g->b)})
        for (int q : dev_.neighbours[static_cast<std::size_t>(p)]) candidates_.emplace_back(std::min(p, q), std::max(p, q));
    std::sort(candidates_.begin(), candidates_.end());
    candidates_.erase(std::unique(candidates_.begin(), candidates_.end()), candidates_.end());

    // H = max(decay) * (sum_F d / |F| + 0.5 * sum_E d / |E|), scaled by 2|F||E| * 1000 to stay
    // in integers; every candidate shares the scale, so comparisons are exact.
    const auto nf = static_cast<std::int64_t>(front_gates.size());
    const auto ne = static_cast<std::int64_t>(extended_.size());
    std::int64_t best = -1;
    ties_.clear();
    for (std::size_t c = 0; c < candidates_.size(); ++c) {
      const auto [p, q] = candidates_[c];
      const auto [df, de] = swap_delta(p, q);
      const std::int64_t f = base_f + df;
      const std::int64_t base = ne == 0 ? f : 2 * f * ne + kExtendedWeight2 * (base_e + de) * nf;
      const std::int64_t decay =
          kDecayScale + std::max(decay_[static_cast<std::size_t>(p)], decay_[static_cast<std::size_t>(q)]);
      const std::int64_t score = decay * base;
      if (best < 0 || score < best) {
        best = score;
        ties_.clear();
      }
      if (score == best) ties_.push_back(c);
    }
    for (int p : touched_) touch_[static_cast<std::size_t>(p)].clear();
    touched_.clear();

    const auto pick = candidates_[ties_[static_cast<std::size_t>(rng_.below(ties_.size()))]];
    apply_swap(pick.first, pick.second, out);
    stuck_.push_back(pick);
    ++decay_[static_cast<std::size_t>(pick.first)];
    ++decay_[static_cast<std::size_t>(pick.second)];
    if (++swaps_since_decay_reset_ == kDecayResetInterval) reset_decay();
  }

  void reset_decay() {
    std::fill(decay_.begin(), decay_.end(), 0);
    swaps_since_decay_reset_ = 0;
  }

  /// Livelock escape: drop the SWAPs made since the last gate ran, then walk the closest front
  /// gate's first qubit along a shortest path until the gate's qubits are coupled.
  void release(const std::vector<const Node*>& front_gates, ir::OpList* out) {
    for (auto it = stuck_.rbegin(); it != stuck_.rend(); ++it) {
      exchange(it->first, it->second);
      frames_.back().log.pop_back();
      --swaps_;
      if (out) out->pop_back();
    }
    stuck_.clear();
    const Node* g = front_gates.front();
    for (const Node* h : front_gates)
      if (dist(phys(h->a), phys(h->b)) < dist(phys(g->a), phys(g->b))) g = h;
    while (dist(phys(g->a), phys(g->b)) > 1) {
      const int p = phys(g->a), t = phys(g->b);
      for (int q : dev_.neighbours[static_cast<std::size_t>(p)])
        if (dist(q, t) == dist(p, t) - 1) {
          apply_swap(p, q, out);
          break;
        }
    }
  }

  void segment(const Segment& s, ir::OpList* out) {
    std::vector<int> pending(s.nodes.size());
    std::vector<int> front, keep;
    for (std::size_t i = 0; i < s.nodes.size(); ++i) {
      pending[i] = s.nodes[i].predecessors;
      if (pending[i] == 0) front.push_back(static_cast<int>(i));
    }
    reset_decay();
    stuck_.clear();
    bool extended_valid = false;
    std::vector<const Node*> front_gates;
    while (!front.empty()) {
      keep.clear();
      bool progressed = false;
      for (int i : front) {
        const Node& n = s.nodes[static_cast<std::size_t>(i)];
        if (n.b < 0 || dist(phys(n.a), phys(n.b)) == 1) {
          execute(n, out);
          progressed = true;
          for (int j : n.successors)
            if (--pending[static_cast<std::size_t>(j)] == 0) keep.push_back(j);
        } else {
          keep.push_back(i);
        }
      }
      std::sort(keep.begin(), keep.end());
      front.swap(keep);
      if (progressed) {
        reset_decay();
        stuck_.clear();
        extended_valid = false;
        continue;
      }
      front_gates.clear();
      for (int i : front) front_gates.push_back(&s.nodes[static_cast<std::size_t>(i)]);
      if (stuck_.size() >= stuck_limit_) {
        release(front_gates, out);
        continue;
      }
      if (!extended_valid) {
        extended_set(s, front);
        extended_valid = true;
      }
      choose_swap(front_gates, out);
    }
  }

  const Device& dev_;
  std::vector<int> l2p_, p2l_;
  std::vector<int> decay_;
  int swaps_since_decay_reset_ = 0;
  Prng rng_;
  std::vector<Frame> frames_;
  std::int64_t swaps_ = 0;
  std::vector<std::pair<int, int>> stuck_;  // SWAPs since the last gate ran
  std::size_t stuck_limit_ = 0;
  // Scratch space reused across steps.
  std::vector<const Node*> extended_;
  std::vector<std::pair<int, int>> candidates_;
  std::vector<std::size_t> ties_;
  std::vector<unsigned> visited_;
  unsigned stamp_ = 0;
  std::vector<int> queue_;
  std::vector<std::vector<Touch>> touch_;  // per physical qubit: front/extended gates on it
  std::vector<int> touched_;
};

}  // namespace

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t state = seed;
  const std::uint64_t a = splitmix64(state);
  state = a ^ (stream * 0xD1B54A32D192ED03ULL + 0x8CB92BA72F3D8DD7ULL);
  return splitmix64(state);
}


Device::Device(const device::Descriptor& d) : descriptor(&d), distance(d), neighbours(device::adjacency(d)) {}

Block prepare(const ir::OpList& ops, int num_wires, bool reversed) {
  Block out;
  SegmentBuilder seg(num_wires);
  auto flush = [&] {
    if (seg.empty()) return;
    Item item;
    item.kind = Item::Kind::kSegment;
    item.segment = seg.take();
    out.push_back(std::move(item));
  };
  const std::size_t n = ops.size();
  for (std::size_t k = 0; k < n; ++k) {
    const ir::Op& op = ops[reversed ? n - 1 - k : k];
    if (is_segment_op(op)) {
      seg.add(op);
      continue;
    }
    flush();
    Item item;
    item.op = &op;
    if (const auto* i = std::get_if<ir::IfOp>(&op.v)) {
      item.kind = Item::Kind::kIf;
      item.first = prepare(i->then_ops, num_wires, reversed);
      item.second = prepare(i->else_ops, num_wires, reversed);
    } else if (const auto* w = std::get_if<ir::WhileOp>(&op.v)) {
      item.kind = Item::Kind::kWhile;
      item.first = prepare(w->body, num_wires, reversed);
    } else if (std::holds_alternative<ir::BreakOp>(op.v) || std::holds_alternative<ir::ContinueOp>(op.v)) {
      item.kind = Item::Kind::kJump;
    } else {
      item.kind = Item::Kind::kClassical;
    }
    out.push_back(std::move(item));
  }
  flush();
  return out;
}

Result route(const Block& block, const Device& dev, std::vector<int> layout, std::uint64_t seed, ir::OpList* out,
             std::size_t stuck_limit) {
  Router r(dev, std::move(layout), seed, stuck_limit);
  r.block(block, out);
  return r.result();
}

void check_routable(const ir::Program& p, const std::string& pass, bool any_arity) {
  auto check_qubit = [&](int q, const std::string& what) {
    if (q < 0 || q >= p.num_qubits)
      throw PassError(pass + ": " + what + " uses qubit " + std::to_string(q) + " but the program has " +
                      std::to_string(p.num_qubits));
  };
  ir::for_each_op(p.ops, [&](const ir::Op& op) {
    if (const auto* g = std::get_if<ir::GateOp>(&op.v)) {
      const std::string what = "gate '" + g->name + "'";
      if (g->qubits.size() > 2 && !any_arity)
        throw PassError(pass + ": " + what + " acts on " + std::to_string(g->qubits.size()) +
                        " qubits; routing handles at most two, so decompose must run first");
      for (int q : g->qubits) check_qubit(q, what);
      for (std::size_t i = 0; i < g->qubits.size(); ++i)
        for (std::size_t j = i + 1; j < g->qubits.size(); ++j)
          if (g->qubits[i] == g->qubits[j])
            throw PassError(pass + ": " + what + " uses qubit " + std::to_string(g->qubits[i]) + " twice");
    } else if (const auto* m = std::get_if<ir::MeasureOp>(&op.v)) {
      check_qubit(m->qubit, "measure");
    } else if (const auto* r = std::get_if<ir::ResetOp>(&op.v)) {
      check_qubit(r->qubit, "reset");
    } else if (const auto* b = std::get_if<ir::BarrierOp>(&op.v)) {
      for (int q : b->qubits) check_qubit(q, "barrier");
    } else if (const auto* d = std::get_if<ir::DelayOp>(&op.v)) {
      for (int q : d->qubits) check_qubit(q, "delay");
    }
  });
}

ir::OpList relabel(const ir::OpList& ops, const std::vector<int>& map) {
  ir::OpList out;
  out.reserve(ops.size());
  for (const ir::Op& op : ops) out.push_back(relabel_op(op, map));
  return out;
}

}  // namespace qontos::passes::sabre
