// Proofs from stored subtree roots against proof/merkle.h's proofs over all leaves: the same
// hashes for every index and size up to 40 and every pair of sizes up to 40, each accepted by
// proof::verify_inclusion / verify_consistency; and the number of lookups stays logarithmic.
#include "ledger/tree_proofs.h"

#include <gtest/gtest.h>

#include <string>

namespace qontos::ledger {
namespace {

struct Tree {
  std::vector<proof::Hash> leaves;
  std::size_t lookups = 0;
  SubtreeLookup lookup() {
    return [this](const PerfectSubtree& t) {
      ++lookups;
      EXPECT_EQ(t.begin % (std::uint64_t{1} << t.level), 0u) << "unaligned subtree";
      EXPECT_LE(t.end(), leaves.size());
      return proof::tree_hash(std::vector<proof::Hash>(leaves.begin() + static_cast<std::ptrdiff_t>(t.begin),
                                                       leaves.begin() + static_cast<std::ptrdiff_t>(t.end())));
    };
  }
};

Tree tree(std::size_t n) {
  Tree t;
  for (std::size_t i = 0; i < n; ++i) t.leaves.push_back(proof::leaf_hash("entry " + std::to_string(i)));
  return t;
}

std::vector<proof::Hash> prefix(const std::vector<proof::Hash>& v, std::size_t n) {
  return {v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n)};
}

TEST(TreeProofs, RootsMatchTheTreeHash) {
  Tree t = tree(40);
  for (std::size_t n = 0; n <= 40; ++n) EXPECT_EQ(tree_root(t.lookup(), n), proof::tree_hash(prefix(t.leaves, n))) << n;
}

TEST(TreeProofs, InclusionPathsMatchAndVerify) {
  Tree t = tree(40);
  for (std::size_t n = 1; n <= 40; ++n) {
    const auto leaves = prefix(t.leaves, n);
    const proof::Hash root = proof::tree_hash(leaves);
    for (std::size_t i = 0; i < n; ++i) {
      const auto path = inclusion_path(t.lookup(), i, n);
      ASSERT_EQ(path, proof::inclusion_proof(leaves, i)) << i << " of " << n;
      ASSERT_TRUE(proof::verify_inclusion(leaves[i], i, n, path, root));
    }
  }
  EXPECT_THROW(inclusion_path(t.lookup(), 5, 5), std::out_of_range);
}

TEST(TreeProofs, ConsistencyPathsMatchAndVerify) {
  Tree t = tree(40);
  for (std::size_t n = 1; n <= 40; ++n)
    for (std::size_t m = 1; m <= n; ++m) {
      const auto path = consistency_path(t.lookup(), m, n);
      ASSERT_EQ(path, proof::consistency_proof(prefix(t.leaves, n), m)) << m << " to " << n;
      ASSERT_TRUE(proof::verify_consistency(m, n, proof::tree_hash(prefix(t.leaves, m)),
                                            proof::tree_hash(prefix(t.leaves, n)), path));
    }
  EXPECT_THROW(consistency_path(t.lookup(), 0, 4), std::out_of_range);
  EXPECT_THROW(consistency_path(t.lookup(), 5, 4), std::out_of_range);
}

TEST(TreeProofs, LookupsGrowLogarithmically) {
  // A proof in a tree of 2^20 + 12345 leaves needs about log2 n subtrees, each at most log2 n
  // lookups; the fake store answers any perfect subtree with a hash of its coordinates.
  std::size_t lookups = 0;
  SubtreeLookup fake = [&](const PerfectSubtree& t) {
    ++lookups;
    return proof::leaf_hash(std::to_string(t.begin) + "/" + std::to_string(t.level));
  };
  const std::uint64_t n = (1u << 20) + 12345;
  EXPECT_EQ(inclusion_path(fake, 777777, n).size(), 21u);
  EXPECT_LT(lookups, 21u * 21u);
  lookups = 0;
  consistency_path(fake, 654321, n);
  EXPECT_LT(lookups, 21u * 21u);
}

}  // namespace
}  // namespace qontos::ledger
