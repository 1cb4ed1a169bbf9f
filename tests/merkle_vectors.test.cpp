// The Merkle proof verifiers against the 196 inclusion and consistency vectors of the shared
// corpus (merkle/testdata, from transparency-dev/merkle): every valid proof verifies and every
// tampered one (wantErr) is rejected.
//
// A vector's hashes are base64 byte strings; ours are 32-byte SHA-256 values. Decoding follows
// the contract of the reference verifier that produced the vectors: it rejects a leaf hash that
// is not 32 bytes before verifying anything, but treats roots and proof entries as opaque byte
// strings that it only hashes and compares (so one valid vector compares two equal 12-byte
// "don't care" roots of equal-size trees). A root or proof entry of another length is carried
// as a stand-in, SHA-256 of a tag and the bytes: it equals only the stand-in of the same bytes
// and, short of a preimage, no hash a verifier computes, so the verifier still decides those
// cases. What cannot be read at all (bad base64, a size that is not an unsigned 64-bit integer)
// is rejected before the verifier is called.
#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "proof/merkle.h"
#include "support/corpus.h"

namespace qontos::proof {
namespace {

namespace corpus = qontos::testing::corpus;
using nlohmann::json;

std::string vectors_dir() {
  return std::string(QONTOS_CORPUS_DIR) + "/merkle/testdata";
}

std::vector<std::string> vector_files() {
  try {
    return corpus::list_files(vectors_dir(), ".json");
  } catch (const std::runtime_error&) {
    return {};  // CorpusHoldsEvery196Vectors reports the missing directory
  }
}

int& files_checked = corpus::checked_files_counter("merkle vectors", " in this run");

enum class Length { kExactly32, kAny };

/// A hash field of a vector, or nullopt when it is not a base64 string (or, with kExactly32,
/// not 32 bytes).
std::optional<Hash> decode_hash(const json& field, Length length_rule = Length::kAny) {
  if (!field.is_string()) return std::nullopt;
  const std::string text = field.get<std::string>();
  std::vector<unsigned char> bytes(text.size() * 3 / 4 + 3);
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(bytes.data(), bytes.size(), text.data(), text.size(), nullptr, &length, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size())
    return std::nullopt;
  Hash out{};
  if (length == out.size()) {
    std::copy_n(bytes.begin(), out.size(), out.begin());
    return out;
  }
  if (length_rule == Length::kExactly32) return std::nullopt;
  // Not a SHA-256 value: the stand-in described at the top of this file.
  static constexpr char kTag[] = "merkle-vector: byte string that is not a 32-byte hash";
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(kTag), sizeof kTag);
  crypto_hash_sha256_update(&state, bytes.data(), length);
  crypto_hash_sha256_final(&state, out.data());
  return out;
}

/// A proof field: null (Go's nil slice) is the empty proof.
std::optional<std::vector<Hash>> decode_proof(const json& field) {
  std::vector<Hash> out;
  if (field.is_null()) return out;
  if (!field.is_array()) return std::nullopt;
  for (const json& h : field) {
    auto decoded = decode_hash(h);
    if (!decoded) return std::nullopt;
    out.push_back(*decoded);
  }
  return out;
}

std::optional<std::size_t> decode_size(const json& field) {
  if (!field.is_number_unsigned()) return std::nullopt;
  const std::uint64_t value = field.get<std::uint64_t>();
  if (value > std::numeric_limits<std::size_t>::max()) return std::nullopt;
  return static_cast<std::size_t>(value);
}

struct Verdict {
  bool accepted = false;
  std::string why;  // for the failure message
};

Verdict check_inclusion(const json& v) {
  const auto index = decode_size(v.at("leafIdx")), size = decode_size(v.at("treeSize"));
  const auto root = decode_hash(v.at("root")), leaf = decode_hash(v.at("leafHash"), Length::kExactly32);
  const auto proof = decode_proof(v.at("proof"));
  if (!index || !size || !root || !leaf || !proof) return {false, "undecodable field"};
  const bool ok = verify_inclusion(*leaf, *index, *size, *proof, *root);
  return {ok, ok ? "verify_inclusion accepted" : "verify_inclusion rejected"};
}

Verdict check_consistency(const json& v) {
  const auto size1 = decode_size(v.at("size1")), size2 = decode_size(v.at("size2"));
  const auto root1 = decode_hash(v.at("root1")), root2 = decode_hash(v.at("root2"));
  const auto proof = decode_proof(v.at("proof"));
  if (!size1 || !size2 || !root1 || !root2 || !proof) return {false, "undecodable field"};
  const bool ok = verify_consistency(*size1, *size2, *root1, *root2, *proof);
  return {ok, ok ? "verify_consistency accepted" : "verify_consistency rejected"};
}

struct Vector {
  std::string kind;  // "inclusion" or "consistency"
  bool want_err = false;
  json doc;
};

Vector load(const std::string& relative_path) {
  Vector v;
  v.doc = json::parse(corpus::read_file(vectors_dir() + "/" + relative_path));
  if (v.doc.contains("leafIdx")) v.kind = "inclusion";
  if (v.doc.contains("size1")) v.kind = "consistency";
  v.want_err = v.doc.at("wantErr").get<bool>();
  return v;
}

TEST(MerkleVectors, CorpusHoldsEvery196Vectors) {
  const auto files = vector_files();
  ASSERT_EQ(files.size(), 196u) << "in " << vectors_dir();
  // Half of each kind, and few valid ones: a suite that accepted nothing would pass most cases,
  // so the valid ones are counted too.
  int inclusion = 0, consistency = 0, valid = 0;
  for (const std::string& f : files) {
    const Vector v = load(f);
    inclusion += v.kind == "inclusion";
    consistency += v.kind == "consistency";
    valid += !v.want_err;
  }
  EXPECT_EQ(inclusion, 98);
  EXPECT_EQ(consistency, 98);
  EXPECT_EQ(valid, 12);
}

class MerkleVector : public ::testing::TestWithParam<std::string> {};

TEST_P(MerkleVector, VerifierAgreesWithWantErr) {
  const std::string& path = GetParam();
  SCOPED_TRACE(vectors_dir() + "/" + path);
  const Vector v = load(path);
  ASSERT_FALSE(v.kind.empty()) << "neither an inclusion nor a consistency vector";
  // The folder names the kind; a vector filed under the other would test the wrong verifier.
  ASSERT_EQ(path.substr(0, path.find('/')), v.kind);
  const Verdict verdict = v.kind == "inclusion" ? check_inclusion(v.doc) : check_consistency(v.doc);
  EXPECT_EQ(verdict.accepted, !v.want_err)
      << v.doc.value("desc", "") << ": wantErr is " << v.want_err << " but " << verdict.why;
  ++files_checked;
}

INSTANTIATE_TEST_SUITE_P(Corpus, MerkleVector, ::testing::ValuesIn(vector_files()),
                         [](const ::testing::TestParamInfo<std::string>& p) {
                           // "inclusion/1/modified-proof[0]-bit-@3.json" -> "inclusion_1_modified_proof_0__bit__3"
                           std::string name = p.param.substr(0, p.param.rfind('.'));
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

}  // namespace
}  // namespace qontos::proof
