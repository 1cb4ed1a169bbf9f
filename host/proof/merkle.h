// RFC 9162 (Certificate Transparency 2.0) Merkle trees over SHA-256, the structure of every
// layer of a run's proof (issue 4): the tree hash of a list of leaves, inclusion proofs, and
// their verification. Leaf hash = SHA-256(0x00 || data), interior node = SHA-256(0x01 || left ||
// right), and a tree of n leaves splits at the largest power of two below n (RFC 9162 §2.1.1).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qontos::proof {

using Hash = std::array<std::uint8_t, 32>;

Hash leaf_hash(std::string_view data);
Hash node_hash(const Hash& left, const Hash& right);

/// The Merkle tree hash of leaves given by their leaf hashes; the empty tree's hash is
/// SHA-256 of the empty string.
Hash tree_hash(const std::vector<Hash>& leaf_hashes);

/// The inclusion proof (audit path) of leaf `index`, RFC 9162 §2.1.3.1. Throws
/// std::out_of_range when index >= leaf count.
std::vector<Hash> inclusion_proof(const std::vector<Hash>& leaf_hashes, std::size_t index);

/// Whether `proof` shows that `leaf` is leaf `index` of a tree of `tree_size` leaves with hash
/// `root` (RFC 9162 §2.1.3.2).
bool verify_inclusion(const Hash& leaf, std::size_t index, std::size_t tree_size, const std::vector<Hash>& proof,
                      const Hash& root);

/// The consistency proof between the tree of the first `old_size` leaves and the whole tree
/// (RFC 9162 §2.1.4.1): it shows the larger tree only appends. Requires 0 < old_size <= leaf
/// count; empty when they are equal. Throws std::out_of_range otherwise.
std::vector<Hash> consistency_proof(const std::vector<Hash>& leaf_hashes, std::size_t old_size);

/// Whether `proof` shows that the tree (old_size, old_root) is a prefix of (new_size, new_root)
/// (RFC 9162 §2.1.4.2).
bool verify_consistency(std::size_t old_size, std::size_t new_size, const Hash& old_root, const Hash& new_root,
                        const std::vector<Hash>& proof);

std::string to_hex(const Hash& h);
/// Nullopt unless `hex` is exactly 64 hexadecimal digits.
std::optional<Hash> from_hex(std::string_view hex);

}  // namespace qontos::proof
