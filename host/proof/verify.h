// Verifying a `.qproof`: recompute every leaf (and every blob beside it), every layer's tree
// hash and the chain between layers, the root, the signed statement and its Ed25519 signature,
// and name the first thing that does not hold.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "proof/document.h"
#include "proof/keys.h"

namespace qontos::proof {

struct VerifyReport {
  bool ok = false;
  /// Where verification stopped: "structure", "layer 1" .. "layer 3", "root", "signature".
  std::string failed_at;
  std::optional<std::size_t> failed_leaf;  // index within the layer, when a leaf failed
  std::string failed_leaf_name;
  std::string reason;
  std::array<bool, kLayerCount> layer_ok{};
  bool signature_ok = false;
  bool key_trusted = false;  // the signer is in the trusted keys (false when none were given)
  std::string key_id;
  std::string root;
  nlohmann::json document;  // the parsed proof (when it parsed)

  /// "layer 1: ok · layer 2: ok · layer 3: ok · signature: verified · root: <hex>", or the
  /// same line up to the first failure, which names its layer and leaf. (Whether the key was
  /// checked against trusted keys is key_trusted; the CLI says so on standard error.)
  std::string summary() const;
};

/// `blob_dir` is where blob leaves are looked up. With `trusted` the signer must be one of the
/// trusted keys; without it the signature is checked against the key the proof names.
VerifyReport verify_proof(const std::string& proof_text, const std::string& blob_dir,
                          const TrustedKeys* trusted = nullptr);

/// Only layers 1..`last_layer` (1-based) and their chain, without the root or the signature
/// (replay checks the integrity and plan layers before re-running).
VerifyReport verify_layers(const std::string& proof_text, const std::string& blob_dir, std::size_t last_layer);

/// The value of leaf `name` in layer `layer` (0-based) of a parsed proof, or nullptr.
const nlohmann::json* find_leaf(const nlohmann::json& proof, std::size_t layer, const std::string& name);

/// The bytes of a blob leaf, read from `blob_dir`; throws std::runtime_error when missing.
std::string read_blob(const nlohmann::json& proof, std::size_t layer, const std::string& name,
                      const std::string& blob_dir);

}  // namespace qontos::proof
