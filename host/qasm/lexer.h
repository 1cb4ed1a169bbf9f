// Tokens of OpenQASM 2 and 3. One lexer serves both versions; keywords that only OpenQASM 3
// reserves are ordinary identifiers to the parser when it reads an OpenQASM 2 program.
#pragma once

#include <memory>
#include <string>
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
  std::string text;  // identifier name, punctuation, literal text (quotes removed for strings)
  Location where;
};

/// Splits `file` into tokens; throws CompileError on an unterminated comment or string or a
/// character that cannot start a token.
std::vector<Token> tokenize(const std::shared_ptr<const SourceFile>& file);

}  // namespace qontos::qasm
