// Proofs of real runs: systematic mutation of every part of a proof (each leaf's content and
// recorded hash, every layer hash, the root, the signature, the key id, the public key, the
// envelope, the JSON structure and the blobs beside it) must fail verification at the layer and
// leaf it touched; and the CLI's submit -> verify -> replay cycle.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "backends/registry.h"
#include "device/descriptor.h"
#include "ir/serialise_json.h"
#include "proof/replay.h"
#include "proof/run_proof.h"
#include "proof/verify.h"
#include "support/cli_runner.h"

namespace qontos {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const char* kGhz =
    "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[3];\ncreg c[3];\nh q[0];\ncx q[0],q[1];\ncx q[1],q[2];\n"
    "measure q -> c;\n";

proof::SigningKey test_key(std::uint8_t fill) {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(fill);
  return proof::key_from_seed(seed);
}

struct ProvenRun {
  proof::BuiltProof built;
  fs::path path;
  std::string blobs;
};

/// Runs `source` and writes its proof into a fresh directory.
ProvenRun prove(const std::string& source, const std::string& name, const std::string& device = "",
                std::int64_t shots = 16) {
  proof::RecordedRun run;
  run.source = source;
  run.path = name + ".qasm";
  run.options.shots = shots;
  run.options.seed = 11;
  run.options.device = device;
  run.options.record_shots = true;
  run.options.compiler_version = "qontos test";
  const std::string devices = device::default_devices_dir();
  auto registry = backends::BackendRegistry::load(backends::BackendRegistry::default_path(devices), devices);
  const exec::RunOutcome outcome = exec::submit_source(run.source, run.path, run.options, registry);
  proof::Provenance who{"tester", "lab", "host", "2026-12-03T00:00:00Z", "test", json::array()};
  ProvenRun p;
  p.built = proof::build_proof(proof::run_layers(run, outcome, who), test_key(7));
  p.path = testing::scratch() / (name + ".qproof");
  p.blobs = proof::blob_dir_for(p.path.string());
  proof::write_proof(p.path.string(), p.built);
  return p;
}

proof::VerifyReport verify_mutated(const json& doc, const ProvenRun& p) {
  return proof::verify_proof(proof::canonical_json(doc), p.blobs);
}

std::string where(const proof::VerifyReport& r) {
  return r.failed_at + (r.failed_leaf ? " leaf " + std::to_string(*r.failed_leaf) : "") + ": " + r.reason;
}

class ProofMutation : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { run_ = new ProvenRun(prove(kGhz, "ghz")); }
  static void TearDownTestSuite() { delete run_; }
  static json doc() { return json::parse(run_->built.text); }
  static ProvenRun* run_;
};
ProvenRun* ProofMutation::run_ = nullptr;

TEST_F(ProofMutation, TheUnchangedProofVerifies) {
  const auto r = proof::verify_proof(run_->built.text, run_->blobs);
  ASSERT_TRUE(r.ok) << r.summary();
  EXPECT_EQ(r.root, proof::to_hex(run_->built.root));
  EXPECT_EQ(r.summary(), "layer 1: ok · layer 2: ok · layer 3: ok · signature: verified · root: " + r.root);
  EXPECT_FALSE(r.key_trusted);
  // The layers are chained and every pass and shot is a leaf.
  const json d = doc();
  EXPECT_EQ(d["layers"][1]["leaves"][0]["content"]["value"], d["layers"][0]["hash"]);
  EXPECT_EQ(d["layers"][2]["leaves"][0]["content"]["value"], d["layers"][1]["hash"]);
  EXPECT_NE(proof::find_leaf(d, 1, "ir/part0/route"), nullptr);
  EXPECT_NE(proof::find_leaf(d, 2, "shot/15"), nullptr);
  EXPECT_EQ(proof::find_leaf(d, 2, "shot/16"), nullptr);
}

TEST_F(ProofMutation, EveryLeafContentChangeIsNamed) {
  const json original = doc();
  std::size_t checked = 0;
  for (std::size_t i = 0; i < proof::kLayerCount; ++i) {
    for (std::size_t j = 0; j < original["layers"][i]["leaves"].size(); ++j) {
      json d = original;
      json& content = d["layers"][i]["leaves"][j]["content"];
      if (content.contains("blob"))
        content["blob"]["size"] = content["blob"]["size"].get<std::uint64_t>() + 1;
      else
        content["value"] = json{{"mutated", content["value"]}};
      const auto r = verify_mutated(d, *run_);
      SCOPED_TRACE(content["name"].get<std::string>());
      ASSERT_FALSE(r.ok);
      EXPECT_EQ(r.failed_at, "layer " + std::to_string(i + 1)) << where(r);
      ASSERT_TRUE(r.failed_leaf.has_value()) << where(r);
      EXPECT_EQ(*r.failed_leaf, j);
      EXPECT_EQ(r.failed_leaf_name, content["name"].get<std::string>());
      EXPECT_NE(r.summary().find("leaf " + std::to_string(j)), std::string::npos) << r.summary();
      ++checked;
    }
  }
  EXPECT_GT(checked, 40u);  // 3 qubits, 16 shots, 9 passes: every leaf was mutated
}

TEST_F(ProofMutation, EveryRecordedLeafHashChangeIsNamed) {
  const json original = doc();
  for (std::size_t i = 0; i < proof::kLayerCount; ++i) {
    for (std::size_t j = 0; j < original["layers"][i]["leaves"].size(); ++j) {
      json d = original;
      std::string h = d["layers"][i]["leaves"][j]["leaf_hash"];
      h[5] = h[5] == '0' ? '1' : '0';
      d["layers"][i]["leaves"][j]["leaf_hash"] = h;
      const auto r = verify_mutated(d, *run_);
      ASSERT_FALSE(r.ok);
      EXPECT_EQ(r.failed_at, "layer " + std::to_string(i + 1)) << where(r);
      EXPECT_EQ(r.failed_leaf, j) << where(r);
    }
  }
}

TEST_F(ProofMutation, ARecomputedLeafStillBreaksItsLayer) {
  // An editor who also fixes the leaf hash is caught by the layer's tree hash.
  json d = doc();
  json& entry = d["layers"][2]["leaves"][1];
  entry["content"]["value"] = json{{"000", 16}};
  entry["leaf_hash"] = proof::to_hex(proof::leaf_hash(proof::canonical_json(entry["content"])));
  const auto r = verify_mutated(d, *run_);
  EXPECT_EQ(r.failed_at, "layer 3") << where(r);
  EXPECT_FALSE(r.failed_leaf.has_value());
  EXPECT_NE(r.reason.find("recorded layer hash"), std::string::npos);
}

TEST_F(ProofMutation, ReorderedInsertedAndRemovedLeavesBreakTheirLayer) {
  const json original = doc();
  for (std::size_t i = 0; i < proof::kLayerCount; ++i) {
    json swapped = original, removed = original, inserted = original;
    auto& leaves = swapped["layers"][i]["leaves"];
    std::swap(leaves[1], leaves[2]);
    removed["layers"][i]["leaves"].erase(removed["layers"][i]["leaves"].size() - 1);
    inserted["layers"][i]["leaves"].push_back(original["layers"][i]["leaves"][1]);
    for (const json* d : {&swapped, &removed, &inserted}) {
      const auto r = verify_mutated(*d, *run_);
      ASSERT_FALSE(r.ok);
      EXPECT_EQ(r.failed_at, "layer " + std::to_string(i + 1)) << where(r);
    }
  }
  // Moving the chain leaf away from the front is named as a broken chain.
  json d = original;
  std::swap(d["layers"][1]["leaves"][0], d["layers"][1]["leaves"][1]);
  const auto r = verify_mutated(d, *run_);
  EXPECT_EQ(r.failed_at, "layer 2");
  EXPECT_EQ(r.failed_leaf, 0u);
  EXPECT_NE(r.reason.find("does not chain"), std::string::npos) << where(r);
}

TEST_F(ProofMutation, LayerHashesRootSignatureAndKeyAreChecked) {
  const json original = doc();
  auto flip = [](std::string s) {
    s[3] = s[3] == 'a' ? 'b' : 'a';
    return s;
  };
  for (std::size_t i = 0; i < proof::kLayerCount; ++i) {
    json d = original;
    d["layers"][i]["hash"] = flip(d["layers"][i]["hash"]);
    const auto r = verify_mutated(d, *run_);
    EXPECT_EQ(r.failed_at, "layer " + std::to_string(i + 1)) << where(r);
  }
  struct Case {
    const char* what;
    std::function<void(json&)> mutate;
    const char* failed_at;
  };
  const std::vector<Case> cases = {
      {"root", [&](json& d) { d["root"] = flip(d["root"]); }, "root"},
      {"signature byte",
       [&](json& d) {
         auto sig = *proof::base64_decode(d["envelope"]["signatures"][0]["sig"].get<std::string>());
         sig[0] = static_cast<char>(sig[0] ^ 1);
         d["envelope"]["signatures"][0]["sig"] = proof::base64_encode(sig);
       },
       "signature"},
      {"signature encoding", [&](json& d) { d["envelope"]["signatures"][0]["sig"] = "not base64!"; }, "signature"},
      {"key id", [&](json& d) { d["signer"]["key_id"] = flip(d["signer"]["key_id"]); }, "signature"},
      {"key id in the envelope",
       [&](json& d) { d["envelope"]["signatures"][0]["keyid"] = flip(d["signer"]["key_id"]); }, "signature"},
      {"public key",
       [&](json& d) {
         d["signer"]["public_key"] = proof::hex(test_key(9).public_key);
         d["signer"]["key_id"] = proof::key_id(test_key(9).public_key);
         d["envelope"]["signatures"][0]["keyid"] = d["signer"]["key_id"];
       },
       "signature"},
      {"payload", [&](json& d) { d["envelope"]["payload"] = proof::base64_encode(R"({"format":"qontos-proof/1"})"); },
       "signature"},
      {"payload type", [&](json& d) { d["envelope"]["payloadType"] = "text/plain"; }, "signature"},
      {"second signature", [&](json& d) { d["envelope"]["signatures"].push_back(d["envelope"]["signatures"][0]); },
       "signature"},
      {"format version", [&](json& d) { d["format"] = "qontos-proof/2"; }, "structure"},
      {"extra key", [&](json& d) { d["note"] = "hi"; }, "structure"},
      {"missing signer", [&](json& d) { d.erase("signer"); }, "structure"},
      {"layers reordered", [&](json& d) { std::swap(d["layers"][0], d["layers"][1]); }, "layer 1"},
      {"layer dropped", [&](json& d) { d["layers"].erase(2); }, "structure"},
      {"leaf without content", [&](json& d) { d["layers"][0]["leaves"][0].erase("content"); }, "layer 1"},
      {"leaf with both value and blob", [&](json& d) { d["layers"][1]["leaves"][2]["content"]["value"] = 1; },
       "layer 2"},
  };
  for (const auto& c : cases) {
    json d = original;
    c.mutate(d);
    const auto r = verify_mutated(d, *run_);
    EXPECT_FALSE(r.ok) << c.what;
    EXPECT_EQ(r.failed_at, c.failed_at) << c.what << ": " << where(r);
  }
}

TEST_F(ProofMutation, NonCanonicalOrTruncatedJsonIsRejected) {
  const std::string text = run_->built.text;
  for (const std::string& bad :
       {json::parse(text).dump(2), text + "\n", text.substr(0, text.size() / 2), std::string("[]"), std::string()}) {
    const auto r = proof::verify_proof(bad, run_->blobs);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.failed_at, "structure") << r.reason;
  }
  // A byte flipped inside a string that stays valid JSON is caught at its leaf.
  std::string flipped = text;
  const auto at = flipped.find("\"shot/3\",\"value\":\"");
  ASSERT_NE(at, std::string::npos);
  char& bit = flipped[at + 18];
  bit = bit == '0' ? '1' : '0';
  const auto r = proof::verify_proof(flipped, run_->blobs);
  EXPECT_EQ(r.failed_at, "layer 3");
  EXPECT_EQ(r.failed_leaf_name, "shot/3");
}

TEST_F(ProofMutation, EveryBlobIsCheckedBesideTheProof) {
  const json d = doc();
  ASSERT_FALSE(run_->built.blobs.empty());
  for (const auto& [address, bytes] : run_->built.blobs) {
    const fs::path file = fs::path(run_->blobs) / address;
    // Find the first leaf that refers to this blob: that is the one verification must name.
    std::string first_leaf;
    std::size_t first_layer = 0;
    for (std::size_t i = 0; i < proof::kLayerCount && first_leaf.empty(); ++i)
      for (const auto& e : d["layers"][i]["leaves"])
        if (e["content"].contains("blob") && e["content"]["blob"]["sha256"] == address) {
          first_leaf = e["content"]["name"];
          first_layer = i;
          break;
        }
    std::string changed = bytes;
    changed.back() = static_cast<char>(changed.back() ^ 0x20);
    std::ofstream(file, std::ios::binary | std::ios::trunc) << changed;
    auto r = proof::verify_proof(run_->built.text, run_->blobs);
    EXPECT_EQ(r.failed_at, "layer " + std::to_string(first_layer + 1)) << where(r);
    EXPECT_EQ(r.failed_leaf_name, first_leaf);
    EXPECT_NE(r.reason.find("does not match its address"), std::string::npos) << where(r);
    fs::remove(file);
    r = proof::verify_proof(run_->built.text, run_->blobs);
    EXPECT_EQ(r.failed_leaf_name, first_leaf);
    EXPECT_NE(r.reason.find("missing"), std::string::npos) << where(r);
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
  }
  EXPECT_TRUE(proof::verify_proof(run_->built.text, run_->blobs).ok);
}

TEST_F(ProofMutation, AResignedForgeryFailsOnlyAgainstTrustedKeys) {
  // Someone who rewrites a result and signs it with their own key makes a self-consistent
  // proof; only the trusted-keys list tells it apart.
  json d = doc();
  const proof::SigningKey forger = test_key(42);
  std::array<std::vector<proof::Leaf>, proof::kLayerCount> layers;
  for (std::size_t i = 0; i < proof::kLayerCount; ++i)
    for (std::size_t j = i == 0 ? 0 : 1; j < d["layers"][i]["leaves"].size(); ++j) {
      const json& c = d["layers"][i]["leaves"][j]["content"];
      proof::Leaf leaf{c["name"], c.contains("value") ? c["value"] : json(nullptr), std::nullopt};
      if (c.contains("blob"))
        leaf.blob = proof::read_blob(d, i, c["name"], run_->blobs);
      else if (leaf.name == "counts")
        leaf.value = json{{"111", 16}};
      layers[i].push_back(leaf);
    }
  const proof::BuiltProof forged = proof::build_proof(layers, forger);
  EXPECT_TRUE(proof::verify_proof(forged.text, run_->blobs).ok);
  const proof::TrustedKeys trusted{{proof::key_id(test_key(7).public_key), test_key(7).public_key}};
  const auto r = proof::verify_proof(forged.text, run_->blobs, &trusted);
  EXPECT_EQ(r.failed_at, "signature");
  EXPECT_NE(r.reason.find("not a trusted key"), std::string::npos);
  const auto genuine = proof::verify_proof(run_->built.text, run_->blobs, &trusted);
  EXPECT_TRUE(genuine.ok);
  EXPECT_TRUE(genuine.key_trusted);
}

TEST(ProofReplay, TheSameSeedReproducesTheResultRecordsExactly) {
  for (const std::string device : {"", "superconducting-grid-16"}) {
    SCOPED_TRACE(device);
    const ProvenRun p = prove(kGhz, "replay" + device, device, 64);
    proof::ReplayOptions o;
    o.compiler_version = "qontos test";
    proof::Provenance later{"someone else", "lab", "elsewhere", "2027-01-01T00:00:00Z", "audit", json::array()};
    const proof::ReplayReport r = proof::replay(p.built.text, p.blobs, o, test_key(7), later);
    EXPECT_TRUE(r.passes_reproduced());
    EXPECT_EQ(r.passes.size(), 9u);
    EXPECT_TRUE(r.same_integrity);
    EXPECT_TRUE(r.same_plan);
    EXPECT_TRUE(r.same_result_records) << r.first_result_difference;
    EXPECT_EQ(r.distance.total_variation, 0);
    EXPECT_NE(r.new_proof.root, p.built.root);  // the provenance is new
    EXPECT_EQ(r.new_proof.layer_hashes[1], p.built.layer_hashes[1]);

    // Another seed: same plan apart from the seeds, a different sample of the same distribution.
    o.seed = 12345;
    const proof::ReplayReport other = proof::replay(p.built.text, p.blobs, o, test_key(7), later);
    EXPECT_FALSE(other.same_result_records);
    EXPECT_GT(other.distance.p_value, 1e-4);
    if (device.empty()) {
      EXPECT_LT(other.distance.total_variation, 0.3);
    }
  }
}

TEST(ProofReplay, RefusesAProofWhosePlanDoesNotVerify) {
  const ProvenRun p = prove(kGhz, "replay-bad");
  json d = json::parse(p.built.text);
  d["layers"][1]["leaves"][4]["content"]["value"]["shots"] = 1000000;
  EXPECT_THROW(proof::replay(proof::canonical_json(d), p.blobs, {}, test_key(7), {}), proof::ReplayError);
}

/// The CLI cycle with a private home: submit writes a proof, verify prints the one-line
/// report, tampering exits 1 naming the leaf, replay reproduces the records.
class ProofCli : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ =
        testing::scratch() / ("home-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(home_);
    fs::create_directories(home_);
    ::setenv("QONTOS_HOME", home_.c_str(), 1);
    circuit_ = testing::write("ghz3.qasm", kGhz);
  }
  void TearDown() override { ::unsetenv("QONTOS_HOME"); }
  fs::path home_, circuit_;
};

TEST_F(ProofCli, SubmitVerifyReplay) {
  const fs::path result = home_ / "ghz.json";
  auto r = testing::qontos("submit " + circuit_.string() + " --shots 50 --seed 3 -o " + result.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("created signing key"), std::string::npos);
  const fs::path proof = home_ / "ghz.qproof";
  ASSERT_TRUE(fs::exists(proof));
  EXPECT_NE(r.out.find("proof: " + proof.string()), std::string::npos);
  EXPECT_EQ(fs::status(home_ / "keys" / "qontos.key").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);

  r = testing::qontos("verify --proof " + proof.string() + " --trusted-keys " +
                      (home_ / "keys" / "qontos.pub").string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("layer 1: ok · layer 2: ok · layer 3: ok · signature: verified · root: ")) << r.out;
  EXPECT_EQ(r.out.size(),
            std::string("layer 1: ok · layer 2: ok · layer 3: ok · signature: verified · root: ").size() + 65);

  // A second submit reuses the key (no new key event).
  r = testing::qontos("submit " + circuit_.string() + " --shots 10 --proof " + (home_ / "b.qproof").string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find("created signing key"), std::string::npos);

  std::string text = testing::slurp(proof);
  const auto at = text.find("\"name\":\"seeds\"");
  ASSERT_NE(at, std::string::npos);
  text.replace(text.find("\"submit\":3", at), 10, "\"submit\":4");
  const fs::path tampered = home_ / "tampered.qproof";
  std::ofstream(tampered) << text;
  r = testing::qontos("verify --proof " + tampered.string() + " --blobs " + proof.string() + ".blobs");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("layer 2: FAILED at leaf"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(seeds)"), std::string::npos) << r.err;

  r = testing::qontos("replay --proof " + proof.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("passes: 9 of 9 hashes match"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("layer 1: same · layer 2: same · layer 3 result records: identical"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("total variation 0 "), std::string::npos) << r.out;
  r = testing::qontos("verify --proof " + (home_ / "ghz-replay.qproof").string());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("layer 1: ok · layer 2: ok · layer 3: ok · signature: verified · root: ")) << r.out;
  EXPECT_NE(r.err.find("no trusted keys given"), std::string::npos) << r.err;

  r = testing::qontos("replay --proof " + tampered.string() + " --blobs " + proof.string() + ".blobs");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("cannot replay"), std::string::npos) << r.err;
}

TEST_F(ProofCli, BadInputs) {
  auto r = testing::qontos("verify --proof " + (home_ / "missing.qproof").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("cannot open"), std::string::npos);
  const fs::path junk = testing::write("junk.qproof", "{\"format\":");
  r = testing::qontos("verify --proof " + junk.string());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("structure: FAILED"), std::string::npos) << r.err;
  r = testing::qontos("submit " + circuit_.string() + " --key " + (home_ / "nokey").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("nokey"), std::string::npos) << r.err;
  r = testing::qontos("submit " + circuit_.string() + " --no-proof -o " + (home_ / "np.json").string());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(fs::exists(home_ / "np.qproof"));
  EXPECT_FALSE(fs::exists(home_ / "keys"));
}

}  // namespace
}  // namespace qontos
