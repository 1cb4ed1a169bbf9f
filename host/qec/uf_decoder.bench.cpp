// Software decode time per shot on the surface-code corpus (100,000 shots per experiment), for
// comparison with matching's figures in ../shared/corpus/qec/surface/README.md. Reading the files
// and building the graph happen once, outside the timing.
#include "qec/uf_decoder.h"

#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "qec/dem.h"
#include "qec/shot_formats.h"

namespace {

using namespace qontos;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const char* kExperiments[] = {"d3_r3_p0.001", "d3_r3_p0.005", "d5_r5_p0.001",
                              "d5_r5_p0.005", "d7_r7_p0.001", "d7_r7_p0.005"};

void BM_UnionFindDecodeSurface(benchmark::State& state) {
  const std::string base = std::string(QONTOS_CORPUS_DIR) + "/qec/surface/sc_rmz_" + kExperiments[state.range(0)];
  const qec::DetectorErrorModel model = qec::parse_dem(slurp(base + ".dem"), base + ".dem");
  qec::DecodingGraphOptions options;
  options.weight_bits = static_cast<int>(state.range(1));
  qec::UnionFindDecoder decoder(qec::build_decoding_graph(model, options));
  qec::ShotLayout layout;
  layout.num_detectors = model.num_detectors;
  const qec::BitTable shots = qec::read_shots(slurp(base + ".dets.b8"), qec::ShotFormat::kB8, layout, base);
  std::size_t s = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(decoder.decode(shots.row(s).data(), model.num_detectors));
    if (++s == shots.num_shots()) s = 0;
  }
  state.SetLabel(kExperiments[state.range(0)]);
  state.counters["us_per_shot"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * 1e-6, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_UnionFindDecodeSurface)
    ->ArgsProduct({{0, 1, 2, 3, 4, 5}, {5}})
    ->ArgNames({"experiment", "weight_bits"});

}  // namespace
