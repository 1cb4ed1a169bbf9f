// Statevector throughput on random circuits, in the shape of the supremacy-style circuits peers
// publish figures for: `depth` layers, each of random single-qubit rotations on half the qubits
// and CZ on random disjoint pairs, until the circuit has the requested number of gates. Counters:
// seconds per gate, gates fused into how many sweeps, and the effective memory bandwidth (each
// sweep reads and writes the whole state once) next to this machine's measured copy bandwidth.
#include "simulate/statevector.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <numeric>

#include "simulate/fusion.h"
#include "simulate/statevector_run.h"

namespace {

using namespace qontos;

ir::OpList random_circuit(int n, int total_gates, std::uint64_t seed) {
  simulate::Rng rng(seed);
  ir::OpList ops;
  const char* rotations[] = {"rx", "ry", "rz"};
  while (static_cast<int>(ops.size()) < total_gates) {
    std::vector<int> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    for (int i = 0; i < n / 2 && static_cast<int>(ops.size()) < total_gates; ++i) {
      ir::GateOp g;
      g.name = rotations[rng.below(3)];
      g.params = {ir::Angle::from_double(rng.uniform() * 6.283185307179586)};
      g.qubits = {order[static_cast<std::size_t>(i)]};
      ops.push_back(ir::Op(std::move(g)));
    }
    for (int i = 0; i + 1 < n / 3 && static_cast<int>(ops.size()) < total_gates; i += 2) {
      ir::GateOp g;
      g.name = "cz";
      g.qubits = {order[static_cast<std::size_t>(n / 2 + i)], order[static_cast<std::size_t>(n / 2 + i + 1)]};
      ops.push_back(ir::Op(std::move(g)));
    }
  }
  return ops;
}

template <typename Real>
void BM_StatevectorRandom(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const int gates = static_cast<int>(state.range(1));
  const int fusion = static_cast<int>(state.range(2));
  const ir::OpList ops = random_circuit(n, gates, 2024);
  auto actions = simulate::fuse_gates(simulate::gate_actions(ops), fusion);
  simulate::Statevector<Real> sv(n);
  for (auto _ : state) {
    sv.clear();
    for (const auto& a : actions) sv.apply(a);
    benchmark::DoNotOptimize(sv.data());
  }
  const double bytes_per_sweep = 2.0 * static_cast<double>(sv.size() * sizeof(std::complex<Real>));
  state.counters["sweeps"] = static_cast<double>(actions.size());
  state.counters["s_per_gate"] = benchmark::Counter(
      static_cast<double>(gates), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["GB/s"] = benchmark::Counter(bytes_per_sweep * static_cast<double>(actions.size()) / 1e9,
                                              benchmark::Counter::kIsIterationInvariantRate);
}

// The machine's copy bandwidth over a buffer as large as a 26-qubit double state (1 GiB):
// bytes read plus bytes written per second.
void BM_MemoryCopyBandwidth(benchmark::State& state) {
  const std::size_t bytes = std::size_t{1} << 30;
  std::unique_ptr<char[]> a(new char[bytes]), b(new char[bytes]);
  std::memset(a.get(), 1, bytes);
  std::memset(b.get(), 2, bytes);
  for (auto _ : state) {
#pragma omp parallel for schedule(static)
    for (int chunk = 0; chunk < 64; ++chunk) {
      const std::size_t size = bytes / 64;
      std::memcpy(b.get() + static_cast<std::size_t>(chunk) * size, a.get() + static_cast<std::size_t>(chunk) * size,
                  size);
    }
    benchmark::DoNotOptimize(b.get());
  }
  state.counters["GB/s"] =
      benchmark::Counter(2.0 * static_cast<double>(bytes) / 1e9, benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK(BM_MemoryCopyBandwidth)->Unit(benchmark::kMillisecond)->UseRealTime();
// Args: qubits, gates, fusion width. 24 qubits / 267 gates is the peer's reference circuit size.
BENCHMARK(BM_StatevectorRandom<float>)
    ->Args({20, 200, 4})
    ->Args({22, 240, 4})
    ->Args({24, 267, 4})
    ->Args({24, 267, 1})
    ->Args({24, 267, 3})
    ->Args({24, 267, 5})
    ->Args({26, 300, 4})
    ->Args({26, 300, 1})
    ->Args({28, 340, 4})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(0.5);
// Fusion width 1 keeps each sweep memory-bound: the GB/s counter is then comparable with the
// copy bandwidth (26 qubits: 512 MiB single, 1 GiB double, larger than the last-level cache).
BENCHMARK(BM_StatevectorRandom<double>)
    ->Args({20, 200, 4})
    ->Args({22, 240, 4})
    ->Args({24, 267, 4})
    ->Args({26, 300, 4})
    ->Args({26, 300, 1})
    ->Args({28, 340, 4})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(0.5);
