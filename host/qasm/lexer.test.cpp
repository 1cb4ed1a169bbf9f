#include "qasm/lexer.h"

#include <gtest/gtest.h>

namespace qontos::qasm {
namespace {

std::vector<Token> lex(const std::string& text) {
  // Tokens point into the file: keep every file alive for the test's duration.
  static std::vector<std::shared_ptr<SourceFile>> files;
  files.push_back(std::make_shared<SourceFile>(SourceFile{"t.qasm", text}));
  return tokenize(files.back());
}

TEST(Lexer, NumbersOfEveryForm) {
  auto t = lex("42 0x2A 0b101 0o17 1_000 1.5 .5 1e-3 2.5E+2 100ns 3.5us 10dt 2im");
  ASSERT_EQ(t.size(), 14u);
  EXPECT_EQ(t[0].kind, TokenKind::kInteger);
  EXPECT_EQ(t[1].kind, TokenKind::kInteger);
  EXPECT_EQ(t[4].text, "1_000");
  EXPECT_EQ(t[5].kind, TokenKind::kFloat);
  EXPECT_EQ(t[6].kind, TokenKind::kFloat);
  EXPECT_EQ(t[7].kind, TokenKind::kFloat);
  EXPECT_EQ(t[8].kind, TokenKind::kFloat);
  EXPECT_EQ(t[9].kind, TokenKind::kDuration);
  EXPECT_EQ(t[10].text, "3.5us");
  EXPECT_EQ(t[11].kind, TokenKind::kDuration);
  EXPECT_EQ(t[12].kind, TokenKind::kImaginary);
}

TEST(Lexer, LongestOperatorWinsAndPositionsAreOneBased) {
  auto t = lex("a <<= b;\n  c -> d");
  EXPECT_EQ(t[1].text, "<<=");
  EXPECT_EQ(t[1].where.line, 1);
  EXPECT_EQ(t[1].where.col, 3);
  EXPECT_EQ(t[4].text, "c");
  EXPECT_EQ(t[4].where.line, 2);
  EXPECT_EQ(t[4].where.col, 3);
  EXPECT_EQ(t[5].text, "->");
}

TEST(Lexer, CommentsAndUnicodeIdentifiers) {
  auto t = lex("// line\nθ /* block\n over lines */ π");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].text, "θ");
  EXPECT_EQ(t[1].text, "π");
  EXPECT_EQ(t[1].where.line, 3);
}

TEST(Lexer, BitStringsAndPaths) {
  auto t = lex("\"0101\" \"qelib1.inc\"");
  EXPECT_EQ(t[0].kind, TokenKind::kBitString);
  EXPECT_EQ(t[1].kind, TokenKind::kString);
  EXPECT_EQ(t[1].text, "qelib1.inc");
}

TEST(Lexer, ErrorsCarryTheirLocation) {
  try {
    lex("x;\n  /* never closed");
    FAIL() << "no error";
  } catch (const CompileError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.col(), 3);
    EXPECT_NE(std::string(e.what()).find("unterminated block comment"), std::string::npos);
  }
  EXPECT_THROW(lex("x ` y"), CompileError);
  EXPECT_THROW(lex("\"open"), CompileError);
  EXPECT_THROW(lex("12abc"), CompileError);
}

TEST(Lexer, RenderShowsLineAndCaret) {
  try {
    lex("qreg q[2];\nh q[0] ` ;");
    FAIL();
  } catch (const CompileError& e) {
    EXPECT_EQ(e.render(), "t.qasm:2:8: error: unexpected character '`'\n  h q[0] ` ;\n         ^");
  }
}

}  // namespace
}  // namespace qontos::qasm
