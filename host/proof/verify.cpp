#include "proof/verify.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "ir/serialise_json.h"

namespace qontos::proof {
namespace {

using nlohmann::json;

/// Thrown inside verification; caught once and turned into the report's failure.
struct Failure {
  std::string where;
  std::optional<std::size_t> leaf;
  std::string leaf_name;
  std::string reason;
};

[[noreturn]] void fail(std::string where, std::string reason) {
  throw Failure{std::move(where), {}, {}, std::move(reason)};
}

std::string layer_label(std::size_t i) {
  return "layer " + std::to_string(i + 1);
}

void expect_keys(const json& object, const std::set<std::string>& keys, const std::string& where,
                 const std::string& what) {
  if (!object.is_object()) fail(where, what + " is not an object");
  for (const auto& k : keys)
    if (!object.contains(k)) fail(where, what + " has no \"" + k + "\"");
  for (const auto& item : object.items())
    if (!keys.count(item.key())) fail(where, what + " has an unexpected key \"" + item.key() + "\"");
}

const std::string& string_field(const json& object, const char* key, const std::string& where) {
  const json& v = object.at(key);
  if (!v.is_string()) fail(where, std::string("\"") + key + "\" is not a string");
  return v.get_ref<const std::string&>();
}

Hash hash_field(const json& object, const char* key, const std::string& where) {
  auto h = from_hex(string_field(object, key, where));
  if (!h) fail(where, std::string("\"") + key + "\" is not 64 hexadecimal digits");
  return *h;
}

std::string read_file(const std::filesystem::path& path, bool& found) {
  std::ifstream in(path, std::ios::binary);
  found = static_cast<bool>(in);
  std::stringstream buf;
  if (found) buf << in.rdbuf();
  return buf.str();
}

/// Checks the canonical form and the top-level shape.
json parse_structure(const std::string& text) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    fail("structure", std::string("not JSON: ") + e.what());
  }
  const std::string canonical = canonical_json(doc);
  if (canonical != text) {
    std::size_t at = 0;
    while (at < canonical.size() && at < text.size() && canonical[at] == text[at]) ++at;
    fail("structure",
         "not canonical JSON (sorted keys, no whitespace): first difference at byte " + std::to_string(at));
  }
  expect_keys(doc, {"format", "layers", "root", "signer", "envelope"}, "structure", "the proof");
  if (doc["format"] != kProofFormat)
    fail("structure", "format is " + doc["format"].dump() + ", this verifier reads \"" + kProofFormat + "\"");
  if (!doc["layers"].is_array() || doc["layers"].size() != kLayerCount)
    fail("structure", "\"layers\" must be an array of " + std::to_string(kLayerCount) + " layers");
  for (std::size_t i = 0; i < kLayerCount; ++i) {
    const json& layer = doc["layers"][i];
    expect_keys(layer, {"name", "hash", "leaves"}, layer_label(i), "the layer");
    if (layer["name"] != kLayerNames[i])
      fail(layer_label(i), "is named " + layer["name"].dump() + ", expected \"" + kLayerNames[i] + "\"");
    if (!layer["leaves"].is_array()) fail(layer_label(i), "\"leaves\" is not an array");
  }
  return doc;
}

void check_leaf_content(const json& content, const std::string& where) {
  if (!content.is_object()) fail(where, "content is not an object");
  if (!content.contains("name") || !content["name"].is_string()) fail(where, "content has no string \"name\"");
  if (content.contains("blob")) {
    expect_keys(content, {"name", "blob"}, where, "the content");
    expect_keys(content["blob"], {"sha256", "size"}, where, "the blob reference");
    if (!from_hex(string_field(content["blob"], "sha256", where))) fail(where, "blob sha256 is not 64 hex digits");
    if (!content["blob"]["size"].is_number_unsigned()) fail(where, "blob size is not a non-negative integer");
  } else {
    expect_keys(content, {"name", "value"}, where, "the content");
  }
}

/// Recomputes one layer; returns its tree hash (already compared with the recorded one).
Hash check_layer(const json& doc, std::size_t i, const std::string& blob_dir, const Hash* previous_layer) {
  const json& layer = doc["layers"][i];
  const json& leaves = layer["leaves"];
  const std::string where = layer_label(i);
  if (previous_layer && leaves.empty()) fail(where, "has no leaves (its first leaf must chain to the previous layer)");
  std::vector<Hash> hashes;
  hashes.reserve(leaves.size());
  for (std::size_t j = 0; j < leaves.size(); ++j) {
    const json& entry = leaves[j];
    std::string name;
    if (entry.is_object() && entry.contains("content") && entry["content"].is_object() &&
        entry["content"].contains("name") && entry["content"]["name"].is_string())
      name = entry["content"]["name"].get<std::string>();
    try {
      expect_keys(entry, {"leaf_hash", "content"}, where, "the leaf");
      const json& content = entry["content"];
      check_leaf_content(content, where);
      const Hash recorded = hash_field(entry, "leaf_hash", where);
      const Hash computed = leaf_hash(canonical_json(content));
      if (computed != recorded)
        fail(where, "content hashes to " + to_hex(computed) + " but the recorded leaf hash is " + to_hex(recorded));
      if (content.contains("blob")) {
        const std::string address = content["blob"]["sha256"].get<std::string>();
        bool found = false;
        const std::string bytes = read_file(std::filesystem::path(blob_dir) / address, found);
        if (!found) fail(where, "blob " + address + " is missing from " + blob_dir);
        if (ir::sha256_hex(bytes) != address || bytes.size() != content["blob"]["size"].get<std::uint64_t>())
          fail(where, "blob " + address + " in " + blob_dir + " does not match its address (hash " +
                          ir::sha256_hex(bytes) + ", " + std::to_string(bytes.size()) + " bytes)");
      }
      if (previous_layer && j == 0) {
        const std::string expected_name = std::string("chain/") + kLayerNames[i - 1];
        if (name != expected_name || !content.contains("value") || content["value"] != to_hex(*previous_layer))
          fail(where, "does not chain to " + layer_label(i - 1) + ": its first leaf must be \"" + expected_name +
                          "\" with value " + to_hex(*previous_layer));
      }
      hashes.push_back(computed);
    } catch (Failure& f) {
      f.leaf = j;
      f.leaf_name = name;
      throw;
    }
  }
  const Hash computed = tree_hash(hashes);
  const Hash recorded = hash_field(layer, "hash", where);
  if (computed != recorded)
    fail(where, "its leaves hash to " + to_hex(computed) + " but the recorded layer hash is " + to_hex(recorded));
  return computed;
}

void check_signature(const json& doc, const std::array<Hash, kLayerCount>& layer_hashes, const TrustedKeys* trusted,
                     VerifyReport& report) {
  const std::string where = "signature";
  expect_keys(doc["signer"], {"key_id", "public_key"}, where, "\"signer\"");
  const auto public_key = parse_hex<32>(string_field(doc["signer"], "public_key", where));
  if (!public_key) fail(where, "the signer's public key is not 64 hexadecimal digits");
  const std::string& id = string_field(doc["signer"], "key_id", where);
  report.key_id = id;
  if (id != key_id(*public_key))
    fail(where, "key id " + id + " is not derived from the public key (expected " + key_id(*public_key) + ")");
  const json& envelope = doc["envelope"];
  expect_keys(envelope, {"payloadType", "payload", "signatures"}, where, "the envelope");
  if (envelope["payloadType"] != kStatementPayloadType)
    fail(where, "payload type " + envelope["payloadType"].dump() + " is not \"" + kStatementPayloadType + "\"");
  const auto payload = base64_decode(string_field(envelope, "payload", where));
  if (!payload) fail(where, "the payload is not canonical base64");
  if (*payload != canonical_json(proof_statement(layer_hashes)))
    fail(where, "the signed statement does not name this proof's layer hashes and root");
  if (!envelope["signatures"].is_array() || envelope["signatures"].size() != 1)
    fail(where, "the envelope must hold exactly one signature");
  const json& entry = envelope["signatures"][0];
  expect_keys(entry, {"keyid", "sig"}, where, "the signature entry");
  if (string_field(entry, "keyid", where) != id) fail(where, "the signature's key id differs from the signer's");
  const auto sig_bytes = base64_decode(string_field(entry, "sig", where));
  if (!sig_bytes || sig_bytes->size() != 64) fail(where, "the signature is not 64 bytes of canonical base64");
  std::array<std::uint8_t, 64> sig{};
  std::copy(sig_bytes->begin(), sig_bytes->end(), sig.begin());
  if (!verify_signature(*public_key, dsse_pae(kStatementPayloadType, *payload), sig))
    fail(where, "the Ed25519 signature does not verify under key " + id);
  if (trusted) {
    const auto it = trusted->find(id);
    if (it == trusted->end() || it->second != *public_key) fail(where, "key " + id + " is not a trusted key");
    report.key_trusted = true;
  }
  report.signature_ok = true;
}

VerifyReport run(const std::string& text, const std::string& blob_dir, std::size_t last_layer, bool whole,
                 const TrustedKeys* trusted) {
  VerifyReport report;
  try {
    report.document = parse_structure(text);
    const json& doc = report.document;
    std::array<Hash, kLayerCount> hashes{};
    for (std::size_t i = 0; i < last_layer; ++i) {
      hashes[i] = check_layer(doc, i, blob_dir, i > 0 ? &hashes[i - 1] : nullptr);
      report.layer_ok[i] = true;
    }
    if (!whole) {
      report.ok = true;
      return report;
    }
    const Hash root = hash_field(doc, "root", "root");
    report.root = to_hex(root);
    if (root != hashes[kLayerCount - 1])
      fail("root", "the recorded root " + to_hex(root) + " is not layer 3's hash " + to_hex(hashes[kLayerCount - 1]));
    check_signature(doc, hashes, trusted, report);
    report.ok = true;
  } catch (const Failure& f) {
    report.failed_at = f.where;
    report.failed_leaf = f.leaf;
    report.failed_leaf_name = f.leaf_name;
    report.reason = f.reason;
  } catch (const json::exception& e) {
    report.failed_at = "structure";
    report.reason = e.what();
  }
  return report;
}

}  // namespace

std::string VerifyReport::summary() const {
  std::string out;
  auto sep = [&] {
    if (!out.empty()) out += " · ";
  };
  for (std::size_t i = 0; i < kLayerCount; ++i) {
    if (!layer_ok[i]) break;
    sep();
    out += layer_label(i) + ": ok";
  }
  if (!ok) {
    sep();
    out += failed_at + ": FAILED";
    if (failed_leaf)
      out +=
          " at leaf " + std::to_string(*failed_leaf) + (failed_leaf_name.empty() ? "" : " (" + failed_leaf_name + ")");
    out += ": " + reason;
    return out;
  }
  if (signature_ok) {
    sep();
    out += "signature: verified";
  }
  if (!root.empty()) {
    sep();
    out += "root: " + root;
  }
  return out;
}

VerifyReport verify_proof(const std::string& proof_text, const std::string& blob_dir, const TrustedKeys* trusted) {
  return run(proof_text, blob_dir, kLayerCount, true, trusted);
}

VerifyReport verify_layers(const std::string& proof_text, const std::string& blob_dir, std::size_t last_layer) {
  return run(proof_text, blob_dir, std::min(last_layer, kLayerCount), false, nullptr);
}

const nlohmann::json* find_leaf(const nlohmann::json& proof, std::size_t layer, const std::string& name) {
  for (const auto& entry : proof["layers"][layer]["leaves"])
    if (entry["content"]["name"] == name)
      return entry["content"].contains("value") ? &entry["content"]["value"] : &entry["content"];
  return nullptr;
}

std::string read_blob(const nlohmann::json& proof, std::size_t layer, const std::string& name,
                      const std::string& blob_dir) {
  const json* content = find_leaf(proof, layer, name);
  if (!content || !content->contains("blob")) throw std::runtime_error("the proof has no blob leaf '" + name + "'");
  bool found = false;
  const std::string address = (*content)["blob"]["sha256"].get<std::string>();
  std::string bytes = read_file(std::filesystem::path(blob_dir) / address, found);
  if (!found) throw std::runtime_error("blob " + address + " ('" + name + "') is missing from " + blob_dir);
  return bytes;
}

}  // namespace qontos::proof
