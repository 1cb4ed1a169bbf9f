// The greedy partitioner: one walk over the gates in program order (a topological order of the
// circuit), placing each qubit when a multi-qubit gate first touches it. Linear in the size of the
// program, so it scales to circuits where an eigenvector computation would not.
#include <algorithm>
#include <numeric>
#include <variant>

#include "partition/partition.h"

namespace qontos::partition {
namespace {

/// Union-find over qubits, to know how many not-yet-placed qubits each connected component of
/// the interaction graph still has: a component is started in a module with room for all of it
/// when one exists, so components that fit are never split.
class Components {
 public:
  explicit Components(int n) : parent_(static_cast<std::size_t>(n)) { std::iota(parent_.begin(), parent_.end(), 0); }
  int find(int x) {
    while (parent_[static_cast<std::size_t>(x)] != x) {
      auto& px = parent_[static_cast<std::size_t>(x)];
      px = parent_[static_cast<std::size_t>(px)];  // path halving
      x = px;
    }
    return x;
  }
  void unite(int a, int b) {
    a = find(a);
    b = find(b);
    if (a != b) parent_[static_cast<std::size_t>(std::max(a, b))] = std::min(a, b);
  }

 private:
  std::vector<int> parent_;
};

template <typename F>
void for_each_multi_qubit_gate(const ir::Program& p, F&& f) {
  ir::for_each_op(p.ops, [&](const ir::Op& op) {
    if (const auto* g = std::get_if<ir::GateOp>(&op.v); g && g->qubits.size() >= 2) f(*g);
  });
}

}  // namespace

Partition partition_greedy(const ir::Program& p, const std::vector<ModuleSlot>& modules) {
  detail::check_fits(p, modules);
  const auto n = static_cast<std::size_t>(p.num_qubits);
  const int k = static_cast<int>(modules.size());

  Components comps(p.num_qubits);
  std::vector<char> interacts(n, 0);
  for_each_multi_qubit_gate(p, [&](const ir::GateOp& g) {
    for (int q : g.qubits) {
      if (q < 0 || q >= p.num_qubits)
        throw PartitionError("gate '" + g.name + "' acts on qubit " + std::to_string(q) + " outside the program's " +
                             std::to_string(p.num_qubits));
      interacts[static_cast<std::size_t>(q)] = 1;
      comps.unite(g.qubits.front(), q);
    }
  });
  std::vector<int> unplaced_in(n, 0);  // by component root
  for (std::size_t q = 0; q < n; ++q)
    if (interacts[q]) ++unplaced_in[static_cast<std::size_t>(comps.find(static_cast<int>(q)))];

  std::vector<int> spare(static_cast<std::size_t>(k));
  for (int m = 0; m < k; ++m) spare[static_cast<std::size_t>(m)] = modules[static_cast<std::size_t>(m)].capacity;
  std::vector<int> module_of(n, -1);
  auto place = [&](int q, int m) {
    module_of[static_cast<std::size_t>(q)] = m;
    --spare[static_cast<std::size_t>(m)];
  };
  // Filling modules in order keeps qubits that meet early together, which suits circuits whose
  // interactions are local in time.
  auto first_with_room = [&](int need) {
    for (int m = 0; m < k; ++m)
      if (spare[static_cast<std::size_t>(m)] >= need) return m;
    return -1;
  };

  std::vector<int> partners(static_cast<std::size_t>(k), 0);
  for_each_multi_qubit_gate(p, [&](const ir::GateOp& g) {
    for (int q : g.qubits) {
      if (module_of[static_cast<std::size_t>(q)] >= 0) continue;
      // The module holding most of this gate's placed qubits, if it has room (ties: lowest index).
      for (int r : g.qubits)
        if (const int m = module_of[static_cast<std::size_t>(r)]; m >= 0) ++partners[static_cast<std::size_t>(m)];
      int best = -1;
      for (int r : g.qubits) {
        const int m = module_of[static_cast<std::size_t>(r)];
        if (m < 0 || spare[static_cast<std::size_t>(m)] == 0) continue;
        const int c = partners[static_cast<std::size_t>(m)];
        if (best < 0 || c > partners[static_cast<std::size_t>(best)] ||
            (c == partners[static_cast<std::size_t>(best)] && m < best))
          best = m;
      }
      for (int r : g.qubits)
        if (const int m = module_of[static_cast<std::size_t>(r)]; m >= 0) partners[static_cast<std::size_t>(m)] = 0;
      if (best < 0) {
        const int& left = unplaced_in[static_cast<std::size_t>(comps.find(q))];
        best = first_with_room(left);
        if (best < 0) best = first_with_room(1);
      }
      place(q, best);
      --unplaced_in[static_cast<std::size_t>(comps.find(q))];
    }
  });

  // Qubits no multi-qubit gate touches go wherever room is left.
  for (std::size_t q = 0; q < n; ++q)
    if (module_of[q] < 0) place(static_cast<int>(q), first_with_room(1));
  return detail::finish("greedy", p, modules, std::move(module_of));
}

}  // namespace qontos::partition
