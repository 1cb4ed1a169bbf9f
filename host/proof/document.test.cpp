// The encodings a proof is made of: canonical JSON, DSSE's pre-authentication encoding (the
// example from the DSSE protocol document), strict base64, and the layer chaining of
// build_proof checked by recomputing it from the leaves with merkle.h.
#include "proof/document.h"

#include <gtest/gtest.h>

namespace qontos::proof {
namespace {

TEST(CanonicalJson, SortsKeysAndDropsWhitespace) {
  const auto doc = nlohmann::json::parse(R"({ "b": [1, 2.5, "x"], "a": {"d": null, "c": true} })");
  EXPECT_EQ(canonical_json(doc), R"({"a":{"c":true,"d":null},"b":[1,2.5,"x"]})");
  // Re-parsing and re-encoding is a fixed point, including for doubles.
  const auto numbers = nlohmann::json::parse("[0.1, 1e-300, 123456789012345678, -0.0, 0.30000000000000004]");
  EXPECT_EQ(canonical_json(nlohmann::json::parse(canonical_json(numbers))), canonical_json(numbers));
}

TEST(Dsse, PreAuthenticationEncodingMatchesTheProtocolExample) {
  EXPECT_EQ(dsse_pae("http://example.com/HelloWorld", "hello world"),
            "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  EXPECT_EQ(dsse_pae("", ""), "DSSEv1 0  0 ");
}

TEST(Base64, RoundTripsAndAcceptsOnlyTheCanonicalSpelling) {
  for (const std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"})
    EXPECT_EQ(base64_decode(base64_encode(s)), s);
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");  // RFC 4648 section 10
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_FALSE(base64_decode("Zm8"));     // missing padding
  EXPECT_FALSE(base64_decode("Zm9="));    // non-zero trailing bits: a second spelling of "fo"
  EXPECT_FALSE(base64_decode("Zm8=\n"));  // trailing garbage
  EXPECT_FALSE(base64_decode("Z!8="));
}

TEST(BuildProof, ChainsTheLayersAndSignsTheStatement) {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(1);
  const SigningKey key = key_from_seed(seed);
  std::array<std::vector<Leaf>, kLayerCount> layers;
  layers[0] = {{"device", nlohmann::json{{"qubits", 2}}, std::nullopt}, {"program", nullptr, std::string("h q[0];")}};
  layers[1] = {{"options", nlohmann::json{{"shots", 4}}, std::nullopt}};
  layers[2] = {{"counts", nlohmann::json{{"00", 4}}, std::nullopt}};
  const BuiltProof p = build_proof(layers, key);

  auto hashes_of = [](const std::vector<Leaf>& leaves) {
    std::vector<Hash> h;
    for (const auto& l : leaves) h.push_back(leaf_hash(canonical_json(leaf_content(l))));
    return h;
  };
  const Hash l1 = tree_hash(hashes_of(layers[0]));
  std::vector<Leaf> plan = {{"chain/integrity", to_hex(l1), std::nullopt}, layers[1][0]};
  const Hash l2 = tree_hash(hashes_of(plan));
  std::vector<Leaf> result = {{"chain/plan", to_hex(l2), std::nullopt}, layers[2][0]};
  const Hash l3 = tree_hash(hashes_of(result));
  EXPECT_EQ(p.layer_hashes[0], l1);
  EXPECT_EQ(p.layer_hashes[1], l2);
  EXPECT_EQ(p.root, l3);
  ASSERT_EQ(p.blobs.size(), 1u);
  EXPECT_EQ(p.blobs.begin()->second, "h q[0];");

  const auto doc = nlohmann::json::parse(p.text);
  EXPECT_EQ(canonical_json(doc), p.text);
  const auto payload = base64_decode(doc["envelope"]["payload"].get<std::string>());
  ASSERT_TRUE(payload);
  EXPECT_EQ(*payload, canonical_json(proof_statement(p.layer_hashes)));
  const auto sig = base64_decode(doc["envelope"]["signatures"][0]["sig"].get<std::string>());
  ASSERT_TRUE(sig && sig->size() == 64);
  std::array<std::uint8_t, 64> s{};
  std::copy(sig->begin(), sig->end(), s.begin());
  EXPECT_TRUE(verify_signature(key.public_key, dsse_pae(kStatementPayloadType, *payload), s));
  EXPECT_FALSE(verify_signature(key.public_key, *payload, s));  // the signature is over the PAE, not the bare payload
}

}  // namespace
}  // namespace qontos::proof
