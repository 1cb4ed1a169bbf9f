// The governance around a submission: the policy decides before anything runs, and the audit
// ledger records the key event (a key created on first use), the submission with the policy's
// decisions (or the denial), and the proof that was written. Budgets are charged from the
// tenant's earlier submissions in the ledger.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli/signing_identity.h"
#include "common/settings.h"
#include "exec/runtime.h"
#include "governance/policy.h"
#include "ledger/ledger.h"

namespace qontos::cli {

class Audit {
 public:
  /// Opens (creating) the ledger at settings.ledger and reads the policy, if any.
  Audit(const Settings& settings, std::string purpose);

  void key_created(const SigningIdentity& signer);

  /// For exec::SubmitOptions::approve: evaluates the policy for the planned run, appends the
  /// submission (with the decisions) to the ledger, and throws exec::ExecFailure (validation)
  /// naming every denied rule after recording the denial.
  void approve(const exec::PlannedRun& planned, const std::string& circuit_path, const std::string& source_sha256);

  /// The decisions of the last approve (the proof's provenance records them).
  const nlohmann::json& decisions() const { return decisions_; }

  /// Records a written proof: its root, path and signer.
  void proof_written(const std::string& root, const std::string& path, const std::string& key_id);

  /// Index of the submission entry (after approve).
  std::uint64_t submission_index() const { return submission_index_; }

 private:
  governance::Usage usage_of(const std::string& tenant) const;

  const Settings& settings_;
  std::string purpose_;
  ledger::Ledger ledger_;
  std::optional<governance::Policy> policy_;
  nlohmann::json decisions_ = nlohmann::json::array();
  std::uint64_t submission_index_ = 0;
};

}  // namespace qontos::cli
