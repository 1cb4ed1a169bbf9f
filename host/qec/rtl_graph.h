// The decoding graph as the Verilog union-find decoder (hdl/decoder/rtl) elaborates it: a fixed
// list of edges (endpoints, default weight, observable mask) and, for every vertex, its incident
// edges in increasing edge order (the HLS model's adjacency order, which the lowest-edge rules of
// its peeling depend on). The Verilog is generated from this: a header of `define macros with the
// sizes (ports need them) and a header of localparam tables included inside the module. A plain
// text form lets testbenches load the same graph into the HLS model.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "qec/decoding_graph.h"

namespace qontos::qec {

struct RtlGraphEdge {
  std::uint32_t u = 0;       // < num_vertices
  std::uint32_t v = 0;       // < num_vertices, or kRtlBoundary
  std::uint32_t weight = 1;  // default (reset) weight, 1 .. 2^weight_bits - 1
  std::uint64_t observables = 0;
};

inline constexpr std::uint32_t kRtlBoundary = 0xFFFFFFFFu;

struct RtlGraph {
  std::uint32_t num_vertices = 0;
  std::uint32_t num_observables = 0;  // at most 64
  std::uint32_t weight_bits = 0;      // 1..16
  std::vector<RtlGraphEdge> edges;
};

/// From a decoding graph: vertices are the detectors, edges keep their order, and a quantised
/// weight of 0 (an edge with p >= 1/2) becomes 1, as the software decoder (qec/uf_decoder) does.
RtlGraph rtl_graph_from_decoding_graph(const DecodingGraph& graph);

/// Throws std::invalid_argument when the graph is not one the Verilog can elaborate: no vertex,
/// an endpoint out of range or equal to the other, a weight outside 1 .. 2^weight_bits - 1,
/// more than 64 observables or an observable bit beyond num_observables.
void validate_rtl_graph(const RtlGraph& graph);

/// `define UF_NV, UF_NE, UF_NOBS, UF_WB (include before the decoder's module header).
std::string rtl_graph_defines(const RtlGraph& graph);
/// localparam tables (include inside the decoder module): widths VB, EB, SB, NB, DMAX; per edge
/// EDGE_U, EDGE_V, EDGE_B (to the boundary), EDGE_W0 (reset weight), EDGE_OBS, EDGE_US/EDGE_VS
/// (the edge's slot in its endpoints' adjacency); per vertex slot ADJ_OK, ADJ_E, ADJ_O (the other
/// endpoint), ADJ_B, ADJ_ISU (the vertex is the edge's u); per vertex ADJ_NN (how many of its
/// slots lead to another vertex, NB bits) and ADJ_NS (DMAX entries: those slots' indices in
/// order, then zeros), so that per-vertex trees have no constant leaves. Flat packed vectors,
/// element i at [i*width +: width].
std::string rtl_graph_tables(const RtlGraph& graph);
/// "uf_graph 1\nV E NOBS WB\n" then one "u v weight observables" line per edge (v = -1 for the
/// boundary; observables in hex).
std::string rtl_graph_to_text(const RtlGraph& graph);
/// Parses rtl_graph_to_text's output (std::invalid_argument when malformed).
RtlGraph rtl_graph_from_text(const std::string& text);

}  // namespace qontos::qec
