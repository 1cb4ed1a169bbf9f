// Expressions kept in the IR: classical conditions evaluated at run time (over measured bits,
// registers and runtime variables) and symbolic gate parameters inside user gate definitions.
// Compile-time constant expressions never reach the IR: the front end folds them.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/angle.h"

namespace qontos::ir {

struct Program;

struct Expr {
  enum class Kind {
    kInt,       // int_value
    kReal,      // angle_value (exact multiple of pi plus remainder)
    kBool,      // int_value 0/1
    kBit,       // index: a classical bit
    kRegister,  // bits: an unsigned integer read little-endian from these classical bits
    kVar,       // index: a runtime classical variable
    kParam,     // index: a parameter of the enclosing gate definition
    kUnary,     // op, args[0]
    kBinary,    // op, args[0], args[1]
    kCall,      // op = function name (sin, cos, ...), args
    kCast,      // op = target type text ("int[2]", "bool", ...), args[0]
  };
  Kind kind = Kind::kInt;
  std::string op;
  long long int_value = 0;
  Angle angle_value;
  int index = 0;
  std::vector<int> bits;
  std::vector<std::shared_ptr<const Expr>> args;

  static std::shared_ptr<const Expr> integer(long long v);
  static std::shared_ptr<const Expr> real(Angle v);
  static std::shared_ptr<const Expr> boolean(bool v);
  static std::shared_ptr<const Expr> bit(int clbit);
  static std::shared_ptr<const Expr> reg(std::vector<int> clbits);
  static std::shared_ptr<const Expr> var(int id);
  static std::shared_ptr<const Expr> param(int index);
  static std::shared_ptr<const Expr> unary(std::string op, std::shared_ptr<const Expr> a);
  static std::shared_ptr<const Expr> binary(std::string op, std::shared_ptr<const Expr> a,
                                            std::shared_ptr<const Expr> b);
  static std::shared_ptr<const Expr> call(std::string fn, std::vector<std::shared_ptr<const Expr>> args);
  static std::shared_ptr<const Expr> cast(std::string type, std::shared_ptr<const Expr> a);
};
using ExprPtr = std::shared_ptr<const Expr>;

/// How names are printed: the program gives register and variable names; `param_names` gives
/// the enclosing gate definition's parameter names.
struct ExprNames {
  const Program* program = nullptr;
  const std::vector<std::string>* param_names = nullptr;
};

/// Binding strength of an OpenQASM 3 binary operator (|| 1 ... * / % 10, ** 12, ++ 0), or -1.
int binary_precedence(std::string_view op);

/// OpenQASM 3 text of the expression, fully parenthesised where precedence needs it. This text
/// is also the expression's canonical serialisation.
std::string to_qasm(const Expr& e, const ExprNames& names);

/// a <op> b for op in + - * / **, exact where the operands allow (rational multiples of pi
/// times or divided by integers stay exact). Throws std::runtime_error on division by zero.
Angle apply_binary(const std::string& op, const Angle& a, const Angle& b);

/// The OpenQASM 3 built-in function `fn` (sin, cos, tan, arcsin, arccos, arctan, exp, ln, sqrt)
/// at x, or nullopt when `fn` is not one of them.
std::optional<double> math_function(std::string_view fn, double x);

/// Evaluates a parameter expression given the values of the definition's parameters. Throws
/// std::runtime_error naming the construct if the expression reads run-time state.
Angle evaluate_angle(const Expr& e, const std::vector<Angle>& params);

}  // namespace qontos::ir
