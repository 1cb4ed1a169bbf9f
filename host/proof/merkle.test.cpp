// RFC 9162 Merkle trees against the published Certificate Transparency test vectors (the eight
// leaves and tree hashes of RFC 6962's reference test data), and inclusion proofs for every
// leaf of every tree size up to 40, including the tampered cases a verifier must reject.
#include "proof/merkle.h"

#include <gtest/gtest.h>

namespace qontos::proof {
namespace {

std::string bytes(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return out;
}

const char* const kLeaves[] = {
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};
const char* const kRoots[] = {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                              "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
                              "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
                              "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                              "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
                              "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
                              "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
                              "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

std::vector<Hash> leaves(std::size_t n) {
  std::vector<Hash> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(leaf_hash(bytes(kLeaves[i % 8]) + std::to_string(i / 8)));
  return out;
}

TEST(Merkle, TreeHashesMatchTheCertificateTransparencyVectors) {
  EXPECT_EQ(to_hex(tree_hash({})), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  std::vector<Hash> hs;
  for (std::size_t n = 1; n <= 8; ++n) {
    hs.push_back(leaf_hash(bytes(kLeaves[n - 1])));
    EXPECT_EQ(to_hex(tree_hash(hs)), kRoots[n - 1]) << n << " leaves";
  }
}

TEST(Merkle, EveryInclusionProofVerifiesAndTamperingIsRejected) {
  for (std::size_t n = 1; n <= 40; ++n) {
    const auto hs = leaves(n);
    const Hash root = tree_hash(hs);
    for (std::size_t i = 0; i < n; ++i) {
      const auto proof = inclusion_proof(hs, i);
      ASSERT_TRUE(verify_inclusion(hs[i], i, n, proof, root)) << "leaf " << i << " of " << n;
      if (n > 1) {
        EXPECT_FALSE(verify_inclusion(hs[(i + 1) % n], i, n, proof, root)) << "another leaf";
        EXPECT_FALSE(verify_inclusion(hs[i], (i + 1) % n, n, proof, root)) << "another index";
        // (The size is bound by the root a verifier trusts, which names its size: a proof can
        // also fit a larger size when the paths coincide, so only a different root is tested.)
        auto bigger = hs;
        bigger.push_back(leaf_hash("one more"));
        EXPECT_FALSE(verify_inclusion(hs[i], i, n + 1, proof, tree_hash(bigger))) << "another tree";
        auto bad = proof;
        bad[0][5] ^= 1;
        EXPECT_FALSE(verify_inclusion(hs[i], i, n, bad, root)) << "a flipped bit";
        bad = proof;
        bad.pop_back();
        EXPECT_FALSE(verify_inclusion(hs[i], i, n, bad, root)) << "a short proof";
      }
    }
    EXPECT_FALSE(verify_inclusion(hs[0], n, n, {}, root));
    EXPECT_THROW(inclusion_proof(hs, n), std::out_of_range);
  }
}

TEST(Merkle, ConsistencyProofsShowAppendOnlyAndRejectRewrites) {
  for (std::size_t n = 1; n <= 33; ++n) {
    const auto hs = leaves(n);
    const Hash new_root = tree_hash(hs);
    for (std::size_t m = 1; m <= n; ++m) {
      const std::vector<Hash> prefix(hs.begin(), hs.begin() + static_cast<std::ptrdiff_t>(m));
      const Hash old_root = tree_hash(prefix);
      const auto proof = consistency_proof(hs, m);
      ASSERT_TRUE(verify_consistency(m, n, old_root, new_root, proof)) << m << " -> " << n;
      if (m == n) continue;
      // A history rewritten in the old part: the old root no longer fits.
      auto rewritten = prefix;
      rewritten[m / 2] = leaf_hash("forged");
      EXPECT_FALSE(verify_consistency(m, n, tree_hash(rewritten), new_root, proof)) << m << " -> " << n;
      auto bad = proof;
      bad.back()[0] ^= 0x80;
      EXPECT_FALSE(verify_consistency(m, n, old_root, new_root, bad)) << m << " -> " << n;
      EXPECT_FALSE(verify_consistency(m, n, old_root, new_root, {})) << "an empty proof";
      EXPECT_FALSE(verify_consistency(n, m, new_root, old_root, proof)) << "sizes swapped";
    }
    EXPECT_THROW(consistency_proof(hs, 0), std::out_of_range);
    EXPECT_THROW(consistency_proof(hs, n + 1), std::out_of_range);
  }
}

TEST(Merkle, LeafAndNodeHashesAreDomainSeparated) {
  // A node can never pass for a leaf: the prefixes differ (the second-preimage defence).
  const Hash a = leaf_hash("a"), b = leaf_hash("b");
  std::string concatenated(reinterpret_cast<const char*>(a.data()), 32);
  concatenated.append(reinterpret_cast<const char*>(b.data()), 32);
  EXPECT_NE(node_hash(a, b), leaf_hash(concatenated));
}

TEST(Merkle, HexRoundTripsAndRefusesNonsense) {
  const Hash h = leaf_hash("x");
  EXPECT_EQ(from_hex(to_hex(h)), h);
  EXPECT_FALSE(from_hex("abc"));
  EXPECT_FALSE(from_hex(std::string(64, 'g')));
}

}  // namespace
}  // namespace qontos::proof
