// Policy files and decisions: every rule allows and denies at its boundary, unknown tenants are
// denied, and malformed files name the field.
#include "governance/policy.h"

#include <gtest/gtest.h>

namespace qontos::governance {
namespace {

const char* kPolicy = R"({"format": "qontos-policy/1", "require_purpose": true,
  "tenants": {"lab": {"max_shots_per_job": 1000, "max_qubits": 5, "allowed_backends": ["statevector", "twin:*"],
                      "budget": {"shots": 5000, "cost": 1.5}},
              "open": {}}})";

Request request() {
  Request r;
  r.tenant = "lab";
  r.purpose = "calibration check";
  r.qubits = 5;
  r.shots = 1000;
  r.backends = {"twin:modular-2x16"};
  r.estimated_cost = 0.5;
  return r;
}

TEST(Policy, AllowsWithinEveryLimitAndRecordsEachRule) {
  const Policy p = parse_policy(kPolicy, "policy.json");
  const auto d = evaluate(&p, request(), {4000, 1.0});
  EXPECT_TRUE(all_allowed(d)) << denial_reasons(d);
  EXPECT_EQ(d.size(), 7u);  // tenant, purpose, shots, qubits, backend, shot budget, cost budget
  EXPECT_EQ(decisions_json(d)[0]["decision"], "allow");
}

TEST(Policy, DeniesPastEachLimit) {
  const Policy p = parse_policy(kPolicy, "policy.json");
  auto denied_rule = [&](Request r, Usage u) {
    const auto d = evaluate(&p, r, u);
    EXPECT_FALSE(all_allowed(d));
    for (const auto& x : d)
      if (!x.allow) return x.rule;
    return std::string();
  };
  Request r = request();
  r.shots = 1001;
  EXPECT_EQ(denied_rule(r, {}), "max_shots_per_job");
  r = request();
  r.qubits = 6;
  EXPECT_EQ(denied_rule(r, {}), "max_qubits");
  r = request();
  r.backends = {"stabilizer"};
  EXPECT_EQ(denied_rule(r, {}), "allowed_backends");
  r = request();
  r.purpose.clear();
  EXPECT_EQ(denied_rule(r, {}), "purpose");
  EXPECT_EQ(denied_rule(request(), {4001, 0}), "budget.shots");
  EXPECT_EQ(denied_rule(request(), {0, 1.01}), "budget.cost");
  r = request();
  r.tenant = "stranger";
  EXPECT_EQ(denied_rule(r, {}), "tenant");
  const auto d = evaluate(&p, r, {});
  EXPECT_NE(denial_reasons(d).find("'stranger' is not in the policy"), std::string::npos);
}

TEST(Policy, NoPolicyAllowsAndSaysSo) {
  const auto d = evaluate(nullptr, request(), {});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_TRUE(d[0].allow);
  EXPECT_EQ(d[0].reason, "no policy configured");
}

TEST(Policy, MalformedFilesNameTheField) {
  auto error = [](const std::string& text) {
    try {
      parse_policy(text, "p.json");
    } catch (const PolicyError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(error("{"), "p.json: not valid JSON");
  EXPECT_EQ(error(R"({"tenants": {}})"), "p.json: format: must be \"qontos-policy/1\"");
  EXPECT_EQ(error(R"({"format": "qontos-policy/1"})"), "p.json: tenants: missing required field");
  EXPECT_EQ(error(R"({"format": "qontos-policy/1", "tenants": {"a": {"max_qubits": 0}}})"),
            "p.json: tenants.a.max_qubits: must be a positive integer");
  EXPECT_EQ(error(R"({"format": "qontos-policy/1", "tenants": {"a": {"budget": {"hours": 3}}}})"),
            "p.json: tenants.a.budget.hours: unknown field");
  EXPECT_EQ(error(R"({"format": "qontos-policy/1", "tenants": {"a": {"allowed_backends": "statevector"}}})"),
            "p.json: tenants.a.allowed_backends: must be an array of backend names");
  EXPECT_EQ(error(R"({"format": "qontos-policy/1", "tenants": {}, "extra": 1})"), "p.json: extra: unknown field");
}

}  // namespace
}  // namespace qontos::governance
