#include "qasm/diagnostic.h"

namespace qontos::qasm {

std::string SourceFile::line(int number) const {
  std::size_t start = 0;
  for (int i = 1; i < number; ++i) {
    start = text.find('\n', start);
    if (start == std::string::npos) return "";
    ++start;
  }
  std::size_t end = text.find('\n', start);
  std::string l = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (!l.empty() && l.back() == '\r') l.pop_back();
  return l;
}

namespace {
std::string headline(const Location& w, const std::string& message) {
  std::string path = w.file ? w.file->path : "<input>";
  return path + ":" + std::to_string(w.line) + ":" + std::to_string(w.col) + ": error: " + message;
}
}  // namespace

CompileError::CompileError(Location where, const std::string& message)
    : std::runtime_error(headline(where, message)),
      path_(where.file ? where.file->path : "<input>"),
      line_(where.line),
      col_(where.col),
      source_line_(where.file && where.line > 0 ? where.file->line(where.line) : ""),
      message_(message) {}

std::string CompileError::render() const {
  std::string out = what();
  if (line_ > 0) {
    std::string caret;
    // Keep tabs so the caret lines up under the offending column.
    for (int i = 1; i < col_ && i <= static_cast<int>(source_line_.size()); ++i)
      caret += source_line_[static_cast<std::size_t>(i - 1)] == '\t' ? '\t' : ' ';
    out += "\n  " + source_line_ + "\n  " + caret + "^";
  }
  return out;
}

void unsupported(const Location& where, const std::string& feature) {
  throw CompileError(where, "unsupported: " + feature);
}

}  // namespace qontos::qasm
