// The union-find decoder on hand-built graphs whose answers are worked out by hand, and on random
// graphs: every correction explains its syndrome exactly, the result does not depend on the order
// the defects arrive in, state left by earlier shots never leaks into the next, and every output
// (observables, correction edge set, growth rounds and units, status) equals the reference
// decoder's (union_find_reference.test.h, the algorithm as first written).
#include "decoder/hls/union_find_decoder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "decoder/hls/union_find_reference.test.h"

namespace qontos::hdl::decoder {
namespace {

using Decoder = UnionFindDecoder<64, 256>;
constexpr std::uint32_t B = kBoundaryVertex;

struct Graph {
  std::uint32_t vertices = 0;
  std::vector<std::uint32_t> u, v;
  std::vector<std::uint16_t> w;
  std::vector<std::uint64_t> obs;
  void edge(std::uint32_t a, std::uint32_t b, std::uint16_t weight, std::uint64_t mask = 0) {
    u.push_back(a);
    v.push_back(b);
    w.push_back(weight);
    obs.push_back(mask);
  }
  std::unique_ptr<Decoder> decoder() const {
    auto d = std::make_unique<Decoder>();
    EXPECT_TRUE(
        d->load_graph(vertices, static_cast<std::uint32_t>(u.size()), u.data(), v.data(), w.data(), obs.data()));
    return d;
  }
};

struct Decoded {
  DecodeResult result;
  std::vector<std::uint32_t> correction;
};

Decoded run(Decoder& d, std::vector<std::uint32_t> defects) {
  Decoded out;
  out.correction.resize(256);
  out.result = d.decode(defects.data(), static_cast<std::uint32_t>(defects.size()), out.correction.data());
  out.correction.resize(out.result.correction_edges);
  return out;
}

/// The repetition-code chain B - 0 - 1 - 2 - 3 - 4 - B; the left boundary edge flips observable 0.
Graph chain(std::uint16_t weight = 1) {
  Graph g;
  g.vertices = 5;
  g.edge(0, B, weight, 1);
  for (std::uint32_t i = 0; i + 1 < 5; ++i) g.edge(i, i + 1, weight);
  g.edge(4, B, weight);
  return g;
}

TEST(UnionFindDecoder, ChainCasesWorkedByHand) {
  auto d = chain().decoder();
  auto r = run(*d, {});
  EXPECT_EQ(r.result.status, DecodeStatus::kOk);
  EXPECT_TRUE(r.correction.empty());
  r = run(*d, {1, 2});
  EXPECT_EQ(r.correction, std::vector<std::uint32_t>{2});  // the edge 1-2
  EXPECT_EQ(r.result.observables, 0u);
  r = run(*d, {0});
  EXPECT_EQ(r.correction, std::vector<std::uint32_t>{0});
  EXPECT_EQ(r.result.observables, 1u);
  r = run(*d, {4});
  EXPECT_EQ(r.correction, std::vector<std::uint32_t>{5});
  EXPECT_EQ(r.result.observables, 0u);
  // 1 and 3 both grow one unit: the cluster becomes 0..4, rooted at 0, and peels 3->2->1.
  r = run(*d, {3, 1});
  EXPECT_EQ(r.correction, (std::vector<std::uint32_t>{3, 2}));
  EXPECT_EQ(r.result.growth_rounds, 1u);
}

TEST(UnionFindDecoder, WeightsSteerTheCorrectionAndGrowthJumps) {
  // 0 has an expensive boundary edge (flips the observable); going through 1 is cheaper.
  Graph g;
  g.vertices = 2;
  g.edge(0, B, 5, 1);  // e0
  g.edge(0, 1, 1);     // e1
  g.edge(1, B, 1);     // e2
  auto d = g.decoder();
  auto r = run(*d, {0});
  EXPECT_EQ(r.correction, (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(r.result.observables, 0u);
  EXPECT_EQ(r.result.growth_rounds, 2u);
  // Make the detour expensive at run time (a calibration): now the direct edge wins.
  ASSERT_TRUE(d->set_weight(1, 9));
  r = run(*d, {0});
  EXPECT_EQ(r.correction, std::vector<std::uint32_t>{0});
  EXPECT_EQ(r.result.observables, 1u);
  EXPECT_EQ(r.result.growth_rounds, 1u);
  EXPECT_EQ(r.result.growth_units, 5u);  // one jump of five unit rounds
  EXPECT_FALSE(d->set_weight(1, 0));
  EXPECT_FALSE(d->set_weight(3, 1));
}

TEST(UnionFindDecoder, TwoActiveClustersMeetHalfWay) {
  // 0 - 1 with weight 4; both ends defects: the edge grows by 2 per round and completes in 2.
  Graph g;
  g.vertices = 2;
  g.edge(0, 1, 4);
  g.edge(0, B, 9, 1);
  g.edge(1, B, 9);
  auto d = g.decoder();
  const auto r = run(*d, {0, 1});
  EXPECT_EQ(r.correction, std::vector<std::uint32_t>{0});
  EXPECT_EQ(r.result.growth_units, 2u);
}

TEST(UnionFindDecoder, RejectsBadInput) {
  Decoder d;
  std::uint32_t defect = 0;
  EXPECT_EQ(d.decode(&defect, 1, nullptr).status, DecodeStatus::kNoGraph);
  const Graph g = chain();
  EXPECT_FALSE(d.load_graph(0, 1, g.u.data(), g.v.data(), g.w.data(), g.obs.data()));
  EXPECT_FALSE(d.load_graph(65, 1, g.u.data(), g.v.data(), g.w.data(), g.obs.data()));  // over capacity
  const std::uint32_t self_u[] = {1}, self_v[] = {1}, boundary_u[] = {B}, boundary_v[] = {0}, far_v[] = {7};
  const std::uint16_t zero[] = {0}, one[] = {1};
  const std::uint64_t none[] = {0};
  EXPECT_FALSE(d.load_graph(2, 1, self_u, self_v, one, none));
  EXPECT_FALSE(d.load_graph(2, 1, boundary_u, boundary_v, one, none));
  EXPECT_FALSE(d.load_graph(2, 1, self_u, far_v, one, none));
  EXPECT_FALSE(d.load_graph(2, 1, boundary_v, self_u, zero, none));
  auto c = g.decoder();
  EXPECT_EQ(run(*c, {5}).result.status, DecodeStatus::kBadDefect);
  EXPECT_EQ(run(*c, {2, 2}).result.status, DecodeStatus::kBadDefect);
  // An odd cluster in a component with no boundary can never be matched.
  Graph closed;
  closed.vertices = 3;
  closed.edge(0, 1, 1);
  closed.edge(1, 2, 1);
  EXPECT_EQ(run(*closed.decoder(), {0}).result.status, DecodeStatus::kCannotMatch);
  EXPECT_EQ(run(*closed.decoder(), {0, 2}).result.status, DecodeStatus::kOk);
}

/// A random connected graph: a spanning path plus random edges, some to the boundary.
Graph random_graph(std::mt19937_64& rng) {
  Graph g;
  g.vertices = 2 + static_cast<std::uint32_t>(rng() % 40);
  std::uniform_int_distribution<int> weight(1, 12);
  std::set<std::pair<std::uint32_t, std::uint32_t>> used;
  for (std::uint32_t i = 0; i + 1 < g.vertices; ++i) {
    g.edge(i, i + 1, static_cast<std::uint16_t>(weight(rng)), rng() % 4);
    used.insert({i, i + 1});
  }
  const std::uint32_t extra = g.vertices * 2;
  for (std::uint32_t k = 0; k < extra; ++k) {
    const std::uint32_t a = static_cast<std::uint32_t>(rng() % g.vertices);
    if (rng() % 4 == 0) {
      g.edge(a, B, static_cast<std::uint16_t>(weight(rng)), rng() % 4);
      continue;
    }
    const std::uint32_t b = static_cast<std::uint32_t>(rng() % g.vertices);
    if (a == b || used.count({std::min(a, b), std::max(a, b)})) continue;
    used.insert({std::min(a, b), std::max(a, b)});
    g.edge(a, b, static_cast<std::uint16_t>(weight(rng)), rng() % 4);
  }
  g.edge(static_cast<std::uint32_t>(rng() % g.vertices), B, static_cast<std::uint16_t>(weight(rng)), 1);
  return g;
}

TEST(UnionFindDecoder, RandomGraphsCorrectionsExplainTheSyndromeInAnyOrder) {
  std::mt19937_64 rng(2026);
  auto reused = std::make_unique<Decoder>();
  int shots = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const Graph g = random_graph(rng);
    auto fresh = g.decoder();
    ASSERT_TRUE(reused->load_graph(g.vertices, static_cast<std::uint32_t>(g.u.size()), g.u.data(), g.v.data(),
                                   g.w.data(), g.obs.data()));
    for (int s = 0; s < 20; ++s, ++shots) {
      std::vector<std::uint32_t> defects;
      for (std::uint32_t v = 0; v < g.vertices; ++v)
        if (rng() % 5 == 0) defects.push_back(v);
      const Decoded a = run(*fresh, defects);
      ASSERT_EQ(a.result.status, DecodeStatus::kOk);
      // The correction's endpoints, counted mod 2, are exactly the defects.
      std::vector<int> parity(g.vertices, 0);
      std::uint64_t observables = 0;
      for (std::uint32_t e : a.correction) {
        parity[g.u[e]] ^= 1;
        if (g.v[e] != B) parity[g.v[e]] ^= 1;
        observables ^= g.obs[e];
      }
      for (std::uint32_t v = 0; v < g.vertices; ++v)
        EXPECT_EQ(parity[v], std::count(defects.begin(), defects.end(), v)) << "trial " << trial << " vertex " << v;
      EXPECT_EQ(observables, a.result.observables);
      std::set<std::uint32_t> distinct(a.correction.begin(), a.correction.end());
      EXPECT_EQ(distinct.size(), a.correction.size());
      // Any order of the defects, on a decoder that has decoded other shots, gives the same answer.
      std::shuffle(defects.begin(), defects.end(), rng);
      const Decoded b = run(*reused, defects);
      EXPECT_EQ(b.result.observables, a.result.observables);
      EXPECT_EQ(std::set<std::uint32_t>(b.correction.begin(), b.correction.end()), distinct);
      EXPECT_EQ(b.result.growth_units, a.result.growth_units);
    }
  }
  EXPECT_EQ(shots, 6000);
}

/// A w x h x t lattice (a surface-code-like decoding graph): every vertex joined to its next
/// neighbour in each direction and, in some layers, diagonally; the vertices on the two x faces
/// joined to the boundary. Random weights in [1, max_weight]; observable bit 0 on the x = 0 face.
Graph lattice(std::mt19937_64& rng, std::uint32_t w, std::uint32_t h, std::uint32_t t, std::uint16_t max_weight) {
  Graph g;
  g.vertices = w * h * t;
  std::uniform_int_distribution<int> weight(1, max_weight);
  const auto id = [&](std::uint32_t x, std::uint32_t y, std::uint32_t z) { return (z * h + y) * w + x; };
  const auto random_weight = [&] { return static_cast<std::uint16_t>(weight(rng)); };
  for (std::uint32_t z = 0; z < t; ++z)
    for (std::uint32_t y = 0; y < h; ++y)
      for (std::uint32_t x = 0; x < w; ++x) {
        const std::uint32_t v = id(x, y, z);
        if (x == 0) g.edge(v, B, random_weight(), 1);
        if (x + 1 == w) g.edge(v, B, random_weight());
        if (x + 1 < w) g.edge(v, id(x + 1, y, z), random_weight());
        if (y + 1 < h) g.edge(v, id(x, y + 1, z), random_weight());
        if (z + 1 < t) g.edge(v, id(x, y, z + 1), random_weight());
        if (z + 1 < t && x + 1 < w && rng() % 2) g.edge(v, id(x + 1, y, z + 1), random_weight());
      }
  return g;
}

/// A graph in two parts: a random graph, and a path with no edge to the boundary, where an odd
/// number of defects cannot be matched.
Graph with_closed_part(std::mt19937_64& rng) {
  Graph g = random_graph(rng);
  const std::uint32_t first = g.vertices, length = 2 + static_cast<std::uint32_t>(rng() % 6);
  g.vertices += length;
  for (std::uint32_t i = 0; i + 1 < length; ++i)
    g.edge(first + i, first + i + 1, static_cast<std::uint16_t>(1 + rng() % 9), rng() % 2);
  return g;
}

template <std::uint32_t kV, std::uint32_t kE>
struct Pair {
  std::unique_ptr<UnionFindDecoder<kV, kE>> fast = std::make_unique<UnionFindDecoder<kV, kE>>();
  std::unique_ptr<ReferenceUnionFindDecoder<kV, kE>> reference = std::make_unique<ReferenceUnionFindDecoder<kV, kE>>();

  void load(const Graph& g) {
    const auto n = static_cast<std::uint32_t>(g.u.size());
    ASSERT_TRUE(fast->load_graph(g.vertices, n, g.u.data(), g.v.data(), g.w.data(), g.obs.data()));
    ASSERT_TRUE(reference->load_graph(g.vertices, n, g.u.data(), g.v.data(), g.w.data(), g.obs.data()));
  }
  /// Decodes with both and compares every output; returns the status.
  DecodeStatus compare(const std::vector<std::uint32_t>& defects, const std::string& where) {
    std::vector<std::uint32_t> a(kE), b(kE);
    const auto n = static_cast<std::uint32_t>(defects.size());
    const DecodeResult x = fast->decode(defects.data(), n, a.data());
    const DecodeResult y = reference->decode(defects.data(), n, b.data());
    EXPECT_EQ(x.status, y.status) << where;
    EXPECT_EQ(x.growth_rounds, y.growth_rounds) << where;
    EXPECT_EQ(x.growth_units, y.growth_units) << where;
    if (x.status == DecodeStatus::kOk && y.status == DecodeStatus::kOk) {
      EXPECT_EQ(x.observables, y.observables) << where;
      EXPECT_EQ(x.correction_edges, y.correction_edges) << where;
      a.resize(x.correction_edges);
      b.resize(y.correction_edges);
      EXPECT_EQ(std::set<std::uint32_t>(a.begin(), a.end()), std::set<std::uint32_t>(b.begin(), b.end())) << where;
    }
    return y.status;
  }
};

std::vector<std::uint32_t> random_defects(std::mt19937_64& rng, std::uint32_t vertices, std::uint32_t max_count) {
  std::vector<std::uint32_t> all(vertices);
  for (std::uint32_t v = 0; v < vertices; ++v) all[v] = v;
  std::shuffle(all.begin(), all.end(), rng);
  all.resize(std::min<std::uint32_t>(vertices, static_cast<std::uint32_t>(rng() % (max_count + 1))));
  return all;
}

TEST(UnionFindDecoder, MatchesTheReferenceOnRandomGraphs) {
  std::mt19937_64 rng(7);
  Pair<64, 256> pair;
  int shots = 0, unmatchable = 0;
  for (int trial = 0; trial < 600; ++trial) {
    const Graph g = trial % 3 == 2 ? with_closed_part(rng) : random_graph(rng);
    if (g.vertices > 64 || g.u.size() > 256) continue;
    pair.load(g);
    for (int s = 0; s < 40; ++s, ++shots) {
      if (s % 10 == 9) {  // a calibration between shots, on both
        const auto e = static_cast<std::uint32_t>(rng() % g.u.size());
        const auto w = static_cast<std::uint16_t>(1 + rng() % 12);
        ASSERT_TRUE(pair.fast->set_weight(e, w));
        ASSERT_TRUE(pair.reference->set_weight(e, w));
      }
      const std::string where = "trial " + std::to_string(trial) + " shot " + std::to_string(s);
      if (pair.compare(random_defects(rng, g.vertices, g.vertices), where) == DecodeStatus::kCannotMatch) ++unmatchable;
    }
  }
  EXPECT_GT(shots, 20000);
  EXPECT_GT(unmatchable, 100);  // the closed parts are exercised
}

TEST(UnionFindDecoder, MatchesTheReferenceOnLatticesWithWideWeights) {
  // Larger clusters than the random graphs give, and weights up to the 16-bit maximum (long
  // jumps, edges completing in the middle of a two-sided round).
  std::mt19937_64 rng(11);
  Pair<400, 2000> pair;
  int shots = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const std::uint16_t max_weight = trial % 3 == 0 ? 3 : trial % 3 == 1 ? 31 : 65535;
    const Graph g = lattice(rng, 3 + static_cast<std::uint32_t>(rng() % 5), 3 + static_cast<std::uint32_t>(rng() % 5),
                            2 + static_cast<std::uint32_t>(rng() % 6), max_weight);
    pair.load(g);
    for (int s = 0; s < 200; ++s, ++shots) {
      const std::string where = "trial " + std::to_string(trial) + " shot " + std::to_string(s);
      EXPECT_EQ(pair.compare(random_defects(rng, g.vertices, s % 2 ? 8 : 40), where), DecodeStatus::kOk) << where;
    }
  }
  EXPECT_EQ(shots, 12000);
}

}  // namespace
}  // namespace qontos::hdl::decoder
