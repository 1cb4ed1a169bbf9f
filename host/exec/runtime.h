// `submit`: compile a circuit, split it into independent parts where it has them, score every
// candidate backend for each part, run the parts concurrently, and aggregate the shots into
// one result document (counts, optional per-shot records, the plan with every pass's hash, the
// partition and the score breakdown, seeds and timings).
//
// What a split costs is explicit: parts that no gate joins run on separate backends and their
// distributions combine exactly; parts joined by gates only run together on a multi-module
// backend, which charges a Bell pair per cross-module gate; asking for joined parts on
// independent backends is refused with the reason.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "backends/registry.h"
#include "exec/scheduler.h"
#include "passes/pipeline.h"

namespace qontos::exec {

/// What a submission will do, once scheduled and before anything runs (for policy checks).
struct PlannedRun {
  int qubits = 0;
  std::int64_t shots = 0;
  std::vector<std::string> backends;  // one per part
  double estimated_cost = 0;          // sum over parts of the device's cost per shot x shots
};

struct SubmitOptions {
  std::int64_t shots = 1024;
  std::uint64_t seed = 1;
  std::string backend = "auto";  // auto or a backend name
  std::string device;            // run on the twin of this device (name or path)
  std::string partitioner = "auto";
  std::string map_json;  // manual partition map
  std::string map_origin;
  Weights weights;
  bool keep_shots = false;    // per-shot records in the result document
  bool record_shots = false;  // per-shot records in RunOutcome::shots (for a proof)
  std::string compiler_version = "unknown";
  std::function<void(double)> progress;  // fraction of all shots done
  /// Called once the plan is known and before any job starts; throws (ExecFailure) to stop.
  std::function<void(const PlannedRun&)> approve;
};

struct RunOutcome {
  nlohmann::ordered_json result;  // the result document (docs/RESULT.md)
  std::vector<std::pair<std::string, std::int64_t>> counts_by_frequency;
  std::vector<std::string> backends;  // one per part
  double host_seconds = 0;            // everything but the backends' own run time
  double run_seconds = 0;
  // What a proof of the run records besides the document: every pass's output (the logical
  // stages, then each part's stages on its device) and each part's device as it was used.
  std::vector<std::string> shots;  // with record_shots: every shot's bitstring, in order
  std::vector<passes::Stage> logical_stages;
  std::vector<std::vector<passes::Stage>> part_stages;
  std::vector<device::Descriptor> part_devices;
};

/// Throws qasm::CompileError for bad source, passes::PassError for a circuit no pass can
/// handle, ExecFailure for scheduling and execution failures (with their typed kind).
RunOutcome submit_source(const std::string& source, const std::string& path, const SubmitOptions& options,
                         backends::BackendRegistry& registry);

}  // namespace qontos::exec
