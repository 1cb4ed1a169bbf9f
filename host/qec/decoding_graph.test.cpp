// build_decoding_graph on hand-made models: edges from `^` components (one detector = an edge to
// the boundary), merging of parallel edges, the rule for disagreeing observable masks, weights and
// their quantisation, incidence lists, every refusal with its line, and the JSON export.
#include "qec/decoding_graph.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

namespace qontos::qec {
namespace {

DecodingGraph graph_of(std::string_view dem, DecodingGraphOptions options = {}) {
  return build_decoding_graph(parse_dem(dem, "g.dem"), options);
}

std::string graph_error(std::string_view dem) {
  try {
    (void)graph_of(dem);
  } catch (const DemError& e) {
    return e.what();
  }
  return "(no error)";
}

double log_odds(double p) {
  return std::log((1 - p) / p);
}

TEST(DecodingGraph, ComponentsBecomeEdgesAndSingleDetectorsMeetTheBoundary) {
  const DecodingGraph graph = graph_of(
      "error(0.1) D0\n"
      "error(0.01) D0 D1 L0\n"
      "error(0.001) D1 D2 ^ D0 L1\n");
  EXPECT_EQ(graph.num_detectors, 3u);
  EXPECT_EQ(graph.num_observables, 2u);
  EXPECT_EQ(graph.boundary(), 3u);
  ASSERT_EQ(graph.edges.size(), 3u);
  // Sorted by node pair: (0,1), (0,B), (1,2).
  EXPECT_EQ(graph.edges[0].a, 0u);
  EXPECT_EQ(graph.edges[0].b, 1u);
  EXPECT_EQ(graph.edges[0].observable_mask, 1u);
  EXPECT_DOUBLE_EQ(graph.edges[0].probability, 0.01);
  EXPECT_EQ(graph.edges[1].a, 0u);
  EXPECT_EQ(graph.edges[1].b, graph.boundary());
  EXPECT_EQ(graph.edges[1].observable_mask, 0u);  // p=0.1 without L1 beats p=0.001 with it
  EXPECT_DOUBLE_EQ(graph.edges[1].probability, 0.1);
  EXPECT_EQ(graph.conflicting_parallel_edges, 1u);
  EXPECT_EQ(graph.edges[2].a, 1u);
  EXPECT_EQ(graph.edges[2].b, 2u);
  EXPECT_DOUBLE_EQ(graph.edges[2].probability, 0.001);  // each component gets the error's p
  EXPECT_DOUBLE_EQ(graph.edges[2].weight, log_odds(0.001));
}

TEST(DecodingGraph, ParallelEdgesWithTheSameMaskMergeAsIndependentErrors) {
  const DecodingGraph graph = graph_of("error(0.1) D0 D1\nerror(0.2) D1 D0\nerror(0.1) D0 D1 ^ D2\n");
  ASSERT_EQ(graph.edges.size(), 2u);
  const double two = 0.1 * 0.8 + 0.2 * 0.9;
  EXPECT_DOUBLE_EQ(graph.edges[0].probability, two * 0.9 + 0.1 * (1 - two));
  EXPECT_EQ(graph.conflicting_parallel_edges, 0u);
}

TEST(DecodingGraph, DisagreeingMasksKeepTheMostLikelyWhateverTheOrder) {
  // Mask 0 merges to 0.18 and beats mask L0 at 0.15, in either order of the lines.
  const char* forward = "error(0.1) D0 D1\nerror(0.1) D0 D1\nerror(0.15) D0 D1 L0\n";
  const char* backward = "error(0.15) D0 D1 L0\nerror(0.1) D0 D1\nerror(0.1) D0 D1\n";
  for (const char* text : {forward, backward}) {
    const DecodingGraph graph = graph_of(text);
    ASSERT_EQ(graph.edges.size(), 1u);
    EXPECT_NEAR(graph.edges[0].probability, 0.18, 1e-15);
    EXPECT_EQ(graph.edges[0].observable_mask, 0u);
    EXPECT_EQ(graph.conflicting_parallel_edges, 1u);
  }
}

TEST(DecodingGraph, QuantisesSoTheLargestWeightIsTheLargestInteger) {
  const DecodingGraph graph = graph_of(
      "error(0.001) D0\n"
      "error(0.01) D0 D1\n"
      "error(0.1) D1 D2\n"
      "error(0.45) D2\n"
      "error(0.5) D3\n"
      "error(0.7) D3 D4\n"
      "error(0.000001) D4\n",
      {.weight_bits = 4});
  EXPECT_EQ(graph.weight_bits, 4);
  const double largest = log_odds(0.000001);
  EXPECT_DOUBLE_EQ(graph.weight_scale, 15 / largest);
  std::map<double, std::uint32_t> quantised;
  for (const DecodingEdge& edge : graph.edges) quantised[edge.probability] = edge.quantised_weight;
  EXPECT_EQ(quantised[0.000001], 15u);
  EXPECT_EQ(quantised[0.001], static_cast<std::uint32_t>(std::lround(log_odds(0.001) * 15 / largest)));  // 7
  EXPECT_EQ(quantised[0.01], static_cast<std::uint32_t>(std::lround(log_odds(0.01) * 15 / largest)));    // 5
  EXPECT_EQ(quantised[0.1], static_cast<std::uint32_t>(std::lround(log_odds(0.1) * 15 / largest)));      // 2
  EXPECT_EQ(quantised[0.45], 1u);  // rounds to 0 but stays positive
  EXPECT_EQ(quantised[0.5], 0u);
  EXPECT_EQ(quantised[0.7], 0u);  // negative weight
  EXPECT_EQ(graph.non_positive_weight_edges, 2u);
}

TEST(DecodingGraph, WeightBitsBoundTheQuantisedWeights) {
  for (int bits : {1, 4, 8, 16}) {
    const DecodingGraph graph = graph_of("error(0.001) D0\nerror(0.3) D0 D1\nerror(0.02) D1\n", {.weight_bits = bits});
    std::uint32_t largest = 0;
    for (const DecodingEdge& edge : graph.edges) {
      EXPECT_GE(edge.quantised_weight, 1u);
      largest = std::max(largest, edge.quantised_weight);
    }
    EXPECT_EQ(largest, (1u << bits) - 1);
  }
  EXPECT_THROW((void)graph_of("error(0.1) D0", {.weight_bits = 0}), std::invalid_argument);
  EXPECT_THROW((void)graph_of("error(0.1) D0", {.weight_bits = 17}), std::invalid_argument);
}

TEST(DecodingGraph, ZeroProbabilityAndEmptyComponentsAddNoEdge) {
  const DecodingGraph graph = graph_of("error(0) D0 D1\nerror(0.1) D1\nerror(0.2) D2 D2\ndetector D3\n");
  ASSERT_EQ(graph.edges.size(), 1u);
  EXPECT_EQ(graph.zero_probability_components, 1u);
  EXPECT_EQ(graph.num_detectors, 4u);
}

TEST(DecodingGraph, IncidenceListsNameEachEdgeAtBothEnds) {
  const DecodingGraph graph = graph_of("error(0.1) D0 D1\nerror(0.1) D1 D2\nerror(0.1) D2\nerror(0.1) D0\n");
  ASSERT_EQ(graph.incident_offsets.size(), graph.num_nodes() + 1);
  for (std::uint32_t node = 0; node < graph.num_nodes(); ++node) {
    std::size_t expected = 0;
    for (const DecodingEdge& edge : graph.edges) expected += (edge.a == node) + (edge.b == node);
    const std::size_t degree = graph.incident_offsets[node + 1] - graph.incident_offsets[node];
    EXPECT_EQ(degree, expected) << node;
    for (std::uint32_t k = graph.incident_offsets[node]; k < graph.incident_offsets[node + 1]; ++k) {
      const DecodingEdge& edge = graph.edges[graph.incident_edges[k]];
      EXPECT_TRUE(edge.a == node || edge.b == node);
    }
  }
  EXPECT_EQ(graph.incident_offsets[graph.boundary() + 1] - graph.incident_offsets[graph.boundary()], 2u);
}

TEST(DecodingGraph, RefusesWhatIsNotGraphLike) {
  EXPECT_EQ(graph_error("error(0.1) D0\nerror(0.1) D0 D1 ^ D2 D3 D4\n"),
            "g.dem:2: an error component flips 3 detectors (D2 D3 D4); a decoding graph edge joins at most two "
            "(decompose the model with stim analyze_errors --decompose_errors)");
  EXPECT_EQ(graph_error("error(0.1) D0 L64\n"), "g.dem:1: observable L64 is beyond the 64 an edge can carry");
  EXPECT_EQ(graph_error("error(0.1) D0 L63\nerror(0.1) L0\n"),
            "g.dem:2: an error component flips observables but no detector: no decoder can see it");
  // Names the source line even inside an unrolled repeat block.
  EXPECT_EQ(graph_error("repeat 3 {\n  error(0.1) D0 D1 D2\n  shift_detectors 1\n}\n"),
            "g.dem:2: an error component flips 3 detectors (D0 D1 D2); a decoding graph edge joins at most two "
            "(decompose the model with stim analyze_errors --decompose_errors)");
}

TEST(DecodingGraph, ExportsJson) {
  const DecodingGraph graph = graph_of("detector(1, 2) D0\nerror(0.1) D0 D1 L1\nerror(0.01) D1\n");
  const nlohmann::json document = nlohmann::json::parse(decoding_graph_to_json(graph));
  EXPECT_EQ(document["format"], "qontos.decoding_graph");
  EXPECT_EQ(document["version"], 1);
  EXPECT_EQ(document["num_detectors"], 2);
  EXPECT_EQ(document["num_observables"], 2);
  EXPECT_EQ(document["boundary"], 2);
  EXPECT_EQ(document["weight_bits"], 5);
  ASSERT_EQ(document["edges"].size(), 2u);
  EXPECT_EQ(document["edges"][0]["a"], 0);
  EXPECT_EQ(document["edges"][0]["b"], 1);
  EXPECT_EQ(document["edges"][0]["observables"], 2);
  EXPECT_DOUBLE_EQ(document["edges"][0]["p"].get<double>(), 0.1);
  EXPECT_EQ(document["edges"][0]["qweight"], graph.edges[0].quantised_weight);
  EXPECT_EQ(document["edges"][1]["b"], 2);
  EXPECT_EQ(document["edges"][1]["qweight"], 31);
  EXPECT_EQ(document["detector_coordinates"], nlohmann::json::parse("[[1.0, 2.0], []]"));
}

}  // namespace
}  // namespace qontos::qec
