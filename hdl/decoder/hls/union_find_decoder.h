// Weighted union-find decoder (Delfosse-Nickerson cluster growth with integer edge weights, then
// peeling), written for high-level synthesis: fixed-capacity arrays sized by template
// parameters, no heap, no recursion, no exceptions, and every loop states its trip bound. The
// host's software decoder is this same code (host/qec/uf_decoder.h wraps it), and the Verilog in
// ../rtl implements the same algorithm; docs/decoder.md defines it precisely. Outputs are
// defined so that any correct implementation produces them bit for bit:
//
// Growth. Every cluster starts as one vertex. A cluster is active while it holds an odd number of
// defects and has not reached the boundary. Each round, every edge on the border of an active
// cluster (one endpoint inside, the other outside or the boundary) grows by 1 per active cluster
// it touches (so by 2 between two active clusters). A round ends when an edge reaches its weight;
// all edges that reach their weight in that round join their endpoints' clusters (an edge to the
// boundary marks its cluster as touching the boundary). Rounds in which no edge completes are
// skipped: the growth jumps by the number of unit rounds until the first completion, which gives
// the same state as growing one unit at a time.
//
// Peeling. In each cluster holding defects, the grown edges form a subgraph. Its vertices are
// ordered by hop distance from the root (the boundary, reached through the cluster's grown
// boundary edges, when the cluster touches it; else its lowest-numbered vertex). Each vertex but
// the root takes as parent edge its lowest-numbered grown edge to a vertex one hop closer (for a
// vertex one hop from the boundary: its lowest-numbered grown boundary edge). From the farthest
// vertex inward, a vertex whose subtree holds an odd number of defects puts its parent edge in
// the correction. The observable flips are the XOR of the correction's edges' observable masks.
#pragma once

#include <cstdint>

namespace qontos::hdl::decoder {

inline constexpr std::uint32_t kBoundaryVertex = 0xFFFFFFFFu;

enum class DecodeStatus : std::uint8_t {
  kOk,
  kBadDefect,    // a defect index outside the graph (or repeated)
  kNoGraph,      // decode before a graph was loaded
  kCannotMatch,  // an odd cluster that can grow no further (a graph component without boundary)
};

struct DecodeResult {
  DecodeStatus status = DecodeStatus::kOk;
  std::uint64_t observables = 0;  // predicted observable flips
  std::uint32_t correction_edges = 0;
  std::uint32_t growth_rounds = 0;  // rounds in which an edge completed (jumps counted once)
  std::uint32_t growth_units = 0;   // unit rounds those jumps stand for
};

template <std::uint32_t kMaxVertices, std::uint32_t kMaxEdges>
class UnionFindDecoder {
 public:
  static constexpr std::uint32_t kMaxAdjacency = 2 * kMaxEdges;

  /// Loads a graph: edge e joins edge_u[e] and edge_v[e] (kBoundaryVertex for the boundary; at
  /// most one endpoint may be the boundary), has integer weight weights[e] >= 1 and observable
  /// mask observables[e]. Returns false (keeping no graph) when it does not fit or is malformed.
  bool load_graph(std::uint32_t num_vertices, std::uint32_t num_edges, const std::uint32_t* edge_u,
                  const std::uint32_t* edge_v, const std::uint16_t* weights, const std::uint64_t* observables) {
    loaded_ = false;
    if (num_vertices == 0 || num_vertices > kMaxVertices || num_edges > kMaxEdges) return false;
    std::uint32_t degree[kMaxVertices + 1] = {};
    // loop edges, trip bound: kMaxEdges
    for (std::uint32_t e = 0; e < num_edges; ++e) {
      const std::uint32_t u = edge_u[e], v = edge_v[e];
      if (u == kBoundaryVertex || weights[e] == 0) return false;
      if (u >= num_vertices || (v != kBoundaryVertex && (v >= num_vertices || v == u))) return false;
      edge_u_[e] = u;
      edge_v_[e] = v;
      weight_[e] = weights[e];
      observables_[e] = observables[e];
      ++degree[u];
      if (v != kBoundaryVertex) ++degree[v];
    }
    adjacency_start_[0] = 0;
    // loop prefix, trip bound: kMaxVertices
    for (std::uint32_t v = 0; v < num_vertices; ++v) adjacency_start_[v + 1] = adjacency_start_[v] + degree[v];
    std::uint32_t fill[kMaxVertices] = {};
    // loop place, trip bound: kMaxEdges; edges land in increasing order in every vertex's list
    for (std::uint32_t e = 0; e < num_edges; ++e) {
      const std::uint32_t u = edge_u_[e], v = edge_v_[e];
      const std::uint32_t at_u = adjacency_start_[u] + fill[u]++;
      adjacency_[at_u] = e;
      adjacency_other_[at_u] = v == kBoundaryVertex ? kBoundaryIndex : v;
      if (v != kBoundaryVertex) {
        const std::uint32_t at_v = adjacency_start_[v] + fill[v]++;
        adjacency_[at_v] = e;
        adjacency_other_[at_v] = u;
      }
    }
    num_vertices_ = num_vertices;
    num_edges_ = num_edges;
    clear_state();
    loaded_ = true;
    return true;
  }

  /// A calibration changes weights without a new graph. Returns false for a bad edge or weight 0.
  bool set_weight(std::uint32_t edge, std::uint16_t weight) {
    if (!loaded_ || edge >= num_edges_ || weight == 0) return false;
    weight_[edge] = weight;
    remaining_[edge] = weight;  // edges that entered the last shot are reset before the next
    return true;
  }

  std::uint32_t num_vertices() const { return num_vertices_; }
  std::uint32_t num_edges() const { return num_edges_; }

  /// Decodes one shot given its defects (fired detectors, distinct, any order). When
  /// `correction` is not null, it receives the correction's edge indices (in peeling order;
  /// capacity kMaxEdges).
  DecodeResult decode(const std::uint32_t* defects, std::uint32_t num_defects, std::uint32_t* correction) {
    DecodeResult result;
    if (!loaded_) {
      result.status = DecodeStatus::kNoGraph;
      return result;
    }
    if (num_defects > num_vertices_) {
      result.status = DecodeStatus::kBadDefect;
      return result;
    }
    next_shot();
    // loop mark, trip bound: kMaxVertices
    for (std::uint32_t i = 0; i < num_defects; ++i) {
      const std::uint32_t v = defects[i];
      if (v >= num_vertices_) {
        result.status = DecodeStatus::kBadDefect;
        return result;
      }
      enter(v);
      if (defect_[v]) {
        result.status = DecodeStatus::kBadDefect;
        return result;
      }
      defect_[v] = 1;
      parity_[v] = 1;
      defect_list_[i] = v;
    }
    num_defects_ = num_defects;
    if (!grow(result)) return result;
    peel(result, correction);
    return result;
  }

 private:
  static constexpr std::uint32_t kUnreached = 0xFFFFFFFFu;
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  // Rounds to completion: an edge inside a cluster never completes; no jump found yet is less.
  static constexpr std::uint32_t kInside = 0xFFFFFFFFu, kNoJump = 0xFFFFFFFEu;
  // The boundary's index in the per-vertex arrays: a cluster of its own that never enters.
  static constexpr std::uint32_t kBoundaryIndex = kMaxVertices;

  // ---- per-shot state. A vertex that has not entered the shot is a one-vertex cluster without
  // defects, never active: root_, pending_ and active_ hold that state for it, and remaining_ the
  // weights of its edges (the vertices that entered, and their edges, are put back at the next
  // shot). Whether an edge has grown is stamped with the shot's epoch.
  void clear_state() {
    epoch_ = 0;
    // loop clear_v, trip bound: kMaxVertices + 1
    for (std::uint32_t v = 0; v <= kMaxVertices; ++v) {
      entered_[v] = 0;
      root_[v] = v;
      pending_[v] = 0;
      active_[v] = 0;
    }
    num_entered_ = 0;
    // loop clear_e, trip bound: kMaxEdges
    for (std::uint32_t e = 0; e < kMaxEdges; ++e) {
      remaining_[e] = weight_[e];
      grown_epoch_[e] = 0;
    }
  }
  void next_shot() {
    // loop leave, trip bound: kMaxVertices
    for (std::uint32_t i = 0; i < num_entered_; ++i) {
      const std::uint32_t v = entered_list_[i];
      entered_[v] = 0;
      root_[v] = v;
      pending_[v] = 0;
      active_[v] = 0;
      const std::uint32_t end = adjacency_start_[v + 1];
      // loop reset_edges, trip bound: the vertex's degree
      for (std::uint32_t k = adjacency_start_[v]; k < end; ++k) remaining_[adjacency_[k]] = weight_[adjacency_[k]];
    }
    num_entered_ = 0;
    if (++epoch_ == 0) {  // wrapped: clear every grown stamp once, then start over
      // loop clear_stamps, trip bound: kMaxEdges
      for (std::uint32_t e = 0; e < kMaxEdges; ++e) grown_epoch_[e] = 0;
      epoch_ = 1;
    }
  }
  // A vertex enters the shot when it becomes a defect or joins a cluster.
  void enter(std::uint32_t v) {
    if (entered_[v]) return;
    entered_[v] = 1;
    entered_list_[num_entered_++] = v;
    size_[v] = 1;
    defect_[v] = 0;
    parity_[v] = 0;
    at_boundary_[v] = 0;
    peeled_[v] = 0;
    next_member_[v] = v;  // circular member list of the cluster v is the root of
    distance_[v] = kUnreached;
    boundary_edge_[v] = kNone;
    grown_head_[v] = kNone;
  }
  bool grown(std::uint32_t e) const { return grown_epoch_[e] == epoch_; }

  // Joins the clusters of a and b. The smaller cluster's members take the larger's root (a root
  // is always one lookup away), and their edges absorb the difference of the pendings.
  void unite(std::uint32_t a, std::uint32_t b) {
    enter(a);
    enter(b);
    a = root_[a];
    b = root_[b];
    if (a == b) return;
    if (size_[a] < size_[b]) {
      const std::uint32_t t = a;
      a = b;
      b = t;
    }
    // Edges inside b, or between a and b, are shifted too: they no longer matter.
    const std::uint32_t shift = pending_[b] - pending_[a];  // modulo 2^32, like remaining_
    std::uint32_t m = b;
    // loop relabel, trip bound: kMaxVertices
    for (std::uint32_t step = 0; step < kMaxVertices; ++step) {
      root_[m] = a;
      if (shift != 0) {
        const std::uint32_t end = adjacency_start_[m + 1];
        // loop rebase, trip bound: the vertex's degree
        for (std::uint32_t k = adjacency_start_[m]; k < end; ++k) remaining_[adjacency_[k]] -= shift;
      }
      m = next_member_[m];
      if (m == b) break;
    }
    size_[a] += size_[b];
    parity_[a] ^= parity_[b];
    at_boundary_[a] |= at_boundary_[b];
    // Splice the two circular member lists.
    const std::uint32_t after_a = next_member_[a];
    next_member_[a] = next_member_[b];
    next_member_[b] = after_a;
  }

  // Scans the border of active cluster `root` (its members' edges to other clusters; a grown
  // edge of an active cluster lies inside it, as a grown boundary edge would have made it
  // inactive): `soonest` becomes the fewest unit rounds in which an edge scanned so far in this
  // round completes, and candidates_[0, count) those edges (an edge between two active
  // clusters is scanned from both).
  void scan_border(std::uint32_t root, std::uint32_t& soonest, std::uint32_t& count) {
    const std::uint32_t own = pending_[root];
    std::uint32_t jump = soonest, num_candidates = count;  // in registers, whatever candidates_ aliases
    std::uint32_t v = root;
    // loop members, trip bound: kMaxVertices
    for (std::uint32_t m = 0; m < kMaxVertices; ++m) {
      const std::uint32_t end = adjacency_start_[v + 1];
      // loop incident, trip bound: the vertex's degree
      for (std::uint32_t k = adjacency_start_[v]; k < end; ++k) {
        // With masks rather than branches (the outcomes are data-dependent): an edge inside the
        // cluster never completes, and every edge is written past the candidates, but counted
        // only when it completes soonest so far.
        const std::uint32_t other_root = root_[adjacency_other_[k]];
        const std::uint32_t e = adjacency_[k];
        const std::uint32_t two_sided = active_[other_root];
        const std::uint32_t remaining = remaining_[e] - own - pending_[other_root];
        const std::uint32_t inside = 0u - static_cast<std::uint32_t>(other_root == root);  // all ones: inside
        // ceil(remaining / speed), speed 1 or 2
        const std::uint32_t rounds = ((remaining + two_sided) >> two_sided) | inside;
        const std::uint32_t later = static_cast<std::uint32_t>(rounds >= jump);
        jump = rounds < jump ? rounds : jump;
        num_candidates &= 0u - later;  // restarts when this edge completes sooner
        candidates_[num_candidates] = e;
        num_candidates += static_cast<std::uint32_t>(rounds == jump);
      }
      v = next_member_[v];
      if (v == root) break;
    }
    soonest = jump;
    count = num_candidates;
  }

  // The growth, one round per completion. An edge's remaining weight is remaining_[e] minus the
  // pending growth of the clusters on both its sides: a round adds its jump to every active
  // cluster's pending instead of to every border edge (a merge moves the edges of the smaller
  // cluster's members onto the larger cluster's pending). Each round scans the active clusters'
  // members' edges once, finding the jump and the edges that complete with it together.
  bool grow(DecodeResult& result) {
    std::uint32_t num_active = 0;
    // loop activate, trip bound: kMaxVertices
    for (std::uint32_t i = 0; i < num_defects_; ++i) {
      active_[defect_list_[i]] = 1;
      active_list_[num_active++] = defect_list_[i];
    }
    // loop rounds, trip bound: kMaxEdges + 1 (every round completes at least one edge)
    for (std::uint32_t round = 0; round <= kMaxEdges; ++round) {
      if (num_active == 0) return true;
      std::uint32_t jump = kNoJump, num_candidates = 0;
      // loop clusters, trip bound: kMaxVertices
      for (std::uint32_t a = 0; a < num_active; ++a) scan_border(active_list_[a], jump, num_candidates);
      if (num_candidates == 0) {  // an odd cluster that fills its whole component without a boundary
        result.status = DecodeStatus::kCannotMatch;
        return false;
      }
      ++result.growth_rounds;
      result.growth_units += jump;
      // loop advance, trip bound: kMaxVertices
      for (std::uint32_t a = 0; a < num_active; ++a) pending_[active_list_[a]] += jump;
      // The round's completions (an edge between two active clusters is a candidate twice); their
      // clusters stop being active until they are looked at again below.
      std::uint32_t num_completed = 0;
      // loop complete, trip bound: kMaxAdjacency
      for (std::uint32_t i = 0; i < num_candidates; ++i) {
        const std::uint32_t e = candidates_[i];
        if (grown(e)) continue;
        grown_epoch_[e] = epoch_;
        completed_[num_completed++] = e;
        active_[root_[edge_u_[e]]] = 0;
        if (edge_v_[e] != kBoundaryVertex) active_[root_[edge_v_[e]]] = 0;
      }
      // loop join, trip bound: kMaxEdges
      for (std::uint32_t i = 0; i < num_completed; ++i) {
        const std::uint32_t e = completed_[i];
        const std::uint32_t u = edge_u_[e], v = edge_v_[e];
        if (v == kBoundaryVertex) {
          at_boundary_[root_[u]] = 1;
          if (e < boundary_edge_[u]) boundary_edge_[u] = e;
        } else {
          unite(u, v);
          grown_next_[2 * e] = grown_head_[u];  // slot 2e: e seen from u; 2e + 1: from v
          grown_head_[u] = 2 * e;
          grown_next_[2 * e + 1] = grown_head_[v];
          grown_head_[v] = 2 * e + 1;
        }
      }
      // The clusters still active, then the changed clusters that are active now, each once.
      std::uint32_t kept = 0;
      // loop keep_active, trip bound: kMaxVertices
      for (std::uint32_t a = 0; a < num_active; ++a) {
        const std::uint32_t root = active_list_[a];
        active_list_[kept] = root;
        kept += active_[root];
      }
      num_active = kept;
      // loop changed, trip bound: kMaxEdges
      for (std::uint32_t i = 0; i < num_completed; ++i) {
        const std::uint32_t r = root_[edge_u_[completed_[i]]];
        if (active_[r] || !parity_[r] || at_boundary_[r]) continue;
        active_[r] = 1;
        active_list_[num_active++] = r;
      }
    }
    result.status = DecodeStatus::kCannotMatch;  // unreachable: a round always completes an edge
    return false;
  }

  void peel(DecodeResult& result, std::uint32_t* correction) {
    // loop clusters, trip bound: kMaxVertices (each defect's cluster is peeled once)
    for (std::uint32_t i = 0; i < num_defects_; ++i) {
      const std::uint32_t root = root_[defect_list_[i]];
      if (peeled_[root]) continue;
      peel_cluster(root, result, correction);
    }
  }

  void peel_cluster(std::uint32_t root, DecodeResult& result, std::uint32_t* correction) {
    peeled_[root] = 1;
    const bool boundary = at_boundary_[root] != 0;
    // 1. Sources: the boundary's neighbours through grown boundary edges, else the lowest vertex.
    std::uint32_t queue_size = 0;
    std::uint32_t lowest = root;
    std::uint32_t v = root;
    // loop sources, trip bound: kMaxVertices
    for (std::uint32_t m = 0; m < kMaxVertices; ++m) {
      if (v < lowest) lowest = v;
      if (boundary && boundary_edge_[v] != kNone) {  // its lowest grown boundary edge
        distance_[v] = 1;
        parent_edge_[v] = boundary_edge_[v];
        queue_[queue_size++] = v;
      }
      v = next_member_[v];
      if (v == root) break;
    }
    if (!boundary) {
      distance_[lowest] = 0;
      parent_edge_[lowest] = kNone;
      queue_[queue_size++] = lowest;
    }
    // The boundary sources were found in member-list order; breadth-first order only needs
    // nondecreasing distance, which they share.
    // 2. Breadth-first distances over grown edges, and parent edges: the lowest grown edge to a
    // vertex one hop closer (every such edge is seen from the closer end, which comes first).
    // loop bfs, trip bound: kMaxVertices
    for (std::uint32_t head = 0; head < queue_size; ++head) {
      const std::uint32_t u = queue_[head];
      const std::uint32_t next_distance = distance_[u] + 1;
      std::uint32_t slot = grown_head_[u];
      // loop neighbours, trip bound: the vertex's degree
      for (std::uint32_t step = 0; step < kMaxEdges && slot != kNone; ++step) {
        const std::uint32_t e = slot >> 1;
        const std::uint32_t w = edge_u_[e] ^ edge_v_[e] ^ u;  // the other endpoint
        if (distance_[w] == kUnreached) {
          distance_[w] = next_distance;
          parent_edge_[w] = e;
          queue_[queue_size++] = w;
        } else if (distance_[w] == next_distance && e < parent_edge_[w]) {
          parent_edge_[w] = e;
        }
        slot = grown_next_[slot];
      }
    }
    // 3. Peel from the farthest vertex inward.
    // loop leaves, trip bound: kMaxVertices
    for (std::uint32_t q = queue_size; q-- > 0;) {
      const std::uint32_t u = queue_[q];
      if (!defect_[u] || parent_edge_[u] == kNone) continue;
      const std::uint32_t e = parent_edge_[u];
      if (correction) correction[result.correction_edges] = e;
      ++result.correction_edges;
      result.observables ^= observables_[e];
      const std::uint32_t up = edge_u_[e] == u ? edge_v_[e] : edge_u_[e];
      if (up != kBoundaryVertex) defect_[up] ^= 1;  // the defect moves up to the parent
      defect_[u] = 0;
    }
  }

  // Every array is one cache line longer than its capacity: with capacities that are powers of
  // two, the arrays would otherwise all start at the same offset within a 4 KiB page, and equal
  // indices into different arrays would compete for the same cache sets.
  template <typename T, std::uint32_t kCapacity>
  using Padded = T[kCapacity + 64 / sizeof(T)];

  bool loaded_ = false;
  std::uint32_t num_vertices_ = 0, num_edges_ = 0;
  // The graph.
  Padded<std::uint32_t, kMaxEdges> edge_u_ = {};
  Padded<std::uint32_t, kMaxEdges> edge_v_ = {};
  Padded<std::uint16_t, kMaxEdges> weight_ = {};
  Padded<std::uint64_t, kMaxEdges> observables_ = {};
  Padded<std::uint32_t, kMaxVertices + 1> adjacency_start_ = {};
  Padded<std::uint32_t, kMaxAdjacency> adjacency_ = {};        // a slot's edge
  Padded<std::uint32_t, kMaxAdjacency> adjacency_other_ = {};  // a slot's other endpoint (kBoundaryIndex)
  // Per shot: edges and slots.
  std::uint32_t epoch_ = 0;
  Padded<std::uint32_t, kMaxEdges> remaining_ = {};    // weight minus growth, plus its clusters' pendings
  Padded<std::uint32_t, kMaxEdges> grown_epoch_ = {};  // the edge has grown in this shot
  Padded<std::uint32_t, kMaxEdges> completed_ = {};
  Padded<std::uint32_t, kMaxAdjacency> candidates_ = {};
  Padded<std::uint32_t, kMaxAdjacency> grown_next_ = {};  // by slot 2e + side, the vertex's grown edges
  // Per shot: vertices, and clusters by their roots (index kBoundaryIndex: the boundary).
  Padded<std::uint8_t, kMaxVertices + 1> entered_ = {};
  Padded<std::uint32_t, kMaxVertices + 1> root_ = {};
  Padded<std::uint32_t, kMaxVertices + 1> pending_ = {};  // growth owed to every edge on the cluster's border
  Padded<std::uint8_t, kMaxVertices + 1> active_ = {};
  Padded<std::uint32_t, kMaxVertices> entered_list_ = {};
  std::uint32_t num_entered_ = 0;
  Padded<std::uint32_t, kMaxVertices> size_ = {};
  Padded<std::uint8_t, kMaxVertices> defect_ = {};
  Padded<std::uint8_t, kMaxVertices> parity_ = {};
  Padded<std::uint8_t, kMaxVertices> at_boundary_ = {};
  Padded<std::uint8_t, kMaxVertices> peeled_ = {};
  Padded<std::uint32_t, kMaxVertices> next_member_ = {};
  Padded<std::uint32_t, kMaxVertices> boundary_edge_ = {};  // the vertex's lowest grown boundary edge
  Padded<std::uint32_t, kMaxVertices> grown_head_ = {};     // the vertex's grown edges (slot 2e + side)
  Padded<std::uint32_t, kMaxVertices> distance_ = {};
  Padded<std::uint32_t, kMaxVertices> parent_edge_ = {};
  Padded<std::uint32_t, kMaxVertices> queue_ = {};
  Padded<std::uint32_t, kMaxVertices> defect_list_ = {};
  Padded<std::uint32_t, kMaxVertices> active_list_ = {};
  std::uint32_t num_defects_ = 0;
};

}  // namespace qontos::hdl::decoder
