#include "qasm/parser.h"

#include <cmath>
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <set>
#include <unordered_set>

#include "ir/expr.h"
#include "qasm/lexer.h"

namespace qontos::qasm {
namespace {

using ast::Expr;
using ast::ExprPtr;
using ast::Stmt;
using ast::StmtPtr;
using ast::TypeSpec;

constexpr int kMaxNesting = 200;  // bounds recursion on adversarial input

const std::set<std::string> kUnsupportedStatements = {
    "defcal", "cal", "defcalgrammar", "extern", "box", "port", "frame", "waveform", "switch", "stretch",
    "duration", "complex", "array", "case", "default", "readonly", "mutable", "sizeof"};

}  // namespace

namespace detail {

class Parser {
 public:
  Parser(const SourceFile& file, int version) : lexer_(file), version_(version) {}

  int version() const { return version_; }

  /// Reads the OPENQASM line if there is one.
  StmtPtr header() {
    if (!is_ident("OPENQASM")) return nullptr;
    ast::Program p;
    read_version(p);
    return p.statements.front();
  }

  /// The next top-level statement, or null at the end.
  StmtPtr next_statement() {
    // Tokens of finished statements are no longer referenced: drop them.
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<long>(pos_));
    retired_.clear();
    pos_ = 0;
    current_ = nullptr;
    if (peek().kind == TokenKind::kEnd) return nullptr;
    return statement();
  }

  ast::Program program() {
    ast::Program p;
    read_version(p);
    p.major_version = version_;
    while (peek().kind != TokenKind::kEnd) p.statements.push_back(statement());
    return p;
  }

 private:
  void read_version(ast::Program& p) {
    if (is_ident("OPENQASM")) {
      Location w = peek().where;
      next();
      const Token& v = peek();
      if (v.kind != TokenKind::kFloat && v.kind != TokenKind::kInteger)
        throw CompileError(v.where, "expected a version number after OPENQASM");
      double number = std::strtod(std::string(v.text).c_str(), nullptr);
      if (number >= 2.0 && number < 3.0)
        version_ = 2;
      else if (number >= 3.0 && number < 4.0)
        version_ = 3;
      else
        throw CompileError(v.where, "unsupported: OpenQASM version " + std::string(v.text));
      next();
      expect(";");
      auto s = std::make_shared<Stmt>();
      s->kind = Stmt::Kind::kVersion;
      s->where = w;
      s->text = std::string(v.text);
      p.statements.push_back(s);
    }
  }

  // ---- token helpers
  // Tokens are read on demand into a buffer; references to buffered tokens stay valid until
  // the next top-level statement begins (std::deque keeps references on push_back).
  const Token& peek(std::size_t ahead = 0) const {
    if (ahead == 0 && current_) return *current_;
    const std::size_t i = pos_ + ahead;
    while (buf_.size() <= i) {
      if (!buf_.empty() && buf_.back().kind == TokenKind::kEnd) return buf_.back();
      if (buf_.size() == buf_.capacity()) grow();
      buf_.push_back(lexer_.next());
    }
    const Token& t = buf_[i];
    if (ahead == 0) current_ = &t;
    return t;
  }
  // A full buffer moves to new storage; the old storage stays alive until the statement ends,
  // so references taken during the statement stay valid.
  void grow() const {
    std::vector<Token> bigger;
    bigger.reserve(std::max<std::size_t>(64, 2 * buf_.capacity()));
    bigger.assign(buf_.begin(), buf_.end());
    retired_.push_back(std::move(buf_));
    buf_ = std::move(bigger);
  }
  const Token& next() {
    const Token& t = peek();
    if (t.kind != TokenKind::kEnd) {
      ++pos_;
      current_ = nullptr;
    }
    return t;
  }
  template <std::size_t N>
  bool is(const char (&punct)[N], std::size_t ahead = 0) const {
    const Token& t = peek(ahead);
    return t.kind == TokenKind::kPunct && t.text.size() == N - 1 && std::memcmp(t.text.data(), punct, N - 1) == 0;
  }
  template <std::size_t N>
  bool is_ident(const char (&word)[N], std::size_t ahead = 0) const {
    const Token& t = peek(ahead);
    return t.kind == TokenKind::kIdentifier && t.text.size() == N - 1 && std::memcmp(t.text.data(), word, N - 1) == 0;
  }
  template <std::size_t N>
  bool accept(const char (&punct)[N]) {
    if (!is(punct)) return false;
    next();
    return true;
  }
  [[noreturn]] void fail_expected(const std::string& what) const {
    const Token& t = peek();
    std::string got = t.kind == TokenKind::kEnd ? "end of file" : "'" + std::string(t.text) + "'";
    throw CompileError(t.where, "expected " + what + ", found " + got);
  }
  template <std::size_t N>
  const Token& expect(const char (&punct)[N]) {
    if (!is(punct)) fail_expected(std::string("'") + punct + "'");
    return next();
  }
  /// A name being declared: an identifier that is not a keyword of the file's version.
  std::string declared_name(const char* what = "a name") {
    static const std::unordered_set<std::string_view> keywords3 = {
        "OPENQASM", "include", "const", "input", "output", "def", "gate", "opaque", "measure", "reset",
        "barrier", "if", "else", "for", "while", "in", "break", "continue", "return", "end", "let",
        "qubit", "qreg", "creg", "bit", "int", "uint", "float", "angle", "bool", "complex", "duration",
        "stretch", "array", "delay", "box", "extern", "defcal", "cal", "defcalgrammar", "ctrl",
        "negctrl", "inv", "pow", "gphase", "true", "false", "pi", "tau", "euler", "π", "τ", "ℇ",
        "switch", "case", "default", "readonly", "mutable", "durationof", "sizeof", "U"};
    static const std::unordered_set<std::string_view> keywords2 = {
        "OPENQASM", "include", "qreg", "creg", "gate", "opaque", "measure", "reset", "barrier", "if", "U", "CX", "pi"};
    const Token& t = peek();
    if (t.kind == TokenKind::kIdentifier && (version_ == 2 ? keywords2 : keywords3).count(t.text))
      throw CompileError(t.where, "'" + std::string(t.text) + "' is a keyword and cannot be used as a name");
    return identifier(what);
  }

  std::string identifier(const char* what = "an identifier") {
    if (peek().kind != TokenKind::kIdentifier) fail_expected(what);
    return std::string(next().text);
  }

  struct DepthGuard {
    explicit DepthGuard(Parser& p) : parser(p) {
      if (++parser.depth_ > kMaxNesting) throw CompileError(parser.peek().where, "nesting too deep");
    }
    ~DepthGuard() { --parser.depth_; }
    Parser& parser;
  };

  std::shared_ptr<Stmt> make(Stmt::Kind k, Location w) {
    auto s = std::make_shared<Stmt>();
    s->kind = k;
    s->where = std::move(w);
    return s;
  }
  static std::shared_ptr<Expr> make_expr(Expr::Kind k, Location w) {
    auto e = std::make_shared<Expr>();
    e->kind = k;
    e->where = std::move(w);
    return e;
  }

  // ---- statements
  bool is_type_keyword(std::size_t ahead = 0) const {
    const Token& t = peek(ahead);
    if (t.kind != TokenKind::kIdentifier) return false;
    static const std::unordered_set<std::string_view> types = {"bit",   "int",  "uint",  "float", "angle",
                                                               "bool",  "qubit", "creg", "qreg"};
    if (version_ == 2) return t.text == "creg" || t.text == "qreg";
    return types.count(t.text) > 0;
  }

  /// Words that start a statement other than a gate call.
  static bool is_statement_keyword(std::string_view w) {
    static const std::unordered_set<std::string_view> words = {
        "OPENQASM", "include", "qreg",  "creg",  "const", "input", "output", "def",     "let",    "for",
        "while",    "break",   "continue", "end", "return", "delay", "gate",  "opaque", "measure", "reset",
        "barrier",  "if",      "bit",   "int",   "uint",  "float", "angle",  "bool",    "qubit",  "defcal",
        "cal",      "defcalgrammar", "extern", "box", "port", "frame", "waveform", "switch", "stretch",
        "duration", "complex", "array", "case", "default", "readonly", "mutable", "sizeof", "ctrl", "negctrl",
        "inv",      "pow",     "gphase"};
    return words.count(w) > 0;
  }

  std::shared_ptr<TypeSpec> type_spec() {
    auto t = std::make_shared<TypeSpec>();
    t->where = peek().where;
    std::string word = identifier("a type");
    if (word == "bit") t->kind = TypeSpec::Kind::kBit;
    else if (word == "int") t->kind = TypeSpec::Kind::kInt;
    else if (word == "uint") t->kind = TypeSpec::Kind::kUint;
    else if (word == "float") t->kind = TypeSpec::Kind::kFloat;
    else if (word == "angle") t->kind = TypeSpec::Kind::kAngle;
    else if (word == "bool") t->kind = TypeSpec::Kind::kBool;
    else if (word == "qubit") t->kind = TypeSpec::Kind::kQubit;
    else if (kUnsupportedStatements.count(word)) unsupported(t->where, "type '" + word + "'");
    else throw CompileError(t->where, "unknown type '" + word + "'");
    if (is("[")) {
      next();
      t->width = expression();
      expect("]");
    }
    return t;
  }


  StmtPtr statement() {
    DepthGuard guard(*this);
    const Token& t = peek();
    Location w = t.where;
    if (t.kind == TokenKind::kPragma) {
      auto s = make(Stmt::Kind::kPragma, w);
      s->text = next().text;
      return s;
    }
    if (t.kind == TokenKind::kAnnotation) {
      // Annotations are hints an implementation may ignore (OpenQASM 3 spec); the annotated
      // statement itself is compiled.
      next();
      return statement();
    }
    if (is("{")) {
      auto s = make(Stmt::Kind::kBlock, w);
      s->body = block();
      return s;
    }
    if (t.kind == TokenKind::kHardwareQubit) fail_expected("a statement");
    if (t.kind != TokenKind::kIdentifier) fail_expected("a statement");
    // Fast path for the commonest statement, a plain gate call: `name q...;` or `name(...) q...;`.
    if (!is_statement_keyword(t.text) &&
        (peek(1).kind == TokenKind::kIdentifier || peek(1).kind == TokenKind::kHardwareQubit ||
         (version_ == 2 && is("(", 1))))
      return gate_call();
    const std::string word(t.text);

    if (word == "OPENQASM") throw CompileError(w, "OPENQASM version line must be the first statement");
    if (word == "include") {
      next();
      if (peek().kind != TokenKind::kString && peek().kind != TokenKind::kBitString)
        fail_expected("a quoted file name");
      auto s = make(Stmt::Kind::kInclude, w);
      s->text = next().text;
      expect(";");
      return s;
    }
    if (word == "qreg" || word == "creg") {
      next();
      auto s = make(word == "qreg" ? Stmt::Kind::kQuantumDecl : Stmt::Kind::kClassicalDecl, w);
      s->type = std::make_shared<TypeSpec>();
      s->type->where = w;
      s->type->kind = word == "qreg" ? TypeSpec::Kind::kQubit : TypeSpec::Kind::kBit;
      s->name = declared_name("a register name");
      if (version_ == 2 || is("[")) {
        expect("[");
        s->type->width = expression();
        expect("]");
      }
      expect(";");
      return s;
    }
    if (version_ == 3) {
      if (kUnsupportedStatements.count(word)) unsupported(w, "'" + word + "'");
      if (word == "const") {
        next();
        auto s = make(Stmt::Kind::kClassicalDecl, w);
        s->is_const = true;
        s->type = type_spec();
        s->name = declared_name();
        expect("=");
        s->value = expression();
        expect(";");
        return s;
      }
      if (word == "input" || word == "output") {
        next();
        auto s = make(Stmt::Kind::kClassicalDecl, w);
        s->io = word;
        s->type = type_spec();
        s->name = declared_name();
        expect(";");
        return s;
      }
      if (is_type_keyword() && !(word == "bit" && false)) {
        // A cast used as a statement start ("int(x);") is not a declaration.
        if (!(is("(", 1))) {
          auto type = type_spec();
          auto s = make(type->kind == TypeSpec::Kind::kQubit ? Stmt::Kind::kQuantumDecl : Stmt::Kind::kClassicalDecl, w);
          s->type = type;
          s->name = declared_name("a variable name");
          if (s->kind == Stmt::Kind::kClassicalDecl && accept("=")) s->value = expression_or_measure();
          expect(";");
          return s;
        }
      }
      if (word == "def") return subroutine_def();
      if (word == "let") {
        next();
        auto s = make(Stmt::Kind::kLet, w);
        s->name = declared_name();
        expect("=");
        s->value = expression();
        expect(";");
        return s;
      }
      if (word == "for") return for_loop();
      if (word == "while") {
        next();
        auto s = make(Stmt::Kind::kWhile, w);
        expect("(");
        s->value = expression();
        expect(")");
        s->body = body();
        return s;
      }
      if (word == "break" || word == "continue" || word == "end") {
        next();
        expect(";");
        return make(word == "break" ? Stmt::Kind::kBreak : word == "continue" ? Stmt::Kind::kContinue : Stmt::Kind::kEnd, w);
      }
      if (word == "return") {
        next();
        auto s = make(Stmt::Kind::kReturn, w);
        if (!is(";")) s->value = expression_or_measure();
        expect(";");
        return s;
      }
      if (word == "delay") {
        next();
        auto s = make(Stmt::Kind::kDelay, w);
        expect("[");
        s->args.push_back(expression());
        expect("]");
        s->operands = operand_list(true);
        expect(";");
        return s;
      }
    }
    if (word == "gate" || word == "opaque") return gate_def(word == "opaque");
    if (word == "measure") {
      next();
      auto s = make(Stmt::Kind::kMeasure, w);
      s->operands.push_back(operand());
      if (accept("->")) s->target = operand();
      else if (version_ == 2) fail_expected("'->'");
      expect(";");
      return s;
    }
    if (word == "reset") {
      next();
      auto s = make(Stmt::Kind::kReset, w);
      s->operands.push_back(operand());
      expect(";");
      return s;
    }
    if (word == "barrier") {
      next();
      auto s = make(Stmt::Kind::kBarrier, w);
      s->operands = operand_list(true);
      if (version_ == 2 && s->operands.empty()) fail_expected("a qubit argument");
      expect(";");
      return s;
    }
    if (word == "if") {
      next();
      auto s = make(Stmt::Kind::kIf, w);
      expect("(");
      s->value = expression();
      expect(")");
      if (version_ == 2) {
        s->body.push_back(statement());
      } else {
        s->body = body();
        if (is_ident("else")) {
          next();
          s->else_body = body();
        }
      }
      return s;
    }
    // Assignment: name, name[...], followed by an assignment operator.
    if (version_ == 3) {
      static const std::set<std::string> assign_ops = {"=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "**="};
      std::size_t k = 1;
      while (is("[", k)) {
        int depth = 0;
        do {
          if (is("[", k)) ++depth;
          if (is("]", k)) --depth;
          if (peek(k).kind == TokenKind::kEnd) break;
          ++k;
        } while (depth > 0);
      }
      if (peek(k).kind == TokenKind::kPunct && assign_ops.count(std::string(peek(k).text))) {
        auto s = make(Stmt::Kind::kAssign, w);
        s->target = postfix(primary_identifier());
        s->text = next().text;
        s->value = expression_or_measure();
        expect(";");
        return s;
      }
      // A subroutine call or other expression used as a statement.
      if (is("(", 1) && !is_modifier(word) && word != "gphase") {
        std::size_t close = matching_paren(1);
        if (is(";", close + 1)) {
          auto s = make(Stmt::Kind::kExpr, w);
          s->value = expression();
          expect(";");
          return s;
        }
      }
    }
    return gate_call();
  }

  std::size_t matching_paren(std::size_t open) const {
    int depth = 0;
    std::size_t k = open;
    for (;; ++k) {
      if (peek(k).kind == TokenKind::kEnd) return k;
      if (is("(", k)) ++depth;
      if (is(")", k) && --depth == 0) return k;
    }
  }

  bool is_modifier(std::string_view w) const {
    return version_ == 3 && (w == "ctrl" || w == "negctrl" || w == "inv" || w == "pow");
  }

  ast::Block block() {
    expect("{");
    ast::Block b;
    while (!is("}")) {
      if (peek().kind == TokenKind::kEnd) fail_expected("'}'");
      b.push_back(statement());
    }
    next();
    return b;
  }
  ast::Block body() {
    if (is("{")) return block();
    return {statement()};
  }

  StmtPtr for_loop() {
    auto s = make(Stmt::Kind::kFor, next().where);
    if (is_type_keyword() && peek(1).kind == TokenKind::kIdentifier) s->type = type_spec();
    else if (is_type_keyword() && is("[", 1)) s->type = type_spec();
    s->name = declared_name("a loop variable");
    if (!is_ident("in")) fail_expected("'in'");
    next();
    if (is("[")) {
      auto e = make_expr(Expr::Kind::kRangeLiteral, peek().where);
      next();
      e->index.push_back(index_item());
      expect("]");
      if (e->index.front().kind != ast::IndexItem::Kind::kRange)
        throw CompileError(e->where, "a for-loop range needs the form [start:end] or [start:step:end]");
      s->value = e;
    } else if (is("{")) {
      auto e = make_expr(Expr::Kind::kSetLiteral, peek().where);
      e->index.push_back(set_literal());
      s->value = e;
    } else {
      s->value = expression();
    }
    s->body = body();
    return s;
  }

  StmtPtr subroutine_def() {
    auto s = make(Stmt::Kind::kSubroutineDef, next().where);
    s->name = declared_name("a subroutine name");
    expect("(");
    while (!is(")")) {
      ast::Param p;
      p.where = peek().where;
      if (is_ident("readonly") || is_ident("mutable") || is_ident("array")) unsupported(p.where, "array arguments");
      p.type = type_spec();
      p.is_qubit = p.type->kind == TypeSpec::Kind::kQubit;
      p.name = declared_name("an argument name");
      s->params.push_back(p);
      if (!accept(",")) break;
    }
    expect(")");
    if (accept("->")) s->return_type = type_spec();
    s->body = block();
    return s;
  }

  StmtPtr gate_def(bool opaque) {
    auto s = make(Stmt::Kind::kGateDef, next().where);
    s->opaque = opaque;
    s->name = declared_name("a gate name");
    if (accept("(")) {
      while (!is(")")) {
        ast::Param p;
        p.where = peek().where;
        p.name = declared_name("a parameter name");
        s->params.push_back(p);
        if (!accept(",")) break;
      }
      expect(")");
    }
    while (true) {
      ast::Param q;
      q.where = peek().where;
      q.name = declared_name("a qubit argument");
      q.is_qubit = true;
      s->qubits.push_back(q);
      if (!accept(",")) break;
    }
    if (opaque) {
      expect(";");
      return s;
    }
    s->body = block();
    return s;
  }

  StmtPtr gate_call() {
    auto s = make(Stmt::Kind::kGateCall, peek().where);
    while (peek().kind == TokenKind::kIdentifier && is_modifier(peek().text) && (is("@", 1) || is("(", 1))) {
      ast::Modifier m;
      m.where = peek().where;
      std::string w(next().text);
      m.kind = w == "ctrl" ? ast::Modifier::Kind::kCtrl
               : w == "negctrl" ? ast::Modifier::Kind::kNegCtrl
               : w == "inv" ? ast::Modifier::Kind::kInv
                            : ast::Modifier::Kind::kPow;
      if (accept("(")) {
        m.arg = expression();
        expect(")");
      } else if (m.kind == ast::Modifier::Kind::kPow) {
        fail_expected("'(' after pow");
      }
      expect("@");
      s->modifiers.push_back(m);
    }
    s->where = peek().where;
    s->name = identifier("a gate name or statement");
    if (accept("(")) {
      while (!is(")")) {
        s->args.push_back(expression());
        if (!accept(",")) break;
      }
      expect(")");
    }
    s->operands = operand_list(s->name == "gphase");
    if (s->operands.empty() && s->name != "gphase") fail_expected("a qubit argument");
    expect(";");
    return s;
  }

  std::vector<ExprPtr> operand_list(bool may_be_empty) {
    std::vector<ExprPtr> out;
    if (may_be_empty && is(";")) return out;
    while (true) {
      out.push_back(operand());
      if (!accept(",")) break;
    }
    return out;
  }

  ExprPtr operand() {
    if (peek().kind == TokenKind::kHardwareQubit) {
      auto e = make_expr(Expr::Kind::kHardwareQubit, peek().where);
      e->int_value = std::atoll(std::string(next().text).c_str());
      return e;
    }
    if (peek().kind != TokenKind::kIdentifier) fail_expected("a qubit or bit operand");
    // Fast path for the commonest operand, `name[integer]`.
    if (is("[", 1) && peek(2).kind == TokenKind::kInteger && is("]", 3) && !is("[", 4)) {
      auto e = make_expr(Expr::Kind::kElement, peek().where);
      e->text = std::string(next().text);
      next();
      e->int_value = parse_integer(next());
      next();
      return e;
    }
    return postfix(primary_identifier());
  }

  ExprPtr primary_identifier() {
    auto e = make_expr(Expr::Kind::kIdentifier, peek().where);
    e->text = identifier();
    return e;
  }

  ExprPtr postfix(ExprPtr base) {
    while (is("[")) {
      auto e = make_expr(Expr::Kind::kIndex, peek().where);
      next();
      e->args.push_back(base);
      e->index.push_back(index_item());
      if (is(",")) unsupported(peek().where, "multi-dimensional indexing (arrays)");
      expect("]");
      base = e;
    }
    return base;
  }

  ast::IndexItem set_literal() {
    ast::IndexItem item;
    item.kind = ast::IndexItem::Kind::kSet;
    expect("{");
    while (!is("}")) {
      item.set.push_back(expression());
      if (!accept(",")) break;
    }
    expect("}");
    return item;
  }

  ast::IndexItem index_item() {
    if (is("{")) return set_literal();
    ast::IndexItem item;
    if (!is(":")) item.single = expression();
    if (!is(":")) return item;
    item.kind = ast::IndexItem::Kind::kRange;
    item.start = item.single;
    item.single = nullptr;
    next();
    ExprPtr second;
    if (!is(":") && !is("]")) second = expression();
    if (accept(":")) {
      item.step = second;
      if (!is("]")) item.end = expression();
    } else {
      item.end = second;
    }
    return item;
  }

  // ---- expressions (OpenQASM 3 precedence, lowest first)
  ExprPtr expression_or_measure() {
    if (is_ident("measure")) {
      auto e = make_expr(Expr::Kind::kMeasure, next().where);
      e->args.push_back(operand());
      return e;
    }
    return expression();
  }

  ExprPtr expression() {
    DepthGuard guard(*this);
    return binary(0);
  }

  // ** is parsed in power(): it binds tighter than unary minus on its left.
  static int binary_precedence(const std::string& op) { return op == "**" ? -1 : ir::binary_precedence(op); }

  ExprPtr binary(int min_prec) {
    ExprPtr lhs = unary();
    while (peek().kind == TokenKind::kPunct) {
      const std::string op(peek().text);
      int p = binary_precedence(op);
      if (p < 0 || p < min_prec || (op == "++" && min_prec > 0)) break;
      Location w = next().where;
      ExprPtr rhs = binary(p + 1);
      auto e = make_expr(op == "++" ? Expr::Kind::kConcat : Expr::Kind::kBinary, w);
      e->text = op;
      e->args = {lhs, rhs};
      lhs = e;
    }
    return lhs;
  }

  ExprPtr unary() {
    DepthGuard guard(*this);
    if (is("-") || is("!") || is("~") || is("+")) {
      auto e = make_expr(Expr::Kind::kUnary, peek().where);
      e->text = next().text;
      e->args.push_back(unary());
      return e;
    }
    return power();
  }

  ExprPtr power() {
    ExprPtr base = postfix_expression();
    if (is("**")) {
      auto e = make_expr(Expr::Kind::kBinary, next().where);
      e->text = "**";
      e->args = {base, unary()};  // right-associative, binds tighter than unary on its left
      return e;
    }
    return base;
  }

  ExprPtr postfix_expression() { return postfix(primary()); }

  ExprPtr primary() {
    const Token& t = peek();
    switch (t.kind) {
      case TokenKind::kInteger: {
        auto e = make_expr(Expr::Kind::kInt, t.where);
        e->int_value = parse_integer(t);
        next();
        return e;
      }
      case TokenKind::kFloat: {
        auto e = make_expr(Expr::Kind::kFloat, t.where);
        std::string digits;
        for (char c : t.text)
          if (c != '_') digits += c;
        e->float_value = std::strtod(digits.c_str(), nullptr);
        if (!std::isfinite(e->float_value)) throw CompileError(t.where, "number out of range: " + std::string(t.text));
        next();
        return e;
      }
      case TokenKind::kImaginary: unsupported(t.where, "complex numbers");
      case TokenKind::kDuration: {
        auto e = make_expr(Expr::Kind::kDuration, t.where);
        std::size_t k = 0;
        while (k < t.text.size() && (std::isdigit(static_cast<unsigned char>(t.text[k])) || t.text[k] == '.' ||
                                     t.text[k] == '_' || t.text[k] == 'e' || t.text[k] == 'E' ||
                                     ((t.text[k] == '-' || t.text[k] == '+') && k > 0 &&
                                      (t.text[k - 1] == 'e' || t.text[k - 1] == 'E'))))
          ++k;
        e->float_value = std::strtod(std::string(t.text.substr(0, k)).c_str(), nullptr);
        e->text = t.text.substr(k);
        next();
        return e;
      }
      case TokenKind::kBitString: {
        auto e = make_expr(Expr::Kind::kBitString, t.where);
        for (char c : t.text)
          if (c != '_') e->text += c;
        next();
        return e;
      }
      case TokenKind::kHardwareQubit: return operand();
      case TokenKind::kPunct:
        if (t.text == "(") {
          next();
          ExprPtr e = expression();
          expect(")");
          return e;
        }
        if (t.text == "{") unsupported(t.where, "array literals");
        break;
      case TokenKind::kIdentifier: {
        if (t.text == "true" || t.text == "false") {
          auto e = make_expr(Expr::Kind::kBool, t.where);
          e->int_value = t.text == "true";
          next();
          return e;
        }
        if (t.text == "durationof") unsupported(t.where, "durationof");
        if (t.text == "measure") throw CompileError(t.where, "measure is only allowed on the right of an assignment");
        if ((is_type_keyword() && is("(", 1)) || (is_type_keyword() && is("[", 1) && t.text != "qubit")) {
          // A cast: int[32](x), bool(x), float(x).
          auto e = make_expr(Expr::Kind::kCast, t.where);
          e->type = type_spec();
          expect("(");
          e->args.push_back(expression());
          expect(")");
          return e;
        }
        auto id = primary_identifier();
        if (is("(")) {
          auto call = make_expr(Expr::Kind::kCall, id->where);
          call->text = id->text;
          next();
          while (!is(")")) {
            call->args.push_back(expression());
            if (!accept(",")) break;
          }
          expect(")");
          return call;
        }
        return id;
      }
      default: break;
    }
    fail_expected("an expression");
  }

  static long long parse_integer(const Token& t) {
    std::string digits;
    for (char c : t.text)
      if (c != '_') digits += c;
    int base = 10;
    std::size_t start = 0;
    if (digits.size() > 2 && digits[0] == '0') {
      char b = static_cast<char>(std::tolower(digits[1]));
      if (b == 'x') base = 16;
      if (b == 'b') base = 2;
      if (b == 'o') base = 8;
      if (base != 10) start = 2;
    }
    errno = 0;
    char* end = nullptr;
    unsigned long long v = std::strtoull(digits.c_str() + start, &end, base);
    if (errno == ERANGE || v > static_cast<unsigned long long>(INT64_MAX) || (end && *end != '\0'))
      throw CompileError(t.where, "invalid integer literal " + std::string(t.text));
    return static_cast<long long>(v);
  }

  mutable Lexer lexer_;
  mutable std::vector<Token> buf_;
  mutable std::vector<std::vector<Token>> retired_;
  mutable const Token* current_ = nullptr;  // buf_[pos_] once looked at
  std::size_t pos_ = 0;
  int version_;
  int depth_ = 0;
};

}  // namespace detail

std::string ast::TypeSpec::text() const {
  switch (kind) {
    case Kind::kBit: return "bit";
    case Kind::kInt: return "int";
    case Kind::kUint: return "uint";
    case Kind::kFloat: return "float";
    case Kind::kAngle: return "angle";
    case Kind::kBool: return "bool";
    case Kind::kQubit: return "qubit";
    case Kind::kDuration: return "duration";
    case Kind::kStretch: return "stretch";
    case Kind::kComplex: return "complex";
    case Kind::kArray: return "array";
  }
  return "?";
}

ast::Program parse(const std::shared_ptr<const SourceFile>& file, int default_version) {
  detail::Parser p(*file, default_version);
  return p.program();
}

StatementStream::StatementStream(std::shared_ptr<const SourceFile> file, int default_version)
    : file_(std::move(file)), parser_(std::make_unique<detail::Parser>(*file_, default_version)) {
  version_statement_ = parser_->header();
}

StatementStream::~StatementStream() = default;

int StatementStream::version() const { return parser_->version(); }

ast::StmtPtr StatementStream::next() { return parser_->next_statement(); }

}  // namespace qontos::qasm
