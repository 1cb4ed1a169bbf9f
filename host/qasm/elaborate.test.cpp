#include "qasm/elaborate.h"

#include <gtest/gtest.h>

#include "ir/gate_set.h"
#include "ir/serialise_json.h"
#include "passes/pipeline.h"
#include "qasm/library.h"

namespace qontos::qasm {
namespace {

ir::Program parse_text(const std::string& text, const ElaborateOptions& o = {}) {
  return elaborate_source(text, "t.qasm", o);
}

ir::Program compile(const std::string& text, const std::string& until = "normalise") {
  return passes::compile_source(text, "t.qasm", until, {}).back().program;
}

std::vector<const ir::GateOp*> gates(const ir::Program& p) {
  std::vector<const ir::GateOp*> out;
  for (const auto& op : p.ops)
    if (const auto* g = std::get_if<ir::GateOp>(&op.v)) out.push_back(g);
  return out;
}

std::string summary(const ir::Program& p) {
  std::string s;
  for (const auto& op : p.ops) {
    if (const auto* g = std::get_if<ir::GateOp>(&op.v)) {
      if (g->controls) s += "c" + std::to_string(g->controls) + ":";
      s += g->name;
      if (!g->params.empty()) {
        s += "(";
        for (std::size_t i = 0; i < g->params.size(); ++i) s += (i ? "," : "") + g->params[i].to_string();
        s += ")";
      }
      for (int q : g->qubits) s += " " + std::to_string(q);
      s += ";";
    } else if (const auto* m = std::get_if<ir::MeasureOp>(&op.v)) {
      s += "measure " + std::to_string(m->qubit) + "->" + std::to_string(m->clbit) + ";";
    } else if (std::holds_alternative<ir::IfOp>(op.v)) {
      s += "if;";
    } else if (std::holds_alternative<ir::WhileOp>(op.v)) {
      s += "while;";
    } else if (const auto* a = std::get_if<ir::AssignOp>(&op.v)) {
      s += std::string(a->target == ir::AssignOp::Target::kBit ? "bit" : "var") + std::to_string(a->index) + "=" +
           ir::to_qasm(*a->value, {&p, nullptr}) + ";";
    } else if (std::holds_alternative<ir::ResetOp>(op.v)) {
      s += "reset;";
    } else if (std::holds_alternative<ir::BarrierOp>(op.v)) {
      s += "barrier;";
    }
  }
  return s;
}

std::string error_of(const std::string& text) {
  try {
    compile(text);
  } catch (const CompileError& e) {
    return e.what();
  } catch (const passes::PassError& e) {
    return std::string("pass: ") + e.what();
  }
  return "no error";
}

constexpr const char* kQ2 = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n";
constexpr const char* kQ3 = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n";

TEST(OpenQasm2, RegistersBroadcastAndMeasure) {
  auto p = parse_text(std::string(kQ2) + "qreg q[3];\nqreg r[3];\ncreg c[3];\nh q;\ncx q, r;\ncx q[0], r;\nmeasure q -> c;\n");
  EXPECT_EQ(p.num_qubits, 6);
  EXPECT_EQ(p.num_clbits, 3);
  EXPECT_EQ(summary(p),
            "h 0;h 1;h 2;cx 0 3;cx 1 4;cx 2 5;cx 0 3;cx 0 4;cx 0 5;measure 0->0;measure 1->1;measure 2->2;");
}

TEST(OpenQasm2, EveryQelib1GateIsAvailableAndInlines) {
  const auto* names = builtin_include("qelib1.inc");
  ASSERT_EQ(names->size(), 42u);
  std::string src = std::string(kQ2) + "qreg q[5];\n";
  for (const auto& n : *names) {
    const ir::GateSpec* g = ir::find_gate(n);
    ASSERT_NE(g, nullptr) << n;
    src += n;
    if (g->num_params) {
      src += "(";
      for (int i = 0; i < g->num_params; ++i) src += std::string(i ? "," : "") + "0." + std::to_string(i + 1);
      src += ")";
    }
    for (int i = 0; i < g->num_qubits; ++i) src += std::string(i ? ", " : " ") + "q[" + std::to_string(i) + "]";
    src += ";\n";
  }
  auto p = compile(src, "inline");
  for (const auto* g : gates(p)) EXPECT_FALSE(ir::is_library_definition(g->name)) << g->name;
  EXPECT_GT(gates(p).size(), 42u);  // rccx and rc3x expand to their bodies
}

TEST(OpenQasm2, GateDefinitionsAndIf) {
  auto src = std::string(kQ2) +
             "gate maj(t) a, b, c { cx c, b; rz(t/2) a; ccx a, b, c; }\nopaque magic a;\nqreg q[3];\ncreg c[2];\n"
             "maj(pi) q[0], q[1], q[2];\nif (c == 2) x q[0];\nbarrier q;\nreset q[1];\n";
  auto parsed = parse_text(src);
  ASSERT_EQ(parsed.gate_defs.size(), 2u);
  EXPECT_TRUE(parsed.gate_defs[1].opaque);
  auto p = compile(src, "inline");
  EXPECT_EQ(summary(p), "cx 2 1;rz(pi/2) 0;ccx 0 1 2;if;barrier;reset;");
  const auto& i = std::get<ir::IfOp>(p.ops[3].v);
  EXPECT_EQ(ir::to_qasm(*i.condition, {&p, nullptr}), "c == 2");
}

TEST(OpenQasm2, OpaqueGatesCannotBeInlined) {
  EXPECT_NE(error_of(std::string(kQ2) + "opaque g a;\nqreg q[1];\ng q[0];\n").find("opaque gate 'g'"), std::string::npos);
}

TEST(PhaseConventions, RzAndPDifferAndSoDoTheirControlledForms) {
  auto p = compile(std::string(kQ3) + "include \"qelib1.inc\";\nqubit[2] q;\nrz(pi/3) q[0];\np(pi/3) q[0];\nctrl @ rz(pi/3) q[0], q[1];\n"
                                      "ctrl @ p(pi/3) q[0], q[1];\nu1(pi/3) q[0];\ncu1(pi/3) q[0], q[1];\n");
  EXPECT_EQ(summary(p), "rz(pi/3) 0;p(pi/3) 0;crz(pi/3) 0 1;cp(pi/3) 0 1;p(pi/3) 0;cp(pi/3) 0 1;");
}

TEST(PhaseConventions, U3IsUWithAGlobalPhase) {
  auto p = compile(std::string(kQ3) + "qubit q;\nu3(pi/2, pi/4, pi/4) q;\n");
  EXPECT_EQ(summary(p), "U(pi/2,pi/4,pi/4) 0;");
  EXPECT_EQ(p.global_phase.to_string(), "-pi/4");
  auto q = compile(std::string(kQ3) + "qubit[2] q;\nctrl @ u3(pi/2, pi/4, pi/4) q[0], q[1];\n");
  // Under control the phase of u3 becomes a relative phase: cu(θ, φ, λ, -(φ+λ)/2).
  EXPECT_EQ(summary(q), "cu(pi/2,pi/4,pi/4,-pi/4) 0 1;");
}

TEST(PhaseConventions, BitStringsAreLittleEndian) {
  auto p = parse_text(std::string(kQ3) + "bit[3] c = \"011\";\n");
  EXPECT_EQ(summary(p), "bit0=1;bit1=1;bit2=0;");
}

TEST(Modifiers, CtrlNegctrlInvPow) {
  auto p = compile(std::string(kQ3) + "qubit[3] q;\nctrl @ x q[0], q[1];\nnegctrl @ x q[0], q[1];\ninv @ s q[0];\n"
                                      "pow(2) @ t q[0];\nctrl(2) @ x q[0], q[1], q[2];\nctrl @ ctrl @ z q[0], q[1], q[2];\n");
  EXPECT_EQ(summary(p), "cx 0 1;x 0;cx 0 1;x 0;sdg 0;t 0;t 0;ccx 0 1 2;c2:z 0 1 2;");
}

TEST(Modifiers, FractionalPowersUseThePrincipalBranch) {
  auto p = compile(std::string(kQ3) + "qubit q;\npow(1/2) @ z q;\npow(0.5) @ s q;\npow(1/2) @ x q;\npow(-1) @ t q;\n");
  EXPECT_EQ(summary(p), "s 0;t 0;rx(pi/2) 0;tdg 0;");
  EXPECT_EQ(p.global_phase.to_string(), "pi/4");  // x^(1/2) = e^{iπ/4} rx(π/2) = sx
}

TEST(Modifiers, GphaseUnderControlIsAPhaseGate) {
  auto p = compile(std::string(kQ3) + "qubit[2] q;\ngphase(pi/8);\nctrl @ gphase(pi/4) q[0];\nctrl(2) @ gphase(pi) q[0], q[1];\n");
  EXPECT_EQ(summary(p), "t 0;cz 0 1;");
  EXPECT_EQ(p.global_phase.to_string(), "pi/8");
}

TEST(Modifiers, InvOfADefinitionReversesAndInverts) {
  auto p = compile(std::string(kQ3) + "gate g(a) x, y { h x; rz(a) y; cx x, y; s y; }\nqubit[2] q;\ninv @ g(pi/5) q[0], q[1];\n");
  EXPECT_EQ(summary(p), "sdg 1;cx 0 1;rz(-pi/5) 1;h 0;");
}

TEST(Modifiers, NonIntegerPowerOfAMultiGateDefinitionIsUnsupported) {
  std::string e = error_of(std::string(kQ3) + "gate g x { h x; t x; }\nqubit q;\npow(0.5) @ g q;\n");
  EXPECT_NE(e.find("unsupported: pow(0.5)"), std::string::npos) << e;
}

TEST(OpenQasm3, ClassicalTypesConstForAndLet) {
  auto p = compile(std::string(kQ3) +
                   "const int[32] n = 4;\nconst float[64] theta = 3 * pi / 8;\nuint[4] mask = 0b1010;\nqubit[n] q;\n"
                   "for uint i in [0:n - 1] { if (bool(mask[i])) x q[i]; }\n"
                   "for int i in [3:-2:0] { rz(theta * i) q[i]; }\n"
                   "for i in {0, 2} { h q[i]; }\n"
                   "let pair = q[1:2];\nlet both = q[0] ++ q[3];\ncx pair[0], both[1];\n");
  // rz(9π/8) wraps to rz(-7π/8) with the sign flip of a 2π turn in the global phase.
  EXPECT_EQ(summary(p), "x 1;x 3;rz(-7*pi/8) 3;rz(3*pi/8) 1;h 0;h 2;cx 1 3;");
  EXPECT_EQ(p.global_phase.to_string(), "pi");
}

TEST(OpenQasm3, WhileBreakContinueAtCompileTime) {
  auto p = compile(std::string(kQ3) + "qubit[4] q;\nint i = 0;\nwhile (true) {\n  i += 1;\n  if (i == 2) continue;\n"
                                      "  if (i > 3) break;\n  x q[i];\n}\n");
  EXPECT_EQ(summary(p), "x 1;x 3;");
}

TEST(OpenQasm3, SubroutinesAndInputs) {
  ElaborateOptions o;
  o.inputs["angle_in"] = "pi/4";
  auto p = parse_text(std::string(kQ3) +
                          "input float[64] angle_in;\n"
                          "def twice(float[64] a) -> float[64] { return 2 * a; }\n"
                          "def prep(qubit q, float[64] a) { reset q; rz(twice(a)) q; }\n"
                          "def flip(qubit q) -> bit { x q; return measure q; }\n"
                          "qubit[2] q;\nbit b;\nprep(q[0], angle_in);\nb = flip(q[1]);\n",
                      o);
  EXPECT_EQ(summary(p), "reset;rz(pi/2) 0;x 1;measure 1->1;bit0=_measure[0];");
  EXPECT_NE(error_of(std::string(kQ3) + "input float x;\n").find("input 'x' has no value"), std::string::npos);
}

TEST(OpenQasm3, MeasurementSyntaxesAndRuntimeControl) {
  auto p = compile(std::string(kQ3) + "qubit[2] q;\nbit[2] c;\nc[0] = measure q[0];\nmeasure q[1] -> c[1];\n"
                                      "if (c[0] == 1) { x q[1]; } else { h q[1]; }\n"
                                      "while (c == 3) { c[1] = measure q[1]; }\n");
  EXPECT_EQ(summary(p), "measure 0->0;measure 1->1;if;while;");
  const auto& i = std::get<ir::IfOp>(p.ops[2].v);
  EXPECT_EQ(ir::to_qasm(*i.condition, {&p, nullptr}), "c[0] == 1");
  EXPECT_EQ(i.then_ops.size(), 1u);
  EXPECT_EQ(i.else_ops.size(), 1u);
  const auto& w = std::get<ir::WhileOp>(p.ops[3].v);
  EXPECT_EQ(ir::to_qasm(*w.condition, {&p, nullptr}), "c == 3");
}

TEST(OpenQasm3, VariablesAssignedUnderRuntimeControlBecomeRuntimeVariables) {
  auto p = compile(std::string(kQ3) + "qubit q;\nbit c;\nint[8] n = 5;\nc = measure q;\nif (c) { n += 1; }\nrz(pi) q;\n");
  ASSERT_EQ(p.vars.size(), 1u);
  EXPECT_EQ(p.vars[0].name, "n");
  EXPECT_EQ(p.vars[0].type, "int[8]");
  EXPECT_EQ(summary(p), "measure 0->0;var0=5;if;rz(pi) 0;");
}

TEST(OpenQasm3, DelayAndHardwareQubits) {
  auto p = compile(std::string(kQ3) + "delay[100ns] $0, $2;\nh $2;\n", "parse");
  EXPECT_EQ(p.num_qubits, 3);
  const auto& d = std::get<ir::DelayOp>(p.ops[0].v);
  EXPECT_EQ(d.unit, "ns");
  EXPECT_EQ(d.qubits, (std::vector<int>{0, 2}));
}

TEST(Diagnostics, UnsupportedFeaturesAreNamed) {
  const std::pair<const char*, const char*> cases[] = {
      {"defcal x $0 { }", "unsupported: 'defcal'"},
      {"extern f(int) -> int;", "unsupported: 'extern'"},
      {"duration d = 10ns;", "unsupported: 'duration'"},
      {"stretch s;", "unsupported: 'stretch'"},
      {"box { }", "unsupported: 'box'"},
      {"array[int[8], 4] a;", "unsupported: 'array'"},
      {"complex[float[64]] z;", "unsupported: 'complex'"},
      {"qubit q; bit[2] b; int i; i = 1; measure q -> b[i + 0];\nwhile (b[0]) { i = i + 1; h q; b[i] = measure q; }",
       "unsupported: index that depends on a run-time value"},
  };
  for (const auto& [src, want] : cases) {
    std::string e = error_of(std::string(kQ3) + src + "\n");
    EXPECT_NE(e.find(want), std::string::npos) << src << " -> " << e;
    EXPECT_EQ(e.rfind("t.qasm:", 0), 0u) << e;
  }
}

TEST(Diagnostics, MalformedInputNamesItsLocation) {
  const std::pair<const char*, const char*> cases[] = {
      {"qreg q[2];\ncx q[0];\n", "t.qasm:4:1: error: gate 'cx' needs 2 qubits, got 1"},
      {"qreg q[2];\ncx q[0], q[0];\n", "t.qasm:4:1: error: gate 'cx' uses the same qubit twice"},
      {"qreg q[2];\nh q[2];\n", "t.qasm:4:5: error: index 2 out of range for size 2"},
      {"qreg q[2];\nfoo q[0];\n", "t.qasm:4:1: error: unknown gate 'foo'"},
      {"qreg q[2];\nqreg q[1];\n", "t.qasm:4:1: error: 'q' is already declared in this scope"},
      {"qreg q[2];\nrx q[0];\n", "t.qasm:4:1: error: gate 'rx' takes 1 parameter, got 0"},
      {"qreg q[2];\nh q[0]\n", "t.qasm:5:1: error: expected ';', found end of file"},
      {"qreg q[2];\ncreg c[1];\nmeasure q -> c;\n", "t.qasm:5:1: error: measuring 2 qubit(s) into 1 bit(s)"},
      {"gate g a { measure a -> b; }\n", "t.qasm:3:12: error: only gate applications are allowed inside a gate definition"},
  };
  for (const auto& [src, want] : cases) EXPECT_EQ(error_of(std::string(kQ2) + src), want) << src;
  EXPECT_EQ(error_of("OPENQASM 3.0;\nqubit q;\nh q;\n"),
            "t.qasm:3:1: error: unknown gate 'h' (did you forget include \"stdgates.inc\"?)");
  EXPECT_EQ(error_of("OPENQASM 4.0;\n"), "t.qasm:1:10: error: unsupported: OpenQASM version 4.0");
  // qontos pragmas are checked (found by fuzzing: a qubit count beside declared qubits).
  EXPECT_EQ(error_of(std::string(kQ3) + "qubit[3] a;\n#pragma qontos qubits 4\n"),
            "t.qasm:4:1: error: pragma qontos qubits is for programs on physical qubits, not declared ones");
  EXPECT_EQ(error_of(std::string(kQ3) + "#pragma qontos final_layout pi/4\n"),
            "t.qasm:3:1: error: pragma qontos final_layout: 'pi/4' is not a qubit index or count");
  // A huge float where a size is expected (found by fuzzing: it overflowed an integer cast).
  EXPECT_EQ(error_of(std::string(kQ3) + "qubit[2e174] q;\n"), "t.qasm:3:7: error: register size out of range: 2e+174");
  // Keywords are not names (found by fuzzing: `bit[2] const;` could not be read back).
  EXPECT_EQ(error_of(std::string(kQ3) + "bit[2] const;\n"),
            "t.qasm:3:8: error: 'const' is a keyword and cannot be used as a name");
  EXPECT_EQ(error_of(std::string(kQ3) + "gate ctrl a { x a; }\n"),
            "t.qasm:3:6: error: 'ctrl' is a keyword and cannot be used as a name");
}

TEST(Diagnostics, AdversarialInputsFailCleanly) {
  std::string deep(5000, '(');
  EXPECT_NE(error_of(std::string(kQ3) + "float x = " + deep + "1;"), "no error");
  ElaborateOptions small;
  small.max_statements = 10000;
  try {
    parse_text(std::string(kQ3) + "qubit q;\nwhile (true) { h q; }\n", small);
    ADD_FAILURE() << "an endless loop compiled";
  } catch (const CompileError& e) {
    EXPECT_NE(std::string(e.what()).find("program too large: more than 10000 statements"), std::string::npos) << e.what();
  }
  EXPECT_NE(error_of(std::string(kQ3) + "def f(int a) -> int { return f(a); }\nint x = f(1);\n").find("nested too deeply"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kQ3) + "gate g a { g a; }\n").find("unknown gate 'g'"), std::string::npos);
  EXPECT_NE(error_of(std::string(kQ3) + "int x = 1 / 0;\n").find("division by zero"), std::string::npos);
}

TEST(Determinism, SameInputGivesTheSameCanonicalForm) {
  std::string src = std::string(kQ3) + "qubit[3] q;\nh q[0];\nctrl @ rz(0.125) q[0], q[1];\nrx(1e-7) q[2];\n";
  EXPECT_EQ(ir::serialise_json(compile(src)), ir::serialise_json(compile(src)));
  EXPECT_EQ(ir::serialise_json(compile(src)),
            "{\"clbits\":0,\"cregs\":[],\"device\":\"\",\"final_layout\":[],\"format\":\"qontos-ir/1\",\"gate_defs\":[],"
            "\"global_phase\":\"0\",\"initial_layout\":[],\"ops\":[{\"kind\":\"gate\",\"name\":\"h\",\"qubits\":[0]},"
            "{\"kind\":\"gate\",\"name\":\"crz\",\"params\":[\"0.125\"],\"qubits\":[0,1]},{\"kind\":\"gate\",\"name\":"
            "\"rx\",\"params\":[\"1e-07\"],\"qubits\":[2]}],\"qregs\":[{\"name\":\"q\",\"offset\":0,\"size\":3}],"
            "\"qubits\":3,\"vars\":[]}");
}

}  // namespace
}  // namespace qontos::qasm
