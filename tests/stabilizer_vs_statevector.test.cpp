// The stabilizer tableau engine against the statevector engine on Clifford circuits compiled
// from OpenQASM text (so the frontend, `normalise` and both engines' gate tables are all in the
// loop).
//
// Terminal measurements. 60 seeded random Clifford circuits on 1..12 qubits (h, s, sdg, x, y,
// z, sx, sxdg, cx, cy, cz, swap, rz(k*pi/2), then every qubit measured). The statevector gives
// the exact outcome distribution (|amplitude|^2 of simulate::final_state_bytes); the stabilizer
// engine samples 4000 shots through simulate::run_trajectories. A stabilizer state measured in
// the computational basis is uniform over an affine subspace, so the statevector's support must
// have 2^k elements of probability 2^-k each (asserted: it checks the statevector too); every
// sampled outcome must lie in that support; when 2^k <= 64 every support outcome must appear
// and its frequency be within 5 sigma of 2^-k; and every qubit's marginal frequency must be
// within 5 sigma of the statevector's marginal (0, 1/2 or 1).
//
// Mid-circuit measurement, reset and feed-forward (`if (c[j]) g ...`): the statevector backend
// runs these as trajectories too (simulate::run_statevector), so both engines are sampled with
// the same number of shots and compared outcome by outcome with a two-sample test: given that
// an outcome occurred m = a + b times in total, a ~ Binomial(m, 1/2) if the two distributions
// agree, so |a - b| <= 5 sqrt(m) + 1. A handful of hand-written circuits have exactly known
// answers (teleportation, active reset, repeated measurement) and are checked against them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "passes/pipeline.h"
#include "simulate/rng.h"
#include "simulate/shot_runner.h"
#include "simulate/stabilizer.h"
#include "simulate/statevector_run.h"
#include "support/dense_unitary.h"

namespace qontos {
namespace {

constexpr std::int64_t kShots = 4000;
constexpr double kSigmas = 5;

const char* const kHeader = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninclude \"qelib1.inc\";\n";

ir::Program compile(const std::string& text, const std::string& name) {
  return passes::compile_source(text, name + ".qasm", "normalise", {}).back().program;
}

/// The classical bits of a bitstring (classical bit 0 rightmost) as an integer, bit j = c[j].
std::uint64_t bits_of(const std::string& bitstring) {
  std::uint64_t x = 0;
  for (char ch : bitstring) x = (x << 1) | (ch == '1' ? 1u : 0u);
  return x;
}

std::string bitstring_of(std::uint64_t x, int width) {
  std::string s(static_cast<std::size_t>(width), '0');
  for (int j = 0; j < width; ++j)
    if ((x >> j) & 1) s[static_cast<std::size_t>(width - 1 - j)] = '1';
  return s;
}

/// Exact outcome probabilities of a measurement-free program, index bit k = qubit k.
std::vector<double> probabilities(const ir::Program& program) {
  const std::string bytes = simulate::final_state_bytes(program, {});
  std::vector<double> p(bytes.size() / sizeof(std::complex<double>));
  for (std::size_t i = 0; i < p.size(); ++i) {
    std::complex<double> a;
    std::memcpy(&a, bytes.data() + i * sizeof a, sizeof a);
    p[i] = std::norm(a);
  }
  return p;
}

simulate::ShotResult run_stabilizer(const ir::Program& program, std::int64_t shots, std::uint64_t seed) {
  simulate::StabilizerState state(program.num_qubits);
  simulate::ShotOptions options;
  options.shots = shots;
  options.seed = seed;
  return simulate::run_trajectories(program, state, options);
}

simulate::ShotResult run_statevector(const ir::Program& program, std::int64_t shots, std::uint64_t seed) {
  simulate::ShotOptions options;
  options.shots = shots;
  options.seed = seed;
  return simulate::run_statevector(program, options, {});
}

/// |observed - N p| within kSigmas binomial standard deviations.
bool within_sigmas(std::int64_t observed, std::int64_t shots, double p) {
  const double n = static_cast<double>(shots);
  return std::abs(static_cast<double>(observed) - n * p) <= kSigmas * std::sqrt(n * p * (1 - p)) + 1e-9;
}

// ---------------------------------------------------------------------------------------------
// Random Clifford circuits as OpenQASM text.

std::string random_gate(simulate::Rng& rng, int n) {
  static const char* const k1q[] = {"h", "s", "sdg", "x", "y", "z", "sx", "sxdg", "rz"};
  static const char* const k2q[] = {"cx", "cy", "cz", "swap"};
  static const char* const kQuarterTurns[] = {"0", "pi/2", "pi", "3*pi/2", "-pi/2", "-pi", "5*pi/2"};
  auto qubit = [](int q) { return "q[" + std::to_string(q) + "]"; };
  if (n >= 2 && rng.below(3) == 0) {
    const auto a = static_cast<int>(rng.below(static_cast<std::uint64_t>(n)));
    auto b = static_cast<int>(rng.below(static_cast<std::uint64_t>(n - 1)));
    if (b >= a) ++b;
    return std::string(k2q[rng.below(4)]) + " " + qubit(a) + ", " + qubit(b);
  }
  const std::string name = k1q[rng.below(9)];
  const std::string q = qubit(static_cast<int>(rng.below(static_cast<std::uint64_t>(n))));
  if (name == "rz") return "rz(" + std::string(kQuarterTurns[rng.below(7)]) + ") " + q;
  return name + " " + q;
}

struct RandomCircuit {
  std::string name;
  std::string text;
  int qubits = 0;
};

/// `gates` random Clifford gates on n qubits, then c[i] = measure q[i] for every qubit.
RandomCircuit random_terminal_circuit(int n, int index) {
  simulate::Rng rng = simulate::Rng::stream(0x5EED'C11F, static_cast<std::uint64_t>(100 * n + index));
  std::ostringstream os;
  os << kHeader << "qubit[" << n << "] q;\nbit[" << n << "] c;\n";
  const int gates = 5 * n + 4;
  for (int g = 0; g < gates; ++g) os << random_gate(rng, n) << ";\n";
  for (int i = 0; i < n; ++i) os << "c[" << i << "] = measure q[" << i << "];\n";
  return {"n" + std::to_string(n) + "_" + std::to_string(index), os.str(), n};
}

std::vector<RandomCircuit> terminal_circuits() {
  std::vector<RandomCircuit> out;
  for (int n = 1; n <= 12; ++n)
    for (int i = 0; i < 5; ++i) out.push_back(random_terminal_circuit(n, i));
  return out;
}

/// Random Clifford gates interleaved with mid-circuit measurements into c[0..n-1], resets and
/// gates conditioned on those bits; then every qubit measured into c[n + i].
RandomCircuit random_dynamic_circuit(int n, int index) {
  simulate::Rng rng = simulate::Rng::stream(0xD1A'F10, static_cast<std::uint64_t>(100 * n + index));
  std::ostringstream os;
  os << kHeader << "qubit[" << n << "] q;\nbit[" << 2 * n << "] c;\n";
  const auto un = static_cast<std::uint64_t>(n);
  const int steps = 6 * n + 6;
  for (int s = 0; s < steps; ++s) {
    if (s == steps / 2)  // at least one mid-circuit measurement with feed-forward
      os << "c[0] = measure q[" << rng.below(un) << "];\nif (c[0]) " << random_gate(rng, n) << ";\n";
    switch (rng.below(8)) {
      case 0: os << "c[" << rng.below(un) << "] = measure q[" << rng.below(un) << "];\n"; break;
      case 1: os << "reset q[" << rng.below(un) << "];\n"; break;
      case 2: os << "if (c[" << rng.below(un) << "]) " << random_gate(rng, n) << ";\n"; break;
      case 3:
        os << "if (c[" << rng.below(un) << "] == " << rng.below(2) << ") { " << random_gate(rng, n) << "; "
           << random_gate(rng, n) << "; }\n";
        break;
      default: os << random_gate(rng, n) << ";\n"; break;
    }
  }
  for (int i = 0; i < n; ++i) os << "c[" << n + i << "] = measure q[" << i << "];\n";
  return {"n" + std::to_string(n) + "_" + std::to_string(index), os.str(), n};
}

std::vector<RandomCircuit> dynamic_circuits() {
  std::vector<RandomCircuit> out;
  for (int n = 1; n <= 6; ++n)
    for (int i = 0; i < 4; ++i) out.push_back(random_dynamic_circuit(n, i));
  return out;
}

std::string circuit_name(const ::testing::TestParamInfo<RandomCircuit>& p) { return p.param.name; }

// ---------------------------------------------------------------------------------------------
// Terminal measurements: exact distribution vs sampled stabilizer outcomes.

class StabilizerVsStatevectorTerminal : public ::testing::TestWithParam<RandomCircuit> {};

TEST_P(StabilizerVsStatevectorTerminal, SamplesFollowTheExactDistribution) {
  const RandomCircuit& c = GetParam();
  const ir::Program program = compile(c.text, c.name);
  ASSERT_EQ(program.num_qubits, c.qubits);
  const std::vector<double> p = probabilities(testing::without_terminal_measurements(program));
  ASSERT_EQ(p.size(), std::size_t{1} << c.qubits);

  // The statevector's distribution is that of a stabilizer state: uniform on 2^k outcomes.
  std::vector<std::uint64_t> support;
  double total = 0;
  for (std::size_t x = 0; x < p.size(); ++x) {
    total += p[x];
    if (p[x] > 1e-9) support.push_back(x);
  }
  ASSERT_NEAR(total, 1.0, 1e-9) << c.text;
  const std::size_t size = support.size();
  ASSERT_TRUE(size > 0 && (size & (size - 1)) == 0) << "support of " << size << " outcomes is not a power of two\n" << c.text;
  const double uniform = 1.0 / static_cast<double>(size);
  for (std::uint64_t x : support)
    ASSERT_NEAR(p[x], uniform, 1e-9) << "outcome " << bitstring_of(x, c.qubits) << " of a Clifford state\n" << c.text;

  const simulate::ShotResult result = run_stabilizer(program, kShots, 1000 + static_cast<std::uint64_t>(c.qubits));
  std::int64_t shots = 0;
  std::vector<std::int64_t> ones(static_cast<std::size_t>(c.qubits), 0);
  for (const auto& [bits, count] : result.counts) {
    ASSERT_EQ(bits.size(), static_cast<std::size_t>(c.qubits));
    const std::uint64_t x = bits_of(bits);  // c[i] = measure q[i]: bit i of the outcome is qubit i
    EXPECT_GT(p[x], 1e-9) << "the stabilizer engine gave outcome " << bits << " (" << count
                          << " shots), which has probability 0 on the statevector\n"
                          << c.text;
    shots += count;
    for (int q = 0; q < c.qubits; ++q)
      if ((x >> q) & 1) ones[static_cast<std::size_t>(q)] += count;
  }
  ASSERT_EQ(shots, kShots);

  if (size <= 64) {
    for (std::uint64_t x : support) {
      const std::string bits = bitstring_of(x, c.qubits);
      const auto it = result.counts.find(bits);
      const std::int64_t observed = it == result.counts.end() ? 0 : it->second;
      EXPECT_GT(observed, 0) << "outcome " << bits << " (probability " << uniform << ") never sampled\n" << c.text;
      EXPECT_TRUE(within_sigmas(observed, kShots, uniform))
          << "outcome " << bits << ": " << observed << " of " << kShots << " shots, expected probability " << uniform
          << "\n" << c.text;
    }
  }
  // Per-qubit marginals, whatever the support size.
  for (int q = 0; q < c.qubits; ++q) {
    double marginal = 0;
    for (std::uint64_t x : support)
      if ((x >> q) & 1) marginal += p[x];
    EXPECT_TRUE(std::abs(marginal) < 1e-9 || std::abs(marginal - 0.5) < 1e-9 || std::abs(marginal - 1) < 1e-9)
        << "qubit " << q << " has marginal " << marginal << "\n" << c.text;
    EXPECT_TRUE(within_sigmas(ones[static_cast<std::size_t>(q)], kShots, marginal))
        << "qubit " << q << ": measured 1 in " << ones[static_cast<std::size_t>(q)] << " of " << kShots
        << " shots, statevector marginal " << marginal << "\n" << c.text;
  }
}

INSTANTIATE_TEST_SUITE_P(Random, StabilizerVsStatevectorTerminal, ::testing::ValuesIn(terminal_circuits()), circuit_name);

// ---------------------------------------------------------------------------------------------
// Mid-circuit measurement, reset and feed-forward: two engines, two samples.

/// The two-sample check described at the top, outcome by outcome.
void expect_same_distribution(const simulate::ShotResult& a, const simulate::ShotResult& b, const std::string& text) {
  std::set<std::string> outcomes;
  for (const auto& [bits, count] : a.counts) outcomes.insert(bits);
  for (const auto& [bits, count] : b.counts) outcomes.insert(bits);
  for (const std::string& bits : outcomes) {
    const auto ia = a.counts.find(bits);
    const auto ib = b.counts.find(bits);
    const double na = ia == a.counts.end() ? 0.0 : static_cast<double>(ia->second);
    const double nb = ib == b.counts.end() ? 0.0 : static_cast<double>(ib->second);
    EXPECT_LE(std::abs(na - nb), kSigmas * std::sqrt(na + nb) + 1)
        << "outcome " << bits << ": stabilizer " << na << " shots, statevector " << nb << " shots\n" << text;
  }
}

class StabilizerVsStatevectorDynamic : public ::testing::TestWithParam<RandomCircuit> {};

TEST_P(StabilizerVsStatevectorDynamic, SameDistributionAsStatevectorTrajectories) {
  const RandomCircuit& c = GetParam();
  const ir::Program program = compile(c.text, c.name);
  ASSERT_FALSE(simulate::measurements_are_terminal(program)) << c.text;
  const simulate::ShotResult stabilizer = run_stabilizer(program, kShots, 7);
  const simulate::ShotResult statevector = run_statevector(program, kShots, 8);
  EXPECT_EQ(statevector.method, "trajectories");
  std::int64_t total_a = 0, total_b = 0;
  for (const auto& [bits, count] : stabilizer.counts) total_a += count;
  for (const auto& [bits, count] : statevector.counts) total_b += count;
  ASSERT_EQ(total_a, kShots);
  ASSERT_EQ(total_b, kShots);
  expect_same_distribution(stabilizer, statevector, c.text);
}

INSTANTIATE_TEST_SUITE_P(Random, StabilizerVsStatevectorDynamic, ::testing::ValuesIn(dynamic_circuits()), circuit_name);

// Exactly known answers.

struct KnownCase {
  const char* name;
  const char* body;
  std::map<std::string, double> expected;  // every outcome with nonzero probability
};

const KnownCase kKnown[] = {
    {"feed_forward_copies_a_random_bit", "qubit[2] q; bit[2] c; h q[0]; c[0] = measure q[0]; if (c[0]) x q[1]; c[1] = measure q[1];",
     {{"00", 0.5}, {"11", 0.5}}},
    {"active_reset_by_feed_forward",
     "qubit[1] q; bit[2] c; h q[0]; c[0] = measure q[0]; if (c[0]) x q[0]; c[1] = measure q[0];", {{"00", 0.5}, {"01", 0.5}}},
    {"repeated_measurement_agrees", "qubit[1] q; bit[2] c; sx q[0]; c[0] = measure q[0]; c[1] = measure q[0];",
     {{"00", 0.5}, {"11", 0.5}}},
    {"reset_half_of_a_bell_pair",
     "qubit[2] q; bit[2] c; h q[0]; cx q[0], q[1]; reset q[0]; c[0] = measure q[0]; c[1] = measure q[1];",
     {{"00", 0.5}, {"10", 0.5}}},
    // Teleports |-> from q[0] to q[2]; h turns it into |1>, so c[2] is always 1.
    {"teleportation",
     "qubit[3] q; bit[3] c; x q[0]; h q[0]; h q[1]; cx q[1], q[2]; cx q[0], q[1]; h q[0]; c[0] = measure q[0]; "
     "c[1] = measure q[1]; if (c[1]) x q[2]; if (c[0]) z q[2]; h q[2]; c[2] = measure q[2];",
     {{"100", 0.25}, {"101", 0.25}, {"110", 0.25}, {"111", 0.25}}},
    // Measuring the parity of a GHZ pair through an ancilla is deterministic (0), and the
    // feed-forward then never fires.
    {"parity_check_with_ancilla",
     "qubit[3] q; bit[3] c; h q[0]; cx q[0], q[1]; cx q[0], q[2]; cx q[1], q[2]; c[2] = measure q[2]; if (c[2]) x q[0]; "
     "c[0] = measure q[0]; c[1] = measure q[1];",
     {{"000", 0.5}, {"011", 0.5}}},
    // Measure-and-reset in a loop of feed-forward: a sequence of fresh random bits.
    {"reset_reuses_a_qubit",
     "qubit[1] q; bit[3] c; h q[0]; c[0] = measure q[0]; reset q[0]; h q[0]; c[1] = measure q[0]; reset q[0]; "
     "c[2] = measure q[0];",
     {{"000", 0.25}, {"001", 0.25}, {"010", 0.25}, {"011", 0.25}}},
};

class StabilizerVsStatevectorKnown : public ::testing::TestWithParam<KnownCase> {};

TEST_P(StabilizerVsStatevectorKnown, BothEnginesGiveTheKnownDistribution) {
  const KnownCase& k = GetParam();
  const std::string text = std::string(kHeader) + k.body + "\n";
  const ir::Program program = compile(text, k.name);
  const simulate::ShotResult stabilizer = run_stabilizer(program, kShots, 11);
  const simulate::ShotResult statevector = run_statevector(program, kShots, 12);
  for (const auto* result : {&stabilizer, &statevector}) {
    const char* engine = result == &stabilizer ? "stabilizer" : "statevector";
    for (const auto& [bits, count] : result->counts)
      EXPECT_TRUE(k.expected.count(bits)) << engine << " gave impossible outcome " << bits << " (" << count << " shots)";
    for (const auto& [bits, probability] : k.expected) {
      const auto it = result->counts.find(bits);
      const std::int64_t observed = it == result->counts.end() ? 0 : it->second;
      EXPECT_TRUE(within_sigmas(observed, kShots, probability))
          << engine << ": outcome " << bits << " in " << observed << " of " << kShots << " shots, expected probability "
          << probability;
    }
  }
  expect_same_distribution(stabilizer, statevector, text);
}

INSTANTIATE_TEST_SUITE_P(Known, StabilizerVsStatevectorKnown, ::testing::ValuesIn(kKnown),
                         [](const ::testing::TestParamInfo<KnownCase>& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace qontos
