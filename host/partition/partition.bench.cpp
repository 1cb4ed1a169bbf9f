// Partitioner benchmarks: greedy, spectral and METIS (the reference graph partitioner; "metis" is its
// recursive bisection, "metis_kway" its k-way method) on the
// interaction graphs of the medium QASMBench circuits and on synthetic random circuits, into k = 2
// and k = 4 modules of equal capacity ceil(n / k). Besides time, each run reports the Bell pairs
// the partition needs (counter "cut", by count_cut_gates for every method) and, for METIS, how
// many qubits it placed beyond a module's capacity ("over_cap"; METIS balances only approximately).
// Results and the command are in docs/PARTITIONING.md.
#include "partition/partition.h"

#include <benchmark/benchmark.h>
#include <metis.h>

#include <algorithm>
#include <map>
#include <random>
#include <stdexcept>

#include "partition/interaction_graph.h"
#include "passes/pipeline.h"

namespace {

using namespace qontos;
using partition::ModuleSlot;

const char* const kCircuits[] = {
    "bigadder_n18/bigadder_n18",   "bv_n14/bv_n14",         "bv_n19/bv_n19",     "bwt_n21/bwt_n21",
    "cat_state_n22/cat_state_n22", "cc_n12/cc_n12",         "dnn_n16/dnn_n16",   "gcm_n13/gcm_h6",
    "ghz_state_n23/ghz_state_n23", "ising_n26/ising_n26",   "knn_n25/knn_n25",   "multiplier_n15/multiplier_n15",
    "multiply_n13/multiply_n13",   "qec9xz_n17/qec9xz_n17", "qf21_n15/qf21_n15", "qft_n18/qft_n18",
    "qram_n20/qram_n20",           "sat_n11/sat_n11",       "seca_n11/seca_n11", "square_root_n18/square_root_n18",
    "swap_test_n25/swap_test_n25", "wstate_n27/wstate_n27"};

/// The circuit after `normalise`, compiled once per process; an empty optional when it fails.
const ir::Program* corpus(const std::string& rel, std::string& error) {
  static std::map<std::string, std::pair<ir::Program, std::string>> cache;
  auto it = cache.find(rel);
  if (it == cache.end()) {
    std::pair<ir::Program, std::string> entry;
    try {
      entry.first = passes::compile_file(std::string(QONTOS_CORPUS_DIR) + "/qasm/qasmbench/medium/" + rel + ".qasm",
                                         "normalise", {})
                        .back()
                        .program;
    } catch (const std::exception& e) {
      entry.second = e.what();
    }
    it = cache.emplace(rel, std::move(entry)).first;
  }
  error = it->second.second;
  return error.empty() ? &it->second.first : nullptr;
}

/// `gates` two-qubit gates on random pairs of n qubits, from a fixed seed: uniformly random pairs
/// (an expander-like interaction graph, the hard case), or with `reach` > 0 pairs at most `reach`
/// apart (a long, thin graph like those of adders and nearest-neighbour circuits).
ir::Program random_circuit(int n, int gates, int reach = 0) {
  ir::Program p;
  p.num_qubits = n;
  p.qregs.push_back({"q", n, 0});
  std::mt19937_64 gen(2024);  // raw engine outputs only: identical on every host
  for (int k = 0; k < gates; ++k) {
    ir::GateOp g;
    g.name = "cx";
    int a = static_cast<int>(gen() % static_cast<std::uint64_t>(n));
    int b = 0;
    if (reach > 0) {
      a = static_cast<int>(gen() % static_cast<std::uint64_t>(n - 1));
      b = std::min(n - 1, a + 1 + static_cast<int>(gen() % static_cast<std::uint64_t>(reach)));
    } else {
      b = static_cast<int>(gen() % static_cast<std::uint64_t>(n - 1));
      if (b >= a) ++b;
    }
    g.qubits = {a, b};
    p.ops.emplace_back(std::move(g));
  }
  return p;
}

/// The two-qubit skeleton of a QFT: a controlled phase on every pair, a complete interaction graph
/// with n(n-1)/2 edges, the densest a circuit can make.
ir::Program qft_like(int n) {
  ir::Program p;
  p.num_qubits = n;
  p.qregs.push_back({"q", n, 0});
  for (int a = 0; a < n; ++a)
    for (int b = a + 1; b < n; ++b) {
      ir::GateOp g;
      g.name = "cp";
      g.qubits = {b, a};
      p.ops.emplace_back(std::move(g));
    }
  return p;
}

std::vector<ModuleSlot> equal_modules(int n, int k) {
  std::vector<ModuleSlot> out;
  for (int m = 0; m < k; ++m) out.push_back({"m" + std::to_string(m), (n + k - 1) / k});
  return out;
}

/// METIS on the interaction graph (recursive bisection, or k-way), with target part weights
/// proportional to capacity and an imbalance bound that allows exactly the capacity.
std::vector<int> metis_partition(const ir::Program& p, const std::vector<ModuleSlot>& modules, bool kway) {
  const partition::InteractionGraph g = partition::interaction_graph(p);
  idx_t n = g.num_vertices, ncon = 1, nparts = static_cast<idx_t>(modules.size()), objval = 0;
  std::vector<idx_t> xadj(g.offsets.begin(), g.offsets.end());
  std::vector<idx_t> adjncy(g.neighbours.begin(), g.neighbours.end());
  std::vector<idx_t> adjwgt;
  adjwgt.reserve(g.weights.size());
  for (long long w : g.weights) adjwgt.push_back(static_cast<idx_t>(w));
  double total = 0;
  for (const auto& m : modules) total += m.capacity;
  std::vector<real_t> tpwgts;
  for (const auto& m : modules) tpwgts.push_back(static_cast<real_t>(m.capacity / total));
  // Part i may weigh up to ubvec * tpwgts[i] * n = capacity_i * (total / n) / (total / n).
  real_t ubvec = static_cast<real_t>(total / n);
  idx_t options[METIS_NOPTIONS];
  METIS_SetDefaultOptions(options);
  options[METIS_OPTION_SEED] = 1;
  std::vector<idx_t> part(static_cast<std::size_t>(n));
  const int status =
      !kway ? METIS_PartGraphRecursive(&n, &ncon, xadj.data(), adjncy.data(), nullptr, nullptr, adjwgt.data(), &nparts,
                                       tpwgts.data(), &ubvec, options, &objval, part.data())
            : METIS_PartGraphKway(&n, &ncon, xadj.data(), adjncy.data(), nullptr, nullptr, adjwgt.data(), &nparts,
                                  tpwgts.data(), &ubvec, options, &objval, part.data());
  if (status != METIS_OK) throw std::runtime_error("METIS failed with status " + std::to_string(status));
  return {part.begin(), part.end()};
}

long long over_capacity(const std::vector<int>& module_of, const std::vector<ModuleSlot>& modules) {
  std::vector<long long> used(modules.size(), 0);
  for (int m : module_of) ++used[static_cast<std::size_t>(m)];
  long long over = 0;
  for (std::size_t m = 0; m < modules.size(); ++m) over += std::max(0LL, used[m] - modules[m].capacity);
  return over;
}

long long multi_qubit_gates(const ir::Program& p) {
  long long n = 0;
  ir::for_each_op(p.ops, [&](const ir::Op& op) {
    if (const auto* g = std::get_if<ir::GateOp>(&op.v); g && g->qubits.size() >= 2) ++n;
  });
  return n;
}

void run(benchmark::State& state, const ir::Program& p, int k, const std::string& method) {
  const auto modules = equal_modules(p.num_qubits, k);
  long long cut = 0, over = 0;
  for (auto _ : state) {
    if (method.starts_with("metis")) {
      const std::vector<int> part = metis_partition(p, modules, method == "metis_kway");
      cut = partition::count_cut_gates(p, part);
      over = over_capacity(part, modules);
    } else {
      cut = partition::partition(p, modules, method).cut_gates;
    }
    benchmark::DoNotOptimize(cut);
  }
  state.counters["cut"] = static_cast<double>(cut);
  state.counters["qubits"] = p.num_qubits;
  state.counters["mq_gates"] = static_cast<double>(multi_qubit_gates(p));
  if (method.starts_with("metis")) state.counters["over_cap"] = static_cast<double>(over);
}

const bool registered = [] {
  for (const int k : {2, 4})
    for (const char* method : {"greedy", "spectral", "metis", "metis_kway"}) {
      for (const char* rel : kCircuits) {
        const std::string name = std::string(rel).substr(std::string(rel).find('/') + 1);
        benchmark::RegisterBenchmark(("Partition_Corpus/" + name + "/k" + std::to_string(k) + "/" + method).c_str(),
                                     [rel = std::string(rel), k, method = std::string(method)](benchmark::State& s) {
                                       std::string error;
                                       const ir::Program* p = corpus(rel, error);
                                       if (!p) {
                                         s.SkipWithError(error.c_str());
                                         return;
                                       }
                                       run(s, *p, k, method);
                                     })
            ->Unit(benchmark::kMillisecond);
      }
      // Random circuits, 4 two-qubit gates per qubit: the scaling that sets the `auto` threshold.
      for (const int reach : {0, 3})
        for (const int n : {100, 300, 1000, 3000, 10000, 30000, 60000})
          benchmark::RegisterBenchmark(
              (std::string(reach ? "Partition_Local" : "Partition_Random") + "/n" + std::to_string(n) + "/k" +
               std::to_string(k) + "/" + method)
                  .c_str(),
              [n, k, reach, method = std::string(method)](benchmark::State& s) {
                static std::map<std::pair<int, int>, ir::Program> programs;
                auto it = programs.find({n, reach});
                if (it == programs.end())
                  it = programs.emplace(std::pair{n, reach}, random_circuit(n, 4 * n, reach)).first;
                run(s, it->second, k, method);
              })
              ->Unit(benchmark::kMillisecond);
      for (const int n : {100, 300, 1000})
        benchmark::RegisterBenchmark(
            ("Partition_QftLike/n" + std::to_string(n) + "/k" + std::to_string(k) + "/" + method).c_str(),
            [n, k, method = std::string(method)](benchmark::State& s) {
              static std::map<int, ir::Program> programs;
              auto it = programs.find(n);
              if (it == programs.end()) it = programs.emplace(n, qft_like(n)).first;
              run(s, it->second, k, method);
            })
            ->Unit(benchmark::kMillisecond);
    }
  return true;
}();

}  // namespace
