#include "governance/policy.h"

#include <set>
#include <sstream>

namespace qontos::governance {
namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& origin, const std::string& field, const std::string& problem) {
  throw PolicyError(origin + ": " + field + ": " + problem);
}

void only_keys(const json& object, const std::set<std::string>& keys, const std::string& origin,
               const std::string& field) {
  if (!object.is_object()) bad(origin, field, "must be an object");
  for (const auto& item : object.items())
    if (!keys.count(item.key())) bad(origin, field.empty() ? item.key() : field + "." + item.key(), "unknown field");
}

std::int64_t positive_integer(const json& v, const std::string& origin, const std::string& field) {
  if (!v.is_number_integer() || v.get<std::int64_t>() <= 0) bad(origin, field, "must be a positive integer");
  return v.get<std::int64_t>();
}

bool backend_allowed(const std::vector<std::string>& patterns, const std::string& backend) {
  if (patterns.empty()) return true;
  for (const auto& p : patterns) {
    if (!p.empty() && p.back() == '*' ? backend.rfind(p.substr(0, p.size() - 1), 0) == 0 : backend == p) return true;
  }
  return false;
}

std::string number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

Policy parse_policy(const std::string& json_text, const std::string& origin) {
  const json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded()) throw PolicyError(origin + ": not valid JSON");
  only_keys(doc, {"format", "require_purpose", "tenants"}, origin, "");
  if (!doc.contains("format") || doc["format"] != "qontos-policy/1")
    bad(origin, "format", "must be \"qontos-policy/1\"");
  Policy policy;
  if (doc.contains("require_purpose")) {
    if (!doc["require_purpose"].is_boolean()) bad(origin, "require_purpose", "must be true or false");
    policy.require_purpose = doc["require_purpose"].get<bool>();
  }
  if (!doc.contains("tenants")) bad(origin, "tenants", "missing required field");
  if (!doc["tenants"].is_object()) bad(origin, "tenants", "must be an object of tenant names");
  for (const auto& [name, t] : doc["tenants"].items()) {
    const std::string field = "tenants." + name;
    only_keys(t, {"max_shots_per_job", "max_qubits", "allowed_backends", "budget"}, origin, field);
    TenantPolicy tp;
    if (t.contains("max_shots_per_job"))
      tp.max_shots_per_job = positive_integer(t["max_shots_per_job"], origin, field + ".max_shots_per_job");
    if (t.contains("max_qubits"))
      tp.max_qubits = static_cast<int>(positive_integer(t["max_qubits"], origin, field + ".max_qubits"));
    if (t.contains("allowed_backends")) {
      const json& a = t["allowed_backends"];
      if (!a.is_array()) bad(origin, field + ".allowed_backends", "must be an array of backend names");
      for (const auto& b : a) {
        if (!b.is_string() || b.get<std::string>().empty())
          bad(origin, field + ".allowed_backends", "must hold non-empty strings");
        tp.allowed_backends.push_back(b.get<std::string>());
      }
    }
    if (t.contains("budget")) {
      const json& b = t["budget"];
      only_keys(b, {"shots", "cost"}, origin, field + ".budget");
      if (b.contains("shots")) tp.shot_budget = positive_integer(b["shots"], origin, field + ".budget.shots");
      if (b.contains("cost")) {
        if (!b["cost"].is_number() || b["cost"].get<double>() < 0)
          bad(origin, field + ".budget.cost", "must be a non-negative number");
        tp.cost_budget = b["cost"].get<double>();
      }
    }
    policy.tenants[name] = tp;
  }
  return policy;
}

std::vector<Decision> evaluate(const Policy* policy, const Request& r, const Usage& usage) {
  if (!policy) return {{"policy", true, "no policy configured"}};
  std::vector<Decision> out;
  const auto it = policy->tenants.find(r.tenant);
  if (it == policy->tenants.end()) return {{"tenant", false, "tenant '" + r.tenant + "' is not in the policy"}};
  out.push_back({"tenant", true, "tenant '" + r.tenant + "' is known"});
  const TenantPolicy& t = it->second;
  if (policy->require_purpose)
    out.push_back(
        {"purpose", !r.purpose.empty(), r.purpose.empty() ? "the policy requires --purpose" : "purpose given"});
  if (t.max_shots_per_job)
    out.push_back({"max_shots_per_job", r.shots <= *t.max_shots_per_job,
                   std::to_string(r.shots) + " shots, limit " + std::to_string(*t.max_shots_per_job)});
  if (t.max_qubits)
    out.push_back({"max_qubits", r.qubits <= *t.max_qubits,
                   std::to_string(r.qubits) + " qubits, limit " + std::to_string(*t.max_qubits)});
  if (!t.allowed_backends.empty()) {
    for (const auto& b : r.backends) {
      const bool ok = backend_allowed(t.allowed_backends, b);
      out.push_back({"allowed_backends", ok, "backend '" + b + "' is " + (ok ? "" : "not ") + "allowed"});
    }
  }
  if (t.shot_budget) {
    const std::int64_t after = usage.shots + r.shots;
    out.push_back({"budget.shots", after <= *t.shot_budget,
                   std::to_string(usage.shots) + " used + " + std::to_string(r.shots) + " asked of " +
                       std::to_string(*t.shot_budget)});
  }
  if (t.cost_budget) {
    const double after = usage.cost + r.estimated_cost;
    out.push_back(
        {"budget.cost", after <= *t.cost_budget + 1e-12,
         number(usage.cost) + " used + " + number(r.estimated_cost) + " estimated of " + number(*t.cost_budget)});
  }
  return out;
}

bool all_allowed(const std::vector<Decision>& decisions) {
  for (const auto& d : decisions)
    if (!d.allow) return false;
  return true;
}

std::string denial_reasons(const std::vector<Decision>& decisions) {
  std::string s;
  for (const auto& d : decisions)
    if (!d.allow) s += (s.empty() ? "" : "; ") + d.rule + ": " + d.reason;
  return s;
}

nlohmann::json decisions_json(const std::vector<Decision>& decisions) {
  json a = json::array();
  for (const auto& d : decisions)
    a.push_back({{"rule", d.rule}, {"decision", d.allow ? "allow" : "deny"}, {"reason", d.reason}});
  return a;
}

}  // namespace qontos::governance
