// The right edge of an RFC 9162 Merkle tree: the roots of the perfect subtrees that make up a
// tree of n leaves (one per set bit of n, largest first). It is all an append needs: adding a
// leaf merges equal-sized subtrees, and the tree's root folds these roots from the right, both in
// O(log n) hashes without reading any earlier leaf.
#pragma once

#include <cstdint>
#include <vector>

#include "proof/merkle.h"

namespace qontos::ledger {

/// A perfect subtree: the 2^level leaves starting at leaf `begin` (a multiple of 2^level).
struct PerfectSubtree {
  std::uint64_t begin = 0;
  unsigned level = 0;
  std::uint64_t end() const { return begin + (std::uint64_t{1} << level); }
};

/// The perfect subtrees that make up a tree of `size` leaves, left to right.
std::vector<PerfectSubtree> perfect_subtrees_of(std::uint64_t size);

class CompactRange {
 public:
  CompactRange() = default;
  /// The range of a tree of `size` leaves given the roots of perfect_subtrees_of(size), in order.
  /// Throws std::invalid_argument when their number does not match.
  CompactRange(std::uint64_t size, std::vector<proof::Hash> roots);

  std::uint64_t size() const { return size_; }
  const std::vector<proof::Hash>& roots() const { return roots_; }

  /// Appends a leaf. `completed` receives the roots of the perfect subtrees this leaf completes
  /// above the leaf itself, from level 1 upward (as many as the trailing one bits of the old size).
  void append(const proof::Hash& leaf_hash, std::vector<proof::Hash>& completed);
  void append(const proof::Hash& leaf_hash);

  /// The RFC 9162 tree hash of the leaves so far (SHA-256 of nothing for an empty tree).
  proof::Hash root() const;

 private:
  std::uint64_t size_ = 0;
  std::vector<proof::Hash> roots_;
};

/// SHA-256 of the empty string: the hash of a tree without leaves.
proof::Hash empty_tree_hash();

}  // namespace qontos::ledger
