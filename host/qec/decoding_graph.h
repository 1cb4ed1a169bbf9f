// The decoding graph of a detector error model: one node per detector plus a boundary node, one
// edge per distinct graph-like error (a `^` component flipping one or two detectors), with the
// edge's probability, its log-likelihood weight, that weight quantised to a few bits for hardware,
// and the observables it flips. The union-find decoder (software and Verilog) runs on this.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "qec/dem.h"

namespace qontos::qec {

struct DecodingEdge {
  std::uint32_t a = 0;  // the smaller node index
  std::uint32_t b = 0;  // the larger; DecodingGraph::boundary() for an edge to the boundary
  double probability = 0;
  double weight = 0;                   // log((1 - p) / p); <= 0 when p >= 1/2
  std::uint32_t quantised_weight = 0;  // in [0, 2^weight_bits - 1]; see build_decoding_graph
  std::uint64_t observable_mask = 0;   // bit k: flips observable k
};

struct DecodingGraphOptions {
  /// Bits of a quantised weight, 1..16: the largest weight maps to 2^weight_bits - 1.
  int weight_bits = 5;
};

struct DecodingGraph {
  std::uint32_t num_detectors = 0;
  std::uint32_t num_observables = 0;
  std::uint32_t boundary() const { return num_detectors; }
  std::uint32_t num_nodes() const { return num_detectors + 1; }

  std::vector<DecodingEdge> edges;  // sorted by (a, b), one per node pair
  /// Edges at each node, CSR-style: node n's edge indices are
  /// incident_edges[incident_offsets[n] .. incident_offsets[n + 1]). Size num_nodes() + 1.
  std::vector<std::uint32_t> incident_offsets;
  std::vector<std::uint32_t> incident_edges;

  int weight_bits = 0;
  /// quantised_weight = clamp(round(weight * weight_scale), 1, 2^weight_bits - 1) for weight > 0;
  /// 0 for weight <= 0. weight_scale = (2^weight_bits - 1) / (largest weight).
  double weight_scale = 0;

  /// Node pairs that errors reached with different observable masks: the most likely mask was
  /// kept and the others dropped (see build_decoding_graph).
  std::size_t conflicting_parallel_edges = 0;
  /// Edges with p >= 1/2 (weight <= 0, quantised to 0): a matching decoder would flip them.
  std::size_t non_positive_weight_edges = 0;
  /// Graph-like components with probability 0, which add no edge.
  std::size_t zero_probability_components = 0;
  std::vector<std::vector<double>> detector_coordinates;  // from the model, size num_detectors
};

/// Builds the graph. Each `^` component of each error contributes, with the error's probability,
/// an edge between its two detectors or from its one detector to the boundary. Contributions to
/// the same node pair with the same observable mask merge as independent errors,
/// p = p1 (1 - p2) + p2 (1 - p1). When masks disagree (the code's distance is then at most 2 along
/// that pair), each mask's merged probability is compared, the largest kept and the pair counted
/// in conflicting_parallel_edges. Throws DemError naming the model's line for a component with
/// more than two detectors (decompose the model: stim analyze_errors --decompose_errors), one
/// with observables but no detector (a logical error no detector sees), an observable >= 64, or
/// weight_bits outside 1..16. Components flipping nothing are ignored.
DecodingGraph build_decoding_graph(const DetectorErrorModel& model, const DecodingGraphOptions& options = {});

/// The graph as one JSON document, for generators (the Verilog one) that need no C++:
/// {"format": "qontos.decoding_graph", "version": 1, "num_detectors", "num_observables",
///  "boundary", "weight_bits", "weight_scale", "edges": [{"a", "b", "p", "weight", "qweight",
///  "observables"}], "detector_coordinates": [[...], ...]}; "observables" is the mask as a number.
std::string decoding_graph_to_json(const DecodingGraph& graph);

}  // namespace qontos::qec
