// Tokens of OpenQASM 2 and 3. One lexer serves both versions; keywords that only OpenQASM 3
// reserves are ordinary identifiers to the parser when it reads an OpenQASM 2 program.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "qasm/diagnostic.h"

namespace qontos::qasm {

enum class TokenKind {
  kIdentifier,   // also keywords; the parser decides
  kInteger,      // 42, 0x2A, 0b101, 0o52, 1_000
  kFloat,        // 1.5, .5, 1e-3
  kImaginary,    // 1.5im
  kDuration,     // 100ns, 2.5us, 10dt
  kBitString,    // "0101"
  kString,       // any other quoted text (include paths)
  kHardwareQubit,// $3
  kPunct,        // operators and punctuation
  kAnnotation,   // @annotation (whole line)
  kPragma,       // #pragma / pragma (whole line)
  kEnd,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string_view text;  // into the file's text: name, punctuation, literal (quotes removed)
  Location where;
};

/// Reads tokens one at a time (they point into the file's text, which must outlive them);
/// throws CompileError on an unterminated comment or string or a character that cannot start a
/// token. After the end it keeps returning kEnd.
class Lexer {
 public:
  explicit Lexer(const SourceFile& file) : file_(file) {}
  Token next();

 private:
  Token scan();
  const SourceFile& file_;
  std::size_t i_ = 0;
  int line_ = 1;
  std::size_t line_start_ = 0;
  // The previous token, which decides whether "pragma" or "@name" starts a directive.
  std::string_view prev_text_;
  int prev_line_ = 0;
  bool have_prev_ = false;
};

/// All tokens of `file`, ending with kEnd.
std::vector<Token> tokenize(const std::shared_ptr<const SourceFile>& file);

}  // namespace qontos::qasm
