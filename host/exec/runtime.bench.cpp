// Host overhead of `submit` for a Bell circuit: everything the runtime does around the
// simulation (parse, passes for every candidate device, scoring, job threads, polling,
// aggregation, the result document), with the backend's own run time taken out. The registry
// (reading board/backends.json and the descriptors) is loaded once, as a long-lived service does;
// BM_SubmitBellWithRegistryLoad adds it, as one CLI invocation pays it.
#include "exec/runtime.h"

#include <benchmark/benchmark.h>

#include "backends/registry.h"

namespace {

using namespace qontos;

const char* kBell =
    "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\nbit[2] c;\nh q[0];\ncx q[0], q[1];\nc = measure q;\n";

backends::BackendRegistry load() {
  const std::string devices = QONTOS_DEVICES_DIR;
  return backends::BackendRegistry::load(backends::BackendRegistry::default_path(devices), devices);
}

void report(benchmark::State& state, double host_seconds, double run_seconds) {
  state.counters["host_ms"] = benchmark::Counter(host_seconds * 1e3 / static_cast<double>(state.iterations()));
  state.counters["backend_ms"] = benchmark::Counter(run_seconds * 1e3 / static_cast<double>(state.iterations()));
}

void BM_SubmitBellOverhead(benchmark::State& state) {
  auto registry = load();
  exec::SubmitOptions o;
  o.shots = 1024;
  o.backend = state.range(0) ? "auto" : "statevector";
  double host = 0, run = 0;
  for (auto _ : state) {
    exec::RunOutcome r = exec::submit_source(kBell, "bell.qasm", o, registry);
    host += r.host_seconds;
    run += r.run_seconds;
  }
  report(state, host, run);
}
BENCHMARK(BM_SubmitBellOverhead)->Arg(0)->Arg(1)->ArgName("auto")->Unit(benchmark::kMillisecond);

void BM_SubmitBellWithRegistryLoad(benchmark::State& state) {
  exec::SubmitOptions o;
  o.shots = 1024;
  double host = 0, run = 0;
  for (auto _ : state) {
    auto registry = load();
    exec::RunOutcome r = exec::submit_source(kBell, "bell.qasm", o, registry);
    host += r.host_seconds;
    run += r.run_seconds;
  }
  report(state, host, run);
}
BENCHMARK(BM_SubmitBellWithRegistryLoad)->Unit(benchmark::kMillisecond);

}  // namespace
