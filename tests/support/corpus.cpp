#include "support/corpus.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace qontos::testing::corpus {
namespace {

bool starts_with_word(const std::string& s, const std::string& word) {
  if (s.compare(0, word.size(), word) != 0) return false;
  return s.size() == word.size() ||
         !(std::isalnum(static_cast<unsigned char>(s[word.size()])) || s[word.size()] == '_');
}

std::string trim(const std::string& s) {
  std::size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

std::string strip_comments(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 2, "//") == 0) {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (text.compare(i, 2, "/*") == 0) {
      const std::size_t end = text.find("*/", i + 2);
      i = end == std::string::npos ? text.size() : end + 2;
      out += ' ';
    } else {
      out += text[i++];
    }
  }
  return out;
}

// Statements outside gate definitions, trimmed and non-empty.
std::vector<std::string> statements_of(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  auto finish = [&] {
    std::string s = trim(current);
    if (!s.empty()) out.push_back(std::move(s));
    current.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{' && (starts_with_word(trim(current), "gate") || starts_with_word(trim(current), "opaque"))) {
      int depth = 1;  // skip the definition's body
      while (depth > 0 && ++i < text.size()) depth += text[i] == '{' ? 1 : text[i] == '}' ? -1 : 0;
      current.clear();
    } else if (c == ';' || c == '{' || c == '}') {
      finish();
    } else {
      current += c;
    }
  }
  finish();
  return out;
}

bool identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Position of `word` in s as a whole word at or after `from`, or npos.
std::size_t find_word(const std::string& s, const std::string& word, std::size_t from = 0) {
  for (std::size_t at = s.find(word, from); at != std::string::npos; at = s.find(word, at + 1)) {
    const bool left = at == 0 || !identifier_char(s[at - 1]);
    const bool right = at + word.size() == s.size() || !identifier_char(s[at + word.size()]);
    if (left && right) return at;
  }
  return std::string::npos;
}

// `word` followed by optional blanks and '(' (if (...), while (...)).
bool has_call_like(const std::string& s, const std::string& word) {
  for (std::size_t at = find_word(s, word); at != std::string::npos; at = find_word(s, word, at + 1)) {
    std::size_t k = at + word.size();
    while (k < s.size() && std::isspace(static_cast<unsigned char>(s[k]))) ++k;
    if (k < s.size() && s[k] == '(') return true;
  }
  return false;
}

struct QubitRef {
  std::string reg;
  long long index = -1;  // -1: the whole register (or an index that is not a literal)
};

// Every `name` or `name[k]` in `s` whose name is one of `registers`.
std::vector<QubitRef> qubit_refs(const std::string& s, const std::set<std::string>& registers) {
  std::vector<QubitRef> out;
  for (std::size_t i = 0; i < s.size();) {
    if (!(std::isalpha(static_cast<unsigned char>(s[i])) || s[i] == '_') || (i > 0 && identifier_char(s[i - 1]))) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < s.size() && identifier_char(s[end])) ++end;
    QubitRef ref{s.substr(i, end - i), -1};
    i = end;
    if (!registers.count(ref.reg)) continue;
    std::size_t k = end;
    while (k < s.size() && std::isspace(static_cast<unsigned char>(s[k]))) ++k;
    if (k < s.size() && s[k] == '[') {
      const std::size_t close = s.find(']', k);
      const std::string inside = trim(s.substr(k + 1, close == std::string::npos ? std::string::npos : close - k - 1));
      if (!inside.empty() &&
          std::all_of(inside.begin(), inside.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        ref.index = std::stoll(inside);
    }
    out.push_back(std::move(ref));
  }
  return out;
}

}  // namespace

std::vector<std::string> list_files(const std::string& dir, const std::string& suffix) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) throw std::runtime_error("corpus: '" + dir + "' is not a directory");
  std::vector<std::string> out;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const std::string name = e.path().filename().string();
    if (name.size() < suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
    out.push_back(fs::relative(e.path(), dir).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("corpus: cannot read '" + path + "'");
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string test_name(const std::string& relative_path) {
  const std::size_t slash = relative_path.find('/');
  const std::string top = slash == std::string::npos ? "" : relative_path.substr(0, slash);
  std::string stem = relative_path.substr(relative_path.rfind('/') + 1);
  if (const std::size_t dot = stem.rfind('.'); dot != std::string::npos) stem.resize(dot);
  std::string out = top.empty() ? stem : top + "_" + stem;
  for (char& c : out)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return out;
}

QasmScan scan_qasm(const std::string& text) {
  static const std::regex qreg(R"(^qreg\s+([A-Za-z_][A-Za-z0-9_]*)\s*\[\s*(\d+)\s*\]$)");
  static const std::regex qubit_array(R"(^qubit\s*\[([^\]]*)\]\s*([A-Za-z_][A-Za-z0-9_]*)$)");
  static const std::regex qubit_single(R"(^qubit\s+([A-Za-z_][A-Za-z0-9_]*)$)");
  static const std::regex literal(R"(^\s*(\d+)\s*$)");
  QasmScan scan;
  std::set<std::string> registers;
  std::vector<QubitRef> measured;
  for (const std::string& s : statements_of(strip_comments(text))) {
    ++scan.statements;
    std::smatch m;
    if (starts_with_word(s, "qreg") || starts_with_word(s, "qubit")) {
      std::string name;
      if (std::regex_match(s, m, qreg)) {
        scan.qubits += std::stoi(m[2].str());
        name = m[1].str();
      } else if (std::regex_match(s, m, qubit_array)) {
        std::smatch size;
        const std::string size_text = m[1].str();
        if (std::regex_match(size_text, size, literal))
          scan.qubits += std::stoi(size[1].str());
        else
          scan.qubits_known = false;
        name = m[2].str();
      } else if (std::regex_match(s, m, qubit_single)) {
        scan.qubits += 1;
        name = m[1].str();
      } else {
        scan.qubits_known = false;
        continue;
      }
      registers.insert(name);
      scan.qubit_registers.push_back(name);
      continue;
    }
    if (find_word(s, "reset") != std::string::npos) scan.reset = true;
    if (has_call_like(s, "if") || has_call_like(s, "while")) scan.classical_control = true;
    if (starts_with_word(s, "barrier") || starts_with_word(s, "creg") || starts_with_word(s, "bit")) continue;
    if (const std::size_t at = find_word(s, "measure"); at != std::string::npos) {
      // `measure a[i] -> c[i]`, `c[i] = measure a[i]` or `measure a[i]`: the qubits follow the
      // keyword, up to an arrow.
      std::string operands = s.substr(at + 7);
      if (const std::size_t arrow = operands.find("->"); arrow != std::string::npos) operands.resize(arrow);
      for (QubitRef& r : qubit_refs(operands, registers)) measured.push_back(std::move(r));
      continue;
    }
    if (measured.empty() || scan.gate_after_measure) continue;
    for (const QubitRef& r : qubit_refs(s, registers))
      for (const QubitRef& done : measured)
        if (r.reg == done.reg && (r.index < 0 || done.index < 0 || r.index == done.index))
          scan.gate_after_measure = true;
  }
  return scan;
}

const std::vector<BadFile>& malformed_qasmbench_files() {
  static const std::vector<BadFile> files = {
      {"qasmbench/small/hhl_n10/hhl_n10.qasm", "unknown qubit or register 'q'"},
      {"qasmbench/small/hhl_n10/hhl_n10_transpiled.qasm", "unknown qubit or register 'q'"},
      {"qasmbench/small/vqe_uccsd_n4/vqe_uccsd_n4.qasm", "unknown qubit or register 'q'"},
      {"qasmbench/small/vqe_uccsd_n4/vqe_uccsd_n4_transpiled.qasm", "unknown qubit or register 'q'"},
      {"qasmbench/small/vqe_uccsd_n6/vqe_uccsd_n6.qasm", "unknown qubit or register 'q'"},
      {"qasmbench/small/vqe_uccsd_n6/vqe_uccsd_n6_transpiled.qasm", "unknown qubit or register 'q'"},
      {"qasmbench/small/vqe_uccsd_n8/vqe_uccsd_n8.qasm", "unknown qubit or register 'q'"},
      {"qasmbench/small/vqe_uccsd_n8/vqe_uccsd_n8_transpiled.qasm", "unknown qubit or register 'q'"},
  };
  return files;
}

const std::vector<BadFile>& invalid_openqasm3_examples() {
  static const std::vector<BadFile> files = {
      {"openqasm3-examples/cphase.qasm", "unknown gate 'CX'"},
      {"openqasm3-examples/msd.qasm", "index 3 out of range for size 3"},
  };
  return files;
}

std::vector<std::vector<std::string>> markdown_table(const std::string& text, const std::string& heading) {
  std::istringstream in(text);
  std::string line;
  bool found = false;
  while (std::getline(in, line))
    if (trim(line) == heading) {
      found = true;
      break;
    }
  std::vector<std::vector<std::string>> rows;
  if (!found) return rows;
  bool in_table = false;
  int seen = 0;
  while (std::getline(in, line)) {
    const std::string t = trim(line);
    if (!in_table) {
      if (t.rfind('#', 0) == 0) break;  // the next heading: no table here
      if (t.rfind('|', 0) != 0) continue;
      in_table = true;
    } else if (t.rfind('|', 0) != 0) {
      break;
    }
    if (++seen <= 2) continue;  // header and separator
    std::vector<std::string> cells;
    std::string body = t.substr(1);
    if (!body.empty() && body.back() == '|') body.pop_back();
    std::size_t start = 0;
    while (true) {
      const std::size_t bar = body.find('|', start);
      cells.push_back(trim(body.substr(start, bar == std::string::npos ? std::string::npos : bar - start)));
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    rows.push_back(std::move(cells));
  }
  return rows;
}

const BadFile* expected_failure(const std::string& path) {
  for (const auto* list : {&malformed_qasmbench_files(), &invalid_openqasm3_examples()})
    for (const BadFile& f : *list)
      if (path == f.path) return &f;
  return nullptr;
}

Classified classify_for_unitary(const std::string& qasm_dir, const std::string& path) {
  Classified c{path, Exclusion::kNone, "", {}};
  if (expected_failure(path)) {
    c.why = Exclusion::kExpectedFailure;
    c.detail = "does not compile (documented)";
    return c;
  }
  const std::uintmax_t bytes = std::filesystem::file_size(qasm_dir + "/" + path);
  if (bytes > kUnitaryMaxFileBytes) {
    c.why = Exclusion::kTooLarge;
    c.detail = std::to_string(bytes) + " bytes";
    return c;
  }
  c.scan = scan_qasm(read_file(qasm_dir + "/" + path));
  if (c.scan.statements > kUnitaryMaxStatements) {
    c.why = Exclusion::kTooLarge;
    c.detail = std::to_string(c.scan.statements) + " statements";
  } else if (c.scan.qubits_known && c.scan.qubits > kUnitaryMaxQubits) {
    c.why = Exclusion::kTooManyQubits;
    c.detail = std::to_string(c.scan.qubits) + " qubits";
  } else if (c.scan.reset || c.scan.classical_control || c.scan.gate_after_measure) {
    c.why = Exclusion::kNotUnitary;
    c.detail = std::string(c.scan.reset ? "reset " : "") + (c.scan.classical_control ? "if/while " : "") +
               (c.scan.gate_after_measure ? "mid-circuit measurement" : "");
  }
  return c;
}

std::vector<std::string> unitary_files(const std::string& qasm_dir) {
  std::vector<std::string> out;
  for (const std::string& path : list_files(qasm_dir, ".qasm"))
    if (classify_for_unitary(qasm_dir, path).why == Exclusion::kNone) out.push_back(path);
  return out;
}

int& checked_files_counter(const std::string& label, const std::string& suffix) {
  struct Report : ::testing::Environment {
    std::string label, suffix;
    int count = 0;
    void TearDown() override {
      if (count > 0) std::cout << "[ " << label << " ] " << count << " corpus file(s) checked" << suffix << "\n";
    }
  };
  static std::map<std::string, Report*> reports;
  auto it = reports.find(label);
  if (it == reports.end()) {
    auto* r = new Report;  // owned by GoogleTest once registered
    r->label = label;
    r->suffix = suffix;
    ::testing::AddGlobalTestEnvironment(r);
    it = reports.emplace(label, r).first;
  }
  return it->second->count;
}

}  // namespace qontos::testing::corpus
