// SWAPs that routing inserts for every medium QASMBench circuit on the 6x6 grid device, next to
// a lower bound that holds for any router, and the whole pipeline's throughput.
//
// The lower bound: a logical qubit q with d(q) distinct two-qubit partners, on a device whose
// qubits have at most Δ couplers, starts next to at most Δ partners; a SWAP that moves q gives
// it at most Δ-1 new neighbours, and any other SWAP at most one. So at least
// ceil((d(q) - Δ) / (Δ - 1)) SWAPs are needed, for every q. On a bipartite coupling map (grids
// and heavy-hex are), an interaction graph with an odd cycle cannot be placed without a SWAP.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "device/descriptor.h"
#include "ir/stats.h"
#include "passes/pipeline.h"
#include "qasm/diagnostic.h"

namespace {

namespace fs = std::filesystem;
using namespace qontos;

std::vector<std::string> medium_files() {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(std::string(QONTOS_CORPUS_DIR) + "/qasm/qasmbench/medium"))
    if (e.path().extension() == ".qasm" && e.path().string().find("_transpiled") == std::string::npos)
      out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string read(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

long long two_qubit_gates(const ir::Program& p) { return ir::compute_stats(p).two_qubit_gates; }

/// The lower bound described above, for the program before layout.
long long swap_lower_bound(const ir::Program& p, const device::Descriptor& d) {
  std::map<int, std::set<int>> partners;
  ir::for_each_op(p.ops, [&](const ir::Op& op) {
    if (const auto* g = std::get_if<ir::GateOp>(&op.v); g && g->qubits.size() == 2) {
      partners[g->qubits[0]].insert(g->qubits[1]);
      partners[g->qubits[1]].insert(g->qubits[0]);
    }
  });
  std::vector<int> degree(static_cast<std::size_t>(d.num_qubits), 0);
  for (const auto& [a, b] : d.coupling) {
    ++degree[static_cast<std::size_t>(a)];
    ++degree[static_cast<std::size_t>(b)];
  }
  long long delta = *std::max_element(degree.begin(), degree.end());
  long long bound = 0;
  for (const auto& [q, ps] : partners) {
    long long excess = static_cast<long long>(ps.size()) - delta;
    if (excess > 0) bound = std::max(bound, (excess + delta - 2) / (delta - 1));
  }
  // Odd cycle in the interaction graph (2-colouring fails) on a bipartite device: at least one.
  std::map<int, int> colour;
  bool odd = false;
  for (const auto& [start, unused] : partners) {
    if (colour.count(start)) continue;
    std::vector<int> stack{start};
    colour[start] = 0;
    while (!stack.empty() && !odd) {
      int u = stack.back();
      stack.pop_back();
      for (int v : partners[u]) {
        auto it = colour.find(v);
        if (it == colour.end()) {
          colour[v] = 1 - colour[u];
          stack.push_back(v);
        } else if (it->second == colour[u]) {
          odd = true;
        }
      }
    }
  }
  if (odd) bound = std::max(bound, 1LL);
  return bound;
}

void Route_MediumCorpusOnGrid36(benchmark::State& state, const std::string& path) {
  const device::Descriptor dev = device::load_descriptor("superconducting-grid-36", QONTOS_DEVICES_DIR);
  passes::PassContext ctx;
  ctx.device = &dev;
  const std::string text = read(path);
  std::vector<passes::Stage> stages;
  try {
    for (auto _ : state) stages = passes::compile_source(text, path, "route", ctx);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  const auto& before = stages[4].program;  // optimise: the circuit layout and route receive
  const auto& routed = stages[5].program;   // layout: routed SWAPs are counted by route's own count
  passes::PassContext raw = ctx;
  ir::Program swapped = passes::run_route(routed, raw);
  long long swaps = 0;
  ir::for_each_op(swapped.ops, [&](const ir::Op& op) {
    if (const auto* g = std::get_if<ir::GateOp>(&op.v); g && g->name == "swap") ++swaps;
  });
  state.counters["qubits"] = before.num_qubits;
  state.counters["2q_gates"] = static_cast<double>(two_qubit_gates(before));
  state.counters["swaps"] = static_cast<double>(swaps);
  state.counters["swap_lower_bound"] = static_cast<double>(swap_lower_bound(before, dev));
  state.counters["gates_out"] = static_cast<double>(ir::compute_stats(stages.back().program).gates);
  state.counters["gates/s"] = benchmark::Counter(static_cast<double>(ir::compute_stats(stages[2].program).gates),
                                                 benchmark::Counter::kIsIterationInvariantRate);
}

const bool registered = [] {
  for (const auto& f : medium_files()) {
    std::string name = "Pipeline/" + fs::path(f).stem().string();
    benchmark::RegisterBenchmark(name.c_str(), Route_MediumCorpusOnGrid36, f)->Unit(benchmark::kMillisecond)->Iterations(1);
  }
  return true;
}();

}  // namespace
