// The QASMBench README's CNOT column, for every small and medium benchmark it lists: the number
// of cx gates once every gate is expanded down to cx and single-qubit gates (gates inside an
// `if` not counted). Each file is compiled up to `normalise` with no device, then
// passes::decompose_to({cx} + every single-qubit IR gate), and the top-level cx gates counted.
//
// A README row (Benchmark, Qubits) names folder <small|medium>/<Benchmark>_n<Qubits> and file
// <Benchmark>_n<Qubits>.qasm in it (the original, not the _transpiled one). Rows without such a
// file are listed, not checked. Rows whose file does not compile are the malformed files of
// corpus::malformed_qasmbench_files(). The README is wrong for qram_n20 (the corpus README says
// so): there the count must equal an independent count of the file's text instead.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "ir/gate_set.h"
#include "passes/decompose.h"
#include "passes/pipeline.h"
#include "qasm/diagnostic.h"
#include "support/corpus.h"

namespace qontos {
namespace {

namespace corpus = testing::corpus;

std::string qasmbench_dir() { return std::string(QONTOS_CORPUS_DIR) + "/qasm/qasmbench"; }

struct Row {
  std::string table;   // "small" or "medium"
  std::string name;    // Benchmark column
  std::string qubits;  // Qubits column
  long long cnot = 0;  // CNOT column
  std::string folder() const { return table + "/" + name + "_n" + qubits; }
  std::string file() const { return folder() + "/" + name + "_n" + qubits + ".qasm"; }  // relative to qasmbench_dir()
  bool exists() const { return std::filesystem::is_regular_file(qasmbench_dir() + "/" + file()); }
};

std::vector<Row> readme_rows() {
  const std::string readme = corpus::read_file(qasmbench_dir() + "/README.md");
  std::vector<Row> rows;
  for (const auto& [heading, table] : {std::pair{"### Small-scale", "small"}, std::pair{"### Medium-scale", "medium"}})
    for (const std::vector<std::string>& cells : corpus::markdown_table(readme, heading)) {
      if (cells.size() < 6) throw std::runtime_error("README row with " + std::to_string(cells.size()) + " cells");
      rows.push_back({table, cells[0], cells[3], std::stoll(cells[5])});
    }
  return rows;
}

std::vector<Row> matched_rows() {
  std::vector<Row> out;
  for (const Row& r : readme_rows())
    if (r.exists()) out.push_back(r);
  return out;
}

// cx gates at top level (not in if/while bodies) after decomposing into cx and single-qubit
// gates.
long long cx_count(const std::string& relative_file) {
  const std::string path = qasmbench_dir() + "/" + relative_file;
  passes::PassContext no_device;
  const std::vector<passes::Stage> stages = passes::compile_source(corpus::read_file(path), path, "normalise", no_device);
  std::vector<std::string> basis = {"cx"};
  for (const ir::GateSpec& g : ir::all_gates())
    if (g.num_qubits == 1) basis.emplace_back(g.name);
  const ir::Program decomposed = passes::decompose_to(stages.back().program, basis);
  long long n = 0;
  for (const ir::Op& op : decomposed.ops)
    if (const auto* g = std::get_if<ir::GateOp>(&op.v); g && g->name == "cx") ++n;
  return n;
}

const corpus::BadFile* malformed(const std::string& relative_file) {
  for (const corpus::BadFile& f : corpus::malformed_qasmbench_files())
    if ("qasmbench/" + relative_file == f.path) return &f;
  return nullptr;
}

// An independent count from the file's text, for files of plain OpenQASM 2 statements on
// indexed qubits: each statement's CX cost from the qelib1.inc definitions (cx 1, cz and cy 1,
// swap 3, cu1/cp/crz/cry/crx/cu3/ch 2, ccx 6, cswap 8, single-qubit gates 0). Statements in an
// `if` are not counted. Sets `complete` to false when the file has anything this cannot count
// (a gate definition, another gate, a whole-register operand).
long long text_cx_count(const std::string& text, bool& complete) {
  static const std::map<std::string, long long> kCost = {
      {"cx", 1},  {"CX", 1},  {"cz", 1},  {"cy", 1},  {"swap", 3}, {"cu1", 2}, {"cp", 2},   {"crz", 2},
      {"cry", 2}, {"crx", 2}, {"cu3", 2}, {"ch", 2},  {"ccx", 6},  {"cswap", 8}, {"x", 0},  {"y", 0},
      {"z", 0},   {"h", 0},   {"s", 0},   {"sdg", 0}, {"t", 0},    {"tdg", 0}, {"rx", 0},   {"ry", 0},
      {"rz", 0},  {"u1", 0},  {"u2", 0},  {"u3", 0},  {"u", 0},    {"U", 0},   {"p", 0},    {"sx", 0},
      {"sxdg", 0}, {"id", 0}};
  static const std::regex statement(R"(^([A-Za-z_][A-Za-z0-9_]*)\b([\s\S]*)$)");
  static const std::regex whole_register(R"([A-Za-z_][A-Za-z0-9_]*\s*(,|$))");
  // comments out, then one statement per ';'
  std::string code;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (const std::size_t comment = line.find("//"); comment != std::string::npos) line.resize(comment);
    code += line + '\n';
  }
  complete = true;
  long long total = 0;
  std::istringstream statements(code);
  std::string st;
  while (std::getline(statements, st, ';')) {
    const std::size_t first = st.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) continue;
    st = st.substr(first, st.find_last_not_of(" \t\r\n") - first + 1);
    std::smatch m;
    if (st.find_first_of("{}") != std::string::npos || !std::regex_match(st, m, statement)) {
      complete = false;  // a gate definition or something else this does not read
      continue;
    }
    const std::string word = m[1].str();
    if (word == "OPENQASM" || word == "include" || word == "qreg" || word == "creg" || word == "measure" ||
        word == "barrier" || word == "reset" || word == "if")
      continue;
    const auto cost = kCost.find(word);
    std::string operands = m[2].str();
    if (const std::size_t close = operands.rfind(')'); close != std::string::npos) operands = operands.substr(close + 1);
    if (cost == kCost.end() || std::regex_search(operands, whole_register)) {
      complete = false;
      continue;
    }
    total += cost->second;
  }
  return total;
}

// README rows shown wrong: the count must equal the independent count of the file's text.
bool readme_is_wrong(const Row& r) { return r.table == "medium" && r.name == "qram" && r.qubits == "20"; }

void PrintTo(const Row& r, std::ostream* os) { *os << r.file() << " (README CNOT " << r.cnot << ")"; }

class QasmBenchCnot : public ::testing::TestWithParam<Row> {};

TEST_P(QasmBenchCnot, MatchesTheReadme) {
  const Row& r = GetParam();
  long long ours = 0;
  try {
    ours = cx_count(r.file());
  } catch (const qasm::CompileError& e) {
    const corpus::BadFile* bad = malformed(r.file());
    ASSERT_NE(bad, nullptr) << e.render();
    EXPECT_NE(e.message().find(bad->message), std::string::npos) << e.render();
    std::cout << r.file() << " | does not compile (malformed: " << e.message() << ") | " << r.cnot << "\n";
    return;
  }
  std::cout << r.file() << " | " << ours << " | " << r.cnot << "\n";
  if (readme_is_wrong(r)) {
    bool complete = false;
    const long long independent = text_cx_count(corpus::read_file(qasmbench_dir() + "/" + r.file()), complete);
    ASSERT_TRUE(complete) << "the text count cannot vouch for " << r.file();
    EXPECT_EQ(ours, independent) << r.file();
    EXPECT_NE(ours, r.cnot) << r.file() << ": the README agrees with the file after all";
    std::cout << r.file() << ": README " << r.cnot << " is wrong; the file's text gives " << independent << "\n";
    return;
  }
  EXPECT_EQ(ours, r.cnot) << r.file();
}

INSTANTIATE_TEST_SUITE_P(Readme, QasmBenchCnot, ::testing::ValuesIn(matched_rows()),
                         [](const ::testing::TestParamInfo<Row>& row) {
                           std::string name = row.param.table + "_" + row.param.name + "_n" + row.param.qubits;
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

TEST(QasmBenchCnotReadme, RowsAndFolders) {
  const std::vector<Row> rows = readme_rows();
  ASSERT_FALSE(rows.empty());
  int matched = 0;
  std::cout << "README rows without a <Benchmark>_n<Qubits>/<Benchmark>_n<Qubits>.qasm file:\n";
  for (const Row& r : rows) {
    EXPECT_FALSE(r.name.empty());
    EXPECT_GE(r.cnot, 0) << r.name;
    EXPECT_GT(std::stoi(r.qubits), 1) << r.name;
    if (r.exists()) {
      ++matched;
    } else {
      const bool folder = std::filesystem::is_directory(qasmbench_dir() + "/" + r.folder());
      std::cout << "  " << r.table << ": " << r.name << " (" << r.qubits << " qubits, CNOT " << r.cnot << ")"
                << (folder ? " -- folder exists, file differs" : " -- no such folder") << "\n";
    }
  }
  std::cout << matched << " of " << rows.size() << " README rows matched to corpus files\n";
  EXPECT_EQ(static_cast<std::size_t>(matched), matched_rows().size());
  EXPECT_GT(matched, static_cast<int>(rows.size()) / 2);
  // the text count agrees with the compiler where the README is right, on files it can count
  int cross_checked = 0;
  for (const Row& r : matched_rows()) {
    if (malformed(r.file()) || readme_is_wrong(r)) continue;
    bool complete = false;
    const long long independent = text_cx_count(corpus::read_file(qasmbench_dir() + "/" + r.file()), complete);
    if (!complete) continue;
    EXPECT_EQ(independent, r.cnot) << r.file() << ": the text count disagrees with a README row";
    ++cross_checked;
  }
  std::cout << cross_checked << " rows also agree with the independent text count\n";
  EXPECT_GT(cross_checked, 10);
}

}  // namespace
}  // namespace qontos
