// What the partitioning methods share: the cut-gate count, the capacity check, the `auto` rule,
// method dispatch and the module slots of a device descriptor.
#include "partition/partition.h"

#include <algorithm>
#include <variant>

#include "partition/interaction_graph.h"

namespace qontos::partition {

namespace {

// `auto` uses spectral bisection while the interaction graph has at most this many edges (distinct
// interacting pairs), and the greedy walk above. Measured (docs/PARTITIONING.md, 2-core VM, k = 4):
// spectral's cost per edge is worst on random, expander-like graphs, 0.55 s CPU at 120,000 edges
// and 1.6 s at 240,000, while greedy stays linear (7 ms and 18 ms there) but needs 1.6 times the
// Bell pairs on random circuits and thousands of times as many on long, thin ones. The threshold
// keeps `auto` at about a second or less.
constexpr std::size_t kAutoSpectralMaxEdges = 150'000;

}  // namespace

long long count_cut_gates(const ir::Program& p, const std::vector<int>& module_of_qubit) {
  if (module_of_qubit.size() != static_cast<std::size_t>(p.num_qubits))
    throw PartitionError("partition assigns " + std::to_string(module_of_qubit.size()) +
                         " qubits but the program has " + std::to_string(p.num_qubits));
  long long cut = 0;
  std::vector<int> mods;
  ir::for_each_op(p.ops, [&](const ir::Op& op) {
    const auto* g = std::get_if<ir::GateOp>(&op.v);
    if (!g || g->qubits.size() < 2) return;
    mods.clear();
    for (int q : g->qubits) {
      if (q < 0 || q >= p.num_qubits)
        throw PartitionError("gate '" + g->name + "' acts on qubit " + std::to_string(q) + " outside the program's " +
                             std::to_string(p.num_qubits));
      mods.push_back(module_of_qubit[static_cast<std::size_t>(q)]);
    }
    std::sort(mods.begin(), mods.end());
    cut += static_cast<long long>(std::unique(mods.begin(), mods.end()) - mods.begin()) - 1;
  });
  return cut;
}

std::string choose_method(const ir::Program& p, const std::vector<ModuleSlot>& /*modules*/) {
  // Pair occurrences bound the distinct edges from above and cost no allocation; only when they
  // exceed the budget is the graph built to count distinct pairs (deep circuits on few qubits
  // repeat the same pairs many times).
  std::size_t pairs = 0;
  ir::for_each_op(p.ops, [&](const ir::Op& op) {
    const auto* g = std::get_if<ir::GateOp>(&op.v);
    if (g && g->qubits.size() >= 2) pairs += g->qubits.size() * (g->qubits.size() - 1) / 2;
  });
  if (pairs <= kAutoSpectralMaxEdges) return "spectral";
  return interaction_graph(p).num_edges() <= kAutoSpectralMaxEdges ? "spectral" : "greedy";
}

Partition partition(const ir::Program& p, const std::vector<ModuleSlot>& modules, const std::string& method,
                    const std::string& map_json, const std::string& origin) {
  const std::string m = method == "auto" ? choose_method(p, modules) : method;
  if (m == "greedy") return partition_greedy(p, modules);
  if (m == "spectral") return partition_spectral(p, modules);
  if (m == "manual") {
    if (map_json.empty()) throw PartitionError("partition method 'manual' needs a map file (see docs/PARTITIONING.md)");
    return partition_manual(p, modules, map_json, origin.empty() ? "partition map" : origin);
  }
  throw PartitionError("unknown partition method '" + method + "' (expected auto, greedy, spectral or manual)");
}

std::vector<ModuleSlot> modules_of(const device::Descriptor& d) {
  std::vector<ModuleSlot> out;
  if (d.modules.empty()) {
    out.push_back({d.name, d.num_qubits});
    return out;
  }
  for (const auto& m : d.modules) out.push_back({m.name, static_cast<int>(m.qubits.size())});
  return out;
}

namespace detail {

void check_fits(const ir::Program& p, const std::vector<ModuleSlot>& modules) {
  long long total = 0;
  std::string list;
  for (const auto& m : modules) {
    if (m.capacity < 0)
      throw PartitionError("module '" + m.name + "' has negative capacity " + std::to_string(m.capacity));
    total += m.capacity;
    list += (list.empty() ? "" : ", ") + m.name + ": " + std::to_string(m.capacity);
  }
  if (p.num_qubits > total)
    throw PartitionError("circuit needs " + std::to_string(p.num_qubits) + " qubits but the modules hold " +
                         std::to_string(total) + " in total" + (list.empty() ? " (no modules)" : " (" + list + ")"));
}

Partition finish(std::string method, const ir::Program& p, const std::vector<ModuleSlot>& modules,
                 std::vector<int> module_of_qubit) {
  Partition out;
  out.method = std::move(method);
  out.cut_gates = count_cut_gates(p, module_of_qubit);
  out.module_of_qubit = std::move(module_of_qubit);
  out.modules = modules;
  return out;
}

}  // namespace detail

}  // namespace qontos::partition
