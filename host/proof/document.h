// A signed three-layer proof (`.qproof`, format "qontos-proof/1", docs/formats/qproof.md).
//
// Each layer is an RFC 9162 Merkle tree over its ordered leaves. A leaf is a named JSON value,
// or a named blob kept beside the proof and addressed by its SHA-256. A leaf's bytes are the
// canonical JSON of {"name", "value"} or {"name", "blob": {"sha256", "size"}}. The layers are
// chained: the plan layer's first leaf is the integrity layer's hash and the result layer's
// first leaf is the plan layer's hash, so the result layer's hash (the root) commits to all
// three. The root is signed with Ed25519 over the DSSE pre-authentication encoding of a
// statement naming the format, the three layer hashes and the root.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base64.h"
#include "proof/keys.h"
#include "proof/merkle.h"

namespace qontos::proof {

inline constexpr const char* kProofFormat = "qontos-proof/1";
inline constexpr const char* kStatementPayloadType = "application/vnd.qontos.proof-statement+json";
inline constexpr std::size_t kLayerCount = 3;
inline constexpr const char* kLayerNames[kLayerCount] = {"integrity", "plan", "result"};

/// Sorted keys, no insignificant whitespace, numbers in nlohmann's shortest round-trip form.
std::string canonical_json(const nlohmann::json& value);

/// DSSE v1 pre-authentication encoding: "DSSEv1 <len(type)> <type> <len(body)> <body>".
std::string dsse_pae(std::string_view payload_type, std::string_view payload);

using qontos::base64_decode;
using qontos::base64_encode;

struct Leaf {
  std::string name;
  nlohmann::json value;             // a value leaf
  std::optional<std::string> blob;  // or a blob leaf: the bytes, stored beside the proof
};

/// The canonical leaf object ({"name","value"} or {"name","blob":{"sha256","size"}}).
nlohmann::json leaf_content(const Leaf& leaf);

/// The statement a proof signs.
nlohmann::json proof_statement(const std::array<Hash, kLayerCount>& layer_hashes);

struct BuiltProof {
  std::string text;                          // the canonical .qproof
  std::map<std::string, std::string> blobs;  // sha256 hex -> bytes, to store beside it
  std::array<Hash, kLayerCount> layer_hashes{};
  Hash root{};
};

/// Chains, hashes and signs three layers of leaves (integrity, plan, result). The chain leaves
/// are added here: callers pass the plan and result layers without them.
BuiltProof build_proof(const std::array<std::vector<Leaf>, kLayerCount>& layers, const SigningKey& key);

/// Where a proof's blobs live: "<proof path>.blobs/".
std::string blob_dir_for(const std::string& proof_path);

/// Writes the proof and its blobs (blobs first; each written once, atomically). Throws
/// std::runtime_error naming the path that could not be written.
void write_proof(const std::string& proof_path, const BuiltProof& proof);

}  // namespace qontos::proof
