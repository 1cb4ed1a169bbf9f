// Writes the Verilog decoder's graph headers (uf_graph_defs.vh, uf_graph.vh) and the same graph as
// text (uf_graph.txt, for the testbench's HLS model) into a directory, from a detector error model
// or as a random graph:
//   uf_graph_gen --dem FILE.dem OUTDIR
//   uf_graph_gen --random SEED VERTICES EDGES OUTDIR   (weight_bits 5, 2 observables)
//   uf_graph_gen --random-nb SEED VERTICES EDGES OUTDIR  (the upper half of the vertices forms a
//                second component with no boundary edge: odd defect sets there cannot be matched)
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <tuple>

#include "qec/decoding_graph.h"
#include "qec/dem.h"
#include "qec/rtl_graph.h"

using namespace qontos::qec;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void put(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

// A random graph: a random spanning tree (so one component), extra random edges, and boundary
// edges at about a quarter of the vertices (at least one), weights 1..31, random observable masks.
RtlGraph random_graph(std::uint32_t seed, std::uint32_t nv, std::uint32_t ne, bool split) {
  std::mt19937 rng(seed);
  RtlGraph g;
  g.num_vertices = nv;
  g.num_observables = 2;
  g.weight_bits = 5;
  std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
  auto add = [&](std::uint32_t a, std::uint32_t b) {
    const auto key = std::make_pair(std::min(a, b), b == kRtlBoundary ? b : std::max(a, b));
    if (a == b || seen.count(key)) return;
    if (split && (a >= nv / 2) != (b == kRtlBoundary || b >= nv / 2)) return;  // keep the halves apart
    seen.insert(key);
    RtlGraphEdge e;
    e.u = key.first;
    e.v = key.second;
    e.weight = static_cast<std::uint32_t>(1 + rng() % 31);
    e.observables = static_cast<std::uint64_t>(rng() % 4);
    g.edges.push_back(e);
  };
  for (std::uint32_t v = 1; v < nv; ++v) {
    const std::uint32_t lo = split && v >= nv / 2 ? nv / 2 : 0;
    if (v > lo) add(v, lo + static_cast<std::uint32_t>(rng() % (v - lo)));
  }
  add(static_cast<std::uint32_t>(rng() % (split ? nv / 2 : nv)), kRtlBoundary);
  for (std::uint32_t tries = 0; g.edges.size() < ne && tries < 100 * ne; ++tries) {
    const std::uint32_t a = static_cast<std::uint32_t>(rng() % nv);
    add(a, rng() % 4 == 0 ? kRtlBoundary : static_cast<std::uint32_t>(rng() % nv));
  }
  // Edges in (u, v) order, as build_decoding_graph sorts them (any order works for the decoder).
  std::sort(g.edges.begin(), g.edges.end(),
            [](const RtlGraphEdge& x, const RtlGraphEdge& y) { return std::tie(x.u, x.v) < std::tie(y.u, y.v); });
  return g;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    RtlGraph g;
    std::string out;
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "--dem" && argc == 4) {
      const DetectorErrorModel model = parse_dem(slurp(argv[2]), argv[2]);
      g = rtl_graph_from_decoding_graph(build_decoding_graph(model));
      out = argv[3];
    } else if ((mode == "--random" || mode == "--random-nb") && argc == 6) {
      g = random_graph(static_cast<std::uint32_t>(std::stoul(argv[2])), static_cast<std::uint32_t>(std::stoul(argv[3])),
                       static_cast<std::uint32_t>(std::stoul(argv[4])), mode == "--random-nb");
      out = argv[5];
    } else {
      std::cerr << "usage: uf_graph_gen --dem FILE.dem OUTDIR | --random[-nb] SEED VERTICES EDGES OUTDIR\n";
      return 2;
    }
    put(out + "/uf_graph_defs.vh", rtl_graph_defines(g));
    put(out + "/uf_graph.vh", rtl_graph_tables(g));
    put(out + "/uf_graph.txt", rtl_graph_to_text(g));
    std::cout << "uf_graph_gen: " << g.num_vertices << " vertices, " << g.edges.size() << " edges -> " << out << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "uf_graph_gen: " << e.what() << "\n";
    return 1;
  }
}
