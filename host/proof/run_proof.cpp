#include "proof/run_proof.h"

#include <ctime>
#include <stdexcept>

#include "device/descriptor_json.h"
#include "ir/serialise_json.h"
#include "proof/verify.h"

namespace qontos::proof {
namespace {

using nlohmann::json;

std::string part_name(std::size_t k) {
  return "part" + std::to_string(k);
}

Leaf value_leaf(std::string name, json value) {
  return Leaf{std::move(name), std::move(value), std::nullopt};
}
Leaf blob_leaf(std::string name, std::string bytes) {
  return Leaf{std::move(name), nullptr, std::move(bytes)};
}

json options_json(const RecordedRun& run) {
  const exec::SubmitOptions& o = run.options;
  return {{"shots", o.shots},
          {"seed", o.seed},
          {"backend", o.backend},
          {"device", o.device},
          {"partitioner", o.partitioner},
          {"map", o.map_json.empty() ? json(nullptr) : json(o.map_json)},
          {"map_origin", o.map_origin},
          {"weights",
           {{"fidelity", o.weights.fidelity},
            {"queue", o.weights.queue},
            {"cost", o.weights.cost},
            {"capacity", o.weights.capacity}}},
          {"per_shot", o.keep_shots},
          {"precision", run.single_precision ? "single" : "double"}};
}

}  // namespace

bool is_result_record(const std::string& leaf_name) {
  return leaf_name != "provenance";
}

std::array<std::vector<Leaf>, kLayerCount> run_layers(const RecordedRun& run, const exec::RunOutcome& outcome,
                                                      const Provenance& provenance) {
  const json result = outcome.result;  // ordered -> sorted, as every leaf is canonical anyway
  std::array<std::vector<Leaf>, kLayerCount> layers;
  const std::size_t parts = outcome.part_stages.size();

  // Layer 1, integrity: the machine state the run depended on.
  auto& integrity = layers[0];
  integrity.push_back(
      value_leaf("calibration", run.calibration_json.empty() ? json(nullptr) : json::parse(run.calibration_json)));
  for (std::size_t k = 0; k < parts; ++k) {
    const json& p = result["plan"]["parts"][k];
    integrity.push_back(value_leaf("backend/" + part_name(k), {{"name", p["backend"]}, {"device", p["device"]}}));
    integrity.push_back(value_leaf("device/" + part_name(k), device::descriptor_json(outcome.part_devices[k])));
    integrity.push_back(
        blob_leaf("program/" + part_name(k), ir::serialise_json(outcome.part_stages[k].back().program)));
    // Every backend so far is software: no firmware, bitstream or cycle histograms took part.
    integrity.push_back(value_leaf(
        "hardware/" + part_name(k),
        {{"board", nullptr}, {"firmware", nullptr}, {"bitstream", nullptr}, {"timing_histograms", nullptr}}));
  }

  // Layer 2, plan: how the input became the jobs that ran.
  auto& plan = layers[1];
  plan.push_back(value_leaf("compiler", run.options.compiler_version));
  plan.push_back(blob_leaf("input/source", run.source));
  plan.push_back(value_leaf("input/path", run.path));
  plan.push_back(value_leaf("options", options_json(run)));
  for (const auto& stage : outcome.logical_stages)
    plan.push_back(blob_leaf("ir/" + stage.pass, ir::serialise_json(stage.program)));
  for (std::size_t k = 0; k < parts; ++k) {
    for (const auto& stage : outcome.part_stages[k])
      plan.push_back(blob_leaf("ir/" + part_name(k) + "/" + stage.pass, ir::serialise_json(stage.program)));
    const json& p = result["plan"]["parts"][k];
    plan.push_back(value_leaf("partition/" + part_name(k), p.contains("partition") ? p["partition"] : json(nullptr)));
    json schedule = p;
    schedule.erase("partition");
    schedule.erase("passes");  // recorded leaf by leaf above
    schedule["weights"] = result["plan"]["weights"];
    plan.push_back(value_leaf("schedule/" + part_name(k), schedule));
  }
  plan.push_back(value_leaf("seeds", result["seeds"]));

  // Layer 3, result: what came out, and who asked.
  auto& out = layers[2];
  out.push_back(value_leaf("counts", result["counts"]));
  for (std::size_t k = 0; k < parts; ++k) {
    json execution = result["backends"][k];
    execution.erase("run_seconds");  // wall clock: provenance, not result
    out.push_back(value_leaf("execution/" + part_name(k), execution));
  }
  for (std::size_t s = 0; s < outcome.shots.size(); ++s)
    out.push_back(value_leaf("shot/" + std::to_string(s), outcome.shots[s]));
  json run_seconds = json::array();
  for (const auto& b : result["backends"]) run_seconds.push_back(b["run_seconds"]);
  out.push_back(value_leaf("provenance", {{"who", {{"actor", provenance.actor}, {"tenant", provenance.tenant}}},
                                          {"when", provenance.time_utc},
                                          {"where", provenance.host},
                                          {"why", provenance.purpose},
                                          {"policy", provenance.policy},
                                          {"timings", result["timings"]},
                                          {"run_seconds", run_seconds}}));
  return layers;
}

RecordedRun recorded_run(const nlohmann::json& proof, const std::string& blob_dir) {
  RecordedRun run;
  const json* options = find_leaf(proof, 1, "options");
  const json* path = find_leaf(proof, 1, "input/path");
  const json* calibration = find_leaf(proof, 0, "calibration");
  const json* compiler = find_leaf(proof, 1, "compiler");
  if (!options || !path || !calibration || !compiler)
    throw std::runtime_error(
        "the proof does not record its input and options (leaves 'options', 'input/path', "
        "'calibration', 'compiler')");
  try {
    run.source = read_blob(proof, 1, "input/source", blob_dir);
    run.path = path->get<std::string>();
    exec::SubmitOptions& o = run.options;
    o.shots = options->at("shots").get<std::int64_t>();
    o.seed = options->at("seed").get<std::uint64_t>();
    o.backend = options->at("backend").get<std::string>();
    o.device = options->at("device").get<std::string>();
    o.partitioner = options->at("partitioner").get<std::string>();
    if (!options->at("map").is_null()) o.map_json = options->at("map").get<std::string>();
    o.map_origin = options->at("map_origin").get<std::string>();
    const json& w = options->at("weights");
    o.weights.fidelity = w.at("fidelity").get<double>();
    o.weights.queue = w.at("queue").get<double>();
    o.weights.cost = w.at("cost").get<double>();
    o.weights.capacity = w.at("capacity").get<double>();
    o.keep_shots = options->at("per_shot").get<bool>();
    o.compiler_version = compiler->get<std::string>();
    run.single_precision = options->at("precision") == "single";
    if (!calibration->is_null()) run.calibration_json = calibration->dump();
  } catch (const json::exception& e) {
    throw std::runtime_error(std::string("the proof's 'options' leaf is malformed: ") + e.what());
  }
  return run;
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace qontos::proof
