// Benchmarks of the stabilizer tableau engine on random Clifford circuits of h, s and cx (cx
// between arbitrary pairs, so the tableau becomes dense after a few layers). Gates and the
// final measurement layer are timed separately because their costs differ by a factor of n:
// a gate is O(n/64) word operations, a random-outcome measurement O(n^2/64). Counters: gates/s
// through apply_gate (name dispatch included) and measurements/s.
#include "simulate/stabilizer.h"

#include <benchmark/benchmark.h>

#include <vector>

namespace {

using namespace qontos;

/// `count` random gates on `n` qubits: h, s, cx in proportion 1:1:2, from a fixed seed.
std::vector<ir::GateOp> random_circuit(int n, std::int64_t count, std::uint64_t seed) {
  simulate::Rng rng(seed);
  std::vector<ir::GateOp> gates;
  gates.reserve(static_cast<std::size_t>(count));
  const auto bound = static_cast<std::uint64_t>(n);
  for (std::int64_t k = 0; k < count; ++k) {
    ir::GateOp g;
    const int a = static_cast<int>(rng.below(bound));
    switch (rng.below(4)) {
      case 0:
        g.name = "h";
        g.qubits = {a};
        break;
      case 1:
        g.name = "s";
        g.qubits = {a};
        break;
      default: {
        int b = static_cast<int>(rng.below(bound - 1));
        if (b >= a) ++b;
        g.name = "cx";
        g.qubits = {a, b};
        break;
      }
    }
    gates.push_back(std::move(g));
  }
  return gates;
}

void BM_StabilizerRandomClifford(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const auto circuit = random_circuit(n, 10 * static_cast<std::int64_t>(n), 2024);
  simulate::StabilizerState st(n);
  for (auto _ : state) {
    for (const auto& g : circuit) st.apply_gate(g);
    benchmark::ClobberMemory();
  }
  state.counters["gates/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(circuit.size()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_StabilizerRandomClifford)->Arg(1000)->Arg(5000)->Unit(benchmark::kMillisecond);

/// Measures every qubit of the state a random circuit (10n gates, untimed) leaves, as the
/// measurement layer at the end of a shot.
void BM_StabilizerMeasureLayer(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const auto circuit = random_circuit(n, 10 * static_cast<std::int64_t>(n), 2025);
  simulate::StabilizerState prepared(n);
  for (const auto& g : circuit) prepared.apply_gate(g);
  simulate::Rng rng(7);
  int ones = 0;
  for (auto _ : state) {
    state.PauseTiming();
    simulate::StabilizerState st = prepared;
    state.ResumeTiming();
    for (int q = 0; q < n; ++q) ones += st.measure(q, rng);
  }
  benchmark::DoNotOptimize(ones);
  state.counters["measurements/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * n, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_StabilizerMeasureLayer)->Arg(1000)->Arg(5000)->Unit(benchmark::kMillisecond);

}  // namespace
