// Keys, policy and the audit trail through the CLI, with a private QONTOS_HOME per test:
// keygen's files and refusals, a policy that allows, limits and denies (and the ledger entries
// each decision leaves), budgets charged across submissions, and malformed policies.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "ledger/ledger.h"
#include "proof/keys.h"
#include "support/cli_runner.h"

namespace qontos {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* kBell =
    "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n";

class Governance : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ =
        testing::scratch() / ("gov-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(home_);
    fs::create_directories(home_);
    ::setenv("QONTOS_HOME", home_.c_str(), 1);
    circuit_ = testing::write("bell-gov.qasm", kBell);
  }
  void TearDown() override { ::unsetenv("QONTOS_HOME"); }
  void policy(const std::string& text) { std::ofstream(home_ / "policy.json") << text; }
  std::vector<json> entries(const std::string& kind) {
    auto l = ledger::Ledger::open(home_ / "ledger.sqlite", ledger::Ledger::Mode::kOpenExisting);
    std::vector<json> out;
    l.for_each_entry(0, l.size(), [&](const ledger::Entry& e) {
      if (ledger::kind_name(e.kind) == kind) out.push_back(json::parse(*e.payload));
    });
    return out;
  }
  testing::CliRun submit(const std::string& extra) {
    return testing::qontos("submit " + circuit_.string() + " --no-progress " + extra);
  }
  fs::path home_, circuit_;
};

TEST_F(Governance, KeygenWritesAPrivateKeyAndNeverOverwritesIt) {
  const fs::path dir = home_ / "mykeys";
  auto r = testing::qontos("keygen --out " + dir.string());
  ASSERT_EQ(r.code, 0) << r.err;
  const auto pub = proof::read_public_key(dir / "qontos.pub");
  EXPECT_NE(r.out.find(proof::key_id(pub)), std::string::npos) << r.out;
  EXPECT_EQ(fs::status(dir / "qontos.key").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(proof::read_signing_key(dir / "qontos.key").public_key, pub);
  const std::string before = testing::slurp(dir / "qontos.key");
  r = testing::qontos("keygen --out " + dir.string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
  EXPECT_EQ(testing::slurp(dir / "qontos.key"), before);

  // That key signs a run, and a verifier trusting exactly it accepts the proof.
  r = submit("--key " + (dir / "qontos.key").string() + " --proof " + (home_ / "k.qproof").string());
  ASSERT_EQ(r.code, 0) << r.err;
  r = testing::qontos("verify --proof " + (home_ / "k.qproof").string() + " --trusted-keys " +
                      (dir / "qontos.pub").string());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("signature: verified · root"), std::string::npos) << r.out;
  // A verifier that trusts another key refuses it.
  const fs::path other = home_ / "other";
  ASSERT_EQ(testing::qontos("keygen --out " + other.string()).code, 0);
  r = testing::qontos("verify --proof " + (home_ / "k.qproof").string() + " --trusted-keys " +
                      (other / "qontos.pub").string());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("not a trusted key"), std::string::npos) << r.err;
}

TEST_F(Governance, EveryRunLeavesItsTrailInTheLedger) {
  auto r = submit("--shots 20 --purpose 'bell check' -o " + (home_ / "r.json").string());
  ASSERT_EQ(r.code, 0) << r.err;
  const auto keys = entries("key");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0]["event"], "created");
  const auto subs = entries("submission");
  ASSERT_EQ(subs.size(), 1u);
  EXPECT_EQ(subs[0]["purpose"], "bell check");
  EXPECT_EQ(subs[0]["shots"], 20);
  EXPECT_EQ(subs[0]["tenant"], "default");
  EXPECT_EQ(entries("policy")[0]["decisions"][0]["reason"], "no policy configured");
  const auto proofs = entries("proof");
  ASSERT_EQ(proofs.size(), 1u);
  const json proof_doc = json::parse(testing::slurp(home_ / "r.qproof"));
  EXPECT_EQ(proofs[0]["root"], proof_doc["root"]);
  // The proof's provenance carries the same decisions and purpose.
  for (const auto& leaf : proof_doc["layers"][2]["leaves"])
    if (leaf["content"]["name"] == "provenance") {
      EXPECT_EQ(leaf["content"]["value"]["why"], "bell check");
      EXPECT_EQ(leaf["content"]["value"]["policy"], entries("policy")[0]["decisions"]);
    }
}

TEST_F(Governance, PolicyLimitsAndBudgetsDenyBeforeAnythingRuns) {
  policy(R"({"format": "qontos-policy/1", "tenants": {
    "lab": {"max_shots_per_job": 100, "max_qubits": 2, "allowed_backends": ["statevector"], "budget": {"shots": 150}},
    "twins": {"allowed_backends": ["twin:*"]}}})");
  auto r = submit("--tenant lab --shots 100 --backend statevector --no-proof");
  ASSERT_EQ(r.code, 0) << r.err;
  r = submit("--tenant lab --shots 101 --backend statevector --no-proof");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("denied by policy for tenant 'lab': max_shots_per_job: 101 shots, limit 100"), std::string::npos)
      << r.err;
  r = submit("--tenant lab --shots 60 --backend statevector --no-proof");  // 100 + 60 > 150
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("budget.shots: 100 used + 60 asked of 150"), std::string::npos) << r.err;
  r = submit("--tenant lab --shots 50 --backend statevector --no-proof");  // exactly the budget
  EXPECT_EQ(r.code, 0) << r.err;
  // The usage cache beside the ledger is only a cache: damaged, it is rebuilt from the entries.
  const fs::path cache = home_ / "ledger.sqlite.usage.json";
  ASSERT_TRUE(fs::exists(cache));
  std::ofstream(cache) << R"({"origin": "forged", "entries": 0, "tenants": {}})";
  r = submit("--tenant lab --shots 1 --backend statevector --no-proof");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("budget.shots: 150 used + 1 asked of 150"), std::string::npos) << r.err;
  r = submit("--tenant lab --shots 10 --backend stabilizer --no-proof");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("backend 'stabilizer' is not allowed"), std::string::npos) << r.err;
  r = submit("--tenant twins --shots 10 --device superconducting-grid-16 --no-proof");
  EXPECT_EQ(r.code, 0) << r.err;
  r = submit("--tenant nobody --no-proof");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("tenant 'nobody' is not in the policy"), std::string::npos) << r.err;

  // Every decision, allowed or denied, is in the ledger; only allowed ones count to the budget.
  const auto subs = entries("submission");
  ASSERT_EQ(subs.size(), 8u);
  std::vector<bool> allowed;
  for (const auto& s : subs) allowed.push_back(s["allowed"].get<bool>());
  EXPECT_EQ(allowed, (std::vector<bool>{true, false, false, true, false, false, true, false}));
  EXPECT_EQ(entries("policy").size(), 8u);
  EXPECT_TRUE(entries("proof").empty());
  r = testing::qontos("ledger verify");
  EXPECT_EQ(r.code, 0) << r.err << r.out;
}

TEST_F(Governance, AMalformedPolicyStopsEverySubmission) {
  policy(R"({"format": "qontos-policy/1", "tenants": {"lab": {"max_qubit": 3}}})");
  auto r = submit("--tenant lab --no-proof");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("policy.json: tenants.lab.max_qubit: unknown field"), std::string::npos) << r.err;
  policy("{");
  r = submit("--no-proof");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("policy.json: not valid JSON"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace qontos
