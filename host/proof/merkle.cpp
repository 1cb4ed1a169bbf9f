#include "proof/merkle.h"

#include <sodium.h>

#include <stdexcept>

#include "proof/signing.h"

namespace qontos::proof {
namespace {

Hash sha256_of(std::uint8_t prefix, const void* a, std::size_t a_size, const void* b = nullptr,
               std::size_t b_size = 0) {
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  crypto_hash_sha256_update(&state, &prefix, 1);
  if (a_size) crypto_hash_sha256_update(&state, static_cast<const unsigned char*>(a), a_size);
  if (b_size) crypto_hash_sha256_update(&state, static_cast<const unsigned char*>(b), b_size);
  Hash out;
  crypto_hash_sha256_final(&state, out.data());
  return out;
}

/// The largest power of two strictly below n (n >= 2).
std::size_t split_point(std::size_t n) {
  std::size_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

Hash subtree(const std::vector<Hash>& leaves, std::size_t begin, std::size_t end) {
  if (end - begin == 1) return leaves[begin];
  const std::size_t k = split_point(end - begin);
  return node_hash(subtree(leaves, begin, begin + k), subtree(leaves, begin + k, end));
}

void path(const std::vector<Hash>& leaves, std::size_t index, std::size_t begin, std::size_t end,
          std::vector<Hash>& out) {
  if (end - begin <= 1) return;
  const std::size_t k = split_point(end - begin);
  if (index < begin + k) {
    path(leaves, index, begin, begin + k, out);
    out.push_back(subtree(leaves, begin + k, end));
  } else {
    path(leaves, index, begin + k, end, out);
    out.push_back(subtree(leaves, begin, begin + k));
  }
}

void subproof(const std::vector<Hash>& leaves, std::size_t m, std::size_t begin, std::size_t end, bool complete,
              std::vector<Hash>& out) {
  const std::size_t n = end - begin;
  if (m == n) {
    if (!complete) out.push_back(subtree(leaves, begin, end));
    return;
  }
  const std::size_t k = split_point(n);
  if (m <= k) {
    subproof(leaves, m, begin, begin + k, complete, out);
    out.push_back(subtree(leaves, begin + k, end));
  } else {
    subproof(leaves, m - k, begin + k, end, false, out);
    out.push_back(subtree(leaves, begin, begin + k));
  }
}

}  // namespace

Hash leaf_hash(std::string_view data) {
  return sha256_of(0x00, data.data(), data.size());
}

Hash node_hash(const Hash& left, const Hash& right) {
  return sha256_of(0x01, left.data(), left.size(), right.data(), right.size());
}

Hash tree_hash(const std::vector<Hash>& leaf_hashes) {
  if (leaf_hashes.empty()) {
    Hash empty;
    crypto_hash_sha256(empty.data(), nullptr, 0);
    return empty;
  }
  return subtree(leaf_hashes, 0, leaf_hashes.size());
}

std::vector<Hash> inclusion_proof(const std::vector<Hash>& leaf_hashes, std::size_t index) {
  if (index >= leaf_hashes.size())
    throw std::out_of_range("inclusion_proof: leaf " + std::to_string(index) + " of a tree of " +
                            std::to_string(leaf_hashes.size()));
  std::vector<Hash> out;
  path(leaf_hashes, index, 0, leaf_hashes.size(), out);
  return out;
}

bool verify_inclusion(const Hash& leaf, std::size_t index, std::size_t tree_size, const std::vector<Hash>& proof,
                      const Hash& root) {
  if (index >= tree_size) return false;
  std::size_t fn = index, sn = tree_size - 1;
  Hash r = leaf;
  for (const Hash& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      r = node_hash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

std::vector<Hash> consistency_proof(const std::vector<Hash>& leaf_hashes, std::size_t old_size) {
  if (old_size == 0 || old_size > leaf_hashes.size())
    throw std::out_of_range("consistency_proof: old size " + std::to_string(old_size) + " for a tree of " +
                            std::to_string(leaf_hashes.size()));
  std::vector<Hash> out;
  if (old_size < leaf_hashes.size()) subproof(leaf_hashes, old_size, 0, leaf_hashes.size(), true, out);
  return out;
}

bool verify_consistency(std::size_t old_size, std::size_t new_size, const Hash& old_root, const Hash& new_root,
                        const std::vector<Hash>& proof) {
  if (old_size == 0 || old_size > new_size) return false;
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (proof.empty()) return false;
  std::vector<Hash> path = proof;
  if ((old_size & (old_size - 1)) == 0) path.insert(path.begin(), old_root);  // an exact power of two
  std::size_t fn = old_size - 1, sn = new_size - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0], sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == old_root && sr == new_root && sn == 0;
}

std::string to_hex(const Hash& h) {
  return hex(h);
}

std::optional<Hash> from_hex(std::string_view text) {
  return parse_hex<32>(text);
}

}  // namespace qontos::proof
