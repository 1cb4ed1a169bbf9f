// The statevector engine against the independent dense-matrix evaluator (tests/support): for a
// measurement-free circuit, the engine's final state from |0...0> (simulate::final_state_bytes,
// which includes the program's global phase) must be column 0 of testing::unitary_of applied to
// the parse stage (definitions, modifiers and gphase evaluated by the evaluator itself), exactly,
// global phase included: the engine runs the `normalise` stage, whose passes keep the global
// phase exactly, so any phase difference is a bug in a pass or in the engine.
//
// Checked for every corpus circuit that tests/equivalence.test.cpp checks (at most 10 qubits,
// no reset, no if/while, only terminal measurements, which are stripped with
// testing::without_terminal_measurements), with gate fusion on (the default, up to 4 qubits)
// and off (fusion_max_qubits = 0), in double precision (entry-wise within 1e-9) and single
// precision (within 1e-4); and for hand-written circuits whose gates have many controls
// (c4x, ctrl(3) @ U, negctrl, mcx with controls above and below the target) and act on
// non-adjacent qubits, where index arithmetic in the kernels and in fusion is easiest to get
// wrong.
#include <gtest/gtest.h>

#include <algorithm>
#include <complex>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "ir/stats.h"
#include "passes/pipeline.h"
#include "qasm/diagnostic.h"
#include "simulate/statevector_run.h"
#include "support/corpus.h"
#include "support/dense_unitary.h"

namespace qontos {
namespace {

namespace corpus = testing::corpus;
using testing::Unitary;

// Which corpus files: the selection of tests/equivalence.test.cpp (tests/support/corpus.h).

constexpr int kMaxQubits = corpus::kUnitaryMaxQubits;
constexpr long long kMaxGates = corpus::kUnitaryMaxStatements;

constexpr double kDoubleTolerance = 1e-9;
constexpr double kSingleTolerance = 1e-4;

std::string qasm_dir() { return std::string(QONTOS_CORPUS_DIR) + "/qasm"; }
std::vector<std::string> selected_files() { return corpus::unitary_files(qasm_dir()); }

// ---------------------------------------------------------------------------------------------
// Comparison.

template <typename Real>
std::vector<std::complex<double>> decode(const std::string& bytes) {
  std::vector<std::complex<double>> out(bytes.size() / sizeof(std::complex<Real>));
  for (std::size_t i = 0; i < out.size(); ++i) {
    std::complex<Real> a;
    std::memcpy(&a, bytes.data() + i * sizeof(std::complex<Real>), sizeof a);
    out[i] = std::complex<double>(static_cast<double>(a.real()), static_cast<double>(a.imag()));
  }
  return out;
}

struct Deviation {
  double worst = 0;
  std::size_t index = 0;
};

Deviation deviation(const std::vector<std::complex<double>>& expected, const std::vector<std::complex<double>>& actual) {
  Deviation d;
  for (std::size_t i = 0; i < expected.size() && i < actual.size(); ++i)
    if (std::abs(expected[i] - actual[i]) > d.worst) d = {std::abs(expected[i] - actual[i]), i};
  return d;
}

std::string describe(const std::vector<std::complex<double>>& expected, const std::vector<std::complex<double>>& actual,
                     const Deviation& d) {
  std::ostringstream os;
  os << "largest deviation " << d.worst << " at amplitude " << d.index;
  if (d.index < expected.size() && d.index < actual.size())
    os << " (expected " << expected[d.index] << ", got " << actual[d.index] << ")";
  return os.str();
}

/// Checks the engine's final state of `normalised` against `reference` (the evaluator's column
/// 0 of the parse stage) with fusion on and off, in double and single precision.
void check_final_states(const std::string& label, const ir::Program& normalised, const std::vector<std::complex<double>>& reference) {
  for (const int fusion : {4, 0}) {
    for (const bool single : {false, true}) {
      simulate::StatevectorOptions options;
      options.single_precision = single;
      options.fusion_max_qubits = fusion;
      std::string bytes;
      ASSERT_NO_THROW(bytes = simulate::final_state_bytes(normalised, options)) << label;
      const std::size_t amplitude_bytes = single ? 8 : 16;
      ASSERT_EQ(bytes.size(), reference.size() * amplitude_bytes) << label << ": wrong number of amplitudes";
      const std::vector<std::complex<double>> state = single ? decode<float>(bytes) : decode<double>(bytes);
      const Deviation d = deviation(reference, state);
      EXPECT_LE(d.worst, single ? kSingleTolerance : kDoubleTolerance)
          << label << ": final state differs from column 0 of the parse stage's unitary ("
          << (single ? "single" : "double") << " precision, fusion_max_qubits=" << fusion << "): " << describe(reference, state, d);
    }
  }
}

std::vector<std::complex<double>> column_zero(const Unitary& u) {
  const std::size_t dim = std::size_t{1} << testing::unitary_qubits(u);
  return {u.begin(), u.begin() + static_cast<std::ptrdiff_t>(dim)};  // column-major: column 0 first
}

int& files_checked = corpus::checked_files_counter("statevector vs dense", " in this run");

// ---------------------------------------------------------------------------------------------
// Corpus circuits.

class StatevectorVsDenseCorpus : public ::testing::TestWithParam<std::string> {};

TEST_P(StatevectorVsDenseCorpus, FinalStateIsColumnZeroOfTheUnitary) {
  const std::string& rel = GetParam();
  std::vector<passes::Stage> stages;
  try {
    stages = passes::compile_source(corpus::read_file(qasm_dir() + "/" + rel), qasm_dir() + "/" + rel, "normalise", {});
  } catch (const qasm::CompileError& e) {
    // As in equivalence.test.cpp: only specification examples may use unsupported features.
    ASSERT_EQ(rel.rfind("openqasm3-examples/", 0), 0u) << e.render();
    ASSERT_NE(e.message().find("unsupported:"), std::string::npos) << e.render();
    std::cout << "[ not checked ] " << rel << ": " << e.message() << "\n";
    return;
  }
  ASSERT_EQ(stages.size(), 3u);
  ASSERT_EQ(stages[0].pass, "parse");
  ASSERT_EQ(stages[2].pass, "normalise");
  ASSERT_LE(stages[0].program.num_qubits, kMaxQubits);
  ASSERT_LE(ir::compute_stats(stages[1].program).gates, kMaxGates);
  ir::Program parsed, normalised;
  ASSERT_NO_THROW(parsed = testing::without_terminal_measurements(stages[0].program));
  ASSERT_NO_THROW(normalised = testing::without_terminal_measurements(stages[2].program));
  const std::vector<std::complex<double>> reference = column_zero(testing::unitary_of(parsed));
  check_final_states(rel, normalised, reference);
  ++files_checked;
}

INSTANTIATE_TEST_SUITE_P(Corpus, StatevectorVsDenseCorpus, ::testing::ValuesIn(selected_files()),
                         [](const ::testing::TestParamInfo<std::string>& file) { return corpus::test_name(file.param); });

TEST(StatevectorVsDenseFiles, ManyCorpusFilesAreSelected) { EXPECT_GT(selected_files().size(), 50u); }

// ---------------------------------------------------------------------------------------------
// Hand-written circuits: many controls, non-adjacent qubits, phases that only controls expose.

struct Case {
  const char* name;
  const char* body;  // OpenQASM 3 after the header (stdgates.inc and qelib1.inc included)
};

// Every case starts from a superposition on the qubits that matter so that no control is
// trivially off; "spread" rotations give every amplitude a distinct value.
const Case kCases[] = {
    {"c4x_target_last", "qubit[5] q; h q; rz(0.3) q[4]; c4x q[0], q[1], q[2], q[3], q[4];"},
    {"c4x_target_first_non_adjacent",
     "qubit[9] q; h q[8]; h q[2]; h q[6]; h q[4]; ry(0.7) q[0]; c4x q[8], q[2], q[6], q[4], q[0]; rx(0.2) q[0];"},
    {"ctrl3_U_non_adjacent", "qubit[7] q; h q; ctrl(3) @ U(0.3, 0.2, 0.1) q[6], q[0], q[3], q[5]; ry(0.4) q[5];"},
    {"ctrl3_U_target_below_controls", "qubit[6] q; h q; rz(0.9) q[1]; ctrl(3) @ U(1.1, -0.4, 2.3) q[5], q[3], q[4], q[1];"},
    {"negctrl2_ctrl_rx", "qubit[6] q; h q; negctrl(2) @ ctrl @ rx(0.8) q[5], q[0], q[3], q[2]; p(0.3) q[2];"},
    {"ctrl_gphase_is_relative_phase", "qubit[4] q; h q; ctrl(2) @ gphase(0.9) q[3], q[1]; gphase(-0.25);"},
    {"global_phase_of_definition", "gate g a { gphase(pi/5); rx(0.3) a; } qubit[3] q; h q[2]; g q[0]; ctrl @ g q[2], q[1];"},
    {"mcx_ten_qubits_spread",
     "qubit[10] q; for int i in [0:9] { ry(0.1 * (i + 1)) q[i]; } ctrl(9) @ x q[9], q[7], q[5], q[3], q[1], q[8], q[6], q[4], q[2], q[0];"},
    {"ccx_cswap_far_apart",
     "qubit[8] q; h q[0]; h q[7]; ry(0.6) q[3]; ccx q[7], q[0], q[3]; cswap q[3], q[0], q[7]; ch q[7], q[1]; crz(0.5) q[1], q[6];"},
    {"fusable_chain_over_many_qubits",
     "qubit[8] q; h q; cx q[0], q[7]; rz(0.1) q[7]; cx q[7], q[3]; ry(0.2) q[3]; cx q[3], q[5]; rzz(0.3) q[5], q[0]; "
     "rxx(0.4) q[2], q[6]; cu(0.5, 0.6, 0.7, 0.8) q[6], q[1]; cp(0.9) q[1], q[4]; u3(0.3, 0.2, 0.1) q[4]; "
     "crx(1.1) q[4], q[2]; cy q[2], q[0]; rc3x q[0], q[2], q[4], q[6]; rccx q[7], q[5], q[1];"},
    {"pow_and_inv_under_controls",
     "qubit[5] q; h q; ctrl(2) @ pow(0.5) @ x q[4], q[0], q[2]; inv @ ctrl @ s q[1], q[3]; ctrl @ pow(-3) @ t q[3], q[0];"},
    {"c3sqrtx_and_c3x", "qubit[6] q; h q; c3sqrtx q[5], q[1], q[3], q[0]; c3x q[0], q[4], q[2], q[5];"},
};

class StatevectorVsDenseCases : public ::testing::TestWithParam<Case> {};

TEST_P(StatevectorVsDenseCases, FinalStateIsColumnZeroOfTheUnitary) {
  const std::string src = std::string("OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninclude \"qelib1.inc\";\n") + GetParam().body + "\n";
  const auto stages = passes::compile_source(src, std::string(GetParam().name) + ".qasm", "normalise", {});
  ASSERT_EQ(stages.size(), 3u);
  const std::vector<std::complex<double>> reference = column_zero(testing::unitary_of(stages[0].program));
  check_final_states(GetParam().name, stages[2].program, reference);
}

INSTANTIATE_TEST_SUITE_P(Cases, StatevectorVsDenseCases, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace qontos
