// The digital twin's noise against closed-form answers. Each test writes its own all-to-all
// descriptor (device::parse_descriptor), turns it into a twin::NoiseModel, and samples a small
// circuit compiled to the `normalise` stage (logical qubit k = physical qubit k: the descriptor is
// all-to-all and no layout runs) with twin::run_twin. Frequencies must be within 5 binomial
// standard deviations of the derived probabilities.
//
// The model under test (sim/twin/noisy_state.cpp): after each gate, with probability
// error_of(gate) = 1 - fidelity, one of the 4^k - 1 non-identity Paulis on the gate's k qubits,
// uniformly; T1/T2 decay of a qubit over each gate's duration (after the gate is applied), over
// the time it idles until a later gate on it starts (when that gate synchronises its qubits'
// clocks), and over the measurement's duration just before the projective measurement; and a
// readout flip of the recorded bit with probability readout_error[physical qubit].
//
//  (a) Bell pair h q0; cx q0,q1; measure both: P(outcomes differ) = (8/15) e, e = 1 - F_cx.
//  (b) GHZ chains of 3..5 qubits: the exact outcome distribution from propagating every possible
//      Pauli error to the final measurements (below), against the sampled one.
//  (c) Readout error alone, different per qubit (a calibration record), on non-adjacent qubits.
//  (d) T1 alone: P(1) after the measurement's duration, after idling, and from |+>; and T2
//      alone: dephasing while idling between two h gates.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "device/descriptor.h"
#include "passes/pipeline.h"
#include "twin/noise_model.h"
#include "twin/twin_run.h"

namespace qontos {
namespace {

constexpr std::int64_t kShots = 20000;
constexpr double kSigmas = 5;

struct DeviceSpec {
  int qubits = 6;
  std::string gate_fidelity = "{}";  // JSON object
  std::string gate_duration = "{}";  // JSON object, ns
  double measure_duration_ns = 0;
  double t1_us = 0;
  double t2_us = 0;
  double readout_fidelity = 1;
};

device::Descriptor make_descriptor(const DeviceSpec& s) {
  std::ostringstream os;
  os.precision(17);
  os << R"({"name": "twin-analytic", "modality": "simulator", "num_qubits": )" << s.qubits
     << R"(, "all_to_all": true, "native_gates": [], "gate_fidelity": )" << s.gate_fidelity
     << R"(, "gate_duration_ns": )" << s.gate_duration << R"(, "measure_duration_ns": )" << s.measure_duration_ns
     << R"(, "readout_fidelity": )" << s.readout_fidelity << R"(, "t1_us": )" << s.t1_us << R"(, "t2_us": )" << s.t2_us
     << R"(, "calibration": {"id": "analytic", "ttl_s": 0}})";
  return device::parse_descriptor(os.str(), "<twin_analytic.test>");
}

std::map<std::string, std::int64_t> run(const std::string& body, const device::Descriptor& d, const twin::NoiseModel& model,
                                        std::uint64_t seed) {
  const std::string text = std::string("OPENQASM 3.0;\ninclude \"stdgates.inc\";\n") + body + "\n";
  const ir::Program program = passes::compile_source(text, "twin_analytic.qasm", "normalise", {}).back().program;
  simulate::ShotOptions options;
  options.shots = kShots;
  options.seed = seed;
  const auto result = twin::run_twin(program, model, d.num_qubits, options);
  std::int64_t total = 0;
  for (const auto& [bits, count] : result.shots.counts) total += count;
  EXPECT_EQ(total, kShots);
  return result.shots.counts;
}

/// Whether `observed` of kShots is within kSigmas binomial deviations of probability p.
::testing::AssertionResult near_probability(std::int64_t observed, double p) {
  const double n = static_cast<double>(kShots);
  const double sigma = std::sqrt(n * p * (1 - p));
  const double diff = std::abs(static_cast<double>(observed) - n * p);
  if (diff <= kSigmas * sigma + 1e-9) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << observed << " of " << kShots << " shots (frequency " << static_cast<double>(observed) / n
                                       << "), expected probability " << p << " (" << diff / sigma << " sigma away)";
}

/// Classical bit j of a bitstring (classical bit 0 rightmost).
bool bit(const std::string& bits, int j) { return bits[bits.size() - 1 - static_cast<std::size_t>(j)] == '1'; }

// ---------------------------------------------------------------------------------------------
// Error propagation for (a) and (b).
//
// A Pauli error P after gate g turns the final state U_after P U_before|0> into
// (U_after P U_after†) U_after U_before|0>, i.e. the ideal final state hit by P conjugated through
// the later gates. Only CNOTs follow an error in these circuits, and a CNOT conjugates Paulis to
// Paulis: X on its control becomes X on control and target, X on its target stays, Z on its
// target becomes Z on both, Z on its control stays. So the X-part of the propagated Pauli is
// the error's X-part (bit q set when the error has X or Y on qubit q) pushed through the later
// CNOTs (bit control set => flip bit target), independently of the Z-part; and the Z-part
// only multiplies computational-basis amplitudes by signs, which no Z-basis measurement sees
// (a Y is X times Z up to a phase). Hence every outcome is the ideal outcome XOR the X-pattern
// of the product of all errors, which is the XOR of their individual patterns. Errors at
// different gates are independent, so the pattern's distribution is the XOR-convolution of the
// per-gate ones.
//
// The ideal outcome of a GHZ chain (h q0; cx q0,q1; ...; cx q_{n-2},q_{n-1}) is 0...0 or 1...1
// with probability 1/2 each. An error right after the h is on qubit 0 only; its X-part, pushed
// through the whole chain, is 0 (I, Z) or all-ones (X, Y): it never changes whether the outcomes
// are all equal (physically: X|+> = |+>, and Z|+> = |-> gives the GHZ state with a minus sign).
// Its effect on the distribution is still included below, exactly.

struct Cnot {
  int control;
  int target;
};

struct ChainGate {
  std::vector<int> qubits;  // 1 (the h) or 2 (a cx: control, target)
  double error = 0;
};

std::uint32_t propagate(std::uint32_t pattern, const std::vector<Cnot>& later) {
  for (const Cnot& c : later)
    if ((pattern >> c.control) & 1u) pattern ^= 1u << c.target;
  return pattern;
}

/// Exact distribution of the final X-flip pattern (over 2^n patterns) for `gates`, where every
/// gate after the first is a CNOT (checked).
std::vector<double> flip_pattern_distribution(int n, const std::vector<ChainGate>& gates) {
  std::vector<double> dist(std::size_t{1} << n, 0.0);
  dist[0] = 1;
  for (std::size_t g = 0; g < gates.size(); ++g) {
    std::vector<Cnot> later;
    for (std::size_t h = g + 1; h < gates.size(); ++h) {
      EXPECT_EQ(gates[h].qubits.size(), 2u) << "the propagation rule holds for CNOTs only";
      later.push_back({gates[h].qubits[0], gates[h].qubits[1]});
    }
    // This gate's own pattern distribution: identity with 1 - e, else each non-identity Pauli.
    const int k = static_cast<int>(gates[g].qubits.size());
    const int paulis = (1 << (2 * k)) - 1;
    std::vector<double> own(dist.size(), 0.0);
    own[0] += 1 - gates[g].error;
    for (int p = 1; p <= paulis; ++p) {
      std::uint32_t x_part = 0;
      for (int j = 0; j < k; ++j) {
        const int letter = (p >> (2 * j)) & 3;  // 0 I, 1 X, 2 Y, 3 Z
        if (letter == 1 || letter == 2) x_part |= 1u << gates[g].qubits[static_cast<std::size_t>(j)];
      }
      own[propagate(x_part, later)] += gates[g].error / paulis;
    }
    std::vector<double> next(dist.size(), 0.0);
    for (std::size_t a = 0; a < dist.size(); ++a)
      for (std::size_t b = 0; b < dist.size(); ++b) next[a ^ b] += dist[a] * own[b];
    dist = std::move(next);
  }
  return dist;
}

std::vector<ChainGate> ghz_chain(int n, double h_error, double cx_error) {
  std::vector<ChainGate> gates{{{0}, h_error}};
  for (int i = 0; i + 1 < n; ++i) gates.push_back({{i, i + 1}, cx_error});
  return gates;
}

std::string ghz_program(int n) {
  std::ostringstream os;
  os << "qubit[" << n << "] q;\nbit[" << n << "] c;\nh q[0];\n";
  for (int i = 0; i + 1 < n; ++i) os << "cx q[" << i << "], q[" << i + 1 << "];\n";
  for (int i = 0; i < n; ++i) os << "c[" << i << "] = measure q[" << i << "];\n";
  return os.str();
}

std::string fidelities(double h_error, double cx_error) {
  std::ostringstream os;
  os.precision(17);
  os << R"({"h": )" << 1 - h_error << R"(, "cx": )" << 1 - cx_error << "}";
  return os.str();
}

// The h's infidelity: large, to show it has no effect on equality (but it is in the DP anyway).
constexpr double kHError = 0.1;

TEST(TwinAnalytic, PropagationGivesEightFifteenthsForABellPair) {
  for (double e : {0.01, 0.05, 0.2}) {
    const std::vector<double> dist = flip_pattern_distribution(2, ghz_chain(2, kHError, e));
    EXPECT_NEAR(dist[1] + dist[2], 8.0 / 15.0 * e, 1e-15);
  }
}

// (a) P(differ) = (8/15) e: of the 15 non-identity Paulis on (q0, q1) right after the cx (nothing
// follows it but measurement), the outcomes differ exactly when one qubit's letter is X or Y
// and the other's is I or Z: 2 * 2 * 2 = 8 of them.
TEST(TwinAnalytic, BellPairOutcomesDifferWithEightFifteenthsOfTheCxError) {
  std::uint64_t seed = 1;
  for (double e : {0.01, 0.05, 0.2}) {
    DeviceSpec spec;
    spec.gate_fidelity = fidelities(kHError, e);
    const device::Descriptor d = make_descriptor(spec);
    const twin::NoiseModel model = twin::noise_model_from(d);
    ASSERT_NEAR(model.error_of("cx", 2), e, 1e-12);
    const auto counts = run(ghz_program(2), d, model, seed++);
    std::int64_t differ = 0;
    for (const auto& [bits, count] : counts)
      if (bit(bits, 0) != bit(bits, 1)) differ += count;
    EXPECT_TRUE(near_probability(differ, 8.0 / 15.0 * e)) << "Bell pair, cx error " << e << ": P(outcomes differ)";
  }
}

// (b) GHZ parity decay as a function of the depolarising rate.
TEST(TwinAnalytic, GhzOutcomesFollowThePropagatedErrorDistribution) {
  std::uint64_t seed = 100;
  for (int n = 3; n <= 5; ++n) {
    for (double e : {0.02, 0.1, 0.3}) {
      DeviceSpec spec;
      spec.gate_fidelity = fidelities(kHError, e);
      const device::Descriptor d = make_descriptor(spec);
      const twin::NoiseModel model = twin::noise_model_from(d);
      const std::vector<double> dist = flip_pattern_distribution(n, ghz_chain(n, kHError, e));
      const std::uint32_t all = (1u << n) - 1;
      const double p_equal = dist[0] + dist[all];
      const auto counts = run(ghz_program(n), d, model, seed++);
      std::int64_t equal = 0;
      for (const auto& [bits, count] : counts) {
        ASSERT_EQ(bits.size(), static_cast<std::size_t>(n));
        bool same = true;
        for (int j = 1; j < n; ++j) same = same && bit(bits, j) == bit(bits, 0);
        if (same) equal += count;
      }
      EXPECT_TRUE(near_probability(equal, p_equal)) << n << "-qubit GHZ, cx error " << e << ": P(all outcomes equal)";
      // And the whole distribution: outcome x = ideal (0...0 or 1...1, each 1/2) XOR pattern.
      for (std::uint32_t x = 0; x <= all; ++x) {
        std::string bits(static_cast<std::size_t>(n), '0');
        for (int j = 0; j < n; ++j)
          if ((x >> j) & 1u) bits[static_cast<std::size_t>(n - 1 - j)] = '1';
        const auto it = counts.find(bits);
        const double p = (dist[x] + dist[x ^ all]) / 2;
        EXPECT_TRUE(near_probability(it == counts.end() ? 0 : it->second, p))
            << n << "-qubit GHZ, cx error " << e << ": outcome " << bits;
      }
    }
  }
}

// (c) Readout error alone: the recorded bit flips with the readout error of the measured
// physical qubit, whatever the qubit's state; qubits 2 and 4 are declared but unused.
TEST(TwinAnalytic, ReadoutFlipsMatchEachQubitsReadoutError) {
  DeviceSpec spec;
  spec.qubits = 6;
  const device::Descriptor d = make_descriptor(spec);
  twin::NoiseModel model = twin::noise_model_from(d);
  const double fidelity[6] = {0.95, 0.9, 0.5, 0.8, 0.6, 0.97};
  std::ostringstream cal;
  cal << R"({"qubits": [)";
  for (int q = 0; q < 6; ++q) cal << (q ? ", " : "") << R"({"qubit": )" << q << R"(, "readout_fidelity": )" << fidelity[q] << "}";
  cal << "]}";
  twin::apply_calibration(model, d, cal.str(), "<twin_analytic.test calibration>");
  const int measured[4] = {0, 1, 3, 5};
  const bool prepared[4] = {false, true, false, true};
  const auto counts = run("qubit[6] q; bit[4] c; x q[1]; x q[5]; c[0] = measure q[0]; c[1] = measure q[1]; "
                          "c[2] = measure q[3]; c[3] = measure q[5];",
                          d, model, 7);
  for (int j = 0; j < 4; ++j) {
    std::int64_t flipped = 0;
    for (const auto& [bits, count] : counts)
      if (bit(bits, j) != prepared[j]) flipped += count;
    EXPECT_TRUE(near_probability(flipped, 1 - fidelity[measured[j]])) << "readout flips of physical qubit " << measured[j];
  }
  // Flips are independent across qubits: P(no flip at all) is the product.
  double none = 1;
  for (int q : measured) none *= fidelity[q];
  const auto it = counts.find("1010");
  EXPECT_TRUE(near_probability(it == counts.end() ? 0 : it->second, none)) << "no readout flip on any qubit";
}

// (d) T1 alone. Amplitude damping over a time t with gamma = 1 - exp(-t/T1), as trajectories:
// a jump |1> -> |0> with probability gamma * P(1), else the no-jump operator diag(1, sqrt(1 -
// gamma)) renormalised. Averaged over trajectories, P(1) becomes P(1) * exp(-t/T1). Decay
// happens over a gate's duration after the gate, over idle time when a later gate synchronises
// its qubits' clocks, and over the measurement's duration before the measurement; a qubit
// measured right after its last gate does not idle (measurement only synchronises itself).
TEST(TwinAnalytic, T1DecayFollowsTheExponential) {
  constexpr double kT1Us = 1.0;  // 1000 ns
  struct Case {
    double measure_ns;
    const char* body;
    int clbit;
    double p_one;  // expected P(recorded 1)
  };
  const double rz_ns = 250;
  const Case cases[] = {
      // |1> decays over the measurement only (x takes no time).
      {500, "qubit[1] q; bit[1] c; x q[0]; c[0] = measure q[0];", 0, std::exp(-500.0 / 1000.0)},
      {1500, "qubit[1] q; bit[1] c; x q[0]; c[0] = measure q[0];", 0, std::exp(-1500.0 / 1000.0)},
      // |+> keeps half of its excitation.
      {500, "qubit[1] q; bit[1] c; h q[0]; c[0] = measure q[0];", 0, 0.5 * std::exp(-500.0 / 1000.0)},
      // q[1] in |1> idles while q[0] runs four rz of 250 ns (q[0] stays |0>, so the cz changes no
      // population); the cz starts at 1000 ns, then the measurement takes 500 ns.
      {500, "qubit[2] q; bit[1] c; x q[1]; rz(0.5) q[0]; rz(0.5) q[0]; rz(0.5) q[0]; rz(0.5) q[0]; cz q[0], q[1]; "
            "c[0] = measure q[1];",
       0, std::exp(-(4 * rz_ns + 500.0) / 1000.0)},
  };
  std::uint64_t seed = 300;
  for (const Case& c : cases) {
    DeviceSpec spec;
    spec.gate_duration = R"({"x": 0, "h": 0, "rz": 250, "cz": 0})";
    spec.measure_duration_ns = c.measure_ns;
    spec.t1_us = kT1Us;
    const device::Descriptor d = make_descriptor(spec);
    const twin::NoiseModel model = twin::noise_model_from(d);
    const auto counts = run(c.body, d, model, seed++);
    std::int64_t ones = 0;
    for (const auto& [bits, count] : counts)
      if (bit(bits, c.clbit)) ones += count;
    EXPECT_TRUE(near_probability(ones, c.p_one)) << "T1 = " << kT1Us << " us, measurement " << c.measure_ns << " ns: " << c.body;
  }
}

// T2 alone (T1 = 0): pure dephasing at rate 1/T2 applies Z with probability (1 - exp(-t/T2))/2
// over a time t. q[0] in |+> idles for 4 x 250 ns while q[1] (in |0>, which Z does not change)
// runs rz gates; the cz then synchronises q[0], and h maps a Z error to a flip:
// P(1) = (1 - exp(-1000/T2)) / 2. The measurement's own dephasing comes after the h and does
// not change Z-basis populations.
TEST(TwinAnalytic, T2DephasingWhileIdling) {
  DeviceSpec spec;
  spec.gate_duration = R"({"h": 0, "rz": 250, "cz": 0})";
  spec.measure_duration_ns = 300;
  spec.t2_us = 1.0;
  const device::Descriptor d = make_descriptor(spec);
  const twin::NoiseModel model = twin::noise_model_from(d);
  const auto counts = run("qubit[2] q; bit[1] c; h q[0]; rz(0.5) q[1]; rz(0.5) q[1]; rz(0.5) q[1]; rz(0.5) q[1]; "
                          "cz q[1], q[0]; h q[0]; c[0] = measure q[0];",
                          d, model, 400);
  std::int64_t ones = 0;
  for (const auto& [bits, count] : counts)
    if (bit(bits, 0)) ones += count;
  EXPECT_TRUE(near_probability(ones, (1 - std::exp(-1000.0 / 1000.0)) / 2)) << "dephasing over 1000 ns idle, T2 = 1 us";
}

}  // namespace
}  // namespace qontos
