// The compact range against proof/merkle.h's tree hash for every size up to 130, the subtrees
// each append completes, and rebuilding a range from stored subtree roots.
#include "ledger/compact_range.h"

#include <gtest/gtest.h>

#include <string>

namespace qontos::ledger {
namespace {

std::vector<proof::Hash> leaves(std::size_t n) {
  std::vector<proof::Hash> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(proof::leaf_hash("leaf " + std::to_string(i)));
  return out;
}

TEST(CompactRange, RootEqualsTheTreeHashAtEverySize) {
  const auto all = leaves(130);
  CompactRange range;
  EXPECT_EQ(range.root(), proof::tree_hash({}));
  for (std::size_t n = 1; n <= all.size(); ++n) {
    range.append(all[n - 1]);
    const std::vector<proof::Hash> prefix(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
    ASSERT_EQ(range.root(), proof::tree_hash(prefix)) << n << " leaves";
    ASSERT_EQ(range.size(), n);
    ASSERT_EQ(range.roots().size(), static_cast<std::size_t>(std::popcount(n)));
  }
}

TEST(CompactRange, AppendReportsTheSubtreesItCompletes) {
  const auto all = leaves(16);
  CompactRange range;
  std::vector<proof::Hash> completed;
  for (std::size_t i = 0; i < all.size(); ++i) {
    range.append(all[i], completed);
    // Leaf i completes one subtree per trailing one bit of i: sizes 2, 4, ... ending at leaf i.
    ASSERT_EQ(completed.size(), static_cast<std::size_t>(std::countr_one(i))) << "leaf " << i;
    for (std::size_t level = 1; level <= completed.size(); ++level) {
      const std::size_t width = std::size_t{1} << level, begin = i + 1 - width;
      const std::vector<proof::Hash> sub(all.begin() + static_cast<std::ptrdiff_t>(begin),
                                         all.begin() + static_cast<std::ptrdiff_t>(i + 1));
      EXPECT_EQ(completed[level - 1], proof::tree_hash(sub)) << "leaf " << i << " level " << level;
    }
  }
}

TEST(CompactRange, RebuiltFromStoredRootsContinuesTheSameTree) {
  const auto all = leaves(45);
  for (std::size_t split = 0; split <= all.size(); ++split) {
    std::vector<proof::Hash> roots;
    for (const PerfectSubtree& t : perfect_subtrees_of(split)) {
      const std::vector<proof::Hash> sub(all.begin() + static_cast<std::ptrdiff_t>(t.begin),
                                         all.begin() + static_cast<std::ptrdiff_t>(t.end()));
      roots.push_back(proof::tree_hash(sub));
    }
    CompactRange range(split, roots);
    for (std::size_t i = split; i < all.size(); ++i) range.append(all[i]);
    ASSERT_EQ(range.root(), proof::tree_hash(all)) << "rebuilt at " << split;
  }
}

TEST(CompactRange, PerfectSubtreesFollowTheBinaryDigitsOfTheSize) {
  const auto parts = perfect_subtrees_of(13);  // 8 + 4 + 1
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].begin, 0u);
  EXPECT_EQ(parts[0].level, 3u);
  EXPECT_EQ(parts[1].begin, 8u);
  EXPECT_EQ(parts[1].level, 2u);
  EXPECT_EQ(parts[2].begin, 12u);
  EXPECT_EQ(parts[2].level, 0u);
  EXPECT_TRUE(perfect_subtrees_of(0).empty());
  EXPECT_THROW(CompactRange(3, {proof::Hash{}}), std::invalid_argument);
}

}  // namespace
}  // namespace qontos::ledger
