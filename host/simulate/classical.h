// Classical state of one shot (measured bits and run-time variables) and the evaluation of the
// IR's run-time expressions over it: the conditions of `if`/`while` and assigned values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/program.h"

namespace qontos::simulate {

/// A run-time value: integers, booleans and bits as integers; float and angle as doubles.
struct Value {
  bool is_real = false;
  std::int64_t integer = 0;
  double real = 0;
  static Value of_int(std::int64_t v) { return {false, v, 0}; }
  static Value of_real(double v) { return {true, 0, v}; }
  double as_real() const { return is_real ? real : static_cast<double>(integer); }
  std::int64_t as_int() const { return is_real ? static_cast<std::int64_t>(real) : integer; }
  bool truthy() const { return is_real ? real != 0 : integer != 0; }
};

class ClassicalState {
 public:
  explicit ClassicalState(const ir::Program& program);
  /// Back to the program's initial values (bits zero, variables at their initialisers).
  void clear();

  std::vector<std::uint8_t>& bits() { return bits_; }
  const std::vector<std::uint8_t>& bits() const { return bits_; }
  /// Evaluates a run-time expression; throws std::runtime_error naming what it cannot evaluate.
  Value evaluate(const ir::Expr& e) const;
  /// Stores a value into a variable, wrapped to the variable's declared type.
  void assign(const ir::AssignOp& op);

  /// The bits as OpenQASM prints them: classical bit 0 rightmost.
  std::string bitstring() const;

 private:
  Value convert(const Value& v, const std::string& type) const;
  const ir::Program& program_;
  std::vector<std::uint8_t> bits_;
  std::vector<Value> vars_;
  std::vector<Value> initial_vars_;
};

}  // namespace qontos::simulate
