// Tests of the partitioners: cut counts on hand-built programs with known optimal cuts, capacity
// limits on random programs, determinism, the manual map's error messages, and agreement of the
// dense and Spectra eigensolvers.
#include "partition/partition.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "device/descriptor.h"
#include "partition/fiedler.h"
#include "partition/interaction_graph.h"
#include "passes/pipeline.h"

namespace qontos::partition {
namespace {

ir::Op gate(const std::string& name, std::vector<int> qubits, int controls = 0) {
  ir::GateOp g;
  g.name = name;
  g.qubits = std::move(qubits);
  g.controls = controls;
  return ir::Op(std::move(g));
}

ir::Program program(int qubits) {
  ir::Program p;
  p.num_qubits = qubits;
  if (qubits > 0) p.qregs.push_back({"q", qubits, 0});
  return p;
}

/// Two cliques, on the even and on the odd qubits, with their gates interleaved so that neither
/// qubit order nor gate order gives the answer away.
ir::Program two_cliques(int size) {
  ir::Program p = program(2 * size);
  for (int a = 0; a < size; ++a)
    for (int b = a + 1; b < size; ++b) {
      p.ops.push_back(gate("cx", {2 * a, 2 * b}));
      p.ops.push_back(gate("cz", {2 * b + 1, 2 * a + 1}));
    }
  return p;
}

ir::Program chain(int n) {
  ir::Program p = program(n);
  for (int q = 0; q + 1 < n; ++q) p.ops.push_back(gate("cx", {q, q + 1}));
  return p;
}

ir::Program random_program(int n, int gates, std::uint64_t seed) {
  ir::Program p = program(n);
  std::mt19937_64 gen(seed);
  for (int k = 0; k < gates; ++k) {
    const int a = static_cast<int>(gen() % static_cast<std::uint64_t>(n));
    int b = static_cast<int>(gen() % static_cast<std::uint64_t>(n - 1));
    if (b >= a) ++b;
    p.ops.push_back(gate(k % 7 == 0 ? "h" : "cx", k % 7 == 0 ? std::vector<int>{a} : std::vector<int>{a, b}));
  }
  return p;
}

std::vector<ModuleSlot> slots(std::vector<int> caps) {
  std::vector<ModuleSlot> out;
  for (std::size_t i = 0; i < caps.size(); ++i) out.push_back({"m" + std::to_string(i), caps[i]});
  return out;
}

void expect_valid(const Partition& part, const ir::Program& p) {
  ASSERT_EQ(part.module_of_qubit.size(), static_cast<std::size_t>(p.num_qubits));
  std::vector<int> used(part.modules.size(), 0);
  for (int m : part.module_of_qubit) {
    ASSERT_GE(m, 0);
    ASSERT_LT(m, static_cast<int>(part.modules.size()));
    ++used[static_cast<std::size_t>(m)];
  }
  for (std::size_t m = 0; m < used.size(); ++m) EXPECT_LE(used[m], part.modules[m].capacity) << part.modules[m].name;
  EXPECT_EQ(part.cut_gates, count_cut_gates(p, part.module_of_qubit));
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const PartitionError& e) {
    return e.what();
  }
  return "(no PartitionError)";
}

TEST(PartitionGraph, CountsEveryPairOfMultiQubitGatesIncludingBodies) {
  ir::Program p = program(4);
  p.ops.push_back(gate("cx", {1, 0}));
  p.ops.push_back(gate("cx", {0, 1}));
  p.ops.push_back(gate("ccx", {0, 2, 3}, 2));
  p.ops.push_back(gate("h", {3}));
  ir::IfOp branch;
  branch.then_ops.push_back(gate("cz", {2, 3}));
  ir::WhileOp loop;
  loop.body.push_back(gate("swap", {1, 3}));
  branch.else_ops.push_back(std::move(loop));
  p.ops.push_back(std::move(branch));

  const InteractionGraph g = interaction_graph(p);
  EXPECT_EQ(g.num_vertices, 4);
  EXPECT_EQ(g.num_edges(), 5u);
  EXPECT_EQ(g.weight(0, 1), 2);
  EXPECT_EQ(g.weight(1, 0), 2);
  EXPECT_EQ(g.weight(0, 2), 1);
  EXPECT_EQ(g.weight(0, 3), 1);
  EXPECT_EQ(g.weight(2, 3), 2);  // ccx and the cz in the if body
  EXPECT_EQ(g.weight(1, 3), 1);  // inside the while body
  EXPECT_EQ(g.weight(1, 2), 0);
  for (int v = 0; v < 4; ++v)
    for (int e = g.offsets[static_cast<std::size_t>(v)] + 1; e < g.offsets[static_cast<std::size_t>(v) + 1]; ++e)
      EXPECT_LT(g.neighbours[static_cast<std::size_t>(e) - 1], g.neighbours[static_cast<std::size_t>(e)]);
}

TEST(PartitionGraph, FromOpenQasm) {
  const ir::Program p = passes::compile_source(
                            "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[3] q;\nbit[1] c;\n"
                            "cx q[0], q[1];\nc[0] = measure q[0];\nif (c[0]) { cx q[1], q[2]; }\n",
                            "<test>", "normalise", {})
                            .back()
                            .program;
  const InteractionGraph g = interaction_graph(p);
  EXPECT_EQ(g.weight(0, 1), 1);
  EXPECT_EQ(g.weight(1, 2), 1);
  EXPECT_EQ(g.weight(0, 2), 0);
}

TEST(PartitionCut, CountsModulesSpannedMinusOne) {
  ir::Program p = program(4);
  p.ops.push_back(gate("ccx", {0, 1, 2}, 2));
  p.ops.push_back(gate("cx", {0, 3}));
  p.ops.push_back(gate("cx", {1, 2}));
  EXPECT_EQ(count_cut_gates(p, {0, 1, 2, 0}), 3);  // ccx spans 3 modules (2) + cx 1-2 (1)
  EXPECT_EQ(count_cut_gates(p, {0, 0, 0, 0}), 0);
  EXPECT_EQ(count_cut_gates(p, {0, 0, 1, 1}), 3);  // every gate spans the two modules once
  EXPECT_EQ(error_of([&] { count_cut_gates(p, {0, 0}); }), "partition assigns 2 qubits but the program has 4");
}

TEST(PartitionGreedy, TwoCliquesAreNotCut) {
  const ir::Program p = two_cliques(5);
  const Partition part = partition_greedy(p, slots({5, 5}));
  expect_valid(part, p);
  EXPECT_EQ(part.method, "greedy");
  EXPECT_EQ(part.cut_gates, 0);
}

TEST(PartitionSpectral, TwoCliquesAreNotCut) {
  for (int size : {5, 40}) {  // dense eigensolver, and Spectra is never needed (components)
    const ir::Program p = two_cliques(size);
    const Partition part = partition_spectral(p, slots({size, size}));
    expect_valid(part, p);
    EXPECT_EQ(part.method, "spectral");
    EXPECT_EQ(part.cut_gates, 0) << size;
  }
}

TEST(PartitionSpectral, ChainIsCutOnce) {
  for (int n : {2, 9, 10, 63, 64, 200, 1000}) {  // below and above the dense/Spectra switch
    const ir::Program p = chain(n);
    const int half = (n + 1) / 2;
    const Partition part = partition_spectral(p, slots({half, half}));
    expect_valid(part, p);
    EXPECT_EQ(part.cut_gates, 1) << n;
  }
  // Four modules: three cuts, each module a contiguous stretch.
  const ir::Program p = chain(100);
  const Partition part = partition_spectral(p, slots({25, 25, 25, 25}));
  expect_valid(part, p);
  EXPECT_EQ(part.cut_gates, 3);
}

TEST(PartitionSpectral, ComponentsAndIdleQubitsFillModulesWithoutCuts) {
  // Components of sizes 3, 3 and 2 plus two idle qubits into 5 + 5: {3, 2} and {3, 1, 1} fit.
  ir::Program p = program(10);
  for (auto [a, b] : {std::pair{0, 4}, {4, 8}, {1, 5}, {5, 9}, {2, 6}}) p.ops.push_back(gate("cx", {a, b}));
  const Partition part = partition_spectral(p, slots({5, 5}));
  expect_valid(part, p);
  EXPECT_EQ(part.cut_gates, 0);
}

TEST(PartitionSpectral, CutsTheLightestBridge) {
  // Two 6-cliques joined by one edge, with qubits numbered so that index order does not help.
  ir::Program p = program(12);
  for (int a = 0; a < 6; ++a)
    for (int b = a + 1; b < 6; ++b) {
      p.ops.push_back(gate("cx", {2 * a, 2 * b}));
      p.ops.push_back(gate("cx", {2 * a + 1, 2 * b + 1}));
    }
  p.ops.push_back(gate("cx", {4, 7}));
  const Partition part = partition_spectral(p, slots({6, 6}));
  expect_valid(part, p);
  EXPECT_EQ(part.cut_gates, 1);
  EXPECT_EQ(part.module_of_qubit[0], part.module_of_qubit[10]);
  EXPECT_NE(part.module_of_qubit[0], part.module_of_qubit[1]);
}

TEST(PartitionAll, CapacitiesAreRespectedAndResultsDeterministic) {
  const std::vector<std::vector<int>> configs = {{20, 20},      {13, 7, 20},         {40},
                                                 {1, 1, 1, 37}, {10, 10, 10, 10, 0}, {25, 30}};
  for (int n : {40, 150}) {
    const ir::Program p = random_program(n, 4 * n, 7);
    for (auto caps : configs) {
      if (n == 150)
        for (int& c : caps) c = c * 150 / 40 + 1;
      for (const std::string method : {"greedy", "spectral", "auto"}) {
        const Partition a = partition(p, slots(caps), method);
        expect_valid(a, p);
        const Partition b = partition(p, slots(caps), method);
        EXPECT_EQ(a.module_of_qubit, b.module_of_qubit) << method;
        EXPECT_EQ(a.cut_gates, b.cut_gates);
      }
    }
  }
}

TEST(PartitionAll, OneModuleAndEmptyProgram) {
  const ir::Program p = random_program(8, 30, 3);
  EXPECT_EQ(partition_greedy(p, slots({8})).cut_gates, 0);
  EXPECT_EQ(partition_spectral(p, slots({8})).cut_gates, 0);
  const ir::Program empty = program(0);
  EXPECT_TRUE(partition_spectral(empty, {}).module_of_qubit.empty());
  EXPECT_TRUE(partition_greedy(empty, slots({2})).module_of_qubit.empty());
}

TEST(PartitionSpectral, NeverWorseThanGreedyOnRandomPrograms) {
  // Not a law, but a regression guard: on these seeds spectral bisection wins or ties.
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const ir::Program p = random_program(30, 60, seed);
    EXPECT_LE(partition_spectral(p, slots({15, 15})).cut_gates, partition_greedy(p, slots({15, 15})).cut_gates) << seed;
  }
}

TEST(PartitionErrors, CircuitLargerThanModules) {
  const ir::Program p = chain(10);
  EXPECT_EQ(error_of([&] {
              partition_greedy(p, slots({4, 5}));
            }),
            "circuit needs 10 qubits but the modules hold 9 in total (m0: 4, m1: 5)");
  EXPECT_EQ(error_of([&] { partition_spectral(p, {}); }),
            "circuit needs 10 qubits but the modules hold 0 in total (no modules)");
  EXPECT_EQ(error_of([&] { partition(p, slots({10}), "metis"); }),
            "unknown partition method 'metis' (expected auto, greedy, spectral or manual)");
  EXPECT_EQ(error_of([&] { partition(p, slots({10}), "manual"); }),
            "partition method 'manual' needs a map file (see docs/PARTITIONING.md)");
}

TEST(PartitionManual, AcceptsNamesAndIndices) {
  ir::Program p;
  p.num_qubits = 5;
  p.qregs = {{"a", 2, 0}, {"b", 3, 2}};
  p.ops.push_back(gate("cx", {0, 2}));
  p.ops.push_back(gate("cx", {3, 4}));
  const Partition part =
      partition(p, slots({3, 2}), "manual",
                R"({"modules": {"a[0]": "m0", "a[1]": "m1", "b[0]": "m0", "3": "m1", "$4": "m0"}})", "map.json");
  expect_valid(part, p);
  EXPECT_EQ(part.method, "manual");
  EXPECT_EQ(part.module_of_qubit, (std::vector<int>{0, 1, 0, 1, 0}));
  EXPECT_EQ(part.cut_gates, 1);
}

TEST(PartitionManual, ErrorsNameTheProblem) {
  const ir::Program p = chain(4);
  const auto modules = slots({2, 2});
  auto err = [&](const std::string& json) { return error_of([&] { partition_manual(p, modules, json, "map.json"); }); };
  EXPECT_EQ(err(R"({"modules": {"0": "m0", "1": "m0", "2": "m1", "3": "m9"}})"),
            "map.json: qubit 3: module 'm9' is not a module of this device");
  EXPECT_EQ(err(R"({"modules": {"q[0]": "m0", "q[2]": "m1"}})"),
            "map.json: qubits q[1], q[3] are not mapped (every qubit needs a module)");
  EXPECT_EQ(err(R"({"modules": {"q[0]": "m0", "q[1]": "m0", "q[2]": "m1"}})"),
            "map.json: qubit q[3] is not mapped (every qubit needs a module)");
  EXPECT_EQ(err(R"({"modules": {"0": "m0", "1": "m0", "2": "m0", "3": "m1"}})"),
            "map.json: module 'm0': 3 qubits mapped but its capacity is 2");
  EXPECT_EQ(err(R"({"modules": {"q[4]": "m0"}})"),
            "map.json: qubit q[4]: not a qubit of this program (the program has 4 qubits (q[4]))");
  EXPECT_EQ(err(R"({"modules": {"r[0]": "m0"}})"),
            "map.json: qubit r[0]: not a qubit of this program (the program has 4 qubits (q[4]))");
  EXPECT_EQ(err(R"({"modules": {"q[1]": "m0", "1": "m1"}})"), "map.json: qubit q[1]: mapped twice (also as 1)");
  EXPECT_EQ(err(R"({"modules": {"0": 1}})"), "map.json: qubit 0: module must be a string (a module name)");
  EXPECT_EQ(err(R"({"modules": ["m0"]})"), "map.json: modules: must be an object from qubit to module name");
  EXPECT_EQ(err(R"({"qubits": {}})"), "map.json: qubits: unknown field (expected only \"modules\")");
  EXPECT_EQ(err(R"({})"), "map.json: modules: missing required field");
  EXPECT_EQ(err(R"([1])"), "map.json: document: must be a JSON object");
  EXPECT_EQ(err(R"({"modules": {"0": "m0",}})").rfind("map.json: malformed JSON: ", 0), 0u);
}

TEST(PartitionDevice, ModulesOfDescriptor) {
  const auto d = device::load_descriptor("modular-2x16", QONTOS_DEVICES_DIR);
  const auto m = modules_of(d);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].name, "A");
  EXPECT_EQ(m[0].capacity, 16);
  EXPECT_EQ(m[1].name, "B");
  device::Descriptor flat;
  flat.name = "flat";
  flat.num_qubits = 7;
  const auto f = modules_of(flat);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].name, "flat");
  EXPECT_EQ(f[0].capacity, 7);
}

TEST(PartitionAuto, SpectralUpTo150000EdgesThenGreedy) {
  EXPECT_EQ(choose_method(chain(30), slots({15, 15})), "spectral");
  EXPECT_EQ(partition(chain(30), slots({15, 15}), "auto").method, "spectral");
  EXPECT_EQ(choose_method(chain(150'001), slots({150'001})), "spectral");  // 150,000 edges
  EXPECT_EQ(choose_method(chain(150'002), slots({150'002})), "greedy");
  // Many gates on few pairs: the distinct edges count, not the gates.
  ir::Program deep = program(3);
  for (int k = 0; k < 60'000; ++k) deep.ops.push_back(gate("ccx", {0, 1, 2}, 2));
  EXPECT_EQ(choose_method(deep, slots({3})), "spectral");
}

TEST(PartitionFiedler, SpectraAgreesWithDense) {
  // Connected random weighted graphs (sparse, and dense enough to be an expander) with a simple
  // second eigenvalue, and a long chain; each through both of Spectra's operators.
  auto random_graph = [](int n, int extra_edges) {
    std::mt19937_64 gen(11);
    std::vector<std::pair<int, int>> pairs;
    for (int v = 1; v < n; ++v) pairs.emplace_back(static_cast<int>(gen() % static_cast<std::uint64_t>(v)), v);
    for (int k = 0; k < extra_edges; ++k) {
      const int a = static_cast<int>(gen() % static_cast<std::uint64_t>(n));
      const int b = static_cast<int>(gen() % static_cast<std::uint64_t>(n));
      if (a != b) pairs.emplace_back(a, b);
    }
    return graph_from_pairs(n, pairs);
  };
  std::vector<std::pair<int, int>> path;
  for (int v = 0; v + 1 < 300; ++v) path.emplace_back(v, v + 1);
  for (const auto& g : {random_graph(120, 200), random_graph(400, 1600), graph_from_pairs(300, path)}) {
    std::vector<int> all(static_cast<std::size_t>(g.num_vertices));
    for (int v = 0; v < g.num_vertices; ++v) all[static_cast<std::size_t>(v)] = v;
    const auto dense = fiedler_vector(g, all, EigenSolver::kDense);
    for (const EigenSolver solver :
         {EigenSolver::kSpectra, EigenSolver::kSpectraShiftInvert, EigenSolver::kSpectraPlain}) {
      const auto lanczos = fiedler_vector(g, all, solver);
      double dot = 0, sum = 0;
      for (std::size_t i = 0; i < all.size(); ++i) {
        dot += dense[i] * lanczos[i];
        sum += lanczos[i];
      }
      EXPECT_NEAR(dot, 1.0, 1e-6) << g.num_vertices << " " << static_cast<int>(solver);  // same sign, same vector
      EXPECT_NEAR(sum, 0.0, 1e-6);  // orthogonal to the constant vector
    }
  }
  // The chain's order is its own: ends first.
  const auto chain_graph = graph_from_pairs(300, path);
  std::vector<int> all(300);
  for (int v = 0; v < 300; ++v) all[static_cast<std::size_t>(v)] = v;
  EXPECT_EQ(fiedler_order(chain_graph, all, EigenSolver::kSpectra), all);
}

}  // namespace
}  // namespace qontos::partition
