#include "qasm/elaborate.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <numbers>
#include <set>
#include <sstream>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "ir/gate_set.h"
#include "qasm/library.h"
#include "qasm/parser.h"

namespace qontos::qasm {
namespace {

using ast::Expr;
using ast::Stmt;
using ast::TypeSpec;
using ir::Angle;

constexpr int kMaxIncludeDepth = 16;
constexpr int kMaxCallDepth = 64;
constexpr int kMaxRegisterSize = 1 << 20;

enum class VT { kInt, kUint, kFloat, kAngle, kBool, kBits };

const char* type_name(VT t) {
  switch (t) {
    case VT::kInt: return "int";
    case VT::kUint: return "uint";
    case VT::kFloat: return "float";
    case VT::kAngle: return "angle";
    case VT::kBool: return "bool";
    case VT::kBits: return "bit";
  }
  return "?";
}

bool integral(VT t) { return t == VT::kInt || t == VT::kUint || t == VT::kBool || t == VT::kBits; }

/// A classical value: known at compile time, or an IR expression over run-time state.
struct Value {
  VT type = VT::kInt;
  int width = 0;
  bool known = true;
  long long i = 0;  // int, uint, bool, and bits (as an unsigned number)
  Angle a;          // float, angle
  ir::ExprPtr expr; // when !known

  static Value integer(long long v, VT t = VT::kInt) {
    Value x;
    x.type = t;
    x.i = v;
    return x;
  }
  static Value real(Angle v, VT t = VT::kFloat) {
    Value x;
    x.type = t;
    x.a = v;
    return x;
  }
  static Value runtime(ir::ExprPtr e, VT t, int width = 0) {
    Value x;
    x.known = false;
    x.type = t;
    x.width = width;
    x.expr = std::move(e);
    return x;
  }
  Angle as_angle() const { return integral(type) ? Angle::from_double(static_cast<double>(i)) : a; }
  double as_double() const { return as_angle().radians(); }
  bool truthy() const { return integral(type) ? i != 0 : as_double() != 0.0; }
  ir::ExprPtr to_expr() const {
    if (!known) return expr;
    if (type == VT::kBool) return ir::Expr::boolean(i != 0);
    if (integral(type)) return ir::Expr::integer(i);
    return ir::Expr::real(a);
  }
};

struct Symbol {
  enum class Kind { kQubits, kClassical, kSubroutine };
  Kind kind = Kind::kClassical;
  Location where;
  std::vector<int> qubits;
  bool single = false;  // declared as `qubit q` / `bit b` (not an array)
  VT type = VT::kInt;
  int width = 0;
  bool is_const = false;
  bool bit_storage = false;
  std::vector<int> clbits;
  Value value;
  int var_id = -1;  // run-time variable once promoted
  const Stmt* decl = nullptr;
};
using SymbolPtr = std::shared_ptr<Symbol>;

struct BreakSignal {};
struct ContinueSignal {};
struct ReturnSignal {
  std::optional<Value> value;
};
struct EndSignal {};

/// A resolved operand: qubits (or classical bits) and whether it was a whole register or slice
/// (which broadcasts) or a single element.
struct Operand {
  std::vector<int> items;
  bool is_register = false;
  Location where;
};

class Elaborator {
 public:
  Elaborator(const ElaborateOptions& options) : options_(options) {}

  ir::Program run(const std::string& source, const std::string& path) {
    auto file = std::make_shared<SourceFile>(SourceFile{path, source});
    files_.push_back(file);
    StatementStream stream(file, 3);
    version_ = stream.version();
    if (version_ == 2) {
      // OpenQASM 2 has U and CX built in.
      builtins_.insert("U");
      builtins_.insert("CX");
    } else {
      builtins_.insert("U");
    }
    scopes_.emplace_back();
    base_dir_.push_back(std::filesystem::path(path).parent_path());
    out_ = &program_.ops;
    try {
      run_stream(stream);
    } catch (const EndSignal&) {
    } catch (const BreakSignal&) {
      throw CompileError(last_where_, "break outside a loop");
    } catch (const ContinueSignal&) {
      throw CompileError(last_where_, "continue outside a loop");
    } catch (const ReturnSignal&) {
      throw CompileError(last_where_, "return outside a subroutine");
    }
    return std::move(program_);
  }

 private:
  /// Elaborates a file statement by statement; only statements that are referred to later
  /// (subroutine definitions) are kept.
  void run_stream(StatementStream& stream) {
    while (ast::StmtPtr st = stream.next()) {
      statement(*st);
      if (st->kind == Stmt::Kind::kSubroutineDef) retained_.push_back(st);
    }
  }

  // ------------------------------------------------------------------ scopes
  SymbolPtr lookup(const std::string& name) const {
    for (std::size_t k = scopes_.size(); k-- > scope_floor_;) {
      auto it = scopes_[k].find(name);
      if (it != scopes_[k].end()) return it->second;
    }
    if (scope_floor_ > 0) {
      auto it = scopes_[0].find(name);
      // Inside a subroutine only global constants, subroutines and qubits declared globally
      // (as the specification allows for hardware qubits) are visible.
      if (it != scopes_[0].end() &&
          (it->second->is_const || it->second->kind == Symbol::Kind::kSubroutine))
        return it->second;
    }
    return nullptr;
  }

  void declare(const std::string& name, SymbolPtr sym, const Location& where) {
    if (name == "pi" || name == "π" || name == "tau" || name == "τ" || name == "euler" || name == "ℇ")
      throw CompileError(where, "cannot redeclare the built-in constant '" + name + "'");
    if (scopes_.back().count(name) || (scopes_.size() == 1 && gate_index_.count(name)))
      throw CompileError(where, "'" + name + "' is already declared in this scope");
    scopes_.back()[name] = std::move(sym);
  }

  struct ScopeGuard {
    explicit ScopeGuard(Elaborator& e) : el(e) { el.scopes_.emplace_back(); }
    ~ScopeGuard() { el.scopes_.pop_back(); }
    Elaborator& el;
  };

  void count_statement(const Location& where) {
    last_where_ = where;
    if (++statements_ > options_.max_statements)
      throw CompileError(where, "program too large: more than " + std::to_string(options_.max_statements) +
                                    " statements after unrolling loops");
  }

  void emit(ir::Op op) { out_->push_back(std::move(op)); }

  // ------------------------------------------------------------------ statements
  void block(const ast::Block& stmts, bool new_scope) {
    if (new_scope) {
      ScopeGuard g(*this);
      for (const auto& s : stmts) statement(*s);
    } else {
      for (const auto& s : stmts) statement(*s);
    }
  }

  void statement(const Stmt& s) {
    count_statement(s.where);
    switch (s.kind) {
      case Stmt::Kind::kVersion: return;
      case Stmt::Kind::kPragma: return pragma(s);
      case Stmt::Kind::kInclude: return include(s);
      case Stmt::Kind::kQuantumDecl: return quantum_decl(s);
      case Stmt::Kind::kClassicalDecl: return classical_decl(s);
      case Stmt::Kind::kGateDef: return gate_def(s);
      case Stmt::Kind::kSubroutineDef: return subroutine_def(s);
      case Stmt::Kind::kGateCall: return gate_call(s);
      case Stmt::Kind::kMeasure: return measure(s.operands[0], s.target.get(), s.where);
      case Stmt::Kind::kReset: {
        for (int q : qubit_operand(*s.operands[0]).items) emit(ir::Op(ir::ResetOp{q}, s.where.line));
        return;
      }
      case Stmt::Kind::kBarrier: {
        ir::BarrierOp b;
        if (s.operands.empty()) {
          for (int q = 0; q < program_.num_qubits; ++q) b.qubits.push_back(q);
        }
        for (const auto& o : s.operands)
          for (int q : qubit_operand(*o).items) b.qubits.push_back(q);
        emit(ir::Op(std::move(b), s.where.line));
        return;
      }
      case Stmt::Kind::kDelay: return delay(s);
      case Stmt::Kind::kAssign: return assign(s);
      case Stmt::Kind::kExpr: {
        evaluate(*s.value);
        return;
      }
      case Stmt::Kind::kIf: return if_statement(s);
      case Stmt::Kind::kFor: return for_loop(s);
      case Stmt::Kind::kWhile: return while_loop(s);
      case Stmt::Kind::kBreak:
        if (runtime_loop_depth_ > 0 && loop_is_runtime_.back()) {
          emit(ir::Op(ir::BreakOp{}, s.where.line));
          return;
        }
        if (loop_is_runtime_.empty()) throw CompileError(s.where, "break outside a loop");
        if (runtime_depth_ > loop_runtime_depth_.back())
          unsupported(s.where, "break under a run-time condition inside an unrolled loop");
        throw BreakSignal{};
      case Stmt::Kind::kContinue:
        if (runtime_loop_depth_ > 0 && loop_is_runtime_.back()) {
          emit(ir::Op(ir::ContinueOp{}, s.where.line));
          return;
        }
        if (loop_is_runtime_.empty()) throw CompileError(s.where, "continue outside a loop");
        if (runtime_depth_ > loop_runtime_depth_.back())
          unsupported(s.where, "continue under a run-time condition inside an unrolled loop");
        throw ContinueSignal{};
      case Stmt::Kind::kReturn: {
        if (call_depth_ == 0) throw CompileError(s.where, "return outside a subroutine");
        if (runtime_depth_ > call_runtime_depth_.back())
          unsupported(s.where, "return under a run-time condition");
        ReturnSignal r;
        if (s.value) {
          if (s.value->kind == Expr::Kind::kMeasure) {
            Operand q = qubit_operand(*s.value->args[0]);
            r.value = measure_to_temporary(q, s.where);
          } else {
            r.value = evaluate(*s.value);
          }
        }
        throw r;
      }
      case Stmt::Kind::kEnd:
        if (runtime_depth_ > 0) unsupported(s.where, "end under a run-time condition");
        throw EndSignal{};
      case Stmt::Kind::kLet: return let(s);
      case Stmt::Kind::kBlock: return block(s.body, true);
    }
  }

  void pragma(const Stmt& s) {
    std::istringstream in(s.text);
    std::string ns, key;
    in >> ns >> key;
    if (ns != "qontos") return;  // other tools' pragmas do not change the program's meaning
    // The integer pragmas (qubits, initial_layout, final_layout) take non-negative integers only.
    auto integers = [&] {
      std::vector<int> values;
      std::string word;
      while (in >> word) {
        char* end = nullptr;
        long x = std::strtol(word.c_str(), &end, 10);
        if (*end != '\0' || x < 0 || x > kMaxRegisterSize)
          throw CompileError(s.where, "pragma qontos " + key + ": '" + word + "' is not a qubit index or count");
        values.push_back(static_cast<int>(x));
      }
      return values;
    };
    if (key == "qubits") {
      // Physical programs name qubits $k; this keeps the device's qubit count across a round trip.
      std::vector<int> values = integers();
      if (values.size() != 1) throw CompileError(s.where, "pragma qontos qubits needs one count");
      if (!program_.qregs.empty())
        throw CompileError(s.where, "pragma qontos qubits is for programs on physical qubits, not declared ones");
      hardware_qubits_used_ = true;
      program_.num_qubits = std::max(program_.num_qubits, values[0]);
    } else if (key == "runtime") {
      // A variable that the program assigns at run time (written by --emit qasm3).
      std::istringstream again(s.text);
      std::string a, b, name;
      again >> a >> b >> name;
      SymbolPtr sym = lookup(name);
      if (!sym || sym->kind != Symbol::Kind::kClassical || sym->bit_storage)
        throw CompileError(s.where, "pragma qontos runtime names no classical variable '" + name + "'");
      if (sym->var_id < 0) {
        sym->var_id = static_cast<int>(program_.vars.size());
        program_.vars.push_back({name, type_text(sym->type, sym->width), nullptr});
        sym->value = Value::runtime(ir::Expr::var(sym->var_id), sym->type, sym->width);
      }
    } else if (key == "initial_layout") {
      program_.initial_layout = integers();
    } else if (key == "final_layout") {
      program_.final_layout = integers();
    } else if (key == "device") {
      std::istringstream again(s.text);
      std::string a, b, name;
      again >> a >> b >> name;
      program_.device = name;
    } else if (key == "partition" || key == "schedule") {
      // key=value fields written by --emit qasm3 after the partition / schedule passes.
      std::map<std::string, std::string> fields;
      std::string word;
      while (in >> word) {
        const auto eq = word.find('=');
        if (eq == std::string::npos || eq == 0) throw CompileError(s.where, "pragma qontos " + key + ": expected name=value, got '" + word + "'");
        fields[word.substr(0, eq)] = word.substr(eq + 1);
      }
      auto field = [&](const std::string& name) -> const std::string& {
        auto it = fields.find(name);
        if (it == fields.end()) throw CompileError(s.where, "pragma qontos " + key + " needs " + name + "=");
        return it->second;
      };
      auto split = [](const std::string& text) {
        std::vector<std::string> parts;
        std::size_t start = 0;
        while (!text.empty() && start <= text.size()) {
          const auto comma = text.find(',', start);
          parts.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
          if (comma == std::string::npos) break;
          start = comma + 1;
        }
        return parts;
      };
      auto number = [&](const std::string& text, bool integral) {
        char* end = nullptr;
        const double x = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0' || !std::isfinite(x) || x < 0 || (integral && (x != std::floor(x) || x > 1e15)))
          throw CompileError(s.where, "pragma qontos " + key + ": '" + text + "' is not a valid number");
        return x;
      };
      if (key == "partition") {
        ir::PartitionMap m;
        m.method = field("method");
        m.cut_gates = static_cast<long long>(number(field("cut_gates"), true));
        for (const auto& module : split(field("modules"))) {
          const auto colon = module.rfind(':');
          if (colon == std::string::npos || colon == 0)
            throw CompileError(s.where, "pragma qontos partition: module '" + module + "' is not name:capacity");
          m.module_names.push_back(module.substr(0, colon));
          m.capacities.push_back(static_cast<int>(std::min<double>(number(module.substr(colon + 1), true), kMaxRegisterSize)));
        }
        for (const auto& x : split(field("map"))) {
          const double v = number(x, true);
          if (v >= static_cast<double>(m.module_names.size()))
            throw CompileError(s.where, "pragma qontos partition: module index " + x + " out of range");
          m.module_of_qubit.push_back(static_cast<int>(v));
        }
        program_.partition = std::move(m);
      } else {
        ir::Timeline t;
        t.duration_ns = number(field("duration_ns"), false);
        for (const auto& x : split(field("start_ns"))) t.start_ns.push_back(number(x, false));
        program_.schedule = std::move(t);
      }
    } else if (key == "global_phase") {
      program_.global_phase = evaluate_text(s.text.substr(s.text.find("global_phase") + 12), s.where).as_angle();
    } else {
      throw CompileError(s.where, "unknown qontos pragma '" + key + "'");
    }
  }

  void include(const Stmt& s) {
    if (const auto* names = builtin_include(s.text)) {
      for (const auto& n : *names) builtins_.insert(n);
      if (s.text == "qelib1.inc") qelib1_included_ = true;
      return;
    }
    if (include_depth_ >= kMaxIncludeDepth) throw CompileError(s.where, "includes nested too deeply");
    std::filesystem::path p = base_dir_.back() / s.text;
    std::ifstream in(p, std::ios::binary);
    if (!in) throw CompileError(s.where, "cannot open include file '" + s.text + "'");
    std::stringstream buf;
    buf << in.rdbuf();
    auto file = std::make_shared<SourceFile>(SourceFile{p.string(), buf.str()});
    files_.push_back(file);
    StatementStream stream(file, version_);
    ++include_depth_;
    base_dir_.push_back(p.parent_path());
    run_stream(stream);
    base_dir_.pop_back();
    --include_depth_;
  }

  int const_int(const Expr& e, const char* what) {
    Value v = evaluate(e);
    if (!v.known) throw CompileError(e.where, std::string(what) + " must be known at compile time");
    if (!integral(v.type)) {
      double d = v.as_double();
      if (d != std::floor(d)) throw CompileError(e.where, std::string(what) + " must be an integer");
      if (d < 0 || d > kMaxRegisterSize)
        throw CompileError(e.where, std::string(what) + " out of range: " + ir::format_double(d));
      v.i = static_cast<long long>(d);
    }
    if (v.i < 0 || v.i > kMaxRegisterSize)
      throw CompileError(e.where, std::string(what) + " out of range: " + std::to_string(v.i));
    return static_cast<int>(v.i);
  }

  void quantum_decl(const Stmt& s) {
    if (scopes_.size() > 1 || call_depth_ > 0)
      throw CompileError(s.where, "qubits can only be declared in the global scope");
    if (hardware_qubits_used_) throw CompileError(s.where, "cannot declare qubits in a program that uses hardware qubits");
    int size = 1;
    bool single = !s.type->width;
    if (s.type->width) size = const_int(*s.type->width, "register size");
    if (size == 0) throw CompileError(s.where, "register '" + s.name + "' has size 0");
    auto sym = std::make_shared<Symbol>();
    sym->kind = Symbol::Kind::kQubits;
    sym->where = s.where;
    sym->single = single;
    for (int k = 0; k < size; ++k) sym->qubits.push_back(program_.num_qubits + k);
    program_.qregs.push_back({s.name, size, program_.num_qubits});
    program_.num_qubits += size;
    declare(s.name, sym, s.where);
  }

  VT vt_of(const TypeSpec& t) {
    switch (t.kind) {
      case TypeSpec::Kind::kBit: return VT::kBits;
      case TypeSpec::Kind::kInt: return VT::kInt;
      case TypeSpec::Kind::kUint: return VT::kUint;
      case TypeSpec::Kind::kFloat: return VT::kFloat;
      case TypeSpec::Kind::kAngle: return VT::kAngle;
      case TypeSpec::Kind::kBool: return VT::kBool;
      default: unsupported(t.where, "type '" + t.text() + "'");
    }
  }

  std::string type_text(VT t, int width) const {
    std::string s = type_name(t);
    if (width > 0 && t != VT::kBool) s += "[" + std::to_string(width) + "]";
    return s;
  }

  /// Converts a value to a declared type (wrapping integers to their width).
  Value convert(Value v, VT to, int width, const Location& where) {
    if (!v.known) {
      v.type = to;
      v.width = width;
      return v;
    }
    Value r;
    r.type = to;
    r.width = width;
    switch (to) {
      case VT::kFloat:
      case VT::kAngle:
        if (v.type == VT::kBits && to == VT::kAngle) unsupported(where, "conversion of bits to angle");
        r.a = v.as_angle();
        return r;
      case VT::kBool: r.i = v.truthy() ? 1 : 0; return r;
      default: {
        long long x = 0;
        if (integral(v.type)) {
          x = v.i;
        } else {
          double d = v.as_double();
          if (!std::isfinite(d) || std::fabs(d) > 9.2e18) throw CompileError(where, "value out of integer range");
          x = static_cast<long long>(std::trunc(d));
        }
        if (width > 0 && width < 64) {
          unsigned long long mask = (1ULL << width) - 1;
          unsigned long long u = static_cast<unsigned long long>(x) & mask;
          if (to == VT::kInt && (u >> (width - 1)) & 1) x = static_cast<long long>(u | ~mask);
          else x = static_cast<long long>(u);
        }
        r.i = x;
        return r;
      }
    }
  }

  void classical_decl(const Stmt& s) {
    VT t = vt_of(*s.type);
    int width = s.type->width ? const_int(*s.type->width, "type width") : 0;
    if (t == VT::kBits && s.type->width && width == 0) throw CompileError(s.where, "register '" + s.name + "' has size 0");
    if ((t == VT::kInt || t == VT::kUint || t == VT::kAngle) && width > 64)
      unsupported(s.type->where, "integers wider than 64 bits");
    auto sym = std::make_shared<Symbol>();
    sym->kind = Symbol::Kind::kClassical;
    sym->where = s.where;
    sym->type = t;
    sym->width = width;
    sym->is_const = s.is_const;
    sym->decl = &s;
    std::optional<Value> init;
    if (!s.io.empty() && s.io == "input") {
      auto it = options_.inputs.find(s.name);
      if (it == options_.inputs.end())
        throw CompileError(s.where, "input '" + s.name + "' has no value (pass --input " + s.name + "=VALUE)");
      init = evaluate_text(it->second, s.where);
    } else if (s.value) {
      if (s.value->kind == Expr::Kind::kMeasure) {
        if (t != VT::kBits) throw CompileError(s.value->where, "measurement results can only be stored in bits");
      } else {
        init = evaluate(*s.value);
      }
    }
    if (s.is_const && init && !init->known)
      throw CompileError(s.value->where, "const '" + s.name + "' needs a value known at compile time");
    if (t == VT::kBits) {
      int size = width == 0 ? 1 : width;
      sym->single = width == 0;
      sym->bit_storage = true;
      // A declaration executed again (in an unrolled loop) reuses its storage and re-zeroes it.
      const DeclKey key{s.where.file, s.where.line, s.where.col};
      auto it = bit_storage_of_decl_.find(key);
      bool fresh = it == bit_storage_of_decl_.end();
      if (fresh) {
        std::string name = s.name;
        for (int n = 1; std::any_of(program_.cregs.begin(), program_.cregs.end(),
                                    [&](const ir::Register& r) { return r.name == name; });
             ++n)
          name = s.name + "_" + std::to_string(n);
        for (int k = 0; k < size; ++k) sym->clbits.push_back(program_.num_clbits + k);
        program_.cregs.push_back({name, size, program_.num_clbits});
        program_.num_clbits += size;
        bit_storage_of_decl_[key] = sym->clbits;
      } else {
        sym->clbits = it->second;
      }
      declare(s.name, sym, s.where);
      if (s.value && s.value->kind == Expr::Kind::kMeasure) {
        measure_into(qubit_operand(*s.value->args[0]), Operand{sym->clbits, !sym->single, s.where}, s.where);
      } else if (init) {
        store_bits(sym->clbits, *init, s.where);
      } else if (!fresh || runtime_depth_ > 0) {
        store_bits(sym->clbits, Value::integer(0), s.where);
      }
      return;
    }
    sym->value = init ? convert(*init, t, width, s.where) : convert(Value::integer(0), t, width, s.where);
    declare(s.name, sym, s.where);
    if (!sym->value.known) promote(*sym, s.name, s.where, std::optional<Value>(sym->value));
  }

  /// Gives a compile-time variable run-time storage, initialised with its current value (or
  /// `value`), because run-time control flow assigns it.
  void promote(Symbol& sym, const std::string& name, const Location& where, std::optional<Value> value = {}) {
    if (sym.var_id < 0) {
      std::string unique = name;
      for (int n = 1; std::any_of(program_.vars.begin(), program_.vars.end(),
                                  [&](const ir::Variable& v) { return v.name == unique; }) ||
                      std::any_of(program_.cregs.begin(), program_.cregs.end(),
                                  [&](const ir::Register& r) { return r.name == unique; });
           ++n)
        unique = name + "_" + std::to_string(n);
      sym.var_id = static_cast<int>(program_.vars.size());
      program_.vars.push_back({unique, type_text(sym.type, sym.width), nullptr});
    }
    Value v = value ? *value : sym.value;
    emit(ir::Op(ir::AssignOp{ir::AssignOp::Target::kVar, sym.var_id, v.to_expr()}, where.line));
    sym.value = Value::runtime(ir::Expr::var(sym.var_id), sym.type, sym.width);
  }

  void store_bits(const std::vector<int>& clbits, const Value& v, const Location& where) {
    if (v.known) {
      if (!integral(v.type)) throw CompileError(where, std::string("cannot assign a ") + type_name(v.type) + " to bits");
      for (std::size_t k = 0; k < clbits.size(); ++k) {
        long long bit = k < 63 ? (v.i >> k) & 1 : 0;
        emit(ir::Op(ir::AssignOp{ir::AssignOp::Target::kBit, clbits[k], ir::Expr::integer(bit)}, where.line));
      }
      return;
    }
    if (v.expr->kind == ir::Expr::Kind::kRegister || v.expr->kind == ir::Expr::Kind::kBit) {
      std::vector<int> src = v.expr->kind == ir::Expr::Kind::kBit ? std::vector<int>{v.expr->index} : v.expr->bits;
      if (src.size() != clbits.size())
        throw CompileError(where, "cannot assign " + std::to_string(src.size()) + " bits to " +
                                      std::to_string(clbits.size()) + " bits");
      for (std::size_t k = 0; k < clbits.size(); ++k)
        if (src[k] != clbits[k])
          emit(ir::Op(ir::AssignOp{ir::AssignOp::Target::kBit, clbits[k], ir::Expr::bit(src[k])}, where.line));
      return;
    }
    if (clbits.size() == 1) {
      emit(ir::Op(ir::AssignOp{ir::AssignOp::Target::kBit, clbits[0], v.expr}, where.line));
      return;
    }
    unsupported(where, "assigning a run-time expression to a multi-bit register");
  }

  // ------------------------------------------------------------------ gates
  void gate_def(const Stmt& s) {
    if (scopes_.size() > 1 || call_depth_ > 0) throw CompileError(s.where, "gates can only be defined globally");
    if (gate_index_.count(s.name) || builtins_.count(s.name))
      throw CompileError(s.where, "gate '" + s.name + "' is already defined");
    if (s.name == "gphase") throw CompileError(s.where, "cannot redefine the built-in gphase");
    ir::GateDefinition def;
    def.name = s.name;
    def.opaque = s.opaque;
    for (const auto& p : s.params) {
      if (std::count(def.param_names.begin(), def.param_names.end(), p.name))
        throw CompileError(p.where, "duplicate parameter '" + p.name + "'");
      def.param_names.push_back(p.name);
    }
    for (const auto& q : s.qubits) {
      if (std::count(def.qubit_names.begin(), def.qubit_names.end(), q.name) ||
          std::count(def.param_names.begin(), def.param_names.end(), q.name))
        throw CompileError(q.where, "duplicate argument '" + q.name + "'");
      def.qubit_names.push_back(q.name);
    }
    for (const auto& st : s.body) gate_body_statement(*st, def);
    gate_index_[s.name] = static_cast<int>(program_.gate_defs.size());
    program_.gate_defs.push_back(std::move(def));
  }

  void gate_body_statement(const Stmt& st, ir::GateDefinition& def) {
    count_statement(st.where);
    if (st.kind == Stmt::Kind::kBarrier) return;  // barriers inside a gate body have no effect on its unitary
    if (st.kind == Stmt::Kind::kBlock) {
      for (const auto& x : st.body) gate_body_statement(*x, def);
      return;
    }
    if (st.kind == Stmt::Kind::kFor || st.kind == Stmt::Kind::kIf || st.kind == Stmt::Kind::kWhile)
      unsupported(st.where, "control flow inside a gate definition");
    if (st.kind != Stmt::Kind::kGateCall)
      throw CompileError(st.where, "only gate applications are allowed inside a gate definition");
    auto param_expr = [&](const Expr& e) { return symbolic(e, def.param_names); };
    if (st.name == "gphase") {
      if (st.args.size() != 1) throw CompileError(st.where, "gphase takes one parameter");
      if (st.modifiers.empty() && st.operands.empty()) {
        ir::ExprPtr phase = param_expr(*st.args[0]);
        def.phase_exprs.push_back(phase);
        def.body.push_back(ir::Op(ir::GlobalPhaseOp{}, st.where.line));
        return;
      }
    }
    ir::GateOp g;
    g.name = st.name;
    resolve_gate_name(g.name, st.where);
    for (const auto& a : st.args) g.param_exprs.push_back(param_expr(*a));
    g.modifiers = modifiers(st.modifiers, [&](const Expr& e) { return param_expr(e); });
    for (const auto& o : st.operands) {
      if (o->kind != Expr::Kind::kIdentifier)
        throw CompileError(o->where, "gate arguments inside a definition must be the definition's qubits");
      auto it = std::find(def.qubit_names.begin(), def.qubit_names.end(), o->text);
      if (it == def.qubit_names.end()) throw CompileError(o->where, "'" + o->text + "' is not a qubit argument of this gate");
      g.qubits.push_back(static_cast<int>(it - def.qubit_names.begin()));
    }
    check_gate_shape(g, st.where, st.args.size());
    def.body.push_back(ir::Op(std::move(g), st.where.line));
  }

  /// The IR expression of a gate parameter inside a definition: parameters stay symbolic,
  /// everything else is folded.
  ir::ExprPtr symbolic(const Expr& e, const std::vector<std::string>& params) {
    switch (e.kind) {
      case Expr::Kind::kIdentifier: {
        auto it = std::find(params.begin(), params.end(), e.text);
        if (it != params.end()) return ir::Expr::param(static_cast<int>(it - params.begin()));
        break;
      }
      case Expr::Kind::kUnary:
        if (e.text == "-" || e.text == "+") {
          auto a = symbolic(*e.args[0], params);
          if (a->kind == ir::Expr::Kind::kParam || a->kind == ir::Expr::Kind::kBinary ||
              a->kind == ir::Expr::Kind::kUnary || a->kind == ir::Expr::Kind::kCall)
            return e.text == "-" ? ir::Expr::unary("-", a) : a;
        }
        break;
      case Expr::Kind::kBinary: {
        auto a = symbolic(*e.args[0], params);
        auto b = symbolic(*e.args[1], params);
        if (a->kind == ir::Expr::Kind::kInt || a->kind == ir::Expr::Kind::kReal) {
          if (b->kind == ir::Expr::Kind::kInt || b->kind == ir::Expr::Kind::kReal) break;
        }
        if (e.text != "+" && e.text != "-" && e.text != "*" && e.text != "/" && e.text != "**")
          throw CompileError(e.where, "operator '" + e.text + "' is not allowed in a gate parameter");
        return ir::Expr::binary(e.text, a, b);
      }
      case Expr::Kind::kCall: {
        static const std::set<std::string> fns = {"sin", "cos", "tan", "arcsin", "arccos", "arctan", "exp", "ln", "sqrt"};
        if (fns.count(e.text) && e.args.size() == 1) {
          auto a = symbolic(*e.args[0], params);
          if (a->kind != ir::Expr::Kind::kInt && a->kind != ir::Expr::Kind::kReal) return ir::Expr::call(e.text, {a});
        }
        break;
      }
      default: break;
    }
    Value v = evaluate(e);
    if (!v.known) unsupported(e.where, "gate parameter that depends on a run-time value");
    if (integral(v.type) && v.type != VT::kBool) return ir::Expr::integer(v.i);
    return ir::Expr::real(v.as_angle());
  }

  template <typename F>
  std::vector<ir::Modifier> modifiers(const std::vector<ast::Modifier>& mods, F&& exponent) {
    std::vector<ir::Modifier> out;
    for (const auto& m : mods) {
      ir::Modifier r;
      switch (m.kind) {
        case ast::Modifier::Kind::kCtrl:
        case ast::Modifier::Kind::kNegCtrl:
          r.kind = m.kind == ast::Modifier::Kind::kCtrl ? ir::Modifier::Kind::kCtrl : ir::Modifier::Kind::kNegCtrl;
          r.count = m.arg ? const_int(*m.arg, "number of controls") : 1;
          if (r.count < 1) throw CompileError(m.where, "number of controls must be at least 1");
          break;
        case ast::Modifier::Kind::kInv: r.kind = ir::Modifier::Kind::kInv; break;
        case ast::Modifier::Kind::kPow:
          r.kind = ir::Modifier::Kind::kPow;
          r.exponent = exponent(*m.arg);
          break;
      }
      out.push_back(std::move(r));
    }
    return out;
  }

  /// Checks a name is a gate visible here (user-defined or from an include).
  void resolve_gate_name(const std::string& name, const Location& where) {
    if (gate_index_.count(name) || builtins_.count(name) || name == "gphase") return;
    if (ir::find_gate(name)) {
      std::string lib = version_ == 2 ? "qelib1.inc" : "stdgates.inc";
      bool in_std = false;
      if (const auto* names = builtin_include("stdgates.inc"))
        in_std = std::find(names->begin(), names->end(), name) != names->end();
      if (version_ == 3 && !in_std) lib = "qelib1.inc";
      throw CompileError(where, "unknown gate '" + name + "' (did you forget include \"" + lib + "\"?)");
    }
    throw CompileError(where, "unknown gate '" + name + "'");
  }

  /// Arity of a gate: (qubits, parameters).
  std::pair<int, int> gate_shape(const std::string& name) const {
    if (name == "gphase") return {0, 1};
    auto it = gate_index_.find(name);
    if (it != gate_index_.end()) {
      const auto& d = program_.gate_defs[static_cast<std::size_t>(it->second)];
      return {static_cast<int>(d.qubit_names.size()), static_cast<int>(d.param_names.size())};
    }
    const ir::GateSpec* g = ir::find_gate(name);
    return {g->num_qubits, g->num_params};
  }

  void check_gate_shape(const ir::GateOp& g, const Location& where, std::size_t nparams) {
    auto [nq, np] = gate_shape(g.name);
    if (static_cast<int>(nparams) != np)
      throw CompileError(where, "gate '" + g.name + "' takes " + std::to_string(np) + " parameter" +
                                    (np == 1 ? "" : "s") + ", got " + std::to_string(nparams));
    int controls = 0;
    for (const auto& m : g.modifiers)
      if (m.kind == ir::Modifier::Kind::kCtrl || m.kind == ir::Modifier::Kind::kNegCtrl) controls += m.count;
    if (static_cast<int>(g.qubits.size()) != nq + controls)
      throw CompileError(where, "gate '" + g.name + "' needs " + std::to_string(nq + controls) + " qubit" +
                                    (nq + controls == 1 ? "" : "s") + ", got " + std::to_string(g.qubits.size()));
    for (std::size_t a = 0; a < g.qubits.size(); ++a)
      for (std::size_t b = a + 1; b < g.qubits.size(); ++b)
        if (g.qubits[a] == g.qubits[b]) throw CompileError(where, "gate '" + g.name + "' uses the same qubit twice");
  }

  void gate_call(const Stmt& s) {
    if (SymbolPtr sub = lookup(s.name); sub && sub->kind == Symbol::Kind::kSubroutine && s.modifiers.empty()) {
      // Earlier OpenQASM 3 drafts call subroutines with gate syntax: `f(args) qubits;`.
      auto call = std::make_shared<Expr>();
      call->kind = Expr::Kind::kCall;
      call->where = s.where;
      call->text = s.name;
      call->args = s.args;
      call->args.insert(call->args.end(), s.operands.begin(), s.operands.end());
      synthetic_calls_.push_back(call);
      call_subroutine(*sub, *call);
      return;
    }
    resolve_gate_name(s.name, s.where);
    std::vector<Angle> params;
    for (const auto& a : s.args) {
      Value v = evaluate(*a);
      if (!v.known) unsupported(a->where, "gate parameter that depends on a run-time value");
      params.push_back(v.as_angle());
    }
    auto mods = modifiers(s.modifiers, [&](const Expr& e) {
      Value v = evaluate(e);
      if (!v.known) unsupported(e.where, "pow exponent that depends on a run-time value");
      return integral(v.type) ? ir::Expr::integer(v.i) : ir::Expr::real(v.as_angle());
    });
    std::vector<Operand> ops;
    for (const auto& o : s.operands) ops.push_back(qubit_operand(*o));
    // Broadcast: register operands must agree in length; single qubits repeat.
    std::size_t n = 1;
    const Operand* first_reg = nullptr;
    for (const auto& o : ops)
      if (o.is_register) {
        if (first_reg && o.items.size() != n)
          throw CompileError(o.where, "register sizes differ in a broadcast gate (" + std::to_string(n) + " and " +
                                          std::to_string(o.items.size()) + ")");
        n = o.items.size();
        first_reg = &o;
      }
    if (s.name == "gphase" && ops.empty() && mods.empty()) {
      if (params.size() != 1) throw CompileError(s.where, "gphase takes one parameter");
      emit(ir::Op(ir::GlobalPhaseOp{params[0]}, s.where.line));
      return;
    }
    for (std::size_t k = 0; k < n; ++k) {
      ir::GateOp g;
      g.name = s.name;
      g.params = params;
      g.modifiers = mods;
      for (const auto& o : ops) g.qubits.push_back(o.is_register ? o.items[k] : o.items[0]);
      check_gate_shape(g, s.where, params.size());
      emit(ir::Op(std::move(g), s.where.line));
    }
  }

  // ------------------------------------------------------------------ operands
  std::vector<long long> index_values(const ast::IndexItem& item, long long size, const Location& where) {
    std::vector<long long> out;
    auto check_at = [&](long long v, const Location& at) {
      long long k = v < 0 ? v + size : v;  // negative indices count from the end
      if (k < 0 || k >= size)
        throw CompileError(at, "index " + std::to_string(v) + " out of range for size " + std::to_string(size));
      return k;
    };
    auto check = [&](long long v) { return check_at(v, where); };
    switch (item.kind) {
      case ast::IndexItem::Kind::kSingle:
        out.push_back(check_at(const_long(*item.single, "index"), item.single->where));
        break;
      case ast::IndexItem::Kind::kSet:
        for (const auto& e : item.set) out.push_back(check_at(const_long(*e, "index"), e->where));
        break;
      case ast::IndexItem::Kind::kRange: {
        long long a = item.start ? const_long(*item.start, "range start") : 0;
        long long step = item.step ? const_long(*item.step, "range step") : 1;
        long long b = item.end ? const_long(*item.end, "range end") : size - 1;
        if (step == 0) throw CompileError(where, "range step cannot be 0");
        if (!item.step && item.start && item.end && b < a && b >= 0) {
          // [3:0] without a step is empty, as in the specification.
        }
        for (long long v = a; step > 0 ? v <= b : v >= b; v += step) {
          out.push_back(check(v));
          if (static_cast<long long>(out.size()) > size) break;
        }
        break;
      }
    }
    return out;
  }

  long long const_long(const Expr& e, const char* what) {
    Value v = evaluate(e);
    if (!v.known) unsupported(e.where, std::string(what) + " that depends on a run-time value");
    if (!integral(v.type)) {
      double d = v.as_double();
      if (d != std::floor(d) || std::fabs(d) > 1e15) throw CompileError(e.where, std::string(what) + " must be an integer");
      return static_cast<long long>(d);
    }
    return v.i;
  }

  Operand qubit_operand(const Expr& e) {
    Operand o;
    o.where = e.where;
    if (e.kind == Expr::Kind::kHardwareQubit) {
      if (!program_.qregs.empty()) throw CompileError(e.where, "cannot mix hardware qubits with declared qubits");
      if (e.int_value > kMaxRegisterSize) throw CompileError(e.where, "hardware qubit index too large");
      hardware_qubits_used_ = true;
      int q = static_cast<int>(e.int_value);
      program_.num_qubits = std::max(program_.num_qubits, q + 1);
      o.items = {q};
      return o;
    }
    if (e.kind == Expr::Kind::kConcat) {
      Operand a = qubit_operand(*e.args[0]);
      Operand b = qubit_operand(*e.args[1]);
      o.items = a.items;
      o.items.insert(o.items.end(), b.items.begin(), b.items.end());
      o.is_register = true;
      return o;
    }
    if (e.kind == Expr::Kind::kElement) {
      SymbolPtr sym = lookup(e.text);
      if (!sym) throw CompileError(e.where, "unknown qubit or register '" + e.text + "'");
      if (sym->kind != Symbol::Kind::kQubits) throw CompileError(e.where, "'" + e.text + "' is not a qubit");
      if (sym->single) throw CompileError(e.where, "cannot index a single qubit");
      long long size = static_cast<long long>(sym->qubits.size());
      long long k = e.int_value;
      if (k >= size) {
        Location at = e.where;
        at.col += static_cast<int>(e.text.size()) + 1;  // point at the index
        throw CompileError(at, "index " + std::to_string(k) + " out of range for size " + std::to_string(size));
      }
      o.items = {sym->qubits[static_cast<std::size_t>(k)]};
      return o;
    }
    if (e.kind == Expr::Kind::kIdentifier) {
      SymbolPtr sym = lookup(e.text);
      if (!sym) throw CompileError(e.where, "unknown qubit or register '" + e.text + "'");
      if (sym->kind != Symbol::Kind::kQubits) throw CompileError(e.where, "'" + e.text + "' is not a qubit");
      o.items = sym->qubits;
      o.is_register = !sym->single;
      return o;
    }
    if (e.kind == Expr::Kind::kIndex) {
      Operand base = qubit_operand(*e.args[0]);
      if (!base.is_register) throw CompileError(e.where, "cannot index a single qubit");
      const auto& item = e.index[0];
      auto idx = index_values(item, static_cast<long long>(base.items.size()), e.where);
      for (long long k : idx) o.items.push_back(base.items[static_cast<std::size_t>(k)]);
      o.is_register = item.kind != ast::IndexItem::Kind::kSingle;
      return o;
    }
    throw CompileError(e.where, "expected a qubit operand");
  }

  Operand bit_operand(const Expr& e) {
    if (e.kind == Expr::Kind::kElement) {
      // Same meaning as name[integer] spelled out.
      Expr base;
      base.kind = Expr::Kind::kIdentifier;
      base.where = e.where;
      base.text = e.text;
      auto index = std::make_shared<Expr>();
      index->kind = Expr::Kind::kInt;
      index->where = e.where;
      index->where.col += static_cast<int>(e.text.size()) + 1;
      index->int_value = e.int_value;
      Expr full;
      full.kind = Expr::Kind::kIndex;
      full.where = e.where;
      full.args.push_back(std::make_shared<Expr>(base));
      full.index.push_back(ast::IndexItem{ast::IndexItem::Kind::kSingle, index, nullptr, nullptr, nullptr, {}});
      return bit_operand(full);
    }
    Operand o;
    o.where = e.where;
    if (e.kind == Expr::Kind::kIdentifier) {
      SymbolPtr sym = lookup(e.text);
      if (!sym) throw CompileError(e.where, "unknown classical register '" + e.text + "'");
      if (sym->kind != Symbol::Kind::kClassical) throw CompileError(e.where, "'" + e.text + "' is not a classical bit");
      if (!sym->bit_storage) unsupported(e.where, std::string("measurement into a ") + type_name(sym->type) + " variable");
      o.items = sym->clbits;
      o.is_register = !sym->single;
      return o;
    }
    if (e.kind == Expr::Kind::kIndex) {
      if (e.args[0]->kind == Expr::Kind::kIdentifier) {
        SymbolPtr sym = lookup(e.args[0]->text);
        if (sym && sym->kind == Symbol::Kind::kClassical && !sym->bit_storage)
          unsupported(e.where, std::string("measurement into a bit of ") + type_name(sym->type) + " variable '" +
                                   e.args[0]->text + "'");
      }
      Operand base = bit_operand(*e.args[0]);
      if (!base.is_register) throw CompileError(e.where, "cannot index a single bit");
      auto idx = index_values(e.index[0], static_cast<long long>(base.items.size()), e.where);
      for (long long k : idx) o.items.push_back(base.items[static_cast<std::size_t>(k)]);
      o.is_register = e.index[0].kind != ast::IndexItem::Kind::kSingle;
      return o;
    }
    throw CompileError(e.where, "expected a classical bit operand");
  }

  // ------------------------------------------------------------------ measurement, delay
  void measure_into(const Operand& q, const Operand& c, const Location& where) {
    if (q.items.size() != c.items.size())
      throw CompileError(where, "measuring " + std::to_string(q.items.size()) + " qubit(s) into " +
                                    std::to_string(c.items.size()) + " bit(s)");
    for (std::size_t k = 0; k < q.items.size(); ++k) emit(ir::Op(ir::MeasureOp{q.items[k], c.items[k]}, where.line));
  }

  void measure(const ast::ExprPtr& qubits, const Expr* target, const Location& where) {
    Operand q = qubit_operand(*qubits);
    if (!target) {
      // `measure q;` without a target: the result is discarded, so give it scratch bits.
      measure_to_temporary(q, where);
      return;
    }
    measure_into(q, bit_operand(*target), where);
  }

  Value measure_to_temporary(const Operand& q, const Location& where) {
    std::string name = "_measure";
    for (int n = 1; std::any_of(program_.cregs.begin(), program_.cregs.end(),
                                [&](const ir::Register& r) { return r.name == name; });
         ++n)
      name = "_measure_" + std::to_string(n);
    int size = static_cast<int>(q.items.size());
    std::vector<int> bits;
    for (int k = 0; k < size; ++k) bits.push_back(program_.num_clbits + k);
    program_.cregs.push_back({name, size, program_.num_clbits});
    program_.num_clbits += size;
    measure_into(q, Operand{bits, true, where}, where);
    return Value::runtime(size == 1 ? ir::Expr::bit(bits[0]) : ir::Expr::reg(bits), VT::kBits, size);
  }

  void delay(const Stmt& s) {
    const Expr& d = *s.args[0];
    if (d.kind != Expr::Kind::kDuration) unsupported(d.where, "duration expressions (only duration literals such as 100ns)");
    ir::DelayOp op;
    op.duration = d.float_value;
    op.unit = d.text == "µs" ? "us" : d.text;
    if (s.operands.empty())
      for (int q = 0; q < program_.num_qubits; ++q) op.qubits.push_back(q);
    for (const auto& o : s.operands)
      for (int q : qubit_operand(*o).items) op.qubits.push_back(q);
    emit(ir::Op(std::move(op), s.where.line));
  }

  // ------------------------------------------------------------------ assignment and let
  void assign(const Stmt& s) {
    const Expr& t = *s.target;
    if (s.value->kind == Expr::Kind::kMeasure) {
      if (s.text != "=") throw CompileError(s.where, "measure can only be assigned with '='");
      measure(s.value->args[0], &t, s.where);
      return;
    }
    std::string name = t.kind == Expr::Kind::kIdentifier ? t.text
                       : t.kind == Expr::Kind::kIndex && t.args[0]->kind == Expr::Kind::kIdentifier ? t.args[0]->text
                                                                                                  : "";
    SymbolPtr sym = name.empty() ? nullptr : lookup(name);
    if (!sym) throw CompileError(t.where, "unknown variable '" + name + "'");
    if (sym->kind != Symbol::Kind::kClassical) throw CompileError(t.where, "cannot assign to '" + name + "'");
    if (sym->is_const) throw CompileError(t.where, "cannot assign to const '" + name + "'");
    Value rhs = evaluate(*s.value);
    if (sym->bit_storage) {
      Operand bits = bit_operand(t);
      Value v = rhs;
      if (s.text != "=") {
        std::string op = s.text.substr(0, s.text.size() - 1);
        Value cur = Value::runtime(bits.items.size() == 1 ? ir::Expr::bit(bits.items[0]) : ir::Expr::reg(bits.items),
                                   VT::kBits, static_cast<int>(bits.items.size()));
        v = binary_op(op, cur, rhs, s.where);
      }
      store_bits(bits.items, v, s.where);
      return;
    }
    if (t.kind == Expr::Kind::kIndex) unsupported(t.where, std::string("assigning a bit of a ") + type_name(sym->type) + " variable");
    Value v = rhs;
    if (s.text != "=") v = binary_op(s.text.substr(0, s.text.size() - 1), sym->value, rhs, s.where);
    v = convert(v, sym->type, sym->width, s.where);
    if (sym->var_id >= 0 || !v.known || runtime_depth_ > 0) {
      if (sym->var_id < 0) promote(*sym, name, s.where);
      emit(ir::Op(ir::AssignOp{ir::AssignOp::Target::kVar, sym->var_id, v.to_expr()}, s.where.line));
      sym->value = Value::runtime(ir::Expr::var(sym->var_id), sym->type, sym->width);
      return;
    }
    sym->value = v;
  }

  void let(const Stmt& s) {
    auto sym = std::make_shared<Symbol>();
    sym->where = s.where;
    // An alias of qubits, or of classical bits.
    try {
      Operand q = qubit_operand(*s.value);
      sym->kind = Symbol::Kind::kQubits;
      sym->qubits = q.items;
      sym->single = !q.is_register;
    } catch (const CompileError&) {
      Operand c = bit_operand(*s.value);
      sym->kind = Symbol::Kind::kClassical;
      sym->bit_storage = true;
      sym->type = VT::kBits;
      sym->clbits = c.items;
      sym->single = !c.is_register;
      sym->width = static_cast<int>(c.items.size());
    }
    declare(s.name, sym, s.where);
  }

  // ------------------------------------------------------------------ control flow
  /// Names assigned anywhere inside `stmts` (to promote them before run-time control flow).
  void assigned_names(const ast::Block& stmts, std::set<std::string>& out) {
    for (const auto& st : stmts) {
      if (st->kind == Stmt::Kind::kAssign) {
        const Expr& t = *st->target;
        if (t.kind == Expr::Kind::kIdentifier) out.insert(t.text);
        else if (t.kind == Expr::Kind::kIndex && t.args[0]->kind == Expr::Kind::kIdentifier) out.insert(t.args[0]->text);
      }
      assigned_names(st->body, out);
      assigned_names(st->else_body, out);
    }
  }

  void promote_assigned(const ast::Block& a, const ast::Block& b, const Location& where) {
    std::set<std::string> names;
    assigned_names(a, names);
    assigned_names(b, names);
    for (const auto& n : names) {
      SymbolPtr sym = lookup(n);
      if (sym && sym->kind == Symbol::Kind::kClassical && !sym->bit_storage && !sym->is_const && sym->var_id < 0)
        promote(*sym, n, where);
    }
  }

  void runtime_block(const ast::Block& stmts, ir::OpList& into) {
    ir::OpList* saved = out_;
    out_ = &into;
    ++runtime_depth_;
    try {
      block(stmts, true);
    } catch (...) {
      --runtime_depth_;
      out_ = saved;
      throw;
    }
    --runtime_depth_;
    out_ = saved;
  }

  ir::ExprPtr condition_expr(const Value& v) { return v.to_expr(); }

  void if_statement(const Stmt& s) {
    Value c = evaluate(*s.value);
    if (c.known) {
      block(c.truthy() ? s.body : s.else_body, true);
      return;
    }
    promote_assigned(s.body, s.else_body, s.where);
    c = evaluate(*s.value);
    ir::IfOp op;
    op.condition = condition_expr(c);
    runtime_block(s.body, op.then_ops);
    runtime_block(s.else_body, op.else_ops);
    emit(ir::Op(std::move(op), s.where.line));
  }

  struct LoopGuard {
    LoopGuard(Elaborator& e, bool runtime) : el(e) {
      el.loop_is_runtime_.push_back(runtime);
      el.loop_runtime_depth_.push_back(el.runtime_depth_);
      if (runtime) ++el.runtime_loop_depth_;
    }
    ~LoopGuard() {
      if (el.loop_is_runtime_.back()) --el.runtime_loop_depth_;
      el.loop_is_runtime_.pop_back();
      el.loop_runtime_depth_.pop_back();
    }
    Elaborator& el;
  };

  /// Runs one iteration of an unrolled loop body; returns false on break.
  bool unrolled_iteration(const ast::Block& body) {
    try {
      block(body, true);
    } catch (const BreakSignal&) {
      return false;
    } catch (const ContinueSignal&) {
    }
    return true;
  }

  void for_loop(const Stmt& s) {
    std::vector<Value> values;
    const Expr& it = *s.value;
    VT var_type = s.type ? vt_of(*s.type) : VT::kInt;
    if (it.kind == Expr::Kind::kRangeLiteral) {
      const auto& r = it.index[0];
      if (!r.start || !r.end) throw CompileError(it.where, "a for-loop range needs a start and an end");
      long long a = const_long(*r.start, "range start");
      long long step = r.step ? const_long(*r.step, "range step") : 1;
      long long b = const_long(*r.end, "range end");
      if (step == 0) throw CompileError(it.where, "range step cannot be 0");
      for (long long v = a; step > 0 ? v <= b : v >= b; v += step) {
        values.push_back(Value::integer(v, var_type == VT::kUint ? VT::kUint : VT::kInt));
        if (static_cast<long long>(values.size()) > options_.max_statements)
          throw CompileError(it.where, "loop range too large");
      }
    } else if (it.kind == Expr::Kind::kSetLiteral) {
      for (const auto& e : it.index[0].set) {
        Value v = evaluate(*e);
        if (!v.known) unsupported(e->where, "for-loop over run-time values");
        values.push_back(v);
      }
    } else {
      Value v = evaluate(it);
      if (!v.known) unsupported(it.where, "for-loop over a run-time register");
      if (v.type != VT::kBits) throw CompileError(it.where, "can only loop over a range, a set or a bit register");
      for (int k = 0; k < v.width; ++k) values.push_back(Value::integer((v.i >> k) & 1, VT::kBits));
    }
    LoopGuard guard(*this, false);
    for (const Value& v : values) {
      ScopeGuard scope(*this);
      auto sym = std::make_shared<Symbol>();
      sym->kind = Symbol::Kind::kClassical;
      sym->where = s.where;
      sym->type = s.type ? var_type : v.type;
      sym->width = s.type && s.type->width ? const_int(*s.type->width, "type width") : 0;
      sym->value = convert(v, sym->type, sym->width, s.where);
      scopes_.back()[s.name] = sym;
      if (!unrolled_iteration(s.body)) break;
    }
  }

  void while_loop(const Stmt& s) {
    long long iterations = 0;
    {
      LoopGuard guard(*this, false);
      while (true) {
        Value c = evaluate(*s.value);
        if (!c.known) break;
        if (!c.truthy()) return;
        if (++iterations > options_.max_statements)
          throw CompileError(s.where, "while loop does not terminate within the unrolling limit");
        if (!unrolled_iteration(s.body)) return;
      }
    }
    // The condition depends on run-time state: keep the loop.
    promote_assigned(s.body, {}, s.where);
    Value c = evaluate(*s.value);
    ir::WhileOp op;
    op.condition = condition_expr(c);
    LoopGuard guard(*this, true);
    runtime_block(s.body, op.body);
    emit(ir::Op(std::move(op), s.where.line));
  }

  // ------------------------------------------------------------------ subroutines
  void subroutine_def(const Stmt& s) {
    if (scopes_.size() > 1 || call_depth_ > 0) throw CompileError(s.where, "subroutines can only be defined globally");
    auto sym = std::make_shared<Symbol>();
    sym->kind = Symbol::Kind::kSubroutine;
    sym->where = s.where;
    sym->decl = &s;
    declare(s.name, sym, s.where);
  }

  Value call_subroutine(const Symbol& sub, const Expr& call) {
    const Stmt& def = *sub.decl;
    if (call.args.size() != def.params.size())
      throw CompileError(call.where, "subroutine '" + def.name + "' takes " + std::to_string(def.params.size()) +
                                         " argument(s), got " + std::to_string(call.args.size()));
    if (call_depth_ >= kMaxCallDepth) throw CompileError(call.where, "subroutine calls nested too deeply (recursion?)");
    std::vector<SymbolPtr> bound;
    for (std::size_t k = 0; k < def.params.size(); ++k) {
      const auto& p = def.params[k];
      auto sym = std::make_shared<Symbol>();
      sym->where = p.where;
      if (p.is_qubit) {
        Operand q = qubit_operand(*call.args[k]);
        int want = p.type->width ? const_int(*p.type->width, "register size") : 1;
        if (static_cast<int>(q.items.size()) != want)
          throw CompileError(call.args[k]->where, "argument '" + p.name + "' needs " + std::to_string(want) +
                                                      " qubit(s), got " + std::to_string(q.items.size()));
        sym->kind = Symbol::Kind::kQubits;
        sym->qubits = q.items;
        sym->single = !p.type->width;
      } else {
        sym->kind = Symbol::Kind::kClassical;
        sym->type = vt_of(*p.type);
        sym->width = p.type->width ? const_int(*p.type->width, "type width") : 0;
        Value v = evaluate(*call.args[k]);
        if (sym->type == VT::kBits && !v.known && (v.expr->kind == ir::Expr::Kind::kRegister || v.expr->kind == ir::Expr::Kind::kBit)) {
          sym->bit_storage = true;
          sym->clbits = v.expr->kind == ir::Expr::Kind::kBit ? std::vector<int>{v.expr->index} : v.expr->bits;
          sym->single = sym->width == 0;
        } else {
          sym->value = convert(v, sym->type, sym->width, call.args[k]->where);
          if (!sym->value.known) unsupported(call.args[k]->where, "run-time classical argument to a subroutine");
        }
      }
      bound.push_back(sym);
    }
    std::size_t saved_floor = scope_floor_;
    scopes_.emplace_back();
    scope_floor_ = scopes_.size() - 1;
    for (std::size_t k = 0; k < bound.size(); ++k) scopes_.back()[def.params[k].name] = bound[k];
    ++call_depth_;
    call_runtime_depth_.push_back(runtime_depth_);
    std::vector<bool> saved_loops;
    saved_loops.swap(loop_is_runtime_);
    std::vector<int> saved_loop_depths;
    saved_loop_depths.swap(loop_runtime_depth_);
    int saved_runtime_loops = runtime_loop_depth_;
    runtime_loop_depth_ = 0;
    auto restore = [&] {
      --call_depth_;
      call_runtime_depth_.pop_back();
      loop_is_runtime_.swap(saved_loops);
      loop_runtime_depth_.swap(saved_loop_depths);
      runtime_loop_depth_ = saved_runtime_loops;
      scopes_.pop_back();
      scope_floor_ = saved_floor;
    };
    std::optional<Value> result;
    try {
      for (const auto& st : def.body) statement(*st);
    } catch (ReturnSignal& r) {
      result = r.value;
    } catch (...) {
      restore();
      throw;
    }
    restore();
    if (def.return_type) {
      if (!result) throw CompileError(call.where, "subroutine '" + def.name + "' did not return a value");
      int width = def.return_type->width ? const_int(*def.return_type->width, "type width") : 0;
      return convert(*result, vt_of(*def.return_type), width, call.where);
    }
    return Value::integer(0);
  }

  // ------------------------------------------------------------------ expressions
  Value evaluate_text(const std::string& text, const Location& where) {
    auto file = std::make_shared<SourceFile>(SourceFile{"<input>", "x = " + text + ";"});
    files_.push_back(file);
    try {
      ast::Program p = parse(file, 3);
      if (p.statements.size() != 1 || p.statements[0]->kind != Stmt::Kind::kAssign) throw CompileError(where, "");
      included_trees_.push_back(std::make_shared<ast::Program>(std::move(p)));
      return evaluate(*included_trees_.back()->statements[0]->value);
    } catch (const CompileError&) {
      throw CompileError(where, "invalid input value '" + text + "'");
    }
  }

  Value evaluate(const Expr& e) {
    switch (e.kind) {
      case Expr::Kind::kInt: return Value::integer(e.int_value);
      case Expr::Kind::kFloat: return Value::real(Angle::from_double(e.float_value));
      case Expr::Kind::kBool: return Value::integer(e.int_value, VT::kBool);
      case Expr::Kind::kBitString: {
        if (e.text.size() > 63) unsupported(e.where, "bit strings longer than 63 bits");
        Value v = Value::integer(0, VT::kBits);
        v.width = static_cast<int>(e.text.size());
        for (char c : e.text) v.i = (v.i << 1) | (c == '1' ? 1 : 0);
        return v;
      }
      case Expr::Kind::kIdentifier: return identifier_value(e);
      case Expr::Kind::kIndex: return index_value(e);
      case Expr::Kind::kUnary: {
        Value a = evaluate(*e.args[0]);
        return unary_op(e.text, a, e.where);
      }
      case Expr::Kind::kBinary: {
        Value a = evaluate(*e.args[0]);
        Value b = evaluate(*e.args[1]);
        return binary_op(e.text, a, b, e.where);
      }
      case Expr::Kind::kCall: return call_value(e);
      case Expr::Kind::kCast: {
        Value a = evaluate(*e.args[0]);
        VT t = vt_of(*e.type);
        int width = e.type->width ? const_int(*e.type->width, "type width") : 0;
        if (!a.known) return Value::runtime(ir::Expr::cast(type_text(t, width), a.expr), t, width);
        return convert(a, t, width, e.where);
      }
      case Expr::Kind::kMeasure: throw CompileError(e.where, "measure is only allowed on the right of an assignment");
      case Expr::Kind::kDuration: unsupported(e.where, "duration values outside delay");
      case Expr::Kind::kHardwareQubit: throw CompileError(e.where, "a qubit is not a classical value");
      case Expr::Kind::kConcat: unsupported(e.where, "concatenation of classical values");
      default: break;
    }
    unsupported(e.where, "this kind of expression");
  }

  Value identifier_value(const Expr& e) {
    const std::string& n = e.text;
    if (SymbolPtr sym = lookup(n)) {
      if (sym->kind == Symbol::Kind::kQubits) throw CompileError(e.where, "qubit '" + n + "' used as a classical value");
      if (sym->kind == Symbol::Kind::kSubroutine) throw CompileError(e.where, "subroutine '" + n + "' used as a value");
      if (sym->bit_storage)
        return Value::runtime(sym->single ? ir::Expr::bit(sym->clbits[0]) : ir::Expr::reg(sym->clbits), VT::kBits,
                              static_cast<int>(sym->clbits.size()));
      return sym->value;
    }
    if (n == "pi" || n == "π") return Value::real(Angle::pi_times({1, 1}));
    if (n == "tau" || n == "τ") return Value::real(Angle::pi_times({2, 1}));
    if (n == "euler" || n == "ℇ") return Value::real(Angle::from_double(std::numbers::e));
    throw CompileError(e.where, "unknown identifier '" + n + "'");
  }

  Value index_value(const Expr& e) {
    Value base = evaluate(*e.args[0]);
    const auto& item = e.index[0];
    if (!base.known) {
      if (base.expr->kind != ir::Expr::Kind::kRegister && base.expr->kind != ir::Expr::Kind::kBit)
        unsupported(e.where, "indexing a run-time value that is not a bit register");
      std::vector<int> bits =
          base.expr->kind == ir::Expr::Kind::kBit ? std::vector<int>{base.expr->index} : base.expr->bits;
      auto idx = index_values(item, static_cast<long long>(bits.size()), e.where);
      if (item.kind == ast::IndexItem::Kind::kSingle) return Value::runtime(ir::Expr::bit(bits[static_cast<std::size_t>(idx[0])]), VT::kBits, 1);
      std::vector<int> sel;
      for (long long k : idx) sel.push_back(bits[static_cast<std::size_t>(k)]);
      return Value::runtime(ir::Expr::reg(sel), VT::kBits, static_cast<int>(sel.size()));
    }
    if (!integral(base.type)) unsupported(e.where, std::string("indexing a ") + type_name(base.type) + " value");
    int width = base.width > 0 ? base.width : 64;
    auto idx = index_values(item, width, e.where);
    long long out = 0;
    for (std::size_t k = 0; k < idx.size(); ++k) out |= ((base.i >> idx[k]) & 1) << k;
    Value v = Value::integer(out, VT::kBits);
    v.width = static_cast<int>(idx.size());
    return v;
  }

  Value call_value(const Expr& e) {
    if (SymbolPtr sym = lookup(e.text); sym && sym->kind == Symbol::Kind::kSubroutine) return call_subroutine(*sym, e);
    static const std::set<std::string> fns = {"sin", "cos", "tan", "arcsin", "arccos", "arctan", "exp", "ln", "sqrt"};
    if (fns.count(e.text)) {
      if (e.args.size() != 1) throw CompileError(e.where, e.text + " takes one argument");
      Value a = evaluate(*e.args[0]);
      if (!a.known) return Value::runtime(ir::Expr::call(e.text, {a.expr}), VT::kFloat);
      return Value::real(ir::evaluate_angle(*ir::Expr::call(e.text, {ir::Expr::real(a.as_angle())}), {}));
    }
    if (e.text == "popcount" || e.text == "rotl" || e.text == "rotr" || e.text == "mod" || e.text == "real" ||
        e.text == "imag" || e.text == "sizeof")
      unsupported(e.where, "built-in function '" + e.text + "'");
    if (gate_index_.count(e.text) || builtins_.count(e.text))
      throw CompileError(e.where, "gate '" + e.text + "' used as a function (missing qubit arguments?)");
    throw CompileError(e.where, "unknown subroutine '" + e.text + "'");
  }

  Value unary_op(const std::string& op, const Value& a, const Location& where) {
    if (!a.known) {
      VT t = op == "!" ? VT::kBool : a.type;
      return Value::runtime(ir::Expr::unary(op, a.expr), t, a.width);
    }
    if (op == "+") return a;
    if (op == "-") {
      if (integral(a.type)) return Value::integer(-a.i, a.type == VT::kUint ? VT::kInt : a.type == VT::kBool ? VT::kInt : a.type);
      return Value::real(-a.a, a.type);
    }
    if (op == "!") return Value::integer(a.truthy() ? 0 : 1, VT::kBool);
    if (op == "~") {
      if (!integral(a.type)) throw CompileError(where, "'~' needs an integer or bits");
      Value r = a;
      r.i = ~a.i;
      if (a.width > 0 && a.width < 64) r.i &= (1LL << a.width) - 1;
      return r;
    }
    throw CompileError(where, "unknown operator '" + op + "'");
  }

  Value binary_op(const std::string& op, const Value& a, const Value& b, const Location& where) {
    const bool comparison = op == "==" || op == "!=" || op == "<" || op == ">" || op == "<=" || op == ">=";
    if (!a.known || !b.known) {
      VT t = comparison || op == "&&" || op == "||" ? VT::kBool : (!a.known ? a.type : b.type);
      return Value::runtime(ir::Expr::binary(op, a.to_expr(), b.to_expr()), t, std::max(a.width, b.width));
    }
    bool ints = integral(a.type) && integral(b.type);
    if (op == "&&") return Value::integer(a.truthy() && b.truthy(), VT::kBool);
    if (op == "||") return Value::integer(a.truthy() || b.truthy(), VT::kBool);
    if (comparison) {
      int c = 0;
      if (ints) c = a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
      else {
        Angle d = a.as_angle() - b.as_angle();
        double x = d.radians();
        c = d.is_zero() || x == 0.0 ? 0 : x < 0 ? -1 : 1;
      }
      bool r = op == "==" ? c == 0 : op == "!=" ? c != 0 : op == "<" ? c < 0 : op == ">" ? c > 0 : op == "<=" ? c <= 0 : c >= 0;
      return Value::integer(r, VT::kBool);
    }
    if (ints) {
      VT t = a.type == VT::kBits || a.type == VT::kBool ? VT::kInt : a.type;
      long long x = a.i, y = b.i, r = 0;
      if (op == "+") {
        if (__builtin_add_overflow(x, y, &r)) throw CompileError(where, "integer overflow");
      } else if (op == "-") {
        if (__builtin_sub_overflow(x, y, &r)) throw CompileError(where, "integer overflow");
      } else if (op == "*") {
        if (__builtin_mul_overflow(x, y, &r)) throw CompileError(where, "integer overflow");
      } else if (op == "/") {
        if (y == 0) throw CompileError(where, "division by zero");
        if (x % y != 0) return Value::real(Angle::from_double(static_cast<double>(x) / static_cast<double>(y)));
        if (x == INT64_MIN && y == -1) throw CompileError(where, "integer overflow");
        r = x / y;
      } else if (op == "%") {
        if (y == 0) throw CompileError(where, "division by zero");
        if (x == INT64_MIN && y == -1) throw CompileError(where, "integer overflow");
        r = x % y;
      } else if (op == "**") {
        if (y < 0) return Value::real(Angle::from_double(std::pow(static_cast<double>(x), static_cast<double>(y))));
        r = 1;
        for (long long k = 0; k < y; ++k)
          if (__builtin_mul_overflow(r, x, &r)) throw CompileError(where, "integer overflow");
      } else if (op == "&") r = x & y;
      else if (op == "|") r = x | y;
      else if (op == "^") r = x ^ y;
      else if (op == "<<" || op == ">>") {
        if (y < 0 || y > 63) throw CompileError(where, "shift amount out of range");
        r = op == "<<" ? static_cast<long long>(static_cast<unsigned long long>(x) << y) : x >> y;
        if (a.width > 0 && a.width < 64) r &= (1LL << a.width) - 1;
        Value v = Value::integer(r, a.type);
        v.width = a.width;
        return v;
      } else throw CompileError(where, "unknown operator '" + op + "'");
      return Value::integer(r, t);
    }
    if (op == "&" || op == "|" || op == "^" || op == "<<" || op == ">>" || op == "%")
      unsupported(where, "operator '" + op + "' on non-integer values");
    VT t = a.type == VT::kAngle || b.type == VT::kAngle ? VT::kAngle : VT::kFloat;
    try {
      Angle r = ir::apply_binary(op, a.as_angle(), b.as_angle());
      if (!std::isfinite(r.radians())) throw CompileError(where, "arithmetic result is not finite");
      return Value::real(r, t);
    } catch (const std::runtime_error& err) {
      if (dynamic_cast<const CompileError*>(&err)) throw;
      throw CompileError(where, err.what());
    }
  }

  const ElaborateOptions& options_;
  ir::Program program_;
  ir::OpList* out_ = nullptr;
  int version_ = 3;
  std::unordered_set<std::string> builtins_;
  std::unordered_map<std::string, int> gate_index_;
  std::vector<std::unordered_map<std::string, SymbolPtr>> scopes_;
  std::size_t scope_floor_ = 0;
  std::vector<std::filesystem::path> base_dir_;
  std::vector<std::shared_ptr<const SourceFile>> files_;  // every AST location points into one
  std::vector<std::shared_ptr<ast::Program>> included_trees_;
  std::vector<ast::StmtPtr> retained_;
  std::vector<std::shared_ptr<Expr>> synthetic_calls_;
  // Keyed by source position: statements are freed once elaborated, positions are unique.
  using DeclKey = std::tuple<const SourceFile*, int, int>;
  std::map<DeclKey, std::vector<int>> bit_storage_of_decl_;
  int include_depth_ = 0;
  int call_depth_ = 0;
  std::vector<int> call_runtime_depth_;
  int runtime_depth_ = 0;
  int runtime_loop_depth_ = 0;
  std::vector<bool> loop_is_runtime_;
  std::vector<int> loop_runtime_depth_;
  bool hardware_qubits_used_ = false;
  bool qelib1_included_ = false;
  long long statements_ = 0;
  Location last_where_;
};

}  // namespace

ir::Program elaborate_source(const std::string& source, const std::string& path, const ElaborateOptions& options) {
  Elaborator e(options);
  return e.run(source, path);
}

}  // namespace qontos::qasm
