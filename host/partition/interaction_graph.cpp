// Builds the qubit-interaction graph. Pairs are bucketed by their first vertex and each row sorted
// and merged, so construction is O(P log d) for P gate pairs and maximum degree d, and the result
// does not depend on gate order.
#include "partition/interaction_graph.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace qontos::partition {

long long InteractionGraph::weight(int a, int b) const {
  const auto first = neighbours.begin() + offsets[static_cast<std::size_t>(a)];
  const auto last = neighbours.begin() + offsets[static_cast<std::size_t>(a) + 1];
  const auto it = std::lower_bound(first, last, b);
  if (it == last || *it != b) return 0;
  return weights[static_cast<std::size_t>(it - neighbours.begin())];
}

InteractionGraph graph_from_pairs(int num_vertices, std::vector<std::pair<int, int>> pairs) {
  InteractionGraph g;
  g.num_vertices = num_vertices;
  const auto n = static_cast<std::size_t>(num_vertices);
  for (const auto& [a, b] : pairs)
    if (a < 0 || b < 0 || a >= num_vertices || b >= num_vertices || a == b)
      throw std::invalid_argument("interaction graph: bad pair (" + std::to_string(a) + ", " + std::to_string(b) +
                                  ") for " + std::to_string(num_vertices) + " vertices");

  // Bucket both directions of every pair by source vertex (counting sort).
  std::vector<int> count(n + 1, 0);
  for (const auto& [a, b] : pairs) {
    ++count[static_cast<std::size_t>(a) + 1];
    ++count[static_cast<std::size_t>(b) + 1];
  }
  for (std::size_t v = 0; v < n; ++v) count[v + 1] += count[v];
  std::vector<int> targets(pairs.size() * 2);
  std::vector<int> fill(count.begin(), count.end() - 1);
  for (const auto& [a, b] : pairs) {
    targets[static_cast<std::size_t>(fill[static_cast<std::size_t>(a)]++)] = b;
    targets[static_cast<std::size_t>(fill[static_cast<std::size_t>(b)]++)] = a;
  }
  pairs.clear();
  pairs.shrink_to_fit();

  // Sort each row and merge repeats into weights.
  g.offsets.assign(n + 1, 0);
  g.neighbours.reserve(targets.size());
  g.weights.reserve(targets.size());
  for (std::size_t v = 0; v < n; ++v) {
    const auto first = targets.begin() + count[v];
    const auto last = targets.begin() + count[v + 1];
    std::sort(first, last);
    for (auto it = first; it != last;) {
      const auto run_end = std::find_if(it, last, [&](int x) { return x != *it; });
      g.neighbours.push_back(*it);
      g.weights.push_back(static_cast<long long>(run_end - it));
      it = run_end;
    }
    g.offsets[v + 1] = static_cast<int>(g.neighbours.size());
  }
  return g;
}

InteractionGraph interaction_graph(const ir::Program& p) {
  std::vector<std::pair<int, int>> pairs;
  std::vector<int> qs;
  ir::for_each_op(p.ops, [&](const ir::Op& op) {
    const auto* g = std::get_if<ir::GateOp>(&op.v);
    if (!g || g->qubits.size() < 2) return;
    qs = g->qubits;
    std::sort(qs.begin(), qs.end());
    qs.erase(std::unique(qs.begin(), qs.end()), qs.end());
    for (std::size_t i = 0; i < qs.size(); ++i)
      for (std::size_t j = i + 1; j < qs.size(); ++j) pairs.emplace_back(qs[i], qs[j]);
  });
  return graph_from_pairs(p.num_qubits, std::move(pairs));
}

}  // namespace qontos::partition
