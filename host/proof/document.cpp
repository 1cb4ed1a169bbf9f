#include "proof/document.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "common/atomic_file.h"
#include "ir/serialise_json.h"

namespace qontos::proof {

std::string canonical_json(const nlohmann::json& value) {
  // nlohmann::json keeps objects in std::map, so dump() sorts keys; -1 means compact.
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
}

std::string dsse_pae(std::string_view payload_type, std::string_view payload) {
  std::string out = "DSSEv1 ";
  out += std::to_string(payload_type.size());
  out += ' ';
  out += payload_type;
  out += ' ';
  out += std::to_string(payload.size());
  out += ' ';
  out += payload;
  return out;
}

nlohmann::json leaf_content(const Leaf& leaf) {
  nlohmann::json j;
  j["name"] = leaf.name;
  if (leaf.blob)
    j["blob"] = {{"sha256", ir::sha256_hex(*leaf.blob)}, {"size", leaf.blob->size()}};
  else
    j["value"] = leaf.value;
  return j;
}

nlohmann::json proof_statement(const std::array<Hash, kLayerCount>& layer_hashes) {
  nlohmann::json layers;
  for (std::size_t i = 0; i < kLayerCount; ++i) layers[kLayerNames[i]] = to_hex(layer_hashes[i]);
  return {{"format", kProofFormat}, {"layers", layers}, {"root", to_hex(layer_hashes[kLayerCount - 1])}};
}

BuiltProof build_proof(const std::array<std::vector<Leaf>, kLayerCount>& layers, const SigningKey& key) {
  BuiltProof built;
  nlohmann::json doc;
  doc["format"] = kProofFormat;
  doc["layers"] = nlohmann::json::array();
  for (std::size_t i = 0; i < kLayerCount; ++i) {
    std::vector<Leaf> leaves;
    leaves.reserve(layers[i].size() + 1);
    if (i > 0) leaves.push_back({std::string("chain/") + kLayerNames[i - 1], to_hex(built.layer_hashes[i - 1]), {}});
    leaves.insert(leaves.end(), layers[i].begin(), layers[i].end());
    std::vector<Hash> hashes;
    hashes.reserve(leaves.size());
    nlohmann::json leaf_array = nlohmann::json::array();
    for (const Leaf& leaf : leaves) {
      nlohmann::json content = leaf_content(leaf);
      hashes.push_back(leaf_hash(canonical_json(content)));
      if (leaf.blob) built.blobs[content["blob"]["sha256"].get<std::string>()] = *leaf.blob;
      leaf_array.push_back({{"leaf_hash", to_hex(hashes.back())}, {"content", std::move(content)}});
    }
    built.layer_hashes[i] = tree_hash(hashes);
    doc["layers"].push_back(
        {{"name", kLayerNames[i]}, {"hash", to_hex(built.layer_hashes[i])}, {"leaves", std::move(leaf_array)}});
  }
  built.root = built.layer_hashes[kLayerCount - 1];
  doc["root"] = to_hex(built.root);
  const std::string id = key_id(key.public_key);
  doc["signer"] = {{"key_id", id}, {"public_key", hex(key.public_key)}};
  const std::string payload = canonical_json(proof_statement(built.layer_hashes));
  const auto signature = sign(key, dsse_pae(kStatementPayloadType, payload));
  const std::string signature_bytes(signature.begin(), signature.end());
  doc["envelope"] = {{"payloadType", kStatementPayloadType},
                     {"payload", base64_encode(payload)},
                     {"signatures", {{{"keyid", id}, {"sig", base64_encode(signature_bytes)}}}}};
  built.text = canonical_json(doc);
  return built;
}

std::string blob_dir_for(const std::string& proof_path) {
  return proof_path + ".blobs";
}

void write_proof(const std::string& proof_path, const BuiltProof& proof) {
  if (!proof.blobs.empty()) {
    const std::filesystem::path dir = blob_dir_for(proof_path);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw std::runtime_error("cannot create '" + dir.string() + "': " + ec.message());
    for (const auto& [address, bytes] : proof.blobs)
      if (!write_file_atomically(dir / address, bytes))
        throw std::runtime_error("cannot write '" + (dir / address).string() + "'");
  }
  if (!write_file_atomically(proof_path, proof.text)) throw std::runtime_error("cannot write '" + proof_path + "'");
}

}  // namespace qontos::proof
