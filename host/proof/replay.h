// Replaying a proof: check its integrity and plan layers, run the recorded input again with the
// recorded options (or a different backend, shot count or seed), check that every pass gives
// the recorded hash, build a new proof, and measure how far the new distribution is from the
// recorded one. A deterministic backend with the same seed reproduces the result records
// exactly; the provenance (who, when, where) is new by nature.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/distribution_distance.h"
#include "proof/run_proof.h"
#include "proof/verify.h"

namespace qontos::proof {

/// The proof cannot be replayed (its layers do not verify, or its record is incomplete).
struct ReplayError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ReplayOptions {
  std::string backend;                // empty: as recorded
  std::optional<std::int64_t> shots;  // as recorded when absent
  std::optional<std::uint64_t> seed;  // as recorded when absent
  std::string compiler_version;       // of this build
};

struct PassCheck {
  std::string leaf;  // "ir/route", "ir/part0/schedule", ...
  std::string recorded;
  std::string replayed;  // empty when this replay has no such pass
};

struct ReplayReport {
  std::string recorded_root;
  std::string recorded_compiler;
  std::vector<PassCheck> passes;  // every recorded pass, in order
  std::size_t passes_matching = 0;
  std::vector<std::string> recorded_backends, replayed_backends;
  bool same_integrity = false, same_plan = false;
  bool same_result_records = false;
  std::string first_result_difference;  // the first result leaf that differs, when any
  std::size_t result_records = 0;       // result leaves compared
  DistributionDistance distance;
  BuiltProof new_proof;
  exec::RunOutcome outcome;

  bool passes_reproduced() const { return passes_matching == passes.size(); }
};

ReplayReport replay(const std::string& proof_text, const std::string& blob_dir, const ReplayOptions& options,
                    const SigningKey& key, const Provenance& provenance);

}  // namespace qontos::proof
