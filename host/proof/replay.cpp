#include "proof/replay.h"

#include "backends/registry.h"
#include "device/descriptor.h"

namespace qontos::proof {
namespace {

using nlohmann::json;

std::map<std::string, std::int64_t> counts_of(const json& counts) {
  std::map<std::string, std::int64_t> m;
  for (const auto& item : counts.items()) m[item.key()] = item.value().get<std::int64_t>();
  return m;
}

/// Name -> canonical content of every leaf of one layer of a parsed proof.
std::vector<std::pair<std::string, std::string>> leaves_of(const json& proof, std::size_t layer) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& entry : proof["layers"][layer]["leaves"])
    out.emplace_back(entry["content"]["name"].get<std::string>(), canonical_json(entry["content"]));
  return out;
}

}  // namespace

ReplayReport replay(const std::string& proof_text, const std::string& blob_dir, const ReplayOptions& options,
                    const SigningKey& key, const Provenance& provenance) {
  const VerifyReport checked = verify_layers(proof_text, blob_dir, 2);
  if (!checked.ok) throw ReplayError("the proof's integrity and plan layers do not verify: " + checked.summary());
  const json& recorded = checked.document;
  ReplayReport report;
  report.recorded_root = recorded["root"].get<std::string>();
  RecordedRun run;
  try {
    run = recorded_run(recorded, blob_dir);
  } catch (const std::runtime_error& e) {
    throw ReplayError(e.what());
  }
  report.recorded_compiler = run.options.compiler_version;
  for (const auto& entry : recorded["layers"][0]["leaves"]) {
    const std::string name = entry["content"]["name"].get<std::string>();
    if (name.rfind("backend/", 0) == 0) report.recorded_backends.push_back(entry["content"]["value"]["name"]);
  }

  if (!options.backend.empty()) {
    run.options.backend = options.backend;
    if (options.backend.rfind("twin:", 0) != 0) run.options.device.clear();
  }
  if (options.shots) run.options.shots = *options.shots;
  if (options.seed) run.options.seed = *options.seed;
  run.options.record_shots = true;
  run.options.compiler_version = options.compiler_version;

  backends::RegistryOptions ro;
  ro.single_precision = run.single_precision;
  ro.calibration_json = run.calibration_json;
  ro.calibration_origin = "the proof's calibration leaf";
  const std::string devices = device::default_devices_dir();
  backends::BackendRegistry registry =
      backends::BackendRegistry::load(backends::BackendRegistry::default_path(devices), devices, ro);
  report.outcome = exec::submit_source(run.source, run.path, run.options, registry);
  report.replayed_backends = report.outcome.backends;

  const auto layers = run_layers(run, report.outcome, provenance);
  report.new_proof = build_proof(layers, key);
  const json replayed = json::parse(report.new_proof.text);

  // Every recorded pass against the same pass now (the blob address is the pass's hash).
  std::map<std::string, std::string> now;
  for (const auto& entry : replayed["layers"][1]["leaves"])
    if (entry["content"].contains("blob")) now[entry["content"]["name"]] = entry["content"]["blob"]["sha256"];
  for (const auto& entry : recorded["layers"][1]["leaves"]) {
    const std::string name = entry["content"]["name"].get<std::string>();
    if (name.rfind("ir/", 0) != 0) continue;
    PassCheck check{name, entry["content"]["blob"]["sha256"].get<std::string>(), {}};
    if (const auto it = now.find(name); it != now.end()) check.replayed = it->second;
    if (check.replayed == check.recorded) ++report.passes_matching;
    report.passes.push_back(std::move(check));
  }

  report.same_integrity = recorded["layers"][0]["hash"] == replayed["layers"][0]["hash"];
  report.same_plan = recorded["layers"][1]["hash"] == replayed["layers"][1]["hash"];
  const auto before = leaves_of(recorded, 2), after = leaves_of(replayed, 2);
  std::vector<std::pair<std::string, std::string>> a, b;
  for (std::size_t i = 1; i < before.size(); ++i)  // leaf 0 is the chain, compared as same_plan
    if (is_result_record(before[i].first)) a.push_back(before[i]);
  for (std::size_t i = 1; i < after.size(); ++i)
    if (is_result_record(after[i].first)) b.push_back(after[i]);
  report.result_records = a.size();
  report.same_result_records = a == b;
  for (std::size_t i = 0; i < std::max(a.size(), b.size()) && !report.same_result_records; ++i) {
    if (i >= a.size() || i >= b.size() || a[i] != b[i]) {
      report.first_result_difference = i < a.size() ? a[i].first : b[i].first;
      break;
    }
  }
  const json* recorded_counts = find_leaf(recorded, 2, "counts");
  if (!recorded_counts) throw ReplayError("the proof has no 'counts' leaf in its result layer");
  report.distance = compare_counts(counts_of(*recorded_counts), counts_of(json(report.outcome.result["counts"])));
  return report;
}

}  // namespace qontos::proof
