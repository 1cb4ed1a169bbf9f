// Ed25519 through libsodium: RFC 8032's first test vector (empty message), round trips, and
// the signatures a verifier must reject.
#include "proof/signing.h"

#include <gtest/gtest.h>

namespace qontos::proof {
namespace {

TEST(Signing, MatchesRfc8032TestVectorOne) {
  const auto seed = parse_hex<32>("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  ASSERT_TRUE(seed);
  const SigningKey key = key_from_seed(*seed);
  EXPECT_EQ(hex(key.public_key), "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  EXPECT_EQ(hex(sign(key, "")),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f059"
            "5bbe24655141438e7a100b");
}

TEST(Signing, VerifiesItsOwnSignaturesAndRejectsAnyChange) {
  const SigningKey key = generate_key();
  const std::string root = "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4";
  auto sig = sign(key, root);
  EXPECT_TRUE(verify_signature(key.public_key, root, sig));
  EXPECT_FALSE(verify_signature(key.public_key, root + "0", sig));
  EXPECT_FALSE(verify_signature(generate_key().public_key, root, sig));
  sig[10] ^= 1;
  EXPECT_FALSE(verify_signature(key.public_key, root, sig));
}

TEST(Signing, HexParsingIsStrict) {
  EXPECT_FALSE(parse_hex<32>("00"));
  EXPECT_FALSE(parse_hex<32>(std::string(64, 'z')));
  const auto k = generate_key();
  EXPECT_EQ(parse_hex<32>(hex(k.public_key)), k.public_key);
}

}  // namespace
}  // namespace qontos::proof
