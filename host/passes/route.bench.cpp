// Benchmarks of `layout` + `route` on synthetic circuits on the 4x4 grid device. Besides time,
// each reports the SWAPs inserted (counter "swaps") and SWAPs per two-qubit gate of the input
// ("swaps_per_2q"), so routing quality regressions show up next to speed.
#include <benchmark/benchmark.h>

#include <random>

#include "device/descriptor.h"
#include "passes/pass.h"

namespace {

using namespace qontos;

const device::Descriptor& grid() {
  static const device::Descriptor d = device::load_descriptor("superconducting-grid-16", QONTOS_DEVICES_DIR);
  return d;
}

void add_gate(ir::Program& p, const char* name, std::vector<int> qubits, std::vector<ir::Angle> params = {}) {
  ir::GateOp g;
  g.name = name;
  g.qubits = std::move(qubits);
  g.params = std::move(params);
  p.ops.emplace_back(std::move(g));
}

/// `gates` random cx gates on 16 qubits with an rz after each, from a fixed seed.
ir::Program random_circuit(int gates) {
  ir::Program p;
  p.num_qubits = 16;
  std::mt19937_64 gen(2024);  // raw engine outputs only: identical on every host
  for (int k = 0; k < gates; ++k) {
    const int a = static_cast<int>(gen() % 16);
    int b = static_cast<int>(gen() % 15);
    if (b >= a) ++b;
    add_gate(p, "cx", {a, b});
    add_gate(p, "rz", {b}, {ir::Angle::pi_times(*ir::Rational::make(1, 8))});
  }
  return p;
}

/// The two-qubit skeleton of a QFT: a controlled phase between every pair, in QFT order.
ir::Program qft_like(int n) {
  ir::Program p;
  p.num_qubits = n;
  for (int a = 0; a < n; ++a) {
    add_gate(p, "h", {a});
    for (int b = a + 1; b < n; ++b)
      add_gate(p, "cp", {b, a}, {ir::Angle::pi_times(*ir::Rational::make(1, std::int64_t{1} << std::min(b - a, 20)))});
  }
  return p;
}

std::int64_t count(const ir::OpList& ops, bool swaps) {
  std::int64_t n = 0;
  for (const auto& op : ops)
    if (const auto* g = std::get_if<ir::GateOp>(&op.v); g && g->qubits.size() == 2 && (g->name == "swap") == swaps) ++n;
  return n;
}

void run(benchmark::State& state, const ir::Program& in) {
  passes::PassContext ctx;
  ctx.device = &grid();
  std::int64_t swaps = 0;
  for (auto _ : state) {
    const ir::Program out = passes::run_route(passes::run_layout(in, ctx), ctx);
    swaps = count(out.ops, true);
    benchmark::DoNotOptimize(swaps);
  }
  const auto two_qubit = count(in.ops, false);
  state.counters["swaps"] = static_cast<double>(swaps);
  state.counters["swaps_per_2q"] = two_qubit ? static_cast<double>(swaps) / static_cast<double>(two_qubit) : 0.0;
  state.counters["2q_gates"] = static_cast<double>(two_qubit);
}

void BM_RouteRandomGrid16(benchmark::State& state) { run(state, random_circuit(static_cast<int>(state.range(0)))); }
BENCHMARK(BM_RouteRandomGrid16)->Arg(50)->Arg(200)->Arg(1000)->Unit(benchmark::kMillisecond);

void BM_RouteQftLikeGrid16(benchmark::State& state) { run(state, qft_like(static_cast<int>(state.range(0)))); }
BENCHMARK(BM_RouteQftLikeGrid16)->Arg(8)->Arg(16)->Unit(benchmark::kMillisecond);

/// `route` alone, on a program already laid out.
void BM_RouteOnlyRandomGrid16(benchmark::State& state) {
  passes::PassContext ctx;
  ctx.device = &grid();
  const ir::Program laid = passes::run_layout(random_circuit(static_cast<int>(state.range(0))), ctx);
  std::int64_t swaps = 0;
  for (auto _ : state) {
    const ir::Program out = passes::run_route(laid, ctx);
    swaps = count(out.ops, true);
    benchmark::DoNotOptimize(swaps);
  }
  state.counters["swaps"] = static_cast<double>(swaps);
}
BENCHMARK(BM_RouteOnlyRandomGrid16)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace
