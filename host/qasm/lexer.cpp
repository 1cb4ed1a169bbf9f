#include "qasm/lexer.h"

#include <cctype>
#include <cstring>

namespace qontos::qasm {
namespace {

bool ident_start(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool ident_char(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

// Longest operators first so that "<<=" wins over "<<" and "<".
const char* const kPunct[] = {"<<=", ">>=", "**=", "->", "++", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
                              "==",  "!=",  "<=",  ">=", "<<", ">>", "&&", "||", "**", "+",  "-",  "*",  "/",
                              "%",   "=",   "<",   ">",  "!",  "~",  "&",  "|",  "^",  "(",  ")",  "[",  "]",
                              "{",   "}",   ",",   ";",  ":",  "@",  ".",  "#"};

const char* const kDurationUnits[] = {"ns", "us", "µs", "ms", "s", "dt"};

}  // namespace

std::vector<Token> tokenize(const std::shared_ptr<const SourceFile>& file) {
  const std::string& s = file->text;
  std::vector<Token> out;
  std::size_t i = 0;
  int line = 1;
  std::size_t line_start = 0;
  auto here = [&](std::size_t pos) { return Location{file, line, static_cast<int>(pos - line_start) + 1}; };
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
    if (std::isspace(c)) {
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
        (s.compare(i, 6, "pragma") == 0 && (i + 6 >= s.size() || std::isspace(static_cast<unsigned char>(s[i + 6]))) &&
         (out.empty() || out.back().text == ";" || out.back().text == "}" ||
          out.back().where.line != line))) {
      std::size_t end = s.find('\n', i);
      if (end == std::string::npos) end = s.size();
      std::size_t body = s.find_first_of(" \t", i);
      std::string text = body < end ? s.substr(body, end - body) : "";
      out.push_back({TokenKind::kPragma, text, where});
      i = end;
      continue;
    }
    if (c == '@' && i + 1 < s.size() && ident_start(static_cast<unsigned char>(s[i + 1])) &&
        (out.empty() || out.back().where.line != line || out.back().text == ";" || out.back().text == "}")) {
      std::size_t end = s.find('\n', i);
      if (end == std::string::npos) end = s.size();
      out.push_back({TokenKind::kAnnotation, s.substr(i, end - i), where});
      i = end;
      continue;
    }
    if (ident_start(c)) {
      std::size_t j = i;
      while (j < s.size() && ident_char(static_cast<unsigned char>(s[j]))) ++j;
      out.push_back({TokenKind::kIdentifier, s.substr(i, j - i), where});
      i = j;
      continue;
    }
    if (c == '$' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
      std::size_t j = i + 1;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      out.push_back({TokenKind::kHardwareQubit, s.substr(i + 1, j - i - 1), where});
      i = j;
      continue;
    }
    if (std::isdigit(c) || (c == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      std::size_t j = i;
      TokenKind kind = TokenKind::kInteger;
      if (c == '0' && j + 1 < s.size() && std::strchr("xXbBoO", s[j + 1]) && s[j + 1] != '\0') {
        j += 2;
        while (j < s.size() && (std::isxdigit(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      } else {
        while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
        if (j < s.size() && s[j] == '.') {
          kind = TokenKind::kFloat;
          ++j;
          while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
        }
        if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
          std::size_t k = j + 1;
          if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
          if (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) {
            kind = TokenKind::kFloat;
            j = k;
            while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
          }
        }
      }
      std::string text = s.substr(i, j - i);
      // A unit directly after the number makes it a duration; "im" makes it imaginary.
      if (j < s.size() && ident_start(static_cast<unsigned char>(s[j]))) {
        std::size_t k = j;
        while (k < s.size() && ident_char(static_cast<unsigned char>(s[k]))) ++k;
        std::string suffix = s.substr(j, k - j);
        bool is_unit = false;
        for (const char* u : kDurationUnits) is_unit = is_unit || suffix == u;
        if (is_unit) {
          out.push_back({TokenKind::kDuration, text + suffix, where});
          i = k;
          continue;
        }
        if (suffix == "im") {
          out.push_back({TokenKind::kImaginary, text, where});
          i = k;
          continue;
        }
        throw CompileError(here(j), "invalid suffix '" + suffix + "' on number " + text);
      }
      out.push_back({kind, text, where});
      i = j;
      continue;
    }
    if (c == '"' || c == '\'') {
      std::size_t j = i + 1;
      while (j < s.size() && s[j] != static_cast<char>(c) && s[j] != '\n') ++j;
      if (j >= s.size() || s[j] != static_cast<char>(c)) throw CompileError(where, "unterminated string literal");
      std::string text = s.substr(i + 1, j - i - 1);
      bool bits = !text.empty();
      for (char ch : text) bits = bits && (ch == '0' || ch == '1' || ch == '_');
      out.push_back({bits ? TokenKind::kBitString : TokenKind::kString, text, where});
      i = j + 1;
      continue;
    }
    bool matched = false;
    for (const char* p : kPunct) {
      std::size_t n = std::char_traits<char>::length(p);
      if (s.compare(i, n, p) == 0) {
        out.push_back({TokenKind::kPunct, p, where});
        i += n;
        matched = true;
        break;
      }
    }
    if (!matched) {
      std::string shown = std::isprint(c) ? std::string(1, static_cast<char>(c)) : "\\x" + std::to_string(c);
      throw CompileError(where, "unexpected character '" + shown + "'");
    }
  }
  out.push_back({TokenKind::kEnd, "", here(i)});
  return out;
}

}  // namespace qontos::qasm
