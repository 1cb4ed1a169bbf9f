#include "ir/expr.h"

#include <cmath>
#include <stdexcept>

#include "ir/program.h"

namespace qontos::ir {
namespace {
std::shared_ptr<Expr> make(Expr::Kind k) {
  auto e = std::make_shared<Expr>();
  e->kind = k;
  return e;
}

int precedence(const std::string& op) {
  int p = binary_precedence(op);
  return p < 0 ? 0 : p;
}
constexpr int kUnaryPrecedence = 11;

std::string wrap(const Expr& child, const ExprNames& names, int parent, bool right_side) {
  std::string s = to_qasm(child, names);
  int p = 100;
  if (child.kind == Expr::Kind::kBinary) p = precedence(child.op);
  if (child.kind == Expr::Kind::kUnary) p = kUnaryPrecedence;
  if ((child.kind == Expr::Kind::kInt || child.kind == Expr::Kind::kReal) && !s.empty() && s[0] == '-')
    p = kUnaryPrecedence;
  if (child.kind == Expr::Kind::kReal && s.find_first_of("+*/", 1) != std::string::npos) p = 0;
  if (p < parent || (p == parent && right_side)) return "(" + s + ")";
  return s;
}
}  // namespace

int binary_precedence(std::string_view op) {
  if (op == "||") return 1;
  if (op == "&&") return 2;
  if (op == "|") return 3;
  if (op == "^") return 4;
  if (op == "&") return 5;
  if (op == "==" || op == "!=") return 6;
  if (op == "<" || op == ">" || op == "<=" || op == ">=") return 7;
  if (op == "<<" || op == ">>") return 8;
  if (op == "+" || op == "-") return 9;
  if (op == "*" || op == "/" || op == "%") return 10;
  if (op == "**") return 12;
  if (op == "++") return 0;  // concatenation binds loosest (only in let)
  return -1;
}

ExprPtr Expr::integer(long long v) {
  auto e = make(Kind::kInt);
  e->int_value = v;
  return e;
}
ExprPtr Expr::real(Angle v) {
  auto e = make(Kind::kReal);
  e->angle_value = v;
  return e;
}
ExprPtr Expr::boolean(bool v) {
  auto e = make(Kind::kBool);
  e->int_value = v ? 1 : 0;
  return e;
}
ExprPtr Expr::bit(int clbit) {
  auto e = make(Kind::kBit);
  e->index = clbit;
  return e;
}
ExprPtr Expr::reg(std::vector<int> clbits) {
  auto e = make(Kind::kRegister);
  e->bits = std::move(clbits);
  return e;
}
ExprPtr Expr::var(int id) {
  auto e = make(Kind::kVar);
  e->index = id;
  return e;
}
ExprPtr Expr::param(int index) {
  auto e = make(Kind::kParam);
  e->index = index;
  return e;
}
ExprPtr Expr::unary(std::string op, ExprPtr a) {
  auto e = make(Kind::kUnary);
  e->op = std::move(op);
  e->args = {std::move(a)};
  return e;
}
ExprPtr Expr::binary(std::string op, ExprPtr a, ExprPtr b) {
  auto e = make(Kind::kBinary);
  e->op = std::move(op);
  e->args = {std::move(a), std::move(b)};
  return e;
}
ExprPtr Expr::call(std::string fn, std::vector<ExprPtr> args) {
  auto e = make(Kind::kCall);
  e->op = std::move(fn);
  e->args = std::move(args);
  return e;
}
ExprPtr Expr::cast(std::string type, ExprPtr a) {
  auto e = make(Kind::kCast);
  e->op = std::move(type);
  e->args = {std::move(a)};
  return e;
}

namespace {
// A run of classical bits printed as register text: the whole register ("c"), one bit ("c[2]"),
// a contiguous slice ("c[0:3]"), or a concatenation of those ("a ++ b[1]").
std::string bits_to_qasm(const std::vector<int>& bits, const Program* p) {
  if (!p) throw std::logic_error("register expression printed without a program");
  std::string out;
  std::size_t i = 0;
  while (i < bits.size()) {
    const Register* reg = nullptr;
    for (const auto& r : p->cregs)
      if (bits[i] >= r.offset && bits[i] < r.offset + r.size) reg = &r;
    if (!reg) throw std::logic_error("classical bit outside every register");
    std::size_t j = i + 1;
    while (j < bits.size() && bits[j] == bits[j - 1] + 1 && bits[j] < reg->offset + reg->size) ++j;
    int lo = bits[i] - reg->offset;
    int hi = bits[j - 1] - reg->offset;
    if (!out.empty()) out += " ++ ";
    if (lo == 0 && hi == reg->size - 1 && reg->size > 1)
      out += reg->name;
    else if (lo == hi && j - i == 1 && bits.size() > 1)
      out += reg->name + "[" + std::to_string(lo) + ":" + std::to_string(lo) + "]";
    else if (lo == hi)
      out += reg->name + "[" + std::to_string(lo) + "]";
    else
      out += reg->name + "[" + std::to_string(lo) + ":" + std::to_string(hi) + "]";
    i = j;
  }
  return out;
}
}  // namespace

std::string to_qasm(const Expr& e, const ExprNames& names) {
  switch (e.kind) {
    case Expr::Kind::kInt: return std::to_string(e.int_value);
    case Expr::Kind::kReal: return e.angle_value.to_string();
    case Expr::Kind::kBool: return e.int_value ? "true" : "false";
    case Expr::Kind::kBit: return clbit_name(*names.program, e.index);
    case Expr::Kind::kRegister: return bits_to_qasm(e.bits, names.program);
    case Expr::Kind::kVar: return names.program->vars.at(static_cast<std::size_t>(e.index)).name;
    case Expr::Kind::kParam:
      if (names.param_names) return names.param_names->at(static_cast<std::size_t>(e.index));
      return "$param" + std::to_string(e.index);
    case Expr::Kind::kUnary: return e.op + wrap(*e.args[0], names, kUnaryPrecedence, false);
    case Expr::Kind::kBinary: {
      int p = precedence(e.op);
      // ** is right-associative; everything else is left-associative.
      bool right_assoc = e.op == "**";
      return wrap(*e.args[0], names, p, right_assoc) + " " + e.op + " " + wrap(*e.args[1], names, p, !right_assoc);
    }
    case Expr::Kind::kCall:
    case Expr::Kind::kCast: {
      std::string s = e.op + "(";
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        if (i) s += ", ";
        s += to_qasm(*e.args[i], names);
      }
      return s + ")";
    }
  }
  return "";
}

Angle apply_binary(const std::string& op, const Angle& a, const Angle& b) {
  if (op == "+") return a + b;
  if (op == "-") return a - b;
  if (op == "*") {
    if (a.pi_coefficient().is_zero()) return b.scaled(a.remainder());
    if (b.pi_coefficient().is_zero()) return a.scaled(b.remainder());
    return Angle::from_double(a.radians() * b.radians());
  }
  if (op == "/") {
    if (b.pi_coefficient().is_zero() && b.remainder() != 0.0) {
      double d = b.remainder();
      if (d == std::floor(d) && std::fabs(d) < 1e15) {
        if (auto inv = Rational::make(1, static_cast<std::int64_t>(d))) return a.scaled(*inv);
      }
      return Angle::from_double(a.radians() / d);
    }
    if (b.is_zero()) throw std::runtime_error("division by zero in gate parameter");
    // (p*pi)/(q*pi) with no remainders is rational.
    if (a.is_exact() && b.is_exact() && !b.pi_coefficient().is_zero()) {
      auto inv = Rational::make(b.pi_coefficient().den, b.pi_coefficient().num);
      if (auto r = multiply(a.pi_coefficient(), *inv)) return Angle::from_double(r->to_double());
    }
    return Angle::from_double(a.radians() / b.radians());
  }
  if (op == "**") return Angle::from_double(std::pow(a.radians(), b.radians()));
  throw std::runtime_error("operator '" + op + "' cannot be applied to angles");
}

std::optional<double> math_function(std::string_view fn, double x) {
  if (fn == "sin") return std::sin(x);
  if (fn == "cos") return std::cos(x);
  if (fn == "tan") return std::tan(x);
  if (fn == "arcsin") return std::asin(x);
  if (fn == "arccos") return std::acos(x);
  if (fn == "arctan") return std::atan(x);
  if (fn == "exp") return std::exp(x);
  if (fn == "ln") return std::log(x);
  if (fn == "sqrt") return std::sqrt(x);
  return std::nullopt;
}

Angle evaluate_angle(const Expr& e, const std::vector<Angle>& params) {
  auto arg = [&](std::size_t i) { return evaluate_angle(*e.args[i], params); };
  switch (e.kind) {
    case Expr::Kind::kInt: return Angle::from_double(static_cast<double>(e.int_value));
    case Expr::Kind::kReal: return e.angle_value;
    case Expr::Kind::kBool: return Angle::from_double(static_cast<double>(e.int_value));
    case Expr::Kind::kParam: return params.at(static_cast<std::size_t>(e.index));
    case Expr::Kind::kUnary:
      if (e.op == "-") return -arg(0);
      if (e.op == "+") return arg(0);
      break;
    case Expr::Kind::kBinary: return apply_binary(e.op, arg(0), arg(1));
    case Expr::Kind::kCall:
      if (auto v = math_function(e.op, arg(0).radians())) return Angle::from_double(*v);
      break;
    default: break;
  }
  throw std::runtime_error("expression '" + to_qasm(e, {}) + "' cannot be evaluated as a gate parameter");
}

}  // namespace qontos::ir
