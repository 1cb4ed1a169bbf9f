#include "cli/audit.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli/output.h"
#include "common/atomic_file.h"
#include "proof/run_proof.h"

namespace qontos::cli {

using nlohmann::json;

namespace {

std::string read_text_if_exists(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  if (in) buf << in.rdbuf();
  return buf.str();
}

}  // namespace

Audit::Audit(const Settings& settings, std::string purpose)
    : settings_(settings),
      purpose_(std::move(purpose)),
      ledger_(ledger::Ledger::open(settings.ledger, ledger::Ledger::Mode::kCreateIfMissing)) {
  if (settings.policy)
    policy_ = governance::parse_policy(read_text(settings.policy->string()), settings.policy->string());
}

void Audit::key_created(const SigningIdentity& signer) {
  const json payload = {{"event", "created"},
                        {"key_id", signer.key_id},
                        {"public_key", proof::hex(signer.key.public_key)},
                        {"path", signer.path}};
  ledger_.append(ledger::EntryKind::kKey, settings_.actor, payload.dump());
}

governance::Usage Audit::usage_of(const std::string& tenant) const {
  // Every allowed submission of the tenant counts, whether or not it finished: a budget is
  // spent when the work is admitted. Totals per tenant are cached beside the ledger with the
  // size and root they cover, so each submission reads only the entries appended since; a cache
  // that does not match the ledger (missing, damaged, or for another tree) is rebuilt from entry 0.
  const std::string cache_path = ledger_.path().string() + ".usage.json";
  const std::uint64_t size = ledger_.size();
  json cache = json::parse(read_text_if_exists(cache_path), nullptr, false);
  std::uint64_t from = 0;
  if (cache.is_object() && cache.value("origin", "") == ledger_.origin() && cache.contains("entries") &&
      cache["entries"].is_number_unsigned() && cache["entries"].get<std::uint64_t>() <= size &&
      cache.contains("tenants") && cache["tenants"].is_object() &&
      cache.value("root", "") == proof::to_hex(ledger_.root(cache["entries"].get<std::uint64_t>())))
    from = cache["entries"].get<std::uint64_t>();
  else
    cache = {{"origin", ledger_.origin()}, {"tenants", json::object()}};
  ledger_.for_each_entry(from, size - from, [&](const ledger::Entry& e) {
    if (e.kind != ledger::EntryKind::kSubmission || !e.payload) return;
    const json p = json::parse(*e.payload, nullptr, false);
    if (!p.is_object() || !p.value("allowed", false) || !p.contains("tenant") || !p["tenant"].is_string()) return;
    json& t = cache["tenants"][p["tenant"].get<std::string>()];
    if (!t.is_object()) t = json::object();
    t["shots"] = t.value("shots", std::int64_t{0}) + p.value("shots", std::int64_t{0});
    t["cost"] = t.value("cost", 0.0) + p.value("estimated_cost", 0.0);
  });
  cache["entries"] = size;
  cache["root"] = proof::to_hex(ledger_.root(size));
  write_file_atomically(cache_path, cache.dump());  // only a cache: a failed write costs a rescan
  governance::Usage usage;
  if (cache["tenants"].contains(tenant) && cache["tenants"][tenant].is_object()) {
    usage.shots = cache["tenants"][tenant].value("shots", std::int64_t{0});
    usage.cost = cache["tenants"][tenant].value("cost", 0.0);
  }
  return usage;
}

void Audit::approve(const exec::PlannedRun& planned, const std::string& circuit_path,
                    const std::string& source_sha256) {
  governance::Request request;
  request.tenant = settings_.tenant;
  request.purpose = purpose_;
  request.qubits = planned.qubits;
  request.shots = planned.shots;
  request.backends = planned.backends;
  request.estimated_cost = planned.estimated_cost;
  const bool budgeted =
      policy_ && policy_->tenants.count(request.tenant) &&
      (policy_->tenants.at(request.tenant).shot_budget || policy_->tenants.at(request.tenant).cost_budget);
  const governance::Usage usage = budgeted ? usage_of(request.tenant) : governance::Usage{};
  const auto decisions = governance::evaluate(policy_ ? &*policy_ : nullptr, request, usage);
  decisions_ = governance::decisions_json(decisions);
  const bool allowed = governance::all_allowed(decisions);
  const json submission = {{"tenant", request.tenant},
                           {"purpose", purpose_},
                           {"circuit", circuit_path},
                           {"source_sha256", source_sha256},
                           {"qubits", planned.qubits},
                           {"shots", planned.shots},
                           {"backends", planned.backends},
                           {"estimated_cost", planned.estimated_cost},
                           {"allowed", allowed}};
  const json policy_entry = {{"tenant", request.tenant}, {"decisions", decisions_}, {"allowed", allowed}};
  // The submission and its decisions land together, in one transaction.
  submission_index_ = ledger_.append_batch(
      {ledger::NewEntry::with_payload(ledger::EntryKind::kSubmission, settings_.actor, submission.dump()),
       ledger::NewEntry::with_payload(ledger::EntryKind::kPolicy, settings_.actor, policy_entry.dump())});
  if (!allowed)
    throw exec::ExecFailure({exec::ErrorKind::kValidation, "denied by policy for tenant '" + request.tenant +
                                                               "': " + governance::denial_reasons(decisions) +
                                                               " (recorded in the ledger as entry " +
                                                               std::to_string(submission_index_) + ")"});
}

void Audit::proof_written(const std::string& root, const std::string& path, const std::string& key_id) {
  const json payload = {{"submission", submission_index_}, {"root", root}, {"path", path}, {"key_id", key_id}};
  ledger_.append(ledger::EntryKind::kProof, settings_.actor, payload.dump());
}

}  // namespace qontos::cli
