#include "simulate/classical.h"

#include <cmath>
#include <stdexcept>

namespace qontos::simulate {
namespace {

struct TypeInfo {
  enum class Base { kInt, kUint, kFloat, kAngle, kBool, kBit } base = Base::kInt;
  int width = 0;  // 0: unsized
};

TypeInfo parse_type(const std::string& type) {
  TypeInfo t;
  std::string head = type.substr(0, type.find('['));
  if (head == "uint")
    t.base = TypeInfo::Base::kUint;
  else if (head == "float")
    t.base = TypeInfo::Base::kFloat;
  else if (head == "angle")
    t.base = TypeInfo::Base::kAngle;
  else if (head == "bool")
    t.base = TypeInfo::Base::kBool;
  else if (head == "bit")
    t.base = TypeInfo::Base::kBit;
  if (auto open = type.find('['); open != std::string::npos) t.width = std::stoi(type.substr(open + 1));
  return t;
}

std::int64_t wrap_unsigned(std::int64_t v, int width) {
  if (width <= 0 || width >= 64) return v;
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(v) & ((std::uint64_t{1} << width) - 1));
}
std::int64_t wrap_signed(std::int64_t v, int width) {
  if (width <= 0 || width >= 64) return v;
  std::uint64_t u = static_cast<std::uint64_t>(v) & ((std::uint64_t{1} << width) - 1);
  if (u >> (width - 1)) u |= ~((std::uint64_t{1} << width) - 1);
  return static_cast<std::int64_t>(u);
}

}  // namespace

ClassicalState::ClassicalState(const ir::Program& program) : program_(program) {
  for (const auto& v : program.vars) {
    Value init = v.initial ? evaluate(*v.initial) : Value{};
    initial_vars_.push_back(convert(init, v.type));
    vars_.push_back(initial_vars_.back());
  }
  bits_.assign(program.num_clbits, 0);
}

void ClassicalState::clear() {
  std::fill(bits_.begin(), bits_.end(), std::uint8_t{0});
  vars_ = initial_vars_;
}

Value ClassicalState::convert(const Value& v, const std::string& type) const {
  TypeInfo t = parse_type(type);
  switch (t.base) {
    case TypeInfo::Base::kFloat:
      return Value::of_real(v.as_real());
    case TypeInfo::Base::kAngle: {
      double x = std::fmod(v.as_real(), 2 * M_PI);
      return Value::of_real(x < 0 ? x + 2 * M_PI : x);
    }
    case TypeInfo::Base::kBool:
      return Value::of_int(v.truthy() ? 1 : 0);
    case TypeInfo::Base::kBit:
    case TypeInfo::Base::kUint:
      return Value::of_int(wrap_unsigned(v.as_int(), t.base == TypeInfo::Base::kBit && t.width == 0 ? 1 : t.width));
    case TypeInfo::Base::kInt:
      return Value::of_int(wrap_signed(v.as_int(), t.width));
  }
  return v;
}

void ClassicalState::assign(const ir::AssignOp& op) {
  Value v = evaluate(*op.value);
  if (op.target == ir::AssignOp::Target::kBit) {
    bits_.at(op.index) = v.truthy() ? 1 : 0;
    return;
  }
  vars_.at(op.index) = convert(v, program_.vars.at(op.index).type);
}

Value ClassicalState::evaluate(const ir::Expr& e) const {
  using K = ir::Expr::Kind;
  switch (e.kind) {
    case K::kInt:
    case K::kBool:
      return Value::of_int(e.int_value);
    case K::kReal:
      return Value::of_real(e.angle_value.radians());
    case K::kBit:
      return Value::of_int(bits_.at(e.index));
    case K::kRegister: {
      std::int64_t v = 0;
      for (std::size_t i = 0; i < e.bits.size() && i < 63; ++i)
        v |= static_cast<std::int64_t>(bits_.at(e.bits[i])) << i;
      return Value::of_int(v);
    }
    case K::kVar:
      return vars_.at(e.index);
    case K::kParam:
      throw std::runtime_error("a gate parameter cannot be evaluated at run time");
    case K::kUnary: {
      Value a = evaluate(*e.args.at(0));
      if (e.op == "-") return a.is_real ? Value::of_real(-a.real) : Value::of_int(-a.integer);
      if (e.op == "+") return a;
      if (e.op == "!") return Value::of_int(a.truthy() ? 0 : 1);
      if (e.op == "~") return Value::of_int(~a.as_int());
      break;
    }
    case K::kBinary: {
      Value a = evaluate(*e.args.at(0));
      const std::string& op = e.op;
      if (op == "&&") return Value::of_int(a.truthy() && evaluate(*e.args.at(1)).truthy());
      if (op == "||") return Value::of_int(a.truthy() || evaluate(*e.args.at(1)).truthy());
      Value b = evaluate(*e.args.at(1));
      const bool real = a.is_real || b.is_real;
      if (op == "==") return Value::of_int(real ? a.as_real() == b.as_real() : a.integer == b.integer);
      if (op == "!=") return Value::of_int(real ? a.as_real() != b.as_real() : a.integer != b.integer);
      if (op == "<") return Value::of_int(real ? a.as_real() < b.as_real() : a.integer < b.integer);
      if (op == "<=") return Value::of_int(real ? a.as_real() <= b.as_real() : a.integer <= b.integer);
      if (op == ">") return Value::of_int(real ? a.as_real() > b.as_real() : a.integer > b.integer);
      if (op == ">=") return Value::of_int(real ? a.as_real() >= b.as_real() : a.integer >= b.integer);
      if (op == "**") {
        if (!real && b.integer >= 0) {
          std::int64_t r = 1;
          for (std::int64_t i = 0; i < b.integer && i < 64; ++i) r *= a.integer;
          return Value::of_int(r);
        }
        return Value::of_real(std::pow(a.as_real(), b.as_real()));
      }
      if (real) {
        double x = a.as_real(), y = b.as_real();
        if (op == "+") return Value::of_real(x + y);
        if (op == "-") return Value::of_real(x - y);
        if (op == "*") return Value::of_real(x * y);
        if (op == "/") return Value::of_real(x / y);
      } else {
        std::int64_t x = a.integer, y = b.integer;
        if (op == "+")
          return Value::of_int(
              static_cast<std::int64_t>(static_cast<std::uint64_t>(x) + static_cast<std::uint64_t>(y)));
        if (op == "-")
          return Value::of_int(
              static_cast<std::int64_t>(static_cast<std::uint64_t>(x) - static_cast<std::uint64_t>(y)));
        if (op == "*")
          return Value::of_int(
              static_cast<std::int64_t>(static_cast<std::uint64_t>(x) * static_cast<std::uint64_t>(y)));
        if (op == "/" || op == "%") {
          if (y == 0) throw std::runtime_error("division by zero at run time");
          return Value::of_int(op == "/" ? x / y : x % y);
        }
        if (op == "&") return Value::of_int(x & y);
        if (op == "|") return Value::of_int(x | y);
        if (op == "^") return Value::of_int(x ^ y);
        if (op == "<<")
          return Value::of_int(y >= 64 ? 0 : static_cast<std::int64_t>(static_cast<std::uint64_t>(x) << y));
        if (op == ">>") return Value::of_int(y >= 64 ? 0 : x >> y);
      }
      break;
    }
    case K::kCall:
      if (auto v = ir::math_function(e.op, evaluate(*e.args.at(0)).as_real())) return Value::of_real(*v);
      break;
    case K::kCast:
      return convert(evaluate(*e.args.at(0)), e.op);
  }
  throw std::runtime_error("cannot evaluate '" + ir::to_qasm(e, {&program_, nullptr}) + "' at run time");
}

std::string ClassicalState::bitstring() const {
  std::string s(bits_.size(), '0');
  for (std::size_t i = 0; i < bits_.size(); ++i)
    if (bits_[i]) s[bits_.size() - 1 - i] = '1';
  return s;
}

}  // namespace qontos::simulate
