// Verilator simulation speed of the union-find decoder (shots per second), so that the time of
// the RTL tests and of `qontos decode --engine rtl` is predictable. Each iteration runs 20,000
// corpus shots through the verilated model the way the CLI does (one harness process, shots and
// results through files). Two rates are reported: items_per_second is the whole call, and
// sim_shots_per_s is the harness's simulation loop alone. The model is built (or found in
// $QONTOS_RTL_CACHE, else ~/.cache/qontos/rtl) before timing starts; a first run at d5/d7 spends
// minutes verilating. Skipped with a message when Verilator is not installed.
#include <benchmark/benchmark.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "qec/dem.h"
#include "qec/shot_formats.h"
#include "rtl/rtl_decoder.h"

namespace {

using namespace qontos;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const char* kExperiments[] = {"d3_r3_p0.001", "d5_r5_p0.001", "d7_r7_p0.001"};
constexpr std::size_t kShots = 20000;

void BM_RtlDecoderSimulation(benchmark::State& state) {
  const std::string base = std::string(QONTOS_CORPUS_DIR) + "/qec/surface/sc_rmz_" + kExperiments[state.range(0)];
  const qec::DetectorErrorModel model = qec::parse_dem(slurp(base + ".dem"), base + ".dem");
  std::unique_ptr<sim::RtlDecoder> decoder;
  try {
    sim::RtlDecoderOptions options;
    options.on_build = [](const std::string& note) { std::cerr << note << "\n"; };
    decoder = std::make_unique<sim::RtlDecoder>(qec::build_decoding_graph(model), options);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  qec::ShotLayout layout;
  layout.num_detectors = model.num_detectors;
  const qec::BitTable all = qec::read_shots(slurp(base + ".dets.b8"), qec::ShotFormat::kB8, layout, base);
  qec::BitTable shots(kShots, model.num_detectors);
  for (std::size_t s = 0; s < kShots; ++s)
    for (std::size_t k = 0; k < shots.words_per_shot(); ++k) shots.row(s)[k] = all.row(s)[k];
  double simulation_seconds = 0;
  for (auto _ : state) {
    const sim::RtlDecodeResult r = decoder->decode(shots);
    simulation_seconds += r.simulation_seconds;
    benchmark::DoNotOptimize(r.cycles.data());
  }
  state.SetLabel(kExperiments[state.range(0)]);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kShots));
  state.counters["sim_shots_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * kShots) / simulation_seconds);
}
BENCHMARK(BM_RtlDecoderSimulation)->DenseRange(0, 2)->ArgName("experiment")->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
