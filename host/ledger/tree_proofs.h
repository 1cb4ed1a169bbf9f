// RFC 9162 tree hashes, inclusion proofs and consistency proofs computed from stored perfect-
// subtree roots instead of from every leaf. Every subtree the RFC's recursion visits is either a
// perfect, aligned subtree (one lookup) or the right edge of the tree (at most log n lookups), so
// a proof over a million entries costs a few dozen lookups. The results are byte-identical to
// proof/merkle.h's, which works on a full vector of leaf hashes.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "ledger/compact_range.h"
#include "proof/merkle.h"

namespace qontos::ledger {

/// The root of a perfect subtree, wherever it is stored.
using SubtreeLookup = std::function<proof::Hash(const PerfectSubtree&)>;

/// The RFC 9162 hash of the first `size` leaves.
proof::Hash tree_root(const SubtreeLookup& lookup, std::uint64_t size);

/// The audit path of leaf `index` in the tree of the first `size` leaves (RFC 9162 §2.1.3.1).
/// Throws std::out_of_range unless index < size.
std::vector<proof::Hash> inclusion_path(const SubtreeLookup& lookup, std::uint64_t index, std::uint64_t size);

/// The proof that the first `old_size` leaves are a prefix of the first `new_size` (RFC 9162
/// §2.1.4.1); empty when the sizes are equal. Throws std::out_of_range unless
/// 0 < old_size <= new_size.
std::vector<proof::Hash> consistency_path(const SubtreeLookup& lookup, std::uint64_t old_size, std::uint64_t new_size);

}  // namespace qontos::ledger
