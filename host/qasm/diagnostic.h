// Compile errors with a source location, printed as
//   file:line:col: error: message
//     <the offending line>
//     ^
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace qontos::qasm {

/// One source text (a file or a built-in include) kept alive for diagnostics.
struct SourceFile {
  std::string path;
  std::string text;
  std::string line(int number) const;  // 1-based, without the newline
};

/// A position in a source file. The file must outlive the location; diagnostics copy what
/// they print when they are created, so an error can outlive the file.
struct Location {
  const SourceFile* file = nullptr;
  int line = 0;
  int col = 0;  // 1-based, in bytes
};

class CompileError : public std::runtime_error {
 public:
  CompileError(Location where, const std::string& message);
  int line() const { return line_; }
  int col() const { return col_; }
  const std::string& path() const { return path_; }
  const std::string& message() const { return message_; }
  /// The full diagnostic: location, message, source line and caret.
  std::string render() const;

 private:
  std::string path_;
  int line_ = 0;
  int col_ = 0;
  std::string source_line_;
  std::string message_;
};

/// Throws CompileError with "unsupported: <feature>".
[[noreturn]] void unsupported(const Location& where, const std::string& feature);

}  // namespace qontos::qasm
