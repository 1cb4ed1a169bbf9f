// Every stage of the compiler preserves what a corpus circuit computes. For each OpenQASM file
// of the shared corpus small enough for a dense unitary, compiled for superconducting-grid-16:
// the unitaries of the parse, inline, normalise, decompose and optimise stages are equal up to
// global phase (the parse stage is evaluated by the independent evaluator in tests/support,
// which expands definitions and modifiers itself), and the layout and route stages implement
// the parse stage's unitary on the device's qubits (equivalent_after_layout).
//
// Which files: those with at most kMaxQubits qubits, no reset, no if/while and only terminal
// measurements (measurements and barriers are dropped before comparing), at most kMaxGates
// statements and at most kMaxFileBytes bytes. That is decided before the tests run by a quick
// look at the text (corpus::scan_qasm), so that every checked file is its own test;
// `EveryFileIsClassified` then checks each exclusion against the compiler's parse of the file.
// Files that do not compile are listed below with the evidence that the file is at fault; only
// OpenQASM 3 specification examples may otherwise fail, and only with "unsupported:".
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "device/descriptor.h"
#include "ir/stats.h"
#include "passes/pipeline.h"
#include "qasm/diagnostic.h"
#include "support/corpus.h"
#include "support/dense_unitary.h"

namespace qontos {
namespace {

namespace corpus = testing::corpus;
using testing::Unitary;

constexpr int kMaxQubits = corpus::kUnitaryMaxQubits;
// Gate-count rule: larger circuits are left out (hhl_n10, 186795 gates per the QASMBench
// README, is the largest small one; it is also malformed). The pre-scan counts statements;
// each test then checks the inlined program is within the bound too.
constexpr long long kMaxGates = corpus::kUnitaryMaxStatements;

std::string qasm_dir() { return std::string(QONTOS_CORPUS_DIR) + "/qasm"; }

using ExpectedFailure = corpus::BadFile;
using corpus::Classified;
using corpus::Exclusion;
using corpus::expected_failure;
Classified classify(const std::string& path) { return corpus::classify_for_unitary(qasm_dir(), path); }
std::vector<std::string> checked_files() { return corpus::unitary_files(qasm_dir()); }

const device::Descriptor& grid16() {
  static const device::Descriptor d = device::load_descriptor("superconducting-grid-16", QONTOS_DEVICES_DIR);
  return d;
}

// Entry-wise tolerance for a stage with `gates` gates: 1e-8, loosened in proportion beyond
// 2000 gates. (Rounding in these files stays below 1e-12; a wrong gate differs by O(1).)
double tolerance(long long gates) { return 1e-8 * std::max(1.0, static_cast<double>(gates) / 2000.0); }

// Largest entry-wise difference between b and a after aligning b's global phase to a's on a's
// largest entry: for failure messages.
double deviation(const Unitary& a, const Unitary& b) {
  if (a.size() != b.size()) return std::numeric_limits<double>::infinity();
  std::size_t best = 0;
  for (std::size_t i = 1; i < a.size(); ++i)
    if (std::abs(a[i]) > std::abs(a[best])) best = i;
  const std::complex<double> ratio = b[best] / a[best];
  const std::complex<double> phase = std::abs(ratio) > 0 ? ratio / std::abs(ratio) : 1.0;
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(b[i] - phase * a[i]));
  return worst;
}

int& files_checked = corpus::checked_files_counter("equivalence", " stage by stage in this run");

class CorpusEquivalence : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusEquivalence, EveryStageKeepsTheUnitary) {
  const std::string& rel = GetParam();
  passes::PassContext ctx;
  ctx.device = &grid16();
  std::vector<passes::Stage> stages;
  try {
    stages = passes::compile_file(qasm_dir() + "/" + rel, "schedule", ctx);
  } catch (const qasm::CompileError& e) {
    // Only OpenQASM 3 specification examples may fail, for a feature the compiler does not
    // support; there is nothing to compare then.
    ASSERT_EQ(rel.rfind("openqasm3-examples/", 0), 0u) << e.render();
    ASSERT_NE(e.message().find("unsupported:"), std::string::npos) << e.render();
    std::cout << "[ not checked ] " << rel << ": " << e.message() << "\n";
    return;
  }
  ASSERT_EQ(stages.size(), passes::pass_names().size());
  const ir::Program& parsed = stages[0].program;
  ASSERT_LE(parsed.num_qubits, kMaxQubits) << "the pre-scan counted fewer qubits than the compiler";
  const long long inlined_gates = ir::compute_stats(stages[1].program).gates;
  ASSERT_LE(inlined_gates, kMaxGates) << "over the gate-count rule once inlined; exclude it from the pre-scan";
  ir::Program logical;
  ASSERT_NO_THROW(logical = testing::without_terminal_measurements(parsed))
      << "the pre-scan missed a non-unitary operation";
  const Unitary reference = testing::unitary_of(logical);

  for (std::size_t i = 1; i < stages.size(); ++i) {
    const passes::Stage& stage = stages[i];
    ir::Program program;
    ASSERT_NO_THROW(program = testing::without_terminal_measurements(stage.program))
        << "stage " << stage.pass << " has a measured qubit that a later gate uses";
    const double tol = tolerance(std::max(inlined_gates, ir::compute_stats(program).gates));
    if (stage.pass == "layout" || stage.pass == "route" || stage.pass == "schedule") {
      EXPECT_TRUE(testing::equivalent_after_layout(reference, program, tol))
          << rel << ": stage '" << stage.pass << "' does not implement the parsed circuit on the device";
    } else {
      const Unitary u = testing::unitary_of(program);
      EXPECT_TRUE(testing::equal_up_to_global_phase(reference, u, tol))
          << rel << ": stage '" << stage.pass << "' changes the unitary (largest deviation " << deviation(reference, u)
          << ", tolerance " << tol << ")";
    }
  }
  ++files_checked;
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusEquivalence, ::testing::ValuesIn(checked_files()),
                         [](const ::testing::TestParamInfo<std::string>& file) { return corpus::test_name(file.param); });

// ---------------------------------------------------------------------------------------------
// The classification, checked against the compiler's parse of every file.

TEST(CorpusEquivalenceFiles, EveryFileIsClassified) {
  const std::vector<std::string> files = corpus::list_files(qasm_dir(), ".qasm");
  // The corpus README gives the number of files per folder and the qubit ranges.
  const std::string readme = corpus::read_file(std::string(QONTOS_CORPUS_DIR) + "/README.md");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(readme, m,
                                std::regex(R"((\d+) OpenQASM 2 files \(small: (\d+) files, (\d+)-(\d+) qubits; )"
                                           R"(medium: (\d+) files, (\d+)-(\d+) qubits\))")));
  const int total_qasmbench = std::stoi(m[1].str());
  const int small_files = std::stoi(m[2].str()), small_min = std::stoi(m[3].str()), small_max = std::stoi(m[4].str());
  const int medium_files = std::stoi(m[5].str()), medium_min = std::stoi(m[6].str()), medium_max = std::stoi(m[7].str());
  std::smatch e;
  ASSERT_TRUE(std::regex_search(readme, e, std::regex(R"(the (\d+) example programs of the OpenQASM 3 specification)")));
  const int examples = std::stoi(e[1].str());
  auto count_under = [&](const std::string& prefix) {
    return std::count_if(files.begin(), files.end(), [&](const std::string& f) { return f.rfind(prefix, 0) == 0; });
  };
  EXPECT_EQ(count_under("qasmbench/"), total_qasmbench);
  EXPECT_EQ(count_under("qasmbench/small/"), small_files);
  EXPECT_EQ(count_under("qasmbench/medium/"), medium_files);
  EXPECT_EQ(count_under("openqasm3-examples/"), examples);
  EXPECT_EQ(static_cast<long>(files.size()), total_qasmbench + examples);

  std::map<Exclusion, int> counts;
  int unsupported = 0;
  std::cout << "file | scan | class | parse\n";
  for (const std::string& path : files) {
    const Classified c = classify(path);
    ++counts[c.why];
    std::string parse_result;
    try {
      const ir::Program p = passes::run_parse(corpus::read_file(qasm_dir() + "/" + path), path);
      parse_result = std::to_string(p.num_qubits) + " qubits";
      bool unitary = true;
      try {
        testing::without_terminal_measurements(p);
      } catch (const std::invalid_argument&) {
        unitary = false;
      }
      if (!unitary) parse_result += ", not unitary";
      // every exclusion is borne out by the compiler's view of the file
      switch (c.why) {
        case Exclusion::kNone:
          EXPECT_LE(p.num_qubits, kMaxQubits) << path;
          EXPECT_TRUE(unitary) << path;
          if (c.scan.qubits_known) {
            EXPECT_EQ(c.scan.qubits, p.num_qubits) << path;
          }
          break;
        case Exclusion::kExpectedFailure: ADD_FAILURE() << path << " compiles but is listed as failing"; break;
        case Exclusion::kTooLarge:
          EXPECT_GT(ir::compute_stats(p).gates, kMaxGates) << path;
          break;
        case Exclusion::kTooManyQubits: EXPECT_GT(p.num_qubits, kMaxQubits) << path; break;
        case Exclusion::kNotUnitary: EXPECT_FALSE(unitary) << path; break;
      }
      // and the README's qubit ranges hold
      if (path.rfind("qasmbench/small/", 0) == 0) {
        EXPECT_GE(p.num_qubits, small_min) << path;
        EXPECT_LE(p.num_qubits, small_max) << path;
      } else if (path.rfind("qasmbench/medium/", 0) == 0) {
        EXPECT_GE(p.num_qubits, medium_min) << path;
        EXPECT_LE(p.num_qubits, medium_max) << path;
      }
    } catch (const qasm::CompileError& err) {
      parse_result = "error: " + err.message();
      if (const ExpectedFailure* f = expected_failure(path)) {
        EXPECT_NE(err.message().find(f->message), std::string::npos) << err.render();
      } else {
        EXPECT_EQ(path.rfind("openqasm3-examples/", 0), 0u) << err.render();
        EXPECT_NE(err.message().find("unsupported:"), std::string::npos) << err.render();
        if (c.why == Exclusion::kNone) ++unsupported;  // instantiated, but nothing to check
      }
    }
    static const char* const kNames[] = {"checked", "expected failure", "too large", "too many qubits", "not unitary"};
    const std::string scanned = c.why == Exclusion::kExpectedFailure || (c.why == Exclusion::kTooLarge && c.scan.statements == 0)
                                    ? "not scanned"
                                    : std::to_string(c.scan.qubits) + (c.scan.qubits_known ? "" : "?") + " qubits, " +
                                          std::to_string(c.scan.statements) + " statements";
    std::cout << path << " | " << scanned << " | " << kNames[static_cast<int>(c.why)] << (c.detail.empty() ? "" : " (" + c.detail + ")")
              << " | " << parse_result << "\n";
  }
  const int instantiated = counts[Exclusion::kNone];
  EXPECT_EQ(static_cast<std::size_t>(instantiated), checked_files().size());
  std::cout << files.size() << " files: " << instantiated - unsupported << " checked stage by stage, " << unsupported
            << " instantiated but using OpenQASM 3 features the compiler does not support, " << counts[Exclusion::kExpectedFailure]
            << " documented failures, " << counts[Exclusion::kTooManyQubits] << " over " << kMaxQubits << " qubits, "
            << counts[Exclusion::kNotUnitary] << " with reset/if/while/mid-circuit measurement, "
            << counts[Exclusion::kTooLarge] << " over the size rule\n";
  EXPECT_GT(instantiated - unsupported, 50);  // most small QASMBench files are checked
}

// The evidence for each expected failure, from the file text.

TEST(CorpusEquivalenceFiles, MalformedQasmBenchFilesMeasureAnUndeclaredRegister) {
  const std::regex measure_q(R"(\bmeasure\s+q\s*\[)");
  for (const ExpectedFailure& f : corpus::malformed_qasmbench_files()) {
    const std::string text = corpus::read_file(qasm_dir() + "/" + f.path);
    const corpus::QasmScan scan = corpus::scan_qasm(text);
    EXPECT_FALSE(scan.qubit_registers.empty()) << f.path;
    EXPECT_EQ(std::count(scan.qubit_registers.begin(), scan.qubit_registers.end(), "q"), 0) << f.path;
    EXPECT_TRUE(std::regex_search(text, measure_q)) << f.path;
    try {
      passes::run_parse(text, f.path);
      ADD_FAILURE() << f.path << " compiles";
    } catch (const qasm::CompileError& e) {
      EXPECT_NE(e.message().find(f.message), std::string::npos) << e.render();
    }
  }
}

TEST(CorpusEquivalenceFiles, InvalidSpecificationExamples) {
  const std::string cphase = corpus::read_file(qasm_dir() + "/openqasm3-examples/cphase.qasm");
  EXPECT_EQ(cphase.find("include"), std::string::npos);
  EXPECT_NE(cphase.find("CX a, b;"), std::string::npos);
  EXPECT_TRUE(corpus::scan_qasm(cphase).qubit_registers.empty());  // and `q` is never declared
  EXPECT_NE(cphase.find("q[0]"), std::string::npos);
  const std::string msd = corpus::read_file(qasm_dir() + "/openqasm3-examples/msd.qasm");
  EXPECT_TRUE(std::regex_search(msd, std::regex(R"(qubit\[3\]\s+scratch\b)")));
  EXPECT_TRUE(std::regex_search(msd, std::regex(R"(\bscratch\[3\])")));
  for (const ExpectedFailure& f : corpus::invalid_openqasm3_examples()) {
    try {
      passes::run_parse(corpus::read_file(qasm_dir() + "/" + f.path), f.path);
      ADD_FAILURE() << f.path << " compiles";
    } catch (const qasm::CompileError& e) {
      EXPECT_NE(e.message().find(f.message), std::string::npos) << e.render();
    }
  }
}

}  // namespace
}  // namespace qontos
