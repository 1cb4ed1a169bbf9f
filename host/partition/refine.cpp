// One FM pass moves every vertex at most once, always the unlocked vertex of largest gain
// (reduction in cut weight) whose move keeps |A| within [lo - 1, hi + 1]; the one-vertex slack
// lets a tightly bounded bisection exchange vertices pairwise. The pass then rolls back to the
// best feasible state it passed through. Passes repeat while they improve the cut.
#include "partition/refine.h"

#include <algorithm>
#include <set>
#include <utility>

namespace qontos::partition {
namespace {

constexpr int kMaxPasses = 10;
// A pass ends after this many moves without a new best state: far-from-cut moves rarely pay off
// and a full pass over a large side would cost O(n log n) for nothing.
constexpr int kMaxFruitlessMoves = 100;

}  // namespace

std::vector<int> refine_bisection(const InteractionGraph& g, const std::vector<int>& vertices,
                                  const std::vector<int>& a, int lo, int hi) {
  const std::size_t n = vertices.size();
  if (n < 2) return a;

  // Local adjacency of the induced subgraph.
  std::vector<int> local_of(static_cast<std::size_t>(g.num_vertices), -1);
  for (std::size_t i = 0; i < n; ++i) local_of[static_cast<std::size_t>(vertices[i])] = static_cast<int>(i);
  std::vector<std::size_t> offsets(n + 1, 0);
  std::vector<std::pair<int, long long>> adj;
  for (std::size_t i = 0; i < n; ++i) {
    const auto v = static_cast<std::size_t>(vertices[i]);
    for (auto e = static_cast<std::size_t>(g.offsets[v]); e < static_cast<std::size_t>(g.offsets[v + 1]); ++e)
      if (const int j = local_of[static_cast<std::size_t>(g.neighbours[e])]; j >= 0) adj.emplace_back(j, g.weights[e]);
    offsets[i + 1] = adj.size();
  }

  std::vector<int> in_a(n, 0);  // 1 = side A
  for (int v : a) in_a[static_cast<std::size_t>(local_of[static_cast<std::size_t>(v)])] = 1;
  int size_a = static_cast<int>(a.size());

  std::vector<long long> gain(n);
  std::vector<char> locked(n);
  // Per side, unlocked vertices ordered by gain (largest first), then index.
  using Key = std::pair<long long, int>;  // (-gain, vertex)
  std::set<Key> queue[2];
  std::vector<int> moves;

  for (int pass = 0; pass < kMaxPasses; ++pass) {
    for (std::size_t i = 0; i < n; ++i) {
      long long x = 0;
      for (std::size_t e = offsets[i]; e < offsets[i + 1]; ++e)
        x += in_a[static_cast<std::size_t>(adj[e].first)] != in_a[i] ? adj[e].second : -adj[e].second;
      gain[i] = x;
      locked[i] = 0;
    }
    queue[0].clear();
    queue[1].clear();
    for (std::size_t i = 0; i < n; ++i) queue[in_a[i]].emplace(-gain[i], static_cast<int>(i));

    moves.clear();
    long long total = 0, best = 0;
    std::size_t best_moves = 0;
    while (moves.size() - best_moves < static_cast<std::size_t>(kMaxFruitlessMoves)) {
      // Candidates: the best vertex of A (moving to B) and of B (moving to A), within the slack.
      const bool can_leave_a = !queue[1].empty() && size_a >= lo;
      const bool can_join_a = !queue[0].empty() && size_a <= hi;
      if (!can_leave_a && !can_join_a) break;
      int from;  // side index of the vertex to move: 1 = A, 0 = B
      if (can_leave_a && can_join_a)
        from = *queue[1].begin() <= *queue[0].begin() ? 1 : 0;
      else
        from = can_leave_a ? 1 : 0;
      const int v = queue[from].begin()->second;
      const auto vi = static_cast<std::size_t>(v);
      queue[from].erase(queue[from].begin());
      locked[vi] = 1;
      total += gain[vi];
      in_a[vi] = from ? 0 : 1;
      size_a += from ? -1 : 1;
      for (std::size_t e = offsets[vi]; e < offsets[vi + 1]; ++e) {
        const auto u = static_cast<std::size_t>(adj[e].first);
        if (locked[u]) continue;
        queue[in_a[u]].erase({-gain[u], static_cast<int>(u)});
        gain[u] += in_a[u] == in_a[vi] ? -2 * adj[e].second : 2 * adj[e].second;
        queue[in_a[u]].emplace(-gain[u], static_cast<int>(u));
      }
      moves.push_back(v);
      if (total > best && size_a >= lo && size_a <= hi) {
        best = total;
        best_moves = moves.size();
      }
    }
    // Roll back past the best state.
    for (std::size_t m = moves.size(); m > best_moves; --m) {
      const auto vi = static_cast<std::size_t>(moves[m - 1]);
      in_a[vi] = 1 - in_a[vi];
      size_a += in_a[vi] ? 1 : -1;
    }
    if (best == 0) break;
  }

  std::vector<int> out;
  for (std::size_t i = 0; i < n; ++i)
    if (in_a[i]) out.push_back(vertices[i]);
  return out;
}

}  // namespace qontos::partition
