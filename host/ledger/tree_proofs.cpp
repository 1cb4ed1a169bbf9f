// RFC 9162 proofs over stored subtree roots, declared in tree_proofs.h. The recursion follows
// RFC 9162 §2.1.3.1 and §2.1.4.1 (and proof/merkle.cpp) with the subtree hash looked up.
#include "ledger/tree_proofs.h"

#include <bit>
#include <stdexcept>
#include <string>

namespace qontos::ledger {
namespace {

/// The largest power of two strictly below n (n >= 2).
std::uint64_t split_point(std::uint64_t n) {
  return std::bit_floor(n - 1);
}

/// The hash of leaves [begin, end). In the RFC's recursion `begin` is always a multiple of the
/// smallest power of two >= end - begin, so a power-of-two range is a stored perfect subtree.
proof::Hash range_hash(const SubtreeLookup& lookup, std::uint64_t begin, std::uint64_t end) {
  const std::uint64_t n = end - begin;
  if (std::has_single_bit(n)) return lookup({begin, static_cast<unsigned>(std::countr_zero(n))});
  const std::uint64_t k = split_point(n);
  return proof::node_hash(range_hash(lookup, begin, begin + k), range_hash(lookup, begin + k, end));
}

void path(const SubtreeLookup& lookup, std::uint64_t index, std::uint64_t begin, std::uint64_t end,
          std::vector<proof::Hash>& out) {
  if (end - begin <= 1) return;
  const std::uint64_t k = split_point(end - begin);
  if (index < begin + k) {
    path(lookup, index, begin, begin + k, out);
    out.push_back(range_hash(lookup, begin + k, end));
  } else {
    path(lookup, index, begin + k, end, out);
    out.push_back(range_hash(lookup, begin, begin + k));
  }
}

void subproof(const SubtreeLookup& lookup, std::uint64_t m, std::uint64_t begin, std::uint64_t end, bool complete,
              std::vector<proof::Hash>& out) {
  const std::uint64_t n = end - begin;
  if (m == n) {
    if (!complete) out.push_back(range_hash(lookup, begin, end));
    return;
  }
  const std::uint64_t k = split_point(n);
  if (m <= k) {
    subproof(lookup, m, begin, begin + k, complete, out);
    out.push_back(range_hash(lookup, begin + k, end));
  } else {
    subproof(lookup, m - k, begin + k, end, false, out);
    out.push_back(range_hash(lookup, begin, begin + k));
  }
}

}  // namespace

proof::Hash tree_root(const SubtreeLookup& lookup, std::uint64_t size) {
  if (size == 0) return empty_tree_hash();
  return range_hash(lookup, 0, size);
}

std::vector<proof::Hash> inclusion_path(const SubtreeLookup& lookup, std::uint64_t index, std::uint64_t size) {
  if (index >= size)
    throw std::out_of_range("inclusion proof of entry " + std::to_string(index) + " in a tree of " +
                            std::to_string(size) + " entries");
  std::vector<proof::Hash> out;
  path(lookup, index, 0, size, out);
  return out;
}

std::vector<proof::Hash> consistency_path(const SubtreeLookup& lookup, std::uint64_t old_size, std::uint64_t new_size) {
  if (old_size == 0 || old_size > new_size)
    throw std::out_of_range("consistency proof from " + std::to_string(old_size) + " to " + std::to_string(new_size) +
                            " entries");
  std::vector<proof::Hash> out;
  if (old_size < new_size) subproof(lookup, old_size, 0, new_size, true, out);
  return out;
}

}  // namespace qontos::ledger
