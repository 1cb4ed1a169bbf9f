#include "qasm/lexer.h"

#include <cctype>
#include <cstring>

namespace qontos::qasm {
namespace {

// ASCII tests without the C library's locale lookups (this loop sees every byte of the input).
inline bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
inline bool is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
inline bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == '\n'; }
inline bool ident_start(unsigned char c) { return is_alpha(c) || c == '_' || c >= 0x80; }
inline bool ident_char(unsigned char c) { return is_alpha(c) || is_digit(c) || c == '_' || c >= 0x80; }

/// Length of the operator or punctuation at s[i] (longest match), or 0.
std::size_t punct_length(const std::string& s, std::size_t i) {
  auto at = [&](std::size_t k) { return i + k < s.size() ? s[i + k] : '\0'; };
  const char c = s[i];
  const char d = at(1);
  switch (c) {
    case '<':
    case '>':
      if (d == c) return at(2) == '=' ? 3 : 2;  // << <<= >> >>=
      return d == '=' ? 2 : 1;
    case '*':
      if (d == '*') return at(2) == '=' ? 3 : 2;  // ** **=
      return d == '=' ? 2 : 1;
    case '-': return d == '>' || d == '=' ? 2 : 1;
    case '+': return d == '+' || d == '=' ? 2 : 1;
    case '&':
    case '|': return d == c || d == '=' ? 2 : 1;
    case '=':
    case '!':
    case '/':
    case '%':
    case '^': return d == '=' ? 2 : 1;
    case '~': case '(': case ')': case '[': case ']': case '{': case '}':
    case ',': case ';': case ':': case '@': case '.': case '#': return 1;
    default: return 0;
  }
}

const char* const kDurationUnits[] = {"ns", "us", "µs", "ms", "s", "dt"};

}  // namespace

Token Lexer::next() {
  Token t = scan();
  prev_text_ = t.text;
  prev_line_ = t.where.line;
  have_prev_ = true;
  return t;
}

Token Lexer::scan() {
  const std::string& s = file_.text;
  std::size_t& i = i_;
  int& line = line_;
  std::size_t& line_start = line_start_;
  auto here = [&](std::size_t pos) { return Location{&file_, line, static_cast<int>(pos - line_start) + 1}; };
  auto view = [&](std::size_t pos, std::size_t n) { return std::string_view(s).substr(pos, n); };
  auto newline_at = [&](std::size_t pos) {
    ++line;
    line_start = pos + 1;
  };
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      newline_at(i);
      ++i;
      continue;
    }
    if (is_space(c)) {
      ++i;
      continue;
    }
    if (c == '/' && i + 1 < s.size() && s[i + 1] == '/') {
      while (i < s.size() && s[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
      Location start = here(i);
      i += 2;
      while (i + 1 < s.size() && !(s[i] == '*' && s[i + 1] == '/')) {
        if (s[i] == '\n') newline_at(i);
        ++i;
      }
      if (i + 1 >= s.size()) throw CompileError(start, "unterminated block comment");
      i += 2;
      continue;
    }
    Location where = here(i);
    // Pragmas and annotations run to the end of the line.
    if ((c == '#' && s.compare(i, 7, "#pragma") == 0) ||
        (c == 'p' && s.compare(i, 6, "pragma") == 0 && (i + 6 >= s.size() || is_space(static_cast<unsigned char>(s[i + 6]))) &&
         (!have_prev_ || prev_text_ == ";" || prev_text_ == "}" || prev_line_ != line))) {
      std::size_t end = s.find('\n', i);
      if (end == std::string::npos) end = s.size();
      std::size_t body = s.find_first_of(" \t", i);
      i = end;
      return {TokenKind::kPragma, body < end ? view(body, end - body) : std::string_view(), where};
    }
    if (c == '@' && i + 1 < s.size() && ident_start(static_cast<unsigned char>(s[i + 1])) &&
        (!have_prev_ || prev_line_ != line || prev_text_ == ";" || prev_text_ == "}")) {
      std::size_t end = s.find('\n', i);
      if (end == std::string::npos) end = s.size();
      Token t{TokenKind::kAnnotation, view(i, end - i), where};
      i = end;
      return t;
    }
    if (ident_start(c)) {
      std::size_t j = i;
      while (j < s.size() && ident_char(static_cast<unsigned char>(s[j]))) ++j;
      Token t{TokenKind::kIdentifier, view(i, j - i), where};
      i = j;
      return t;
    }
    if (c == '$' && i + 1 < s.size() && is_digit(static_cast<unsigned char>(s[i + 1]))) {
      std::size_t j = i + 1;
      while (j < s.size() && is_digit(static_cast<unsigned char>(s[j]))) ++j;
      Token t{TokenKind::kHardwareQubit, view(i + 1, j - i - 1), where};
      i = j;
      return t;
    }
    if (is_digit(c) || (c == '.' && i + 1 < s.size() && is_digit(static_cast<unsigned char>(s[i + 1])))) {
      std::size_t j = i;
      TokenKind kind = TokenKind::kInteger;
      if (c == '0' && j + 1 < s.size() && std::strchr("xXbBoO", s[j + 1]) && s[j + 1] != '\0') {
        j += 2;
        while (j < s.size() && (std::isxdigit(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      } else {
        while (j < s.size() && (is_digit(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
        if (j < s.size() && s[j] == '.') {
          kind = TokenKind::kFloat;
          ++j;
          while (j < s.size() && (is_digit(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
        }
        if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
          std::size_t k = j + 1;
          if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
          if (k < s.size() && is_digit(static_cast<unsigned char>(s[k]))) {
            kind = TokenKind::kFloat;
            j = k;
            while (j < s.size() && is_digit(static_cast<unsigned char>(s[j]))) ++j;
          }
        }
      }
      std::string_view text = view(i, j - i);
      // A unit directly after the number makes it a duration; "im" makes it imaginary.
      if (j < s.size() && ident_start(static_cast<unsigned char>(s[j]))) {
        std::size_t k = j;
        while (k < s.size() && ident_char(static_cast<unsigned char>(s[k]))) ++k;
        std::string suffix = s.substr(j, k - j);
        bool is_unit = false;
        for (const char* u : kDurationUnits) is_unit = is_unit || suffix == u;
        if (is_unit) {
          Token t{TokenKind::kDuration, view(i, k - i), where};
          i = k;
          return t;
        }
        if (suffix == "im") {
          i = k;
          return {TokenKind::kImaginary, text, where};
        }
        throw CompileError(here(j), "invalid suffix '" + suffix + "' on number " + std::string(text));
      }
      i = j;
      return {kind, text, where};
    }
    if (c == '"' || c == '\'') {
      std::size_t j = i + 1;
      while (j < s.size() && s[j] != static_cast<char>(c) && s[j] != '\n') ++j;
      if (j >= s.size() || s[j] != static_cast<char>(c)) throw CompileError(where, "unterminated string literal");
      std::string_view text = view(i + 1, j - i - 1);
      bool bits = !text.empty();
      for (char ch : text) bits = bits && (ch == '0' || ch == '1' || ch == '_');
      i = j + 1;
      return {bits ? TokenKind::kBitString : TokenKind::kString, text, where};
    }
    std::size_t n = punct_length(s, i);
    if (n == 0) {
      std::string shown = std::isprint(c) ? std::string(1, static_cast<char>(c)) : "\\x" + std::to_string(c);
      throw CompileError(where, "unexpected character '" + shown + "'");
    }
    i += n;
    return {TokenKind::kPunct, view(i - n, n), where};
  }
  return {TokenKind::kEnd, "", here(i)};
}

std::vector<Token> tokenize(const std::shared_ptr<const SourceFile>& file) {
  Lexer lexer(*file);
  std::vector<Token> out;
  do {
    out.push_back(lexer.next());
  } while (out.back().kind != TokenKind::kEnd);
  return out;
}

}  // namespace qontos::qasm
