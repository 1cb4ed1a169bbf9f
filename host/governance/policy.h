// Governance: which tenant may run what. A policy file names tenants and, for each, limits per
// job (shots, qubits, backends) and budgets over all its jobs (shots, cost). Every submission is
// checked against every rule before anything runs; each rule's decision (allow or deny, with the
// reason) is recorded in the run's proof and in the audit ledger, and a denial stops the run.
//
// Format ("qontos-policy/1"):
//   {"format": "qontos-policy/1",
//    "require_purpose": false,            // deny runs without --purpose
//    "tenants": {"lab": {"max_shots_per_job": 100000, "max_qubits": 30,
//                        "allowed_backends": ["statevector", "twin:*"],
//                        "budget": {"shots": 1000000, "cost": 25.0}}}}
// A tenant the policy does not name is denied. Every field of a tenant is optional.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace qontos::governance {

/// A malformed policy file; the message names the file and the field.
struct PolicyError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct TenantPolicy {
  std::optional<std::int64_t> max_shots_per_job;
  std::optional<int> max_qubits;
  std::vector<std::string> allowed_backends;  // names, or prefixes ending in '*'; empty: any
  std::optional<std::int64_t> shot_budget;
  std::optional<double> cost_budget;
};

struct Policy {
  bool require_purpose = false;
  std::map<std::string, TenantPolicy> tenants;
};

Policy parse_policy(const std::string& json_text, const std::string& origin);

/// What a submission asks for, known once it is scheduled.
struct Request {
  std::string tenant;
  std::string purpose;
  int qubits = 0;
  std::int64_t shots = 0;
  std::vector<std::string> backends;  // one per part
  double estimated_cost = 0;          // sum over parts of cost per shot x shots
};

/// What a tenant has used so far (from the ledger).
struct Usage {
  std::int64_t shots = 0;
  double cost = 0;
};

struct Decision {
  std::string rule;
  bool allow = true;
  std::string reason;
};

/// Every rule's decision for `request` (a single "allow" when there is no policy).
std::vector<Decision> evaluate(const Policy* policy, const Request& request, const Usage& usage);

bool all_allowed(const std::vector<Decision>& decisions);
/// The reasons of the denials, joined with "; ".
std::string denial_reasons(const std::vector<Decision>& decisions);

nlohmann::json decisions_json(const std::vector<Decision>& decisions);

}  // namespace qontos::governance
