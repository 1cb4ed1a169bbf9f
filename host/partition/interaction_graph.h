// The weighted qubit-interaction graph of a program: which qubits share multi-qubit gates, and
// how often. Partitioners minimise the weight of edges between modules, because every gate on
// such an edge costs a Bell pair across a photonic link.
#pragma once

#include <vector>

#include "ir/program.h"

namespace qontos::partition {

/// Undirected weighted graph in compressed sparse row form. Vertex v's neighbours are
/// neighbours[offsets[v] .. offsets[v+1]) in increasing order, with the matching weights; every
/// edge is stored in both directions. Sorted rows make the graph (and everything computed from it)
/// independent of the order in which gates were visited.
struct InteractionGraph {
  int num_vertices = 0;
  std::vector<int> offsets;  // size num_vertices + 1
  std::vector<int> neighbours;
  std::vector<long long> weights;

  int degree(int v) const { return offsets[static_cast<std::size_t>(v) + 1] - offsets[static_cast<std::size_t>(v)]; }
  /// Number of undirected edges.
  std::size_t num_edges() const { return neighbours.size() / 2; }
  /// Weight of edge {a, b}, 0 when absent (binary search in a's row).
  long long weight(int a, int b) const;
};

/// The interaction graph of `p`: one vertex per qubit; a gate on k distinct qubits (controls
/// included) adds 1 to each of its k(k-1)/2 pairs. Gates inside if/while bodies count once each,
/// as written (a loop body is not unrolled). Measurements, resets, barriers and delays add nothing.
InteractionGraph interaction_graph(const ir::Program& p);

/// Builds the graph from an explicit list of weighted pairs (a != b, both in [0, num_vertices));
/// repeated pairs add up. For tests and for callers that already hold the pairs.
InteractionGraph graph_from_pairs(int num_vertices, std::vector<std::pair<int, int>> pairs);

}  // namespace qontos::partition
