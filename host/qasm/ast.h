// The syntax tree of an OpenQASM 2 or 3 program as written, before any evaluation. The
// elaborator (elaborate.cpp) walks it to produce the IR.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "qasm/diagnostic.h"

namespace qontos::qasm::ast {

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

/// One index inside brackets: a single expression, a range start:step:end (any part may be
/// missing), or a set {a, b, c}.
struct IndexItem {
  enum class Kind { kSingle, kRange, kSet };
  Kind kind = Kind::kSingle;
  ExprPtr single;
  ExprPtr start, step, end;
  std::vector<ExprPtr> set;
};

struct TypeSpec {
  enum class Kind { kBit, kInt, kUint, kFloat, kAngle, kBool, kQubit, kDuration, kStretch, kComplex, kArray };
  Kind kind = Kind::kBit;
  ExprPtr width;  // bit[n], int[n], qubit[n]...; null when absent
  Location where;
  std::string text() const;
};

struct Expr {
  enum class Kind {
    kInt,         // int_value
    kFloat,       // float_value
    kImaginary,   // unsupported
    kBool,        // int_value
    kBitString,   // text
    kDuration,    // float_value + text (unit)
    kIdentifier,  // text
    kHardwareQubit,  // int_value
    kIndex,       // args[0] = base, index = items
    kElement,     // text[int_value]: an operand with a literal index (what most programs use)
    kUnary,       // text = op, args[0]
    kBinary,      // text = op, args[0], args[1]
    kCall,        // text = function, args
    kCast,        // type, args[0]
    kMeasure,     // args[0] = qubit operand
    kConcat,      // args[0] ++ args[1]
    kRangeLiteral,// index.front() is a kRange (for-loop iterable)
    kSetLiteral,  // index.front() is a kSet (for-loop iterable)
    kDurationOf,  // unsupported: durationof(...)
  };
  Kind kind = Kind::kInt;
  Location where;
  std::string text;
  long long int_value = 0;
  double float_value = 0;
  std::vector<ExprPtr> args;
  std::vector<IndexItem> index;
  std::shared_ptr<TypeSpec> type;
};

struct Stmt;
using StmtPtr = std::shared_ptr<const Stmt>;
using Block = std::vector<StmtPtr>;

struct Modifier {
  enum class Kind { kCtrl, kNegCtrl, kInv, kPow };
  Kind kind = Kind::kCtrl;
  ExprPtr arg;  // ctrl(n)/negctrl(n) count or pow(k) exponent; null when absent
  Location where;
};

struct Param {  // a subroutine argument or gate parameter
  std::string name;
  std::shared_ptr<TypeSpec> type;  // null for gate parameters and OpenQASM 2 gate qubits
  bool is_qubit = false;
  Location where;
};

struct Stmt {
  enum class Kind {
    kVersion,      // text = version
    kInclude,      // text = path
    kQuantumDecl,  // name, type (qubit[n] or qreg n)
    kClassicalDecl,// name, type, value (may be null), is_const, io ("input"/"output"/"")
    kGateDef,      // name, params (gate parameters), qubits, body; opaque
    kSubroutineDef,// name, params (typed arguments), return_type, body
    kGateCall,     // name, modifiers, args (parameters), operands
    kMeasure,      // operands[0] = qubits, target (may be null)
    kReset,        // operands[0]
    kBarrier,      // operands (may be empty: all qubits)
    kDelay,        // args[0] = duration, operands
    kAssign,       // target, text = op ("=", "+=", ...), value
    kExpr,         // value (a subroutine call)
    kIf,           // value = condition, body, else_body
    kFor,          // type (loop variable type; may be null), name, value = iterable, body
    kWhile,        // value = condition, body
    kBreak,
    kContinue,
    kReturn,       // value (may be null)
    kEnd,
    kLet,          // name, value
    kBlock,        // body
    kPragma,       // text
  };
  Kind kind = Kind::kVersion;
  Location where;
  std::string name;
  std::string text;
  std::shared_ptr<TypeSpec> type;
  std::shared_ptr<TypeSpec> return_type;
  ExprPtr value;
  ExprPtr target;
  bool is_const = false;
  bool opaque = false;
  std::string io;
  std::vector<Modifier> modifiers;
  std::vector<ExprPtr> args;
  std::vector<ExprPtr> operands;
  std::vector<Param> params;
  std::vector<Param> qubits;
  Block body;
  Block else_body;
};

struct Program {
  int major_version = 3;  // 2 when the file says OPENQASM 2.x
  Block statements;
};

}  // namespace qontos::qasm::ast
