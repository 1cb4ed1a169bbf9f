// The leaves of a run's proof (docs/formats/qproof.md lists them): what `submit` used and did,
// split into the integrity layer (devices, calibration, compiled programs, hardware
// identities), the plan layer (input, options, every pass's output, partition, schedule with
// its score breakdown, seeds, compiler) and the result layer (counts, every shot, how each part
// ran, provenance). The recorded input and options are enough to run the same job again.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "exec/runtime.h"
#include "proof/document.h"

namespace qontos::proof {

/// Everything that determines a run: the input and the options it was submitted with.
struct RecordedRun {
  std::string source;
  std::string path;
  exec::SubmitOptions options;  // progress and compiler_version are not recorded
  bool single_precision = false;
  std::string calibration_json;  // empty: none given
};

/// Who ran it, when, where and why, and what the policy decided.
struct Provenance {
  std::string actor;
  std::string tenant;
  std::string host;
  std::string time_utc;  // RFC 3339
  std::string purpose;
  nlohmann::json policy = nlohmann::json::array();  // the policy decisions
};

/// The result layer's leaves that depend only on the run, not on when or by whom (replay
/// compares these).
bool is_result_record(const std::string& leaf_name);

/// The three layers' leaves (without the chain leaves, which build_proof adds). `outcome` must
/// come from a run with record_shots.
std::array<std::vector<Leaf>, kLayerCount> run_layers(const RecordedRun& run, const exec::RunOutcome& outcome,
                                                      const Provenance& provenance);

/// The recorded input and options of a verified proof (its source read from `blob_dir`).
/// Throws std::runtime_error naming the leaf that is missing or malformed.
RecordedRun recorded_run(const nlohmann::json& proof, const std::string& blob_dir);

/// The current time as RFC 3339 UTC with seconds ("2026-12-03T11:40:00Z").
std::string utc_now();

}  // namespace qontos::proof
