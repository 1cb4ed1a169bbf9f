// The union-find decoder against the reference decoder (hdl/decoder/hls/union_find_reference.test.h,
// the algorithm as first written) on the decoding graphs of the surface-code corpus: every output
// (observables, correction edge set, growth rounds and units) agrees on the corpus's recorded shots
// and on random sets of 0 to 30 defects.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "decoder/hls/union_find_decoder.h"
#include "decoder/hls/union_find_reference.test.h"
#include "qec/decoding_graph.h"
#include "qec/dem.h"
#include "qec/shot_formats.h"
#include "support/corpus.h"

namespace qontos {
namespace {

namespace hd = hdl::decoder;
constexpr std::uint32_t kMaxVertices = 16384, kMaxEdges = 131072;  // the host decoder's capacity

struct Loaded {
  std::unique_ptr<hd::UnionFindDecoder<kMaxVertices, kMaxEdges>> fast =
      std::make_unique<hd::UnionFindDecoder<kMaxVertices, kMaxEdges>>();
  std::unique_ptr<hd::ReferenceUnionFindDecoder<kMaxVertices, kMaxEdges>> reference =
      std::make_unique<hd::ReferenceUnionFindDecoder<kMaxVertices, kMaxEdges>>();
  std::uint32_t vertices = 0, edges = 0;
  std::uint64_t compared = 0, with_correction = 0;

  /// The graph as host/qec/uf_decoder.cpp loads it.
  explicit Loaded(const qec::DecodingGraph& graph) {
    std::vector<std::uint32_t> u, v;
    std::vector<std::uint16_t> w;
    std::vector<std::uint64_t> obs;
    for (const qec::DecodingEdge& e : graph.edges) {
      u.push_back(e.a);
      v.push_back(e.b == graph.boundary() ? hd::kBoundaryVertex : e.b);
      w.push_back(static_cast<std::uint16_t>(e.quantised_weight == 0 ? 1 : e.quantised_weight));
      obs.push_back(e.observable_mask);
    }
    vertices = graph.num_detectors;
    edges = static_cast<std::uint32_t>(u.size());
    EXPECT_TRUE(fast->load_graph(vertices, edges, u.data(), v.data(), w.data(), obs.data()));
    EXPECT_TRUE(reference->load_graph(vertices, edges, u.data(), v.data(), w.data(), obs.data()));
  }

  void compare(const std::vector<std::uint32_t>& defects, const std::string& where) {
    std::vector<std::uint32_t> a(edges), b(edges);
    const auto n = static_cast<std::uint32_t>(defects.size());
    const hd::DecodeResult x = fast->decode(defects.data(), n, a.data());
    const hd::DecodeResult y = reference->decode(defects.data(), n, b.data());
    ASSERT_EQ(y.status, hd::DecodeStatus::kOk) << where;
    ASSERT_EQ(x.status, y.status) << where;
    EXPECT_EQ(x.observables, y.observables) << where;
    EXPECT_EQ(x.growth_rounds, y.growth_rounds) << where;
    EXPECT_EQ(x.growth_units, y.growth_units) << where;
    ASSERT_EQ(x.correction_edges, y.correction_edges) << where;
    a.resize(x.correction_edges);
    b.resize(y.correction_edges);
    EXPECT_EQ(std::set<std::uint32_t>(a.begin(), a.end()), std::set<std::uint32_t>(b.begin(), b.end())) << where;
    ++compared;
    if (x.correction_edges) ++with_correction;
  }
};

class UnionFindAgainstReference : public ::testing::TestWithParam<const char*> {};

TEST_P(UnionFindAgainstReference, SameOutputsOnRecordedAndRandomDefects) {
  const std::string stem = std::string(QONTOS_CORPUS_DIR) + "/qec/surface/sc_rmz_" + GetParam();
  const qec::DetectorErrorModel model = qec::parse_dem(testing::corpus::read_file(stem + ".dem"), stem + ".dem");
  Loaded loaded(qec::build_decoding_graph(model));
  const qec::BitTable shots = qec::read_shots(testing::corpus::read_file(stem + ".dets.b8"), qec::ShotFormat::kB8,
                                              {.num_detectors = model.num_detectors}, stem + ".dets.b8");
  for (std::size_t s = 0; s < shots.num_shots(); s += 5) {  // every fifth recorded shot
    std::vector<std::uint32_t> defects;
    for (std::uint32_t d = 0; d < model.num_detectors; ++d)
      if (shots.get(s, d)) defects.push_back(d);
    loaded.compare(defects, "shot " + std::to_string(s));
    if (::testing::Test::HasFailure()) return;
  }
  std::mt19937_64 rng(2026);
  std::vector<std::uint32_t> all(loaded.vertices);
  for (std::uint32_t d = 0; d < loaded.vertices; ++d) all[d] = d;
  for (int trial = 0; trial < 20000; ++trial) {
    std::shuffle(all.begin(), all.end(), rng);
    const std::vector<std::uint32_t> defects(all.begin(),
                                             all.begin() + std::min<std::uint32_t>(trial % 31, loaded.vertices));
    loaded.compare(defects, "random set " + std::to_string(trial));
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_EQ(loaded.compared, shots.num_shots() / 5 + 20000);
  EXPECT_GT(loaded.with_correction, 20000u);
}

INSTANTIATE_TEST_SUITE_P(Surface, UnionFindAgainstReference,
                         ::testing::Values("d3_r3_p0.005", "d5_r5_p0.005", "d7_r7_p0.005"),
                         [](const ::testing::TestParamInfo<const char*>& p) {
                           std::string n = p.param;
                           for (char& c : n)
                             if (c == '.') c = '_';
                           return n;
                         });

}  // namespace
}  // namespace qontos
