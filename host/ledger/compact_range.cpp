// The compact range declared in compact_range.h.
#include "ledger/compact_range.h"

#include <bit>
#include <stdexcept>

namespace qontos::ledger {

std::vector<PerfectSubtree> perfect_subtrees_of(std::uint64_t size) {
  std::vector<PerfectSubtree> out;
  std::uint64_t begin = 0;
  for (int level = 63; level >= 0; --level)
    if (size >> level & 1) {
      out.push_back({begin, static_cast<unsigned>(level)});
      begin += std::uint64_t{1} << level;
    }
  return out;
}

CompactRange::CompactRange(std::uint64_t size, std::vector<proof::Hash> roots) : size_(size), roots_(std::move(roots)) {
  if (roots_.size() != static_cast<std::size_t>(std::popcount(size)))
    throw std::invalid_argument("a compact range of " + std::to_string(size) + " leaves needs " +
                                std::to_string(std::popcount(size)) + " subtree roots, not " +
                                std::to_string(roots_.size()));
}

void CompactRange::append(const proof::Hash& leaf_hash, std::vector<proof::Hash>& completed) {
  completed.clear();
  proof::Hash carry = leaf_hash;
  // Each trailing one bit of the old size is a subtree as large as the one being carried.
  for (std::uint64_t bits = size_; bits & 1; bits >>= 1) {
    carry = proof::node_hash(roots_.back(), carry);
    roots_.pop_back();
    completed.push_back(carry);
  }
  roots_.push_back(carry);
  ++size_;
}

void CompactRange::append(const proof::Hash& leaf_hash) {
  std::vector<proof::Hash> ignored;
  append(leaf_hash, ignored);
}

proof::Hash CompactRange::root() const {
  if (roots_.empty()) return empty_tree_hash();
  proof::Hash r = roots_.back();
  for (std::size_t i = roots_.size() - 1; i-- > 0;) r = proof::node_hash(roots_[i], r);
  return r;
}

proof::Hash empty_tree_hash() {
  return proof::tree_hash({});
}

}  // namespace qontos::ledger
