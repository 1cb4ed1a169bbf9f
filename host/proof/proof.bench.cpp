// The cost of proving a job: building the three layers from a finished run, hashing and
// signing them (BM_ProofBuildSign), and verifying the written proof with its blobs
// (BM_ProofVerify), for runs of 1, 1k and 100k shots (every shot is a leaf of the result layer).
// The run itself (a 5-qubit GHZ on the statevector) happens once, outside the timing.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "backends/registry.h"
#include "proof/run_proof.h"
#include "proof/verify.h"

namespace {

using namespace qontos;

const char* kGhz5 =
    "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[5];\ncreg c[5];\nh q[0];\ncx q[0],q[1];\ncx q[1],q[2];\n"
    "cx q[2],q[3];\ncx q[3],q[4];\nmeasure q -> c;\n";

struct Run {
  proof::RecordedRun recorded;
  exec::RunOutcome outcome;
};

const Run& run_with(std::int64_t shots) {
  static std::map<std::int64_t, Run> cache;
  auto it = cache.find(shots);
  if (it != cache.end()) return it->second;
  Run r;
  r.recorded.source = kGhz5;
  r.recorded.path = "ghz5.qasm";
  r.recorded.options.shots = shots;
  r.recorded.options.backend = "statevector";
  r.recorded.options.record_shots = true;
  const std::string devices = QONTOS_DEVICES_DIR;
  auto registry = backends::BackendRegistry::load(backends::BackendRegistry::default_path(devices), devices);
  r.outcome = exec::submit_source(r.recorded.source, r.recorded.path, r.recorded.options, registry);
  return cache.emplace(shots, std::move(r)).first->second;
}

proof::SigningKey bench_key() {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(3);
  return proof::key_from_seed(seed);
}

const proof::Provenance kWho{
    "bench", "bench", "localhost", "2026-12-03T00:00:00Z", "benchmark", nlohmann::json::array()};

void BM_ProofBuildSign(benchmark::State& state) {
  const Run& r = run_with(state.range(0));
  const auto key = bench_key();
  std::size_t bytes = 0;
  for (auto _ : state) {
    const proof::BuiltProof built = proof::build_proof(proof::run_layers(r.recorded, r.outcome, kWho), key);
    bytes = built.text.size();
    benchmark::DoNotOptimize(built.root);
  }
  state.counters["proof_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_ProofBuildSign)->Arg(1)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_ProofVerify(benchmark::State& state) {
  const Run& r = run_with(state.range(0));
  const proof::BuiltProof built = proof::build_proof(proof::run_layers(r.recorded, r.outcome, kWho), bench_key());
  const auto path =
      std::filesystem::temp_directory_path() / ("qontos-bench-" + std::to_string(state.range(0)) + ".qproof");
  proof::write_proof(path.string(), built);
  for (auto _ : state) {
    const auto report = proof::verify_proof(built.text, proof::blob_dir_for(path.string()));
    if (!report.ok) state.SkipWithError(report.summary().c_str());
  }
  state.SetItemsProcessed(state.iterations());  // proofs verified per second
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(built.text.size()));
  std::filesystem::remove_all(proof::blob_dir_for(path.string()));
  std::filesystem::remove(path);
}
BENCHMARK(BM_ProofVerify)->Arg(1)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace
