// Independent parts of a circuit, and the merge of their shots back into whole bitstrings.
#include "exec/split.h"

#include <gtest/gtest.h>

#include "exec/scheduler.h"
#include "passes/pipeline.h"

namespace qontos::exec {
namespace {

ir::Program normalised(const std::string& body) {
  return passes::compile_source("OPENQASM 3.0;\ninclude \"stdgates.inc\";\n" + body, "split.qasm", "normalise", {})
      .back()
      .program;
}

TEST(Split, DisjointGroupsBecomePartsWithTheirOwnBits) {
  auto p = normalised(
      "qubit[5] q;\nbit[5] c;\nh q[0];\ncx q[0], q[3];\nx q[2];\nc[4] = measure q[0];\nc[0] = measure q[3];\nc[1] = "
      "measure q[2];\n");
  auto parts = independent_parts(p);
  ASSERT_EQ(parts.size(), 2u);  // q[1] and q[4] are untouched: in no part
  EXPECT_EQ(parts[0].qubits, (std::vector<int>{0, 3}));
  EXPECT_EQ(parts[0].clbits, (std::vector<int>{0, 4}));
  EXPECT_EQ(parts[1].qubits, (std::vector<int>{2}));
  EXPECT_EQ(parts[1].clbits, (std::vector<int>{1}));
  EXPECT_EQ(parts[0].program.num_qubits, 2);
  EXPECT_EQ(parts[0].program.ops.size(), 4u);
  // Part bit strings: part 0 bits (c0, c4) = "ab" means c4=a, c0=b; part 1 bit c1.
  const std::string a = "10", b = "1";
  EXPECT_EQ(merge_shot(5, parts, {&a, &b}), "10010");
}

TEST(Split, ClassicalControlOrSharedBitsKeepTheCircuitWhole) {
  auto controlled = normalised("qubit[2] q;\nbit[2] c;\nc[0] = measure q[0];\nif (c[0]) x q[1];\n");
  EXPECT_EQ(independent_parts(controlled).size(), 1u);
  auto shared = normalised("qubit[2] q;\nbit[1] c;\nx q[0];\nc[0] = measure q[0];\nc[0] = measure q[1];\n");
  EXPECT_EQ(independent_parts(shared).size(), 1u);
}

TEST(Split, JoiningGatesCountsGatesAcrossGroups) {
  auto p = normalised("qubit[4] q;\ncx q[0], q[1];\ncx q[1], q[2];\nccx q[0], q[1], q[3];\nh q[2];\n");
  EXPECT_EQ(joining_gates(p, {0, 0, 1, 1}), 2);
  EXPECT_EQ(joining_gates(p, {0, 0, 0, 0}), 0);
}

TEST(Scheduler, WeightsParseAndRefuseNonsense) {
  Weights w = Weights::parse("fidelity=1,cost=0.5");
  EXPECT_EQ(w.fidelity, 1);
  EXPECT_EQ(w.cost, 0.5);
  EXPECT_EQ(w.queue, 0.2);
  EXPECT_THROW(Weights::parse("fidelity"), std::invalid_argument);
  EXPECT_THROW(Weights::parse("fidelity=x"), std::invalid_argument);
  EXPECT_THROW(Weights::parse("fidelity=0,queue=0,cost=0,capacity=0"), std::invalid_argument);
}

TEST(Scheduler, ChooseTakesTheHighestEligibleTotal) {
  std::vector<CandidateScore> c(3);
  c[0].eligible = true;
  c[0].total = 0.5;
  c[1].eligible = false;
  c[1].total = 0.9;
  c[2].eligible = true;
  c[2].total = 0.7;
  EXPECT_EQ(choose(c), 2u);
  c[0].eligible = c[2].eligible = false;
  EXPECT_FALSE(choose(c));
}

}  // namespace
}  // namespace qontos::exec
