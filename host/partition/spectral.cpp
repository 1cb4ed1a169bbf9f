// The spectral partitioner: recursive bisection of the interaction graph. Each step splits the
// modules into two halves by count and the qubits into two sides whose sizes fit the halves'
// capacities. Connected components are kept whole when some choice of whole components fits;
// otherwise the largest component is cut where its Fiedler order (fiedler.h) has the lightest
// cut among the sizes the capacities allow. Each bisection is then refined by Fiduccia–Mattheyses
// moves (refine.h).
#include <algorithm>
#include <cstdlib>
#include <limits>
#include <numeric>

#include "partition/fiedler.h"
#include "partition/interaction_graph.h"
#include "partition/partition.h"
#include "partition/refine.h"

namespace qontos::partition {
namespace {

/// Which sums of component sizes are reachable, for choosing whole components that fill one side.
/// Components of one vertex are counted, not enumerated: j of them reach any j in [0, count],
/// which keeps the table small for programs with many idle qubits.
class SubsetSums {
 public:
  SubsetSums(const std::vector<std::vector<int>>& comps, int skip) : comps_(comps) {
    for (std::size_t c = 0; c < comps.size(); ++c) {
      if (static_cast<int>(c) == skip) continue;
      if (comps[c].size() == 1)
        singles_.push_back(static_cast<int>(c));
      else
        total_multi_ += static_cast<int>(comps[c].size());
    }
    // via_[s]: the first multi-vertex component (in order) with which sum s became reachable.
    via_.assign(static_cast<std::size_t>(total_multi_) + 1, kUnreachable);
    via_[0] = kEmpty;
    for (std::size_t c = 0; c < comps.size(); ++c) {
      if (static_cast<int>(c) == skip || comps[c].size() == 1) continue;
      const int size = static_cast<int>(comps[c].size());
      for (int s = total_multi_; s >= size; --s)
        if (via_[static_cast<std::size_t>(s)] == kUnreachable &&
            via_[static_cast<std::size_t>(s - size)] != kUnreachable)
          via_[static_cast<std::size_t>(s)] = static_cast<int>(c);
    }
    // best_below_[s]: the largest reachable multi-component sum <= s.
    best_below_.resize(via_.size());
    int last = 0;
    for (std::size_t s = 0; s < via_.size(); ++s) {
      if (via_[s] != kUnreachable) last = static_cast<int>(s);
      best_below_[s] = last;
    }
  }

  int total() const { return total_multi_ + static_cast<int>(singles_.size()); }

  /// Whether some choice of the components has exactly z vertices.
  bool reachable(int z) const {
    if (z < 0 || z > total()) return false;
    const int s = best_below_[static_cast<std::size_t>(std::min(z, total_multi_))];
    return z - s <= static_cast<int>(singles_.size());
  }

  /// The reachable z in [lo, hi] closest to `want` (ties: the smaller), or -1. Searches outward
  /// from `want`, which usually stops at once.
  int closest(int lo, int hi, int want) const {
    lo = std::max(lo, 0);
    hi = std::min(hi, total());
    if (lo > hi) return -1;
    want = std::clamp(want, lo, hi);
    for (int d = 0; want - d >= lo || want + d <= hi; ++d) {
      if (want - d >= lo && reachable(want - d)) return want - d;
      if (want + d <= hi && reachable(want + d)) return want + d;
    }
    return -1;
  }

  /// Appends the vertices of a choice of components with exactly z vertices (z reachable).
  void take(int z, std::vector<int>& out) const {
    int s = best_below_[static_cast<std::size_t>(std::min(z, total_multi_))];
    for (int i = 0; i < z - s; ++i)
      out.push_back(comps_[static_cast<std::size_t>(singles_[static_cast<std::size_t>(i)])][0]);
    while (s > 0) {
      const auto& comp = comps_[static_cast<std::size_t>(via_[static_cast<std::size_t>(s)])];
      out.insert(out.end(), comp.begin(), comp.end());
      s -= static_cast<int>(comp.size());
    }
  }

 private:
  static constexpr int kUnreachable = -2;
  static constexpr int kEmpty = -1;
  const std::vector<std::vector<int>>& comps_;
  std::vector<int> singles_;
  int total_multi_ = 0;
  std::vector<int> via_;
  std::vector<int> best_below_;
};

class Bisector {
 public:
  Bisector(const InteractionGraph& g, const std::vector<ModuleSlot>& modules)
      : g_(g),
        modules_(modules),
        module_of_(static_cast<std::size_t>(g.num_vertices), -1),
        side_(static_cast<std::size_t>(g.num_vertices), kOutside) {}

  /// Assigns the sorted `vertices` to modules [m_lo, m_hi), whose capacities hold them all.
  void run(std::vector<int> vertices, int m_lo, int m_hi) {
    if (vertices.empty()) return;
    if (m_hi - m_lo == 1) {
      for (int v : vertices) module_of_[static_cast<std::size_t>(v)] = m_lo;
      return;
    }
    const int mid = m_lo + (m_hi - m_lo) / 2;
    const long long cap_a = capacity(m_lo, mid), cap_b = capacity(mid, m_hi);
    const int n = static_cast<int>(vertices.size());
    const int lo = static_cast<int>(std::max<long long>(0, n - cap_b));
    const int hi = static_cast<int>(std::min<long long>(n, cap_a));
    std::vector<int> a = split(vertices, lo, hi, cap_a, cap_b);
    std::sort(a.begin(), a.end());
    a = refine_bisection(g_, vertices, a, lo, hi);
    std::vector<int> b;
    std::set_difference(vertices.begin(), vertices.end(), a.begin(), a.end(), std::back_inserter(b));
    vertices = {};
    run(std::move(a), m_lo, mid);
    run(std::move(b), mid, m_hi);
  }

  std::vector<int> take_assignment() { return std::move(module_of_); }

 private:
  static constexpr int kOutside = 0;
  static constexpr int kInside = 1;

  long long capacity(int lo, int hi) const {
    long long c = 0;
    for (int m = lo; m < hi; ++m) c += modules_[static_cast<std::size_t>(m)].capacity;
    return c;
  }

  /// Connected components of the subgraph induced by the sorted `vertices`, each sorted, in order
  /// of their smallest vertex.
  std::vector<std::vector<int>> components(const std::vector<int>& vertices) {
    for (int v : vertices) side_[static_cast<std::size_t>(v)] = kInside;
    std::vector<std::vector<int>> comps;
    for (int root : vertices) {
      if (side_[static_cast<std::size_t>(root)] != kInside) continue;
      std::vector<int> comp{root};
      side_[static_cast<std::size_t>(root)] = kOutside;
      for (std::size_t head = 0; head < comp.size(); ++head) {
        const auto v = static_cast<std::size_t>(comp[head]);
        for (int e = g_.offsets[v]; e < g_.offsets[v + 1]; ++e) {
          const int u = g_.neighbours[static_cast<std::size_t>(e)];
          if (side_[static_cast<std::size_t>(u)] == kInside) {
            side_[static_cast<std::size_t>(u)] = kOutside;
            comp.push_back(u);
          }
        }
      }
      std::sort(comp.begin(), comp.end());
      comps.push_back(std::move(comp));
    }
    return comps;
  }

  /// Chooses the vertices for side A, between lo and hi of them (the capacities of the two
  /// halves, cap_a and cap_b, set those bounds); the rest go to side B.
  std::vector<int> split(const std::vector<int>& vertices, int lo, int hi, long long cap_a, long long cap_b) {
    const long long n = static_cast<long long>(vertices.size());
    // Preferred size of A: proportional to capacity, which spreads spare room evenly.
    const int want =
        std::clamp(static_cast<int>((n * cap_a + (cap_a + cap_b) / 2) / std::max(1LL, cap_a + cap_b)), lo, hi);

    const auto comps = components(vertices);
    std::vector<int> a;
    const SubsetSums whole(comps, -1);
    if (const int z = whole.closest(lo, hi, want); z >= 0) {
      whole.take(z, a);
      return a;
    }

    // No choice of whole components fits: cut the largest one (the first of the largest size).
    std::size_t x = 0;
    for (std::size_t c = 1; c < comps.size(); ++c)
      if (comps[c].size() > comps[x].size()) x = c;
    const SubsetSums others(comps, static_cast<int>(x));
    const std::vector<int> order = fiedler_order(g_, comps[x]);
    const std::vector<long long> cut = prefix_cuts(order);
    const int size = static_cast<int>(order.size());

    // Over sizes t of X's part in A, taking X's Fiedler prefix or suffix: least cut, then the
    // size of A closest to `want`, then smaller t, then prefix before suffix.
    struct Choice {
      long long cut = std::numeric_limits<long long>::max();
      int dist = 0, suffix = 0, t = 0, others = 0;
    } best;
    for (int t = 1; t < size; ++t)
      for (int suffix = 0; suffix < 2; ++suffix) {
        const long long c = cut[static_cast<std::size_t>(suffix ? size - t : t)];
        if (c > best.cut) continue;
        const int s = others.closest(lo - t, hi - t, want - t);
        if (s < 0) continue;
        const int dist = std::abs(s + t - want);
        if (c < best.cut || dist < best.dist) best = {c, dist, suffix, t, s};
      }
    others.take(best.others, a);
    if (best.suffix)
      a.insert(a.end(), order.end() - best.t, order.end());
    else
      a.insert(a.end(), order.begin(), order.begin() + best.t);
    return a;
  }

  /// cut[j]: weight of the edges between the first j vertices of `order` and the rest.
  std::vector<long long> prefix_cuts(const std::vector<int>& order) {
    for (std::size_t i = 0; i < order.size(); ++i) side_[static_cast<std::size_t>(order[i])] = static_cast<int>(i) + 1;
    std::vector<long long> cut(order.size() + 1, 0);
    for (std::size_t i = 0; i < order.size(); ++i) {
      const auto v = static_cast<std::size_t>(order[i]);
      long long c = cut[i];
      for (int e = g_.offsets[v]; e < g_.offsets[v + 1]; ++e) {
        const int p = side_[static_cast<std::size_t>(g_.neighbours[static_cast<std::size_t>(e)])];
        if (p == kOutside) continue;
        c += static_cast<std::size_t>(p - 1) > i ? g_.weights[static_cast<std::size_t>(e)]
                                                 : -g_.weights[static_cast<std::size_t>(e)];
      }
      cut[i + 1] = c;
    }
    for (int v : order) side_[static_cast<std::size_t>(v)] = kOutside;
    return cut;
  }

  const InteractionGraph& g_;
  const std::vector<ModuleSlot>& modules_;
  std::vector<int> module_of_;
  std::vector<int> side_;  // scratch per vertex; kOutside between uses
};

}  // namespace

Partition partition_spectral(const ir::Program& p, const std::vector<ModuleSlot>& modules) {
  detail::check_fits(p, modules);
  const InteractionGraph g = interaction_graph(p);
  Bisector bisector(g, modules);
  std::vector<int> all(static_cast<std::size_t>(p.num_qubits));
  std::iota(all.begin(), all.end(), 0);
  bisector.run(std::move(all), 0, static_cast<int>(modules.size()));
  return detail::finish("spectral", p, modules, bisector.take_assignment());
}

}  // namespace qontos::partition
