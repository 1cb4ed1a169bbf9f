// Running circuits end to end: known answers on every simulated backend, the split of
// independent parts and its product semantics, the refusal of joined parts on independent
// backends, Bell pairs on the multi-module twin, scheduling, the ExecutorContract's job life
// cycle, determinism, and the `qontos submit` / `qontos backends` commands.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <thread>

#include "backends/registry.h"
#include "backends/stabilizer_backend.h"
#include "backends/statevector_backend.h"
#include "device/descriptor.h"
#include "exec/runtime.h"
#include "passes/pipeline.h"
#include "simulate/statevector_run.h"
#include "support/cli_runner.h"
#include "twin/twin_run.h"

#include <omp.h>

namespace qontos {
namespace {

backends::BackendRegistry registry() {
  const std::string devices = QONTOS_DEVICES_DIR;
  return backends::BackendRegistry::load(backends::BackendRegistry::default_path(devices), devices);
}

exec::RunOutcome run(const std::string& source, const std::string& backend, std::int64_t shots = 2000,
                     std::uint64_t seed = 7) {
  auto r = registry();
  exec::SubmitOptions o;
  o.backend = backend;
  o.shots = shots;
  o.seed = seed;
  return exec::submit_source(source, "test.qasm", o, r);
}

std::map<std::string, std::int64_t> counts(const exec::RunOutcome& r) {
  return r.result["counts"].get<std::map<std::string, std::int64_t>>();
}

const char* kBernsteinVazirani = R"(OPENQASM 3.0;
include "stdgates.inc";
qubit[6] q;  // q[5] is the oracle's ancilla
bit[5] c;
x q[5];
h q;
// secret 10110 (bit 0 rightmost): CNOT from the qubits whose secret bit is 1
cx q[1], q[5];
cx q[2], q[5];
cx q[4], q[5];
h q;
for int i in [0:4] { c[i] = measure q[i]; }
)";

TEST(Submit, BernsteinVaziraniFindsTheSecretOnEveryIdealBackend) {
  for (const char* backend : {"statevector", "stabilizer"}) {
    auto r = run(kBernsteinVazirani, backend, 500);
    EXPECT_EQ(counts(r), (std::map<std::string, std::int64_t>{{"10110", 500}})) << backend;
  }
}

const char* kGhz = R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[5];
creg c[5];
h q[0];
cx q[0],q[1];
cx q[1],q[2];
cx q[2],q[3];
cx q[3],q[4];
measure q -> c;
)";

TEST(Submit, GhzGivesAllZerosOrAllOnes) {
  for (const char* backend : {"statevector", "stabilizer"}) {
    auto c = counts(run(kGhz, backend, 4000));
    ASSERT_EQ(c.size(), 2u) << backend;
    EXPECT_NEAR(static_cast<double>(c["00000"]) / 4000, 0.5, 5 * std::sqrt(0.25 / 4000)) << backend;
    EXPECT_EQ(c["00000"] + c["11111"], 4000);
  }
}

TEST(Submit, QftOfABasisStateIsUniformAndItsInverseRestoresIt) {
  // QFT|5> has uniform magnitudes; QFT then inverse QFT is the identity.
  const std::string qft = R"(OPENQASM 3.0;
include "stdgates.inc";
qubit[3] q;
bit[3] c;
x q[0]; x q[2];
h q[2]; cp(pi/2) q[1], q[2]; cp(pi/4) q[0], q[2];
h q[1]; cp(pi/2) q[0], q[1];
h q[0];
swap q[0], q[2];
)";
  auto uniform = counts(run(qft + "c = measure q;\n", "statevector", 8000));
  ASSERT_EQ(uniform.size(), 8u);
  for (const auto& [bits, n] : uniform)
    EXPECT_NEAR(static_cast<double>(n) / 8000.0, 0.125, 5 * std::sqrt(0.125 * 0.875 / 8000)) << bits;
  const std::string inverse = R"(swap q[0], q[2];
h q[0];
cp(-pi/2) q[0], q[1]; h q[1];
cp(-pi/4) q[0], q[2]; cp(-pi/2) q[1], q[2]; h q[2];
c = measure q;
)";
  EXPECT_EQ(counts(run(qft + inverse, "statevector", 300)), (std::map<std::string, std::int64_t>{{"101", 300}}));
}

TEST(Submit, TeleportationWithFeedForwardDeliversTheState) {
  // ry(theta) on q[0], teleported to q[2] with mid-circuit measurement and feed-forward.
  const double theta = 1.2;
  const std::string source =
      "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[3] q;\nbit[3] c;\nry(" + std::to_string(theta) + R"() q[0];
h q[1]; cx q[1], q[2];
cx q[0], q[1]; h q[0];
c[0] = measure q[0];
c[1] = measure q[1];
if (c[1]) x q[2];
if (c[0]) z q[2];
c[2] = measure q[2];
)";
  const std::int64_t shots = 6000;
  auto r = run(source, "statevector", shots);
  EXPECT_EQ(r.result["backends"][0]["method"], "trajectories");
  std::int64_t ones = 0;
  for (const auto& [bits, n] : counts(r))
    if (bits[0] == '1') ones += n;  // c[2] is the leftmost character
  const double p = std::pow(std::sin(theta / 2), 2);
  EXPECT_NEAR(static_cast<double>(ones) / shots, p, 5 * std::sqrt(p * (1 - p) / shots));
}

TEST(Submit, SameSeedSameCountsDifferentSeedDifferentCounts) {
  for (const char* backend : {"statevector", "stabilizer", "twin:superconducting-grid-16"}) {
    auto a = counts(run(kGhz, backend, 1000, 11));
    auto b = counts(run(kGhz, backend, 1000, 11));
    auto c = counts(run(kGhz, backend, 1000, 12));
    EXPECT_EQ(a, b) << backend;
    EXPECT_NE(a, c) << backend;
  }
}

TEST(Submit, CountsDoNotDependOnTheNumberOfThreads) {
  const auto program = passes::compile_source(
                           "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[3] q;\nbit[3] c;\nh q[0];\nc[0] = measure q[0];\n"
                           "if (c[0]) x q[1];\nh q[2];\nc[1] = measure q[1];\nc[2] = measure q[2];\n",
                           "ff.qasm", "normalise", {})
                           .back()
                           .program;
  simulate::ShotOptions shots;
  shots.shots = 3000;
  shots.seed = 5;
  shots.keep_shots = true;
  const twin::NoiseModel noise =
      twin::noise_model_from(device::load_descriptor("superconducting-grid-16", QONTOS_DEVICES_DIR));
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const auto one = simulate::run_statevector(program, shots, {});
  const auto twin_one = twin::run_twin(program, noise, 16, shots);
  omp_set_num_threads(2);
  const auto two = simulate::run_statevector(program, shots, {});
  const auto twin_two = twin::run_twin(program, noise, 16, shots);
  omp_set_num_threads(saved);
  EXPECT_EQ(one.method, "trajectories");
  EXPECT_EQ(one.shots, two.shots);  // shot by shot, not only the totals
  EXPECT_EQ(twin_one.shots.shots, twin_two.shots.shots);
  EXPECT_EQ(one.counts.size(), 4u);
}

TEST(Submit, AutoPicksTheBestEligibleBackendAndRecordsEveryCandidate) {
  auto r = run(kGhz, "auto");
  const auto& parts = r.result["plan"]["parts"];
  ASSERT_EQ(parts.size(), 1u);
  const auto& candidates = parts[0]["candidates"];
  EXPECT_EQ(candidates.size(), registry().all().size());
  double best = -1;
  std::string best_name;
  for (const auto& c : candidates) {
    ASSERT_TRUE(c["eligible"].get<bool>()) << c.dump();
    for (const char* k : {"fidelity", "queue", "cost", "capacity"}) EXPECT_TRUE(c["scores"].contains(k));
    if (c["total"].get<double>() > best) {
      best = c["total"].get<double>();
      best_name = c["backend"];
    }
  }
  EXPECT_EQ(parts[0]["backend"], best_name);
}

TEST(Submit, NonCliffordCircuitNeverGoesToTheStabilizer) {
  const std::string t_circuit =
      "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\nbit[2] c;\nh q[0];\nt q[0];\ncx q[0], q[1];\nc = measure "
      "q;\n";
  exec::SubmitOptions o;
  o.weights =
      exec::Weights::parse("fidelity=0,queue=0,cost=0,capacity=1");  // would favour the 4096-qubit tableau least
  auto reg = registry();
  auto r = exec::submit_source(t_circuit, "t.qasm", o, reg);
  bool seen = false;
  for (const auto& c : r.result["plan"]["parts"][0]["candidates"])
    if (c["backend"] == "stabilizer") {
      seen = true;
      EXPECT_FALSE(c["eligible"].get<bool>());
      EXPECT_EQ(c["reason"], "unsupported: line 6: gate 't' is not a Clifford gate");
    }
  EXPECT_TRUE(seen);
  EXPECT_NE(r.result["plan"]["parts"][0]["backend"], "stabilizer");
  EXPECT_THROW(run(t_circuit, "stabilizer"), exec::ExecFailure);
}

TEST(Submit, WeightsChangeTheChoice) {
  auto reg = registry();
  exec::SubmitOptions o;
  o.weights = exec::Weights::parse("fidelity=0,queue=0,cost=0,capacity=1");
  auto r = exec::submit_source(kGhz, "ghz.qasm", o, reg);
  // Five qubits fill the 16-qubit grid most snugly.
  EXPECT_EQ(r.result["plan"]["parts"][0]["backend"], "twin:superconducting-grid-16");
  EXPECT_THROW(exec::Weights::parse("speed=1"), std::invalid_argument);
  EXPECT_THROW(exec::Weights::parse("fidelity=-1"), std::invalid_argument);
}

const char* kTwoBellPairs = R"(OPENQASM 3.0;
include "stdgates.inc";
qubit[4] q;
bit[4] c;
h q[0]; cx q[0], q[2];
h q[1]; cx q[1], q[3];
c = measure q;
)";

TEST(Submit, IndependentPartsRunApartAndCombineAsAProduct) {
  auto r = run(kTwoBellPairs, "statevector", 4000);
  const auto& parts = r.result["plan"]["parts"];
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0]["qubits"], nlohmann::json({0, 2}));
  EXPECT_EQ(parts[1]["qubits"], nlohmann::json({1, 3}));
  auto c = counts(r);
  // q0 == q2 and q1 == q3 in every shot; the four combinations are equally likely.
  ASSERT_EQ(c.size(), 4u);
  for (const char* bits : {"0000", "0101", "1010", "1111"})
    EXPECT_NEAR(static_cast<double>(c[bits]) / 4000.0, 0.25, 5 * std::sqrt(0.25 * 0.75 / 4000)) << bits;
}

TEST(Submit, JoinedPartsOnIndependentBackendsAreRefused) {
  const auto map = testing::write("bell-split.json", R"({"modules": {"q[0]": "a", "q[1]": "b"}})");
  const auto bell = testing::write(
      "bell.qasm",
      "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n");
  auto r =
      testing::qontos("submit " + bell.string() + " --backend statevector --partitioner manual --map " + map.string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("unsupported: the map's partitions are joined by 1 two-qubit gates; independent backends cannot "
                       "run joined partitions"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(Submit, MultiModuleTwinChargesABellPairPerCrossModuleGate) {
  // Six qubits in a ring, forced onto two modules: the gates across the cut need Bell pairs.
  const auto ring = testing::write("ring.qasm", R"(OPENQASM 3.0;
include "stdgates.inc";
qubit[6] q;
bit[6] c;
h q[0];
for int i in [0:4] { cx q[i], q[i+1]; }
cx q[5], q[0];
c = measure q;
)");
  const auto map =
      testing::write("ring-map.json",
                     R"({"modules": {"q[0]": "A", "q[1]": "A", "q[2]": "A", "q[3]": "B", "q[4]": "B", "q[5]": "B"}})");
  auto r = testing::qontos("submit " + ring.string() + " --device modular-2x16 --partitioner manual --map " +
                           map.string() + " --shots 200 --json");
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["plan"]["parts"][0]["partition"]["module_of_qubit"], nlohmann::json({0, 0, 0, 1, 1, 1}));
  EXPECT_EQ(j["plan"]["parts"][0]["partition"]["cut_gates"], 2);
  const long long pairs = std::stoll(j["backends"][0]["details"]["bell_pairs"].get<std::string>());
  EXPECT_GT(pairs, 0);
  EXPECT_EQ(pairs % 200, 0) << "every shot charges the same cross-module gates";
}

TEST(Contract, JobLifeCycleAndCancellation) {
  const device::Descriptor d = device::load_descriptor("ideal-simulator", QONTOS_DEVICES_DIR);
  backends::StatevectorBackend backend(d);
  // A long trajectory run (mid-circuit measurement) that we cancel.
  auto stages = passes::compile_source(
      "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[12] q;\nbit[1] c;\nh q;\nc[0] = measure q[0];\nif (c[0]) x "
      "q[1];\n"
      "for int i in [0:10] { cx q[i], q[i+1]; }\nc[0] = measure q[11];\n",
      "long.qasm", "normalise", {});
  exec::JobRequest req;
  req.program = stages.back().program;
  req.shots = 50'000'000;
  const exec::JobId id = backend.submit(req);
  EXPECT_EQ(backend.queue_depth(), 1);
  backend.cancel(id);
  const exec::JobStatus st = backend.wait(id);
  EXPECT_EQ(st.state, exec::JobState::kCancelled);
  ASSERT_TRUE(st.error);
  EXPECT_EQ(st.error->kind, exec::ErrorKind::kCancelled);
  EXPECT_THROW(backend.normalise_result(id), exec::ExecFailure);
  EXPECT_EQ(backend.queue_depth(), 0);
  // Errors of every kind reach the caller typed.
  req.shots = 10;
  const exec::JobId ok = backend.submit(req);
  EXPECT_EQ(backend.normalise_result(ok).num_shots, 10);
  EXPECT_EQ(backend.poll(ok).state, exec::JobState::kDone);
  EXPECT_EQ(backend.normalise_error(std::make_exception_ptr(std::bad_alloc())).kind, exec::ErrorKind::kCapacity);
  try {
    backend.poll(999);
    FAIL();
  } catch (const exec::ExecFailure& e) {
    EXPECT_EQ(e.error.kind, exec::ErrorKind::kValidation);
  }
}

TEST(Contract, ValidateSaysWhy) {
  const device::Descriptor ideal = device::load_descriptor("ideal-simulator", QONTOS_DEVICES_DIR);
  backends::StatevectorBackend sv(ideal);
  ir::Program big;
  big.num_qubits = 33;
  auto e = sv.validate(big);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, exec::ErrorKind::kCapacity);
  EXPECT_EQ(e->message, "the circuit uses 33 qubits; backend 'statevector' has 32");
  backends::StabilizerBackend stab(device::load_descriptor("stabilizer-simulator", QONTOS_DEVICES_DIR));
  auto p = passes::compile_source("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nh q[0];\nrz(pi/4) q[0];\n",
                                  "rz.qasm", "normalise", {});
  auto refusal = stab.validate(p.back().program);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->kind, exec::ErrorKind::kUnsupported);
  EXPECT_NE(refusal->message.find("line 5"), std::string::npos) << refusal->message;
}

TEST(SubmitCli, PrintsCountsBackendAndTimingsAndWritesJson) {
  const auto ghz = testing::write("ghz.qasm", kGhz);
  const auto out = testing::scratch() / "result.json";
  auto r = testing::qontos("submit " + ghz.string() + " --shots 100 --seed 3 -o " + out.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("counts (100 shots, most frequent first):"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("backend: statevector"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("timings: compile"), std::string::npos) << r.out;
  auto j = nlohmann::json::parse(testing::slurp(out));
  EXPECT_EQ(j["format"], "qontos-result/1");
  EXPECT_EQ(j["shots"], 100);
  std::int64_t total = 0;
  for (const auto& [bits, n] : j["counts"].items()) total += n.get<std::int64_t>();
  EXPECT_EQ(total, 100);
  EXPECT_EQ(j["plan"]["passes"][0]["name"], "parse");
  EXPECT_EQ(j["seeds"]["submit"], 3);
  auto again = testing::qontos("submit " + ghz.string() + " --shots 100 --seed 3 --json");
  EXPECT_EQ(nlohmann::json::parse(again.out)["counts"], j["counts"]);
  auto per_shot = testing::qontos("submit " + ghz.string() + " --shots 20 --per-shot --json");
  EXPECT_EQ(nlohmann::json::parse(per_shot.out)["per_shot"].size(), 20u);
}

TEST(SubmitCli, BadInputIsRefusedWithExitTwo) {
  const auto ghz = testing::write("ghz2.qasm", kGhz);
  auto unknown = testing::qontos("submit " + ghz.string() + " --backend warp-drive");
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("unknown backend 'warp-drive' (backends: statevector, stabilizer"), std::string::npos)
      << unknown.err;
  auto weights = testing::qontos("submit " + ghz.string() + " --weights speed=2");
  EXPECT_EQ(weights.code, 2);
  EXPECT_EQ(weights.err, "qontos: error: weights: 'speed' is not one of fidelity, queue, cost, capacity\n");
  auto shots = testing::qontos("submit " + ghz.string() + " --shots 0");
  EXPECT_EQ(shots.code, 2);
  const auto bad = testing::write("bad-submit.qasm", "OPENQASM 2.0;\nqreg q[2];\nfoo q[0];\n");
  auto compile = testing::qontos("submit " + bad.string());
  EXPECT_EQ(compile.code, 2);
  EXPECT_NE(compile.err.find(bad.string() + ":3:1: error:"), std::string::npos) << compile.err;
  auto manual = testing::qontos("submit " + ghz.string() + " --partitioner manual");
  EXPECT_EQ(manual.code, 2);
  EXPECT_NE(manual.err.find("--partitioner manual needs --map FILE"), std::string::npos);
}

TEST(SubmitCli, StatevectorFileHoldsTheFinalAmplitudes) {
  const auto circuit =
      testing::write("plus.qasm", "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\nh q[0];\ns q[0];\n");
  const auto out = testing::scratch() / "state.bin";
  auto r = testing::qontos("submit " + circuit.string() + " --shots 1 --statevector " + out.string());
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string bytes = testing::slurp(out);
  ASSERT_EQ(bytes.size(), 4 * sizeof(std::complex<double>));
  std::complex<double> amp[4];
  std::memcpy(amp, bytes.data(), bytes.size());
  const double h = 1 / std::sqrt(2.0);
  EXPECT_NEAR(std::abs(amp[0] - std::complex<double>(h, 0)), 0, 1e-12);
  EXPECT_NEAR(std::abs(amp[1] - std::complex<double>(0, h)), 0, 1e-12);  // index bit 0 = qubit 0
  EXPECT_NEAR(std::abs(amp[2]), 0, 1e-12);
  auto single =
      testing::qontos("submit " + circuit.string() + " --shots 1 --precision single --statevector " + out.string());
  ASSERT_EQ(single.code, 0);
  EXPECT_EQ(testing::slurp(out).size(), 4 * sizeof(std::complex<float>));
  const auto measured = testing::write("measured.qasm", kGhz);
  auto refused = testing::qontos("submit " + measured.string() + " --statevector " + out.string());
  EXPECT_EQ(refused.code, 2);
  EXPECT_NE(
      refused.err.find("--statevector: line 10: the final state is defined only for circuits without measurement"),
      std::string::npos)
      << refused.err;
}

TEST(BackendsCli, ListsEveryBackendsHealth) {
  auto r = testing::qontos("backends --json");
  ASSERT_EQ(r.code, 0) << r.err;
  auto rows = nlohmann::json::parse(r.out);
  ASSERT_EQ(rows.size(), registry().all().size());
  for (const auto& row : rows) {
    for (const char* k : {"backend", "queue_depth", "mean_2q_fidelity", "calibration_id", "cost_per_shot"})
      EXPECT_TRUE(row.contains(k)) << k;
    EXPECT_GT(row["throughput_shots_per_s"].get<double>(), 0) << row.dump();
  }
  EXPECT_EQ(rows[2]["mean_2q_fidelity"], 0.995);
  EXPECT_TRUE(rows[2]["calibration_stale"].get<bool>());  // calibrated 2025-01-15, TTL one day
}

}  // namespace
}  // namespace qontos
