#include "exec/runtime.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "exec/async_backend.h"
#include "exec/split.h"
#include "ir/serialise_json.h"
#include "partition/partition.h"
#include "passes/pipeline.h"

namespace qontos::exec {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::uint64_t part_seed(std::uint64_t seed, std::size_t part) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (part + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

bool multi_module(const ExecutorContract& b) {
  return b.descriptor().modules.size() > 1;
}

struct PartRun {
  Part part;
  std::vector<CandidateScore> candidates;
  ExecutorContract* backend = nullptr;
  std::vector<passes::Stage> stages;  // partition .. schedule on the chosen backend's device
  std::uint64_t seed = 0;
  JobId job = 0;
  BackendResult result;
};

nlohmann::ordered_json stages_json(const std::vector<passes::Stage>& stages) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const auto& s : stages) a.push_back({{"name", s.pass}, {"hash", s.hash}});
  return a;
}

nlohmann::ordered_json candidate_json(const CandidateScore& c) {
  nlohmann::ordered_json j;
  j["backend"] = c.backend;
  j["eligible"] = c.eligible;
  if (!c.eligible) {
    j["reason"] = c.reason;
    return j;
  }
  j["estimated_fidelity"] = c.estimated_fidelity;
  j["queue_depth"] = c.queue_depth;
  j["cost_per_shot"] = c.cost_per_shot;
  j["capacity_fit"] = c.capacity_fit;
  j["scores"] = {
      {"fidelity", c.fidelity_score}, {"queue", c.queue_score}, {"cost", c.cost_score}, {"capacity", c.capacity_score}};
  j["total"] = c.total;
  return j;
}

/// Module name of each logical qubit under a manual map, for independent backends: the map's
/// own module names are the groups.
std::vector<int> manual_groups(const ir::Program& logical, const SubmitOptions& o) {
  std::set<std::string> names;
  const auto doc = nlohmann::json::parse(o.map_json, nullptr, false);
  if (doc.is_object() && doc.contains("modules") && doc["modules"].is_object())
    for (const auto& item : doc["modules"].items())
      if (item.value().is_string()) names.insert(item.value().get<std::string>());
  std::vector<partition::ModuleSlot> slots;
  for (const auto& n : names) slots.push_back({n, logical.num_qubits});
  if (slots.empty()) slots.push_back({"all", logical.num_qubits});
  try {
    return partition::partition_manual(logical, slots, o.map_json, o.map_origin).module_of_qubit;
  } catch (const partition::PartitionError& e) {
    throw ExecFailure({ErrorKind::kValidation, e.what()});
  }
}

std::vector<ExecutorContract*> candidates_for(const SubmitOptions& o, backends::BackendRegistry& registry) {
  if (!o.device.empty()) {
    ExecutorContract& twin = registry.twin_of(o.device);
    if (o.backend != "auto" && o.backend != twin.name() && o.backend != "twin")
      throw ExecFailure({ErrorKind::kValidation, "--device " + o.device + " selects backend '" + twin.name() +
                                                     "', which contradicts --backend " + o.backend});
    return {&twin};
  }
  if (o.backend == "auto") {
    std::vector<ExecutorContract*> all;
    for (const auto& b : registry.all()) all.push_back(b.get());
    return all;
  }
  if (ExecutorContract* b = registry.find(o.backend)) return {b};
  std::string known;
  for (const auto& n : registry.names()) known += (known.empty() ? "" : ", ") + n;
  throw ExecFailure({ErrorKind::kValidation, "unknown backend '" + o.backend + "' (backends: " + known + ")"});
}

void schedule_part(PartRun& run, const std::vector<ExecutorContract*>& candidates, const SubmitOptions& o) {
  std::vector<std::vector<passes::Stage>> compiled(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    ExecutorContract& b = *candidates[i];
    CandidateScore s;
    s.backend = b.name();
    passes::PassContext ctx;
    ctx.device = &b.descriptor();
    ctx.seed = part_seed(o.seed, 1000 + i) ^ 0x51A7E5EEDULL;
    ctx.partitioner = o.partitioner;
    ctx.partition_map = multi_module(b) ? o.map_json : "";
    ctx.partition_map_origin = o.map_origin;
    if (!multi_module(b) && o.partitioner == "manual") ctx.partitioner = "auto";
    try {
      compiled[i] = passes::run_passes(run.part.program, "normalise", "schedule", ctx);
    } catch (const std::exception& e) {
      s.reason = std::string("cannot compile for '") + b.descriptor().name + "': " + e.what();
      run.candidates.push_back(s);
      continue;
    }
    if (auto problem = b.validate(compiled[i].back().program)) {
      s.reason = std::string(to_string(problem->kind)) + ": " + problem->message;
      run.candidates.push_back(s);
      continue;
    }
    run.candidates.push_back(score(b, compiled[i].back().program, run.part.program.num_qubits, o.shots, o.weights));
  }
  auto best = choose(run.candidates);
  if (!best) {
    std::string why;
    for (const auto& c : run.candidates) why += "\n  " + c.backend + ": " + c.reason;
    throw ExecFailure({ErrorKind::kUnsupported, "no backend can run this circuit:" + why});
  }
  run.backend = candidates[*best];
  run.stages = std::move(compiled[*best]);
}

}  // namespace

RunOutcome submit_source(const std::string& source, const std::string& path, const SubmitOptions& o,
                         backends::BackendRegistry& registry) {
  const auto start = Clock::now();
  if (o.shots <= 0) throw ExecFailure({ErrorKind::kValidation, "--shots must be positive"});
  if (o.partitioner == "manual" && o.map_json.empty())
    throw ExecFailure({ErrorKind::kValidation, "--partitioner manual needs --map FILE"});

  // 1. The logical circuit: parse, inline, normalise (no device yet).
  const std::vector<passes::Stage> logical_stages = passes::compile_source(source, path, "normalise", {});
  const ir::Program& logical = logical_stages.back().program;
  const double compile_s = since(start);

  // 2. Parts: independent groups run apart unless a multi-module backend is asked for.
  const auto schedule_start = Clock::now();
  std::vector<ExecutorContract*> candidates = candidates_for(o, registry);
  const bool forced_multi_module = candidates.size() == 1 && multi_module(*candidates.front());
  if (o.partitioner == "manual" && !forced_multi_module) {
    const std::vector<int> groups = manual_groups(logical, o);
    if (const long long joined = joining_gates(logical, groups); joined > 0) {
      bool any_multi = false;
      for (auto* c : candidates) any_multi = any_multi || multi_module(*c);
      if (!any_multi)
        throw ExecFailure({ErrorKind::kUnsupported,
                           "the map's partitions are joined by " + std::to_string(joined) +
                               " two-qubit gates; independent backends cannot run joined partitions (each would "
                               "need a Bell pair per gate): choose a multi-module backend such as "
                               "twin:modular-2x16, or a map whose partitions no gate joins"});
      // Only a multi-module backend can honour this map.
      std::erase_if(candidates, [](ExecutorContract* c) { return !multi_module(*c); });
    }
  }
  std::vector<Part> parts = forced_multi_module ? std::vector<Part>{} : independent_parts(logical);
  if (parts.size() <= 1 || forced_multi_module) {
    Part whole;
    whole.program = logical;
    for (int q = 0; q < logical.num_qubits; ++q) whole.qubits.push_back(q);
    for (int c = 0; c < logical.num_clbits; ++c) whole.clbits.push_back(c);
    parts = {std::move(whole)};
  }
  std::vector<PartRun> runs(parts.size());
  for (std::size_t k = 0; k < parts.size(); ++k) {
    runs[k].part = std::move(parts[k]);
    runs[k].seed = parts.size() == 1 ? o.seed : part_seed(o.seed, k);
    schedule_part(runs[k], candidates, o);
  }
  const double schedule_s = since(schedule_start);
  if (o.approve) {
    PlannedRun planned;
    planned.qubits = logical.num_qubits;
    planned.shots = o.shots;
    for (const auto& r : runs) {
      planned.backends.push_back(r.backend->name());
      planned.estimated_cost += r.backend->descriptor().cost_per_shot * static_cast<double>(o.shots);
    }
    o.approve(planned);
  }

  // 3. Run every part at once; poll for progress.
  const auto run_start = Clock::now();
  const bool need_shots = o.keep_shots || o.record_shots || runs.size() > 1;
  for (auto& r : runs) {
    JobRequest req;
    req.program = r.stages.back().program;
    req.shots = o.shots;
    req.seed = r.seed;
    req.keep_shots = need_shots;
    r.job = r.backend->submit(std::move(req));
  }
  // Wait on each job in turn, waking every 20 ms to report progress.
  for (std::size_t k = 0; k < runs.size();) {
    const JobStatus st = runs[k].backend->wait_for(runs[k].job, std::chrono::milliseconds(20));
    if (st.state == JobState::kQueued || st.state == JobState::kRunning) {
      if (o.progress) {
        double progress = 0;
        for (auto& r : runs) progress += r.backend->poll(r.job).progress / static_cast<double>(runs.size());
        o.progress(progress);
      }
      continue;
    }
    ++k;
  }
  if (o.progress) o.progress(1.0);
  for (auto& r : runs) r.result = r.backend->normalise_result(r.job);  // throws ExecFailure on failure
  const double run_s = since(run_start);

  // 4. Aggregate: shot k of the whole is shot k of every part side by side.
  const auto aggregate_start = Clock::now();
  std::map<std::string, std::int64_t> counts;
  std::vector<std::string> shots;
  if (runs.size() == 1) {
    counts = runs[0].result.counts;
    shots = std::move(runs[0].result.shots);
  } else {
    std::vector<Part> part_list;
    for (const auto& r : runs) part_list.push_back(r.part);
    std::vector<const std::string*> row(runs.size());
    for (std::int64_t s = 0; s < o.shots; ++s) {
      for (std::size_t k = 0; k < runs.size(); ++k) row[k] = &runs[k].result.shots[static_cast<std::size_t>(s)];
      std::string merged = merge_shot(logical.num_clbits, part_list, row);
      ++counts[merged];
      if (o.keep_shots || o.record_shots) shots.push_back(std::move(merged));
    }
  }
  RunOutcome out;
  out.counts_by_frequency.assign(counts.begin(), counts.end());
  std::stable_sort(out.counts_by_frequency.begin(), out.counts_by_frequency.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });

  nlohmann::ordered_json& j = out.result;
  j["format"] = "qontos-result/1";
  j["compiler"] = o.compiler_version;
  j["circuit"] = {{"path", path},
                  {"qubits", logical.num_qubits},
                  {"clbits", logical.num_clbits},
                  {"source_sha256", ir::sha256_hex(source)}};
  j["shots"] = o.shots;
  nlohmann::ordered_json cj = nlohmann::ordered_json::object();
  for (const auto& [bits, n] : out.counts_by_frequency) cj[bits] = n;
  j["counts"] = cj;
  if (o.keep_shots) j["per_shot"] = shots;
  nlohmann::ordered_json plan;
  plan["passes"] = stages_json(logical_stages);
  plan["weights"] = {{"fidelity", o.weights.fidelity},
                     {"queue", o.weights.queue},
                     {"cost", o.weights.cost},
                     {"capacity", o.weights.capacity}};
  plan["parts"] = nlohmann::ordered_json::array();
  nlohmann::ordered_json backends_json = nlohmann::ordered_json::array();
  double backend_seconds = 0;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const PartRun& r = runs[k];
    const ir::Program& final_program = r.stages.back().program;
    nlohmann::ordered_json pj;
    pj["qubits"] = r.part.qubits;
    pj["clbits"] = r.part.clbits;
    pj["backend"] = r.backend->name();
    pj["device"] = r.backend->descriptor().name;
    pj["passes"] = stages_json(r.stages);
    if (final_program.partition) {
      const auto& m = *final_program.partition;
      pj["partition"] = {{"method", m.method},
                         {"modules", m.module_names},
                         {"module_of_qubit", m.module_of_qubit},
                         {"cut_gates", m.cut_gates}};
    }
    if (!final_program.initial_layout.empty()) pj["initial_layout"] = final_program.initial_layout;
    if (final_program.schedule) pj["duration_ns"] = final_program.schedule->duration_ns;
    pj["candidates"] = nlohmann::ordered_json::array();
    for (const auto& c : r.candidates) pj["candidates"].push_back(candidate_json(c));
    plan["parts"].push_back(pj);
    nlohmann::ordered_json bj;
    bj["part"] = k;
    bj["backend"] = r.result.backend;
    bj["method"] = r.result.method;
    bj["run_seconds"] = r.result.run_seconds;
    bj["details"] = r.result.details;
    backends_json.push_back(bj);
    backend_seconds = std::max(backend_seconds, r.result.run_seconds);
    out.backends.push_back(r.backend->name());
  }
  j["plan"] = plan;
  j["backends"] = backends_json;
  nlohmann::ordered_json seeds;
  seeds["submit"] = o.seed;
  seeds["parts"] = nlohmann::ordered_json::array();
  for (const auto& r : runs) seeds["parts"].push_back(r.seed);
  j["seeds"] = seeds;
  const double aggregate_s = since(aggregate_start);
  const double total_s = since(start);
  j["timings"] = {{"compile_s", compile_s},
                  {"schedule_s", schedule_s},
                  {"run_s", run_s},
                  {"aggregate_s", aggregate_s},
                  {"total_s", total_s}};
  out.run_seconds = backend_seconds;
  out.host_seconds = total_s - backend_seconds;
  if (o.record_shots) out.shots = std::move(shots);
  out.logical_stages = logical_stages;
  for (auto& r : runs) {
    out.part_devices.push_back(r.backend->descriptor());
    out.part_stages.push_back(std::move(r.stages));
  }
  return out;
}

}  // namespace qontos::exec
