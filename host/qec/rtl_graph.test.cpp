#include "qec/rtl_graph.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "qec/decoding_graph.h"
#include "qec/dem.h"

namespace qontos::qec {
namespace {

// Three detectors: D0-D1, D1-boundary (flips L0), D0-D2 (flips L0), D2-boundary with p > 1/2.
const char* kModel =
    "error(0.1) D0 D1\n"
    "error(0.2) D1 L0\n"
    "error(0.01) D0 D2 L0\n"
    "error(0.6) D2\n";

RtlGraph small_graph() { return rtl_graph_from_decoding_graph(build_decoding_graph(parse_dem(kModel, "small.dem"))); }

void expect_same(const RtlGraph& a, const RtlGraph& b) {
  EXPECT_EQ(a.num_vertices, b.num_vertices);
  EXPECT_EQ(a.num_observables, b.num_observables);
  EXPECT_EQ(a.weight_bits, b.weight_bits);
  ASSERT_EQ(a.edges.size(), b.edges.size());
  for (std::size_t i = 0; i < a.edges.size(); ++i) {
    EXPECT_EQ(a.edges[i].u, b.edges[i].u) << i;
    EXPECT_EQ(a.edges[i].v, b.edges[i].v) << i;
    EXPECT_EQ(a.edges[i].weight, b.edges[i].weight) << i;
    EXPECT_EQ(a.edges[i].observables, b.edges[i].observables) << i;
  }
}

TEST(RtlGraph, FromADecodingGraphKeepsEdgeOrderBoundaryAndObservables) {
  const DecodingGraph dg = build_decoding_graph(parse_dem(kModel, "small.dem"));
  const RtlGraph g = rtl_graph_from_decoding_graph(dg);
  EXPECT_EQ(g.num_vertices, 3u);
  EXPECT_EQ(g.num_observables, 1u);
  EXPECT_EQ(g.weight_bits, 5u);
  ASSERT_EQ(g.edges.size(), 4u);
  // Edges are the decoding graph's, in its (a, b) order; the boundary node becomes kRtlBoundary.
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(g.edges[i].u, dg.edges[i].a);
    EXPECT_EQ(g.edges[i].v, dg.edges[i].b == dg.boundary() ? kRtlBoundary : dg.edges[i].b);
    EXPECT_EQ(g.edges[i].observables, dg.edges[i].observable_mask);
  }
  EXPECT_EQ(g.edges[0].u, 0u);
  EXPECT_EQ(g.edges[0].v, 1u);
  EXPECT_EQ(g.edges[2].v, kRtlBoundary);
  EXPECT_EQ(g.edges[2].observables, 1u);
  // The p = 0.6 edge quantises to 0, which the RTL (like the software decoder) takes as 1.
  ASSERT_EQ(dg.edges[3].quantised_weight, 0u);
  EXPECT_EQ(g.edges[3].weight, 1u);
  // The most likely-to-stay-quiet edge (p = 0.01) carries the largest weight.
  EXPECT_EQ(g.edges[1].weight, 31u);
  EXPECT_LT(g.edges[0].weight, g.edges[1].weight);
  EXPECT_NO_THROW(validate_rtl_graph(g));
}

TEST(RtlGraph, TextRoundTripsAndRejectsMalformedText) {
  const RtlGraph g = small_graph();
  const std::string text = rtl_graph_to_text(g);
  EXPECT_TRUE(text.starts_with("uf_graph 1\n3 4 1 5\n")) << text;
  EXPECT_NE(text.find("\n1 -1 "), std::string::npos) << "the boundary is written as -1:\n" << text;
  expect_same(rtl_graph_from_text(text), g);

  EXPECT_THROW(rtl_graph_from_text("uf_graph 2\n3 0 1 5\n"), std::invalid_argument);
  EXPECT_THROW(rtl_graph_from_text("graph 1\n3 0 1 5\n"), std::invalid_argument);
  EXPECT_THROW(rtl_graph_from_text("uf_graph 1\n3 2 1 5\n0 1 3 0\n"), std::invalid_argument);  // one edge short
  try {
    rtl_graph_from_text("uf_graph 1\n3 1 1 5\n0 7 3 0\n");  // endpoint 7 of 3 vertices
    ADD_FAILURE() << "accepted an endpoint out of range";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("edge 0"), std::string::npos) << e.what();
  }
}

TEST(RtlGraph, ValidationNamesTheEdgeAndTheFault) {
  const auto expect_rejected = [](RtlGraph g, const std::string& fragment) {
    try {
      validate_rtl_graph(g);
      ADD_FAILURE() << "accepted: " << fragment;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  RtlGraph g = small_graph();
  g.edges[1].weight = 0;
  expect_rejected(g, "edge 1: weight");
  g = small_graph();
  g.edges[1].weight = 32;  // 5 bits hold at most 31
  expect_rejected(g, "edge 1: weight");
  g = small_graph();
  g.edges[0].v = g.edges[0].u;
  expect_rejected(g, "edge 0: bad second endpoint");
  g = small_graph();
  g.edges[2].u = 3;
  expect_rejected(g, "edge 2: endpoint");
  g = small_graph();
  g.edges[3].observables = 2;  // observable 1 of 1
  expect_rejected(g, "edge 3: observable");
  g = small_graph();
  g.num_observables = 65;
  expect_rejected(g, "64 observables");
  g = small_graph();
  g.num_vertices = 0;
  expect_rejected(g, "no vertex");
  g = small_graph();
  g.weight_bits = 17;
  expect_rejected(g, "weight_bits");
}

TEST(RtlGraph, VerilogHeadersCarryTheSizesAndAdjacency) {
  const RtlGraph g = small_graph();
  const std::string defines = rtl_graph_defines(g);
  EXPECT_NE(defines.find("`define UF_NV 3\n"), std::string::npos) << defines;
  EXPECT_NE(defines.find("`define UF_NE 4\n"), std::string::npos) << defines;
  EXPECT_NE(defines.find("`define UF_NOBS 1\n"), std::string::npos) << defines;
  EXPECT_NE(defines.find("`define UF_WB 5\n"), std::string::npos) << defines;
  const std::string tables = rtl_graph_tables(g);
  // Every vertex has two incident edges: D0 {e0, e1}, D1 {e0, e2}, D2 {e1, e3}.
  EXPECT_NE(tables.find("localparam integer DMAX = 2;"), std::string::npos) << tables;
  // Edges 2 and 3 go to the boundary (element 0 is the least significant, written last).
  EXPECT_NE(tables.find("EDGE_B = {1'h1, 1'h1, 1'h0, 1'h0};"), std::string::npos) << tables;
  // The reset weights are the graph's.
  const std::string w = "EDGE_W0 = {5'h1, 5'h" + [&] {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%x", g.edges[2].weight);
    return std::string(buf);
  }();
  EXPECT_NE(tables.find(w), std::string::npos) << tables;
  // An invalid graph is refused before any Verilog is written.
  RtlGraph bad = g;
  bad.edges[0].weight = 0;
  EXPECT_THROW(rtl_graph_defines(bad), std::invalid_argument);
  EXPECT_THROW(rtl_graph_tables(bad), std::invalid_argument);
}

}  // namespace
}  // namespace qontos::qec
