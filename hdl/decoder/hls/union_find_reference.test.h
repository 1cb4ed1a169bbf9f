// Test-only: the union-find decoder as first written (one scan of every active cluster's members
// and their edges per growth round, path-halving find), kept verbatim as an executable statement
// of the outputs defined in union_find_decoder.h. Tests compare the optimised decoder with it:
// observables, the correction's edge set, growth_rounds and growth_units must agree on every input.
// Not part of the HLS sources.
#pragma once

#include <cstdint>

#include "decoder/hls/union_find_decoder.h"

namespace qontos::hdl::decoder {

template <std::uint32_t kMaxVertices, std::uint32_t kMaxEdges>
class ReferenceUnionFindDecoder {
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
      adjacency_[adjacency_start_[edge_u_[e]] + fill[edge_u_[e]]++] = e;
      if (edge_v_[e] != kBoundaryVertex) adjacency_[adjacency_start_[edge_v_[e]] + fill[edge_v_[e]]++] = e;
    }
    num_vertices_ = num_vertices;
    num_edges_ = num_edges;
    clear_stamps();
    loaded_ = true;
    return true;
  }

  /// A calibration changes weights without a new graph. Returns false for a bad edge or weight 0.
  bool set_weight(std::uint32_t edge, std::uint16_t weight) {
    if (!loaded_ || edge >= num_edges_ || weight == 0) return false;
    weight_[edge] = weight;
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
    next_epoch();
    // loop mark, trip bound: kMaxVertices
    for (std::uint32_t i = 0; i < num_defects; ++i) {
      const std::uint32_t v = defects[i];
      if (v >= num_vertices_) {
        result.status = DecodeStatus::kBadDefect;
        return result;
      }
      touch(v);
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
  // ---- per-shot state, reset lazily: a vertex or edge whose epoch is old is in its initial state
  void next_epoch() {
    if (++epoch_ == 0) {  // wrapped: clear every stamp once, then start over
      clear_stamps();
      epoch_ = 1;
    }
  }
  void clear_stamps() {
    epoch_ = 0;
    // loop clear_v, trip bound: kMaxVertices
    for (std::uint32_t v = 0; v < kMaxVertices; ++v) {
      vertex_epoch_[v] = 0;
      peeled_epoch_[v] = 0;
    }
    // loop clear_e, trip bound: kMaxEdges
    for (std::uint32_t e = 0; e < kMaxEdges; ++e) edge_epoch_[e] = 0;
  }
  void touch(std::uint32_t v) {
    if (vertex_epoch_[v] == epoch_) return;
    vertex_epoch_[v] = epoch_;
    parent_[v] = v;
    rank_[v] = 0;
    defect_[v] = 0;
    parity_[v] = 0;
    at_boundary_[v] = 0;
    active_[v] = 0;
    next_member_[v] = v;  // circular member list of the cluster v is the root of
    distance_[v] = kUnreached;
  }
  std::uint16_t growth(std::uint32_t e) const { return edge_epoch_[e] == epoch_ ? growth_[e] : 0; }
  void set_growth(std::uint32_t e, std::uint16_t g) {
    edge_epoch_[e] = epoch_;
    growth_[e] = g;
  }
  bool grown(std::uint32_t e) const { return growth(e) >= weight_[e]; }

  std::uint32_t find(std::uint32_t v) {
    touch(v);
    // loop halve, trip bound: kMaxVertices (path halving shortens the path every step)
    for (std::uint32_t step = 0; step < kMaxVertices && parent_[v] != v; ++step) {
      touch(parent_[parent_[v]]);
      parent_[v] = parent_[parent_[v]];
      v = parent_[v];
    }
    return v;
  }

  void unite(std::uint32_t a, std::uint32_t b) {
    a = find(a);
    b = find(b);
    if (a == b) return;
    if (rank_[a] < rank_[b] || (rank_[a] == rank_[b] && b < a)) {
      const std::uint32_t t = a;
      a = b;
      b = t;
    }
    parent_[b] = a;
    if (rank_[a] == rank_[b]) ++rank_[a];
    parity_[a] ^= parity_[b];
    at_boundary_[a] |= at_boundary_[b];
    // Splice the two circular member lists.
    const std::uint32_t after_a = next_member_[a];
    next_member_[a] = next_member_[b];
    next_member_[b] = after_a;
  }

  bool grow(DecodeResult& result) {
    // loop rounds, trip bound: kMaxEdges + 1 (every round completes at least one edge)
    for (std::uint32_t round = 0; round <= kMaxEdges; ++round) {
      // The active clusters' roots, each once.
      std::uint32_t num_active = 0;
      // loop collect, trip bound: kMaxVertices
      for (std::uint32_t i = 0; i < num_defects_; ++i) {
        const std::uint32_t r = find(defect_list_[i]);
        if (parity_[r] && !at_boundary_[r] && !active_[r]) {
          active_[r] = 1;
          active_list_[num_active++] = r;
        }
      }
      if (num_active == 0) return true;

      // Border edges of active clusters, how fast each grows, and the jump to the first completion.
      std::uint32_t num_border = 0;
      std::uint32_t jump = 0xFFFFFFFFu;
      ++border_stamp_;
      if (border_stamp_ == 0) {
        // loop wrap_border, trip bound: kMaxEdges
        for (std::uint32_t e = 0; e < kMaxEdges; ++e) border_seen_[e] = 0;
        border_stamp_ = 1;
      }
      // loop clusters, trip bound: kMaxVertices over clusters and members together
      for (std::uint32_t a = 0; a < num_active; ++a) {
        const std::uint32_t root = active_list_[a];
        std::uint32_t v = root;
        // loop members, trip bound: kMaxVertices
        for (std::uint32_t m = 0; m < kMaxVertices; ++m) {
          // loop incident, trip bound: the vertex's degree
          for (std::uint32_t k = adjacency_start_[v]; k < adjacency_start_[v + 1]; ++k) {
            const std::uint32_t e = adjacency_[k];
            if (border_seen_[e] == border_stamp_ || grown(e)) continue;
            const std::uint32_t other = edge_u_[e] == v ? edge_v_[e] : edge_u_[e];
            std::uint32_t speed = 1;
            if (other != kBoundaryVertex) {
              const std::uint32_t other_root = find(other);
              if (other_root == root) continue;  // inside the cluster: not on its border
              speed += active_[other_root];
            }
            border_seen_[e] = border_stamp_;
            border_list_[num_border] = e;
            border_speed_[num_border++] = static_cast<std::uint8_t>(speed);
            const std::uint32_t remaining = weight_[e] - growth(e);
            const std::uint32_t rounds_needed = (remaining + speed - 1) / speed;
            if (rounds_needed < jump) jump = rounds_needed;
          }
          v = next_member_[v];
          if (v == root) break;
        }
      }
      // loop reset_active, trip bound: kMaxVertices
      for (std::uint32_t a = 0; a < num_active; ++a) active_[active_list_[a]] = 0;
      if (num_border == 0) {  // an odd cluster that fills its whole component without a boundary
        result.status = DecodeStatus::kCannotMatch;
        return false;
      }
      ++result.growth_rounds;
      result.growth_units += jump;

      // Grow every border edge by the jump; join the clusters of those that complete.
      // loop apply, trip bound: kMaxEdges
      for (std::uint32_t i = 0; i < num_border; ++i) {
        const std::uint32_t e = border_list_[i];
        const std::uint32_t g = growth(e) + border_speed_[i] * jump;
        set_growth(e, static_cast<std::uint16_t>(g < weight_[e] ? g : weight_[e]));
      }
      // loop join, trip bound: kMaxEdges
      for (std::uint32_t i = 0; i < num_border; ++i) {
        const std::uint32_t e = border_list_[i];
        if (!grown(e)) continue;
        if (edge_v_[e] == kBoundaryVertex)
          at_boundary_[find(edge_u_[e])] = 1;
        else
          unite(edge_u_[e], edge_v_[e]);
      }
    }
    result.status = DecodeStatus::kCannotMatch;  // unreachable: a round always completes an edge
    return false;
  }

  void peel(DecodeResult& result, std::uint32_t* correction) {
    // loop clusters, trip bound: kMaxVertices (each defect's cluster is peeled once)
    for (std::uint32_t i = 0; i < num_defects_; ++i) {
      const std::uint32_t root = find(defect_list_[i]);
      if (peeled_mark(root)) continue;
      peel_cluster(root, result, correction);
    }
  }

  // Whether the cluster of `root` was peeled in this shot.
  bool peeled_mark(std::uint32_t root) const { return peeled_epoch_[root] == epoch_; }

  void peel_cluster(std::uint32_t root, DecodeResult& result, std::uint32_t* correction) {
    peeled_epoch_[root] = epoch_;
    // 1. Sources: the boundary's neighbours through grown boundary edges, else the lowest vertex.
    std::uint32_t queue_size = 0;
    std::uint32_t lowest = root;
    std::uint32_t v = root;
    // loop sources, trip bound: kMaxVertices
    for (std::uint32_t m = 0; m < kMaxVertices; ++m) {
      if (v < lowest) lowest = v;
      if (at_boundary_[root]) {
        std::uint32_t boundary_edge = kNone;
        // loop boundary_edges, trip bound: the vertex's degree
        for (std::uint32_t k = adjacency_start_[v]; k < adjacency_start_[v + 1]; ++k) {
          const std::uint32_t e = adjacency_[k];
          if (edge_v_[e] == kBoundaryVertex && grown(e)) {
            boundary_edge = e;  // adjacency lists are in increasing edge order: the first is lowest
            break;
          }
        }
        if (boundary_edge != kNone) {
          distance_[v] = 1;
          parent_edge_[v] = boundary_edge;
          queue_[queue_size++] = v;
        }
      }
      v = next_member_[v];
      if (v == root) break;
    }
    if (!at_boundary_[root]) {
      distance_[lowest] = 0;
      parent_edge_[lowest] = kNone;
      queue_[queue_size++] = lowest;
    }
    // The boundary sources were found in member-list order; breadth-first order only needs
    // nondecreasing distance, which they share.
    // 2. Breadth-first distances over grown edges.
    // loop bfs, trip bound: kMaxVertices
    for (std::uint32_t head = 0; head < queue_size; ++head) {
      const std::uint32_t u = queue_[head];
      // loop neighbours, trip bound: the vertex's degree
      for (std::uint32_t k = adjacency_start_[u]; k < adjacency_start_[u + 1]; ++k) {
        const std::uint32_t e = adjacency_[k];
        if (edge_v_[e] == kBoundaryVertex || !grown(e)) continue;
        const std::uint32_t w = edge_u_[e] == u ? edge_v_[e] : edge_u_[e];
        if (distance_[w] != kUnreached) continue;
        distance_[w] = distance_[u] + 1;
        queue_[queue_size++] = w;
      }
    }
    // 3. Parent edges: the lowest grown edge to a vertex one hop closer.
    // loop parents, trip bound: kMaxVertices
    for (std::uint32_t q = 0; q < queue_size; ++q) {
      const std::uint32_t u = queue_[q];
      if (distance_[u] <= 1 && (at_boundary_[root] || distance_[u] == 0)) continue;  // a source
      parent_edge_[u] = kNone;
      // loop closer, trip bound: the vertex's degree
      for (std::uint32_t k = adjacency_start_[u]; k < adjacency_start_[u + 1]; ++k) {
        const std::uint32_t e = adjacency_[k];
        if (edge_v_[e] == kBoundaryVertex || !grown(e)) continue;
        const std::uint32_t w = edge_u_[e] == u ? edge_v_[e] : edge_u_[e];
        if (distance_[w] + 1 == distance_[u]) {
          parent_edge_[u] = e;
          break;
        }
      }
    }
    // 4. Peel from the farthest vertex inward.
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

  static constexpr std::uint32_t kUnreached = 0xFFFFFFFFu;
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  bool loaded_ = false;
  std::uint32_t num_vertices_ = 0, num_edges_ = 0;
  // The graph.
  std::uint32_t edge_u_[kMaxEdges] = {};
  std::uint32_t edge_v_[kMaxEdges] = {};
  std::uint16_t weight_[kMaxEdges] = {};
  std::uint64_t observables_[kMaxEdges] = {};
  std::uint32_t adjacency_start_[kMaxVertices + 1] = {};
  std::uint32_t adjacency_[kMaxAdjacency] = {};
  // Per shot.
  std::uint32_t epoch_ = 0;
  std::uint32_t vertex_epoch_[kMaxVertices] = {};
  std::uint32_t peeled_epoch_[kMaxVertices] = {};
  std::uint32_t edge_epoch_[kMaxEdges] = {};
  std::uint16_t growth_[kMaxEdges] = {};
  std::uint32_t border_stamp_ = 0;
  std::uint32_t border_seen_[kMaxEdges] = {};
  std::uint32_t border_list_[kMaxEdges] = {};
  std::uint8_t border_speed_[kMaxEdges] = {};
  std::uint32_t parent_[kMaxVertices] = {};
  std::uint8_t rank_[kMaxVertices] = {};
  std::uint8_t defect_[kMaxVertices] = {};
  std::uint8_t parity_[kMaxVertices] = {};
  std::uint8_t at_boundary_[kMaxVertices] = {};
  std::uint8_t active_[kMaxVertices] = {};
  std::uint32_t next_member_[kMaxVertices] = {};
  std::uint32_t distance_[kMaxVertices] = {};
  std::uint32_t parent_edge_[kMaxVertices] = {};
  std::uint32_t queue_[kMaxVertices] = {};
  std::uint32_t defect_list_[kMaxVertices] = {};
  std::uint32_t active_list_[kMaxVertices] = {};
  std::uint32_t num_defects_ = 0;
};

}  // namespace qontos::hdl::decoder
