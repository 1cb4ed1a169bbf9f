// Helpers for tests that read the shared corpus (../shared/corpus, QONTOS_CORPUS_DIR in test
// targets): listing files, reading them, naming value-parameterised tests after them, a quick
// look at OpenQASM text that needs no compiler, and Markdown tables (the QASMBench README).
#pragma once

#include <string>
#include <vector>

namespace qontos::testing::corpus {

/// Every regular file under `dir` (searched recursively) whose name ends with `suffix`, as paths
/// relative to `dir` with '/' separators, sorted. Throws std::runtime_error if `dir` is not a
/// directory.
std::vector<std::string> list_files(const std::string& dir, const std::string& suffix);

/// The whole content of a file; throws std::runtime_error naming the path if it cannot be read.
std::string read_file(const std::string& path);

/// A GoogleTest parameter name for a corpus path: the top folder and the file's stem, every
/// character other than a letter or digit turned into '_'.
/// "qasmbench/small/adder_n4/adder_n4_transpiled.qasm" -> "qasmbench_adder_n4_transpiled",
/// "openqasm3-examples/adder.qasm" -> "openqasm3_examples_adder".
std::string test_name(const std::string& relative_path);

/// What a quick look at OpenQASM 2 or 3 source text shows, without the compiler. Comments and
/// the bodies of gate definitions are ignored; statements end at ';', '{' or '}'.
struct QasmScan {
  int qubits = 0;                  // qubits declared by top-level qreg / qubit declarations
  bool qubits_known = true;        // false if a declaration's size is not an integer literal
  long long statements = 0;        // statements outside gate definitions
  bool reset = false;              // some statement resets a qubit
  bool classical_control = false;  // some statement is an if (...) or while (...)
  /// Some statement other than a measurement or barrier names a qubit (or the whole register of
  /// a qubit) that an earlier statement measured: a mid-circuit measurement.
  bool gate_after_measure = false;
  std::vector<std::string> qubit_registers;  // names of the declared quantum registers
};
QasmScan scan_qasm(const std::string& text);

/// A corpus file that does not compile because the file is at fault, with a piece of the
/// compiler's message.
struct BadFile {
  const char* path;     // relative to the corpus's qasm/ folder
  const char* message;  // contained in the qasm::CompileError's message
};

/// QASMBench files that measure into registers they never declare: each declares its qubits
/// under other names (qreg q0, q1, q2 or qreg reg) and no creg, yet ends with
/// `measure q[0] -> c[0];` and so on. They fail with "unknown qubit or register 'q'".
const std::vector<BadFile>& malformed_qasmbench_files();

/// OpenQASM 3 specification examples that are fragments rather than programs: cphase.qasm
/// applies `CX` without including stdgates.inc (only U and gphase are built in) to a `q` it
/// never declares; msd.qasm indexes scratch[3] of its `qubit[3] scratch` argument.
const std::vector<BadFile>& invalid_openqasm3_examples();

/// The rule that selects the corpus circuits small enough for dense-matrix checks: at most
/// kUnitaryMaxQubits qubits, at most kUnitaryMaxStatements statements, and unitary apart from
/// terminal measurements (no reset, no if/while, no gate after a measurement). Larger files
/// are not even scanned.
inline constexpr int kUnitaryMaxQubits = 10;
inline constexpr long long kUnitaryMaxStatements = 20000;
inline constexpr unsigned long long kUnitaryMaxFileBytes = 1 << 20;

enum class Exclusion { kNone, kExpectedFailure, kTooLarge, kTooManyQubits, kNotUnitary };

struct Classified {
  std::string path;
  Exclusion why = Exclusion::kNone;
  std::string detail;  // why it was excluded, for reports
  QasmScan scan;
};

/// The documented failure for `path` (relative to the qasm/ folder), or null.
const BadFile* expected_failure(const std::string& path);

/// Applies the rule to one file (`path` relative to `qasm_dir`).
Classified classify_for_unitary(const std::string& qasm_dir, const std::string& path);

/// Every corpus file the rule selects, relative to `qasm_dir`, sorted.
std::vector<std::string> unitary_files(const std::string& qasm_dir);

/// A counter of the corpus files a suite checked; at the end of the test program it prints
/// "[ label ] N corpus file(s) checked<suffix>" when N > 0 (a run filtered to other tests says
/// nothing). One counter per label.
int& checked_files_counter(const std::string& label, const std::string& suffix = " in this run");

/// The rows of the first Markdown table after the line `heading` (exact match, e.g.
/// "### Small-scale"): each row split at '|' into trimmed cells, without the header row and
/// the |---| separator. Empty if the heading or a table after it is missing.
std::vector<std::vector<std::string>> markdown_table(const std::string& text, const std::string& heading);

}  // namespace qontos::testing::corpus
