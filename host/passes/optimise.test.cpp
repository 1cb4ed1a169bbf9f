// Tests of the `optimise` pass: each rewrite rule on hand-built programs, the ops that must
// block it, exactness of merged angles, determinism, gate-set preservation, and a randomised
// check against a small state-vector simulator written here (independent of the pass's own
// commutation tables) that the optimised circuit computes the same unitary.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <cstdint>
#include <iostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "ir/gate_set.h"
#include "ir/serialise_json.h"
#include "passes/pass.h"

namespace qontos::passes {
namespace {

using ir::Angle;
using ir::GateOp;
using ir::Op;
using ir::OpList;
using ir::Program;

Angle pi(std::int64_t num, std::int64_t den = 1) { return Angle::pi_times(*ir::Rational::make(num, den)); }

Op gate(std::string name, std::vector<int> qubits, std::vector<Angle> params = {}, int controls = 0) {
  GateOp g;
  g.name = std::move(name);
  g.qubits = std::move(qubits);
  g.params = std::move(params);
  g.controls = controls;
  return Op(std::move(g));
}

Op measure(int qubit, int clbit) { return Op(ir::MeasureOp{qubit, clbit}); }

Op if_op(int clbit, OpList then_ops, OpList else_ops = {}) {
  ir::IfOp i;
  i.condition = ir::Expr::bit(clbit);
  i.then_ops = std::move(then_ops);
  i.else_ops = std::move(else_ops);
  return Op(std::move(i));
}

Op while_op(int clbit, OpList body) {
  ir::WhileOp w;
  w.condition = ir::Expr::bit(clbit);
  w.body = std::move(body);
  return Op(std::move(w));
}

Program program(int qubits, OpList ops) {
  Program p;
  p.num_qubits = qubits;
  p.num_clbits = 2;
  p.qregs = {{"q", qubits, 0}};
  p.cregs = {{"c", 2, 0}};
  p.ops = std::move(ops);
  return p;
}

// The programs here are treated as bound to a device's gate set, so that the tests see the
// optimiser's own rewrites; without a device, run_optimise also normalises its result (tested
// in OptimiseWithoutDevice below).
Program optimise(Program p) {
  p.device = "a-device";
  Program out = run_optimise(p, PassContext{});
  out.device.clear();
  return out;
}

/// The ops as short text ("h 0", "rz(pi/2) 0", "cx 0,1", "x[c2] 0,1,2", "measure 0", "if{..}{..}")
/// so expectations read like circuits.
std::string describe(const OpList& ops);
std::string describe(const Op& op) {
  if (const auto* g = std::get_if<GateOp>(&op.v)) {
    std::string s = g->name;
    if (!g->params.empty()) {
      s += "(";
      for (std::size_t i = 0; i < g->params.size(); ++i) s += (i ? "," : "") + g->params[i].to_string();
      s += ")";
    }
    if (g->controls) s += "[c" + std::to_string(g->controls) + "]";
    for (std::size_t i = 0; i < g->qubits.size(); ++i) s += (i ? "," : " ") + std::to_string(g->qubits[i]);
    return s;
  }
  if (const auto* m = std::get_if<ir::MeasureOp>(&op.v)) return "measure " + std::to_string(m->qubit);
  if (std::holds_alternative<ir::ResetOp>(op.v)) return "reset";
  if (std::holds_alternative<ir::BarrierOp>(op.v)) return "barrier";
  if (std::holds_alternative<ir::DelayOp>(op.v)) return "delay";
  if (std::holds_alternative<ir::BreakOp>(op.v)) return "break";
  if (std::holds_alternative<ir::ContinueOp>(op.v)) return "continue";
  if (const auto* ph = std::get_if<ir::GlobalPhaseOp>(&op.v)) return "gphase(" + ph->phase.to_string() + ")";
  if (const auto* i = std::get_if<ir::IfOp>(&op.v))
    return "if{" + describe(i->then_ops) + "}{" + describe(i->else_ops) + "}";
  if (const auto* w = std::get_if<ir::WhileOp>(&op.v)) return "while{" + describe(w->body) + "}";
  return "?";
}
std::string describe(const OpList& ops) {
  std::string s;
  for (std::size_t i = 0; i < ops.size(); ++i) s += (i ? "; " : "") + describe(ops[i]);
  return s;
}

std::string optimised(OpList ops, int qubits = 4) { return describe(optimise(program(qubits, std::move(ops))).ops); }

// ---- (a) cancellation of inverse pairs -------------------------------------------------------

TEST(Optimise, CancelsAdjacentInversePairs) {
  EXPECT_EQ(optimised({gate("h", {0}), gate("h", {0})}), "");
  EXPECT_EQ(optimised({gate("x", {1}), gate("x", {1})}), "");
  EXPECT_EQ(optimised({gate("s", {0}), gate("sdg", {0})}), "");
  EXPECT_EQ(optimised({gate("tdg", {0}), gate("t", {0})}), "");
  EXPECT_EQ(optimised({gate("sx", {2}), gate("sxdg", {2})}), "");
  EXPECT_EQ(optimised({gate("cx", {0, 1}), gate("cx", {0, 1})}), "");
  EXPECT_EQ(optimised({gate("cz", {0, 1}), gate("cz", {1, 0})}), "");
  EXPECT_EQ(optimised({gate("swap", {0, 1}), gate("swap", {1, 0})}), "");
  EXPECT_EQ(optimised({gate("ccx", {0, 1, 2}), gate("ccx", {1, 0, 2})}), "");
  EXPECT_EQ(optimised({gate("cswap", {0, 1, 2}), gate("cswap", {0, 2, 1})}), "");
  EXPECT_EQ(
      optimised({gate("U", {0}, {pi(1, 3), pi(1, 5), pi(1, 7)}), gate("U", {0}, {pi(-1, 3), pi(-1, 7), pi(-1, 5)})}),
      "");
}

TEST(Optimise, KeepsPairsThatAreNotInverses) {
  EXPECT_EQ(optimised({gate("cx", {0, 1}), gate("cx", {1, 0})}), "cx 0,1; cx 1,0");
  EXPECT_EQ(optimised({gate("ccx", {0, 1, 2}), gate("ccx", {0, 2, 1})}), "ccx 0,1,2; ccx 0,2,1");
  EXPECT_EQ(optimised({gate("s", {0}), gate("s", {0})}), "s 0; s 0");  // s s = z, but z is a new name
  EXPECT_EQ(optimised({gate("h", {0}), gate("h", {1})}), "h 0; h 1");
  EXPECT_EQ(
      optimised({gate("U", {0}, {pi(1, 3), pi(1, 5), pi(1, 7)}), gate("U", {0}, {pi(-1, 3), pi(-1, 5), pi(-1, 7)})}),
      "U(pi/3,pi/5,pi/7) 0; U(-pi/3,-pi/5,-pi/7) 0");
}

TEST(Optimise, CancelsGatesWithExtraControls) {
  // ctrl @ cx c1, c0, t is ccx; its controls are interchangeable with ccx's own.
  EXPECT_EQ(optimised({gate("cx", {0, 1, 2}, {}, 1), gate("ccx", {1, 0, 2})}), "");
  EXPECT_EQ(optimised({gate("x", {3, 1, 0, 2}, {}, 3), gate("x", {0, 1, 3, 2}, {}, 3)}), "");
  EXPECT_EQ(optimised({gate("s", {0, 1}, {}, 1), gate("sdg", {0, 1}, {}, 1)}), "");
  EXPECT_EQ(optimised({gate("z", {0, 1}, {}, 1), gate("cz", {1, 0})}), "");
  // Different control sets do not cancel.
  EXPECT_EQ(optimised({gate("x", {0, 1, 2}, {}, 2), gate("x", {0, 3, 2}, {}, 2)}), "x[c2] 0,1,2; x[c2] 0,3,2");
  EXPECT_EQ(optimised({gate("s", {0, 1}, {}, 1), gate("sdg", {1, 0}, {}, 1)}), "s[c1] 0,1; sdg[c1] 1,0");
}

TEST(Optimise, CancellationCascades) {
  EXPECT_EQ(
      optimised({gate("h", {0}), gate("s", {0}), gate("x", {0}), gate("x", {0}), gate("sdg", {0}), gate("h", {0})}),
      "");
  EXPECT_EQ(optimised({gate("cx", {0, 1}), gate("h", {1}), gate("h", {1}), gate("cx", {0, 1}), gate("t", {2})}), "t 2");
}

// ---- (b) merging rotations ------------------------------------------------------------------

TEST(Optimise, MergedAnglesAreExact) {
  Program out = optimise(program(2, {gate("rz", {0}, {pi(1, 4)}), gate("rz", {0}, {pi(1, 4)})}));
  ASSERT_EQ(out.ops.size(), 1u);
  const auto& g = std::get<GateOp>(out.ops[0].v);
  EXPECT_EQ(g.name, "rz");
  ASSERT_EQ(g.params.size(), 1u);
  EXPECT_EQ(g.params[0], pi(1, 2));
  EXPECT_TRUE(g.params[0].is_exact());
  EXPECT_TRUE(out.global_phase.is_zero());
}

TEST(Optimise, MergesEachRotationFamily) {
  EXPECT_EQ(optimised({gate("rx", {0}, {pi(1, 8)}), gate("rx", {0}, {pi(1, 4)})}), "rx(3*pi/8) 0");
  EXPECT_EQ(optimised({gate("ry", {1}, {pi(1, 3)}), gate("ry", {1}, {pi(1, 6)})}), "ry(pi/2) 1");
  EXPECT_EQ(optimised({gate("p", {1}, {pi(1, 3)}), gate("p", {1}, {pi(1, 6)})}), "p(pi/2) 1");
  EXPECT_EQ(optimised({gate("cp", {0, 1}, {pi(1, 4)}), gate("cp", {1, 0}, {pi(1, 4)})}), "cp(pi/2) 0,1");
  EXPECT_EQ(optimised({gate("crz", {0, 1}, {pi(1, 4)}), gate("crz", {0, 1}, {pi(1, 8)})}), "crz(3*pi/8) 0,1");
  EXPECT_EQ(optimised({gate("crx", {0, 1}, {pi(1, 4)}), gate("crx", {0, 1}, {pi(1, 8)})}), "crx(3*pi/8) 0,1");
  EXPECT_EQ(optimised({gate("rzz", {0, 1}, {pi(1, 4)}), gate("rzz", {1, 0}, {pi(1, 4)})}), "rzz(pi/2) 0,1");
  EXPECT_EQ(optimised({gate("rxx", {2, 3}, {pi(1, 4)}), gate("rxx", {3, 2}, {pi(1, 2)})}), "rxx(3*pi/4) 2,3");
  EXPECT_EQ(optimised({gate("rz", {0}, {pi(1, 4)}), gate("rz", {0}, {pi(1, 4)}), gate("rz", {0}, {pi(1, 4)})}),
            "rz(3*pi/4) 0");
  // crz is not symmetric: reversed qubits do not merge; different axes do not merge.
  EXPECT_EQ(optimised({gate("crz", {0, 1}, {pi(1, 4)}), gate("crz", {1, 0}, {pi(1, 4)})}),
            "crz(pi/4) 0,1; crz(pi/4) 1,0");
  EXPECT_EQ(optimised({gate("rz", {0}, {pi(1, 4)}), gate("rx", {0}, {pi(1, 4)})}), "rz(pi/4) 0; rx(pi/4) 0");
  EXPECT_EQ(optimised({gate("rz", {0}, {pi(1, 4)}), gate("p", {0}, {pi(1, 4)})}), "rz(pi/4) 0; p(pi/4) 0");
}

TEST(Optimise, MergedAnglesAreReducedByWholePeriods) {
  EXPECT_EQ(optimised({gate("p", {0}, {pi(3, 4)}), gate("p", {0}, {pi(3, 4)})}), "p(-pi/2) 0");
  EXPECT_EQ(optimised({gate("cp", {0, 1}, {pi(3, 4)}), gate("cp", {0, 1}, {pi(3, 4)})}), "cp(-pi/2) 0,1");
  // rz(3π) = −rz(π): at top level the sign goes into the global phase, as `normalise` does.
  Program out = optimise(program(2, {gate("rz", {0}, {pi(3, 2)}), gate("rz", {0}, {pi(3, 2)})}));
  EXPECT_EQ(describe(out.ops), "rz(pi) 0");
  EXPECT_EQ(out.global_phase, pi(1));
  out = optimise(program(2, {gate("rx", {0}, {pi(3, 4)}), gate("rx", {0}, {pi(3, 4)})}));
  EXPECT_EQ(describe(out.ops), "rx(-pi/2) 0");
  EXPECT_EQ(out.global_phase, pi(1));
  // Controlled, or inside control flow, the period is 4π and no phase moves.
  out = optimise(program(2, {gate("crz", {0, 1}, {pi(3, 2)}), gate("crz", {0, 1}, {pi(3, 2)}),
                             if_op(0, {gate("rz", {0}, {pi(3, 2)}), gate("rz", {0}, {pi(3, 2)})})}));
  // Inside the branch the uncontrolled rotation is kept within one 2π turn as `normalise`
  // keeps it (the sign flip is a phase of the branch, which is unobservable).
  EXPECT_EQ(describe(out.ops), "crz(-pi) 0,1; if{rz(pi) 0}{}");
  EXPECT_TRUE(out.global_phase.is_zero());
}

TEST(Optimise, IdentityResultsAreDropped) {
  EXPECT_EQ(optimised({gate("rz", {0}, {pi(1, 3)}), gate("rz", {0}, {pi(-1, 3)})}), "");
  EXPECT_EQ(optimised({gate("p", {0}, {pi(1)}), gate("p", {0}, {pi(1)})}), "");            // p(2π) = I
  EXPECT_EQ(optimised({gate("cp", {0, 1}, {pi(1)}), gate("cp", {0, 1}, {pi(1)})}), "");    // cp(2π) = I
  EXPECT_EQ(optimised({gate("rx", {0}, {pi(3)}), gate("rx", {0}, {pi(1)})}), "");          // rx(4π) = I
  EXPECT_EQ(optimised({gate("crz", {0, 1}, {pi(3)}), gate("crz", {0, 1}, {pi(1)})}), "");  // crz(4π) = I
  EXPECT_EQ(optimised({gate("rz", {0}, {Angle::from_double(0.3)}), gate("rz", {0}, {Angle::from_double(-0.3)})}), "");
  EXPECT_EQ(optimised({gate("rz", {0}, {Angle::zero()}), gate("h", {1})}), "h 1");
  EXPECT_EQ(optimised({gate("U", {0}, {Angle::zero(), pi(1, 3), pi(-1, 3)})}), "");
}

TEST(Optimise, MinusIdentityRotationBecomesGlobalPhaseOnlyWhenUncontrolledAtTopLevel) {
  Program out = optimise(program(2, {gate("rz", {0}, {pi(1)}), gate("rz", {0}, {pi(1)})}));
  EXPECT_EQ(describe(out.ops), "");
  EXPECT_EQ(out.global_phase, pi(1));

  out = optimise(program(2, {gate("rzz", {0, 1}, {pi(1)}), gate("rzz", {1, 0}, {pi(1)})}));
  EXPECT_EQ(describe(out.ops), "");
  EXPECT_EQ(out.global_phase, pi(1));

  // Two such drops give 2π, which is reduced back to 0; a prior phase of π/2 is kept exact.
  Program in = program(
      2, {gate("ry", {0}, {pi(1)}), gate("ry", {0}, {pi(1)}), gate("rx", {1}, {pi(1)}), gate("rx", {1}, {pi(1)})});
  in.global_phase = pi(1, 2);
  out = optimise(in);
  EXPECT_EQ(describe(out.ops), "");
  EXPECT_EQ(out.global_phase, pi(1, 2));

  // crz(2π) is Z on the control, not a phase: it stays.
  out = optimise(program(2, {gate("crz", {0, 1}, {pi(1)}), gate("crz", {0, 1}, {pi(1)})}));
  EXPECT_EQ(describe(out.ops), "crz(2*pi) 0,1");
  EXPECT_TRUE(out.global_phase.is_zero());

  // Inside control flow the sign is a phase of the branch alone, which no measurement sees.
  out = optimise(program(2, {if_op(0, {gate("rz", {0}, {pi(1)}), gate("rz", {0}, {pi(1)})})}));
  EXPECT_EQ(describe(out.ops), "if{}{}");  // rz(2π) = −I in a branch: an unobservable phase
  EXPECT_TRUE(out.global_phase.is_zero());
}

// ---- (c) commutation ------------------------------------------------------------------------

TEST(Optimise, DiagonalGatesCommuteThroughControls) {
  EXPECT_EQ(optimised({gate("rz", {0}, {pi(1, 4)}), gate("cx", {0, 1}), gate("rz", {0}, {pi(1, 4)})}),
            "rz(pi/2) 0; cx 0,1");
  EXPECT_EQ(optimised({gate("t", {0}), gate("cx", {0, 1}), gate("tdg", {0})}), "cx 0,1");
  EXPECT_EQ(optimised({gate("s", {0}), gate("ch", {0, 1}), gate("crx", {0, 2}, {pi(1, 3)}), gate("sdg", {0})}),
            "ch 0,1; crx(pi/3) 0,2");
  EXPECT_EQ(optimised({gate("z", {1}), gate("cz", {0, 1}), gate("cp", {1, 2}, {pi(1, 5)}), gate("z", {1})}),
            "cz 0,1; cp(pi/5) 1,2");
  EXPECT_EQ(optimised({gate("p", {1}, {pi(1, 8)}), gate("crz", {0, 1}, {pi(1, 3)}), gate("p", {1}, {pi(1, 8)})}),
            "p(pi/4) 1; crz(pi/3) 0,1");
  EXPECT_EQ(optimised({gate("rz", {1}, {pi(1, 8)}), gate("rzz", {0, 1}, {pi(1, 3)}), gate("rz", {1}, {pi(-1, 8)})}),
            "rzz(pi/3) 0,1");
  // Through the extra controls of a gate with `controls`.
  EXPECT_EQ(optimised({gate("t", {0}), gate("h", {0, 1}, {}, 1), gate("tdg", {0})}), "h[c1] 0,1");
  // cu's target is diagonal only when θ = 0 (with γ = 0 cu is ctrl @ U); U(0,φ,λ) is diagonal.
  EXPECT_EQ(
      optimised({gate("t", {1}), gate("cu", {0, 1}, {Angle::zero(), pi(1, 3), pi(1, 5), pi(1, 7)}), gate("tdg", {1})}),
      "cu(0,pi/3,pi/5,pi/7) 0,1");
  EXPECT_EQ(optimised({gate("t", {1}), gate("cu", {0, 1}, {Angle::zero(), pi(1, 3), pi(1, 5), Angle::zero()}),
                       gate("tdg", {1})}),
            "cu(0,pi/3,pi/5,0) 0,1");
  EXPECT_EQ(optimised({gate("t", {1}), gate("U", {1}, {Angle::zero(), pi(1, 3), pi(1, 5)}), gate("tdg", {1})}),
            "U(0,pi/3,pi/5) 1");
  // Two cx sharing a control, or sharing a target, commute.
  EXPECT_EQ(optimised({gate("cx", {0, 1}), gate("cx", {0, 2}), gate("cx", {0, 1})}), "cx 0,2");
  EXPECT_EQ(optimised({gate("cx", {0, 2}), gate("cx", {1, 2}), gate("cx", {0, 2})}), "cx 1,2");
}

TEST(Optimise, XAxisGatesCommuteThroughTargets) {
  EXPECT_EQ(optimised({gate("x", {1}), gate("cx", {0, 1}), gate("x", {1})}), "cx 0,1");
  EXPECT_EQ(optimised({gate("rx", {1}, {pi(1, 4)}), gate("cx", {0, 1}), gate("rx", {1}, {pi(1, 4)})}),
            "rx(pi/2) 1; cx 0,1");
  EXPECT_EQ(optimised({gate("sx", {2}), gate("ccx", {0, 1, 2}), gate("sxdg", {2})}), "ccx 0,1,2");
  EXPECT_EQ(optimised({gate("x", {0}), gate("rxx", {0, 1}, {pi(1, 3)}), gate("x", {0})}), "rxx(pi/3) 0,1");
  EXPECT_EQ(optimised({gate("ry", {1}, {pi(1, 4)}), gate("cy", {0, 1}), gate("ry", {1}, {pi(-1, 4)})}), "cy 0,1");
}

TEST(Optimise, NonCommutingGatesBlock) {
  EXPECT_EQ(optimised({gate("h", {0}), gate("cx", {0, 1}), gate("h", {0})}), "h 0; cx 0,1; h 0");
  EXPECT_EQ(optimised({gate("x", {0}), gate("cx", {0, 1}), gate("x", {0})}), "x 0; cx 0,1; x 0");
  EXPECT_EQ(optimised({gate("rz", {1}, {pi(1, 4)}), gate("cx", {0, 1}), gate("rz", {1}, {pi(1, 4)})}),
            "rz(pi/4) 1; cx 0,1; rz(pi/4) 1");
  EXPECT_EQ(optimised({gate("t", {0}), gate("h", {0}), gate("tdg", {0})}), "t 0; h 0; tdg 0");
  EXPECT_EQ(optimised({gate("x", {1}), gate("cz", {0, 1}), gate("x", {1})}), "x 1; cz 0,1; x 1");
  EXPECT_EQ(optimised({gate("ry", {1}, {pi(1, 4)}), gate("cx", {0, 1}), gate("ry", {1}, {pi(1, 4)})}),
            "ry(pi/4) 1; cx 0,1; ry(pi/4) 1");
  EXPECT_EQ(optimised({gate("s", {1}), gate("swap", {0, 1}), gate("sdg", {1})}), "s 1; swap 0,1; sdg 1");
  EXPECT_EQ(optimised({gate("cx", {0, 1}), gate("cx", {1, 2}), gate("cx", {0, 1})}), "cx 0,1; cx 1,2; cx 0,1");
  EXPECT_EQ(optimised({gate("t", {1}), gate("cu", {0, 1}, {pi(1, 2), Angle::zero(), Angle::zero(), pi(1, 4)}),
                       gate("tdg", {1})}),
            "t 1; cu(pi/2,0,0,pi/4) 0,1; tdg 1");
  EXPECT_EQ(optimised({gate("t", {1}), gate("cu", {0, 1}, {pi(1, 2), Angle::zero(), Angle::zero(), Angle::zero()}),
                       gate("tdg", {1})}),
            "t 1; cu(pi/2,0,0,0) 0,1; tdg 1");
  EXPECT_EQ(optimised({gate("t", {1}), gate("U", {1}, {pi(1, 2), Angle::zero(), Angle::zero()}), gate("tdg", {1})}),
            "t 1; U(pi/2,0,0) 1; tdg 1");
  // A cx whose target is the rz's qubit stops the walk even though an earlier cx would commute.
  EXPECT_EQ(
      optimised({gate("rz", {0}, {pi(1, 4)}), gate("cx", {0, 2}), gate("cx", {1, 0}), gate("rz", {0}, {pi(1, 4)})}),
      "rz(pi/4) 0; cx 0,2; cx 1,0; rz(pi/4) 0");
}

// ---- blocking ops and control flow ----------------------------------------------------------

TEST(Optimise, NonGateOpsOnTheQubitBlock) {
  EXPECT_EQ(optimised({gate("h", {0}), measure(0, 0), gate("h", {0})}), "h 0; measure 0; h 0");
  EXPECT_EQ(optimised({gate("x", {0}), Op(ir::ResetOp{0}), gate("x", {0})}), "x 0; reset; x 0");
  EXPECT_EQ(optimised({gate("rz", {0}, {pi(1, 4)}), Op(ir::BarrierOp{{0, 1}}), gate("rz", {0}, {pi(1, 4)})}),
            "rz(pi/4) 0; barrier; rz(pi/4) 0");
  EXPECT_EQ(optimised({gate("cz", {0, 1}), Op(ir::BarrierOp{{1}}), gate("cz", {0, 1})}), "cz 0,1; barrier; cz 0,1");
  EXPECT_EQ(optimised({gate("h", {0}), Op(ir::DelayOp{100, "ns", {0}}), gate("h", {0})}), "h 0; delay; h 0");
  // A barrier with no qubits covers every qubit.
  EXPECT_EQ(optimised({gate("h", {0}), Op(ir::BarrierOp{{}}), gate("h", {0})}), "h 0; barrier; h 0");
}

TEST(Optimise, OpsOnOtherQubitsDoNotBlock) {
  EXPECT_EQ(optimised({gate("h", {0}), measure(1, 0), Op(ir::BarrierOp{{1, 2}}), gate("h", {0})}),
            "measure 1; barrier");
  EXPECT_EQ(optimised({gate("x", {0}), Op(ir::GlobalPhaseOp{pi(1, 2)}), gate("x", {0})}), "gphase(pi/2)");
  EXPECT_EQ(optimised({gate("h", {0}), if_op(0, {gate("x", {1})}), gate("h", {0})}), "if{x 1}{}");
}

TEST(Optimise, ControlFlowBlocksAndBodiesAreOptimisedSeparately) {
  EXPECT_EQ(optimised({gate("h", {0}), if_op(0, {gate("x", {0})}), gate("h", {0})}), "h 0; if{x 0}{}; h 0");
  EXPECT_EQ(optimised({gate("h", {0}), if_op(0, {}, {gate("z", {0})}), gate("h", {0})}), "h 0; if{}{z 0}; h 0");
  EXPECT_EQ(optimised({gate("h", {0}), while_op(0, {gate("x", {0})}), gate("h", {0})}), "h 0; while{x 0}; h 0");
  // Never across a block boundary.
  EXPECT_EQ(optimised({gate("h", {0}), if_op(0, {gate("h", {0})})}), "h 0; if{h 0}{}");
  EXPECT_EQ(optimised({if_op(0, {gate("h", {0})}), gate("h", {0})}), "if{h 0}{}; h 0");
  // Bodies are optimised.
  EXPECT_EQ(optimised({if_op(0, {gate("h", {0}), gate("h", {0}), gate("x", {1})},
                             {gate("rz", {2}, {pi(1, 4)}), gate("cx", {2, 3}), gate("rz", {2}, {pi(1, 4)})})}),
            "if{x 1}{rz(pi/2) 2; cx 2,3}");
  EXPECT_EQ(optimised({while_op(0, {gate("t", {0}), if_op(1, {gate("s", {1}), gate("sdg", {1})}), gate("tdg", {0})})}),
            "while{if{}{}}");
}

TEST(Optimise, BreakAndContinueBlockEveryQubit) {
  EXPECT_EQ(optimised({while_op(0, {gate("h", {0}), Op(ir::BreakOp{}), gate("h", {0})})}), "while{h 0; break; h 0}");
  EXPECT_EQ(optimised({while_op(0, {gate("h", {0}), if_op(1, {Op(ir::ContinueOp{})}), gate("h", {0})})}),
            "while{h 0; if{continue}{}; h 0}");
  // A break inside a nested loop belongs to that loop and does not escape it.
  EXPECT_EQ(optimised({while_op(0, {gate("h", {0}), while_op(1, {Op(ir::BreakOp{})}), gate("h", {0})})}),
            "while{while{break}}");
}

// ---- determinism and gate set ---------------------------------------------------------------

struct RandomCircuit {
  std::mt19937_64 rng;
  explicit RandomCircuit(std::uint64_t seed) : rng(seed) {}
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(rng() % n); }

  /// A random gate-only program over `alphabet` (names with 0 or 1 parameter, 1 or 2 qubits).
  Program make(int qubits, std::size_t length, const std::vector<std::string>& alphabet) {
    static const std::vector<Angle> angles = {pi(1, 4),
                                              pi(-1, 4),
                                              pi(1, 2),
                                              pi(1),
                                              pi(-1, 2),
                                              pi(3, 4),
                                              Angle::from_double(0.375),
                                              Angle::from_double(-0.375)};
    OpList ops;
    for (std::size_t k = 0; k < length; ++k) {
      const std::string& name = alphabet[below(alphabet.size())];
      const ir::GateSpec* spec = ir::find_gate(name);
      std::vector<Angle> params;
      for (int p = 0; p < spec->num_params; ++p) params.push_back(angles[below(angles.size())]);
      auto a = static_cast<int>(below(static_cast<std::size_t>(qubits)));
      std::vector<int> q = {a};
      if (spec->num_qubits == 2) {
        auto b = static_cast<int>(below(static_cast<std::size_t>(qubits - 1)));
        q.push_back(b >= a ? b + 1 : b);
      }
      ops.push_back(gate(name, q, params));
    }
    return program(qubits, std::move(ops));
  }
};

std::size_t gate_count(const OpList& ops) {
  std::size_t n = 0;
  ir::for_each_op(ops, [&](const Op& op) { n += std::holds_alternative<GateOp>(op.v) ? 1 : 0; });
  return n;
}

std::set<std::string> gate_names(const Program& p) {
  std::set<std::string> names;
  ir::for_each_op(p.ops, [&](const Op& op) {
    if (const auto* g = std::get_if<GateOp>(&op.v)) names.insert(g->name);
  });
  return names;
}

TEST(Optimise, IsDeterministicAndIdempotent) {
  RandomCircuit gen(7);
  for (int trial = 0; trial < 50; ++trial) {
    Program in = gen.make(4, 40, {"h", "x", "s", "sdg", "t", "tdg", "rz", "cx", "cz", "rx", "cp", "rzz"});
    in.ops.push_back(if_op(0, in.ops));
    const std::string first = ir::serialise_json(optimise(in));
    EXPECT_EQ(first, ir::serialise_json(optimise(in)));
    EXPECT_EQ(first, ir::serialise_json(optimise(optimise(in))));
  }
}

TEST(Optimise, PreservesTheGateSet) {
  RandomCircuit gen(11);
  for (int trial = 0; trial < 100; ++trial) {
    Program in = gen.make(3, 30, {"rz", "sx", "x", "cz"});
    std::set<std::string> before = gate_names(in);
    std::set<std::string> after = gate_names(optimise(in));
    for (const auto& name : after) EXPECT_TRUE(before.count(name)) << name;
  }
  // A native circuit that happens not to use x keeps not using it.
  Program in = program(2, {gate("sx", {0}), gate("sx", {0}), gate("rz", {0}, {pi(1, 2)}), gate("cz", {0, 1})});
  EXPECT_EQ(gate_names(optimise(in)), (std::set<std::string>{"sx", "rz", "cz"}));
}

// ---- equivalence against a small simulator --------------------------------------------------

using C = std::complex<double>;
using Matrix4 = std::array<C, 16>;  // row-major over (bit of first target, bit of second target)

/// Applies `m` (2x2) to qubit `t` of every column of `u`, only where all `controls` are 1.
void apply1(std::vector<C>& u, int n, const std::vector<int>& controls, int t, const ir::Matrix2& m) {
  const std::size_t dim = std::size_t{1} << n;
  std::size_t cmask = 0;
  for (int c : controls) cmask |= std::size_t{1} << c;
  const std::size_t tbit = std::size_t{1} << t;
  for (std::size_t col = 0; col < dim; ++col)
    for (std::size_t row = 0; row < dim; ++row) {
      if ((row & tbit) || (row & cmask) != cmask) continue;
      C& a0 = u[col * dim + row];
      C& a1 = u[col * dim + (row | tbit)];
      const C b0 = m[0] * a0 + m[1] * a1;
      const C b1 = m[2] * a0 + m[3] * a1;
      a0 = b0;
      a1 = b1;
    }
}

void apply2(std::vector<C>& u, int n, const std::vector<int>& controls, int t0, int t1, const Matrix4& m) {
  const std::size_t dim = std::size_t{1} << n;
  std::size_t cmask = 0;
  for (int c : controls) cmask |= std::size_t{1} << c;
  const std::size_t b0 = std::size_t{1} << t0;
  const std::size_t b1 = std::size_t{1} << t1;
  for (std::size_t col = 0; col < dim; ++col)
    for (std::size_t row = 0; row < dim; ++row) {
      if ((row & b0) || (row & b1) || (row & cmask) != cmask) continue;
      const std::size_t idx[4] = {row, row | b1, row | b0, row | b0 | b1};
      C in[4];
      for (int k = 0; k < 4; ++k) in[k] = u[col * dim + idx[k]];
      for (int r = 0; r < 4; ++r) {
        C s = 0;
        for (int k = 0; k < 4; ++k) s += m[static_cast<std::size_t>(r * 4 + k)] * in[k];
        u[col * dim + idx[r]] = s;
      }
    }
}

/// Applies a list of gates (and, for `if`, the branch chosen by `take_branches`) to `u`. Named
/// controlled gates are split by a table written here, not by the IR's unfold_controls.
void apply_ops(std::vector<C>& u, int n, const OpList& ops, bool take_branches) {
  struct Controlled {
    const char* name;
    const char* base;
    int controls;
  };
  static const Controlled table[] = {{"cx", "x", 1},   {"ccx", "x", 2},     {"cy", "y", 1},   {"cz", "z", 1},
                                     {"ch", "h", 1},   {"cp", "p", 1},      {"crx", "rx", 1}, {"cry", "ry", 1},
                                     {"crz", "rz", 1}, {"cswap", "swap", 1}};
  for (const Op& op : ops) {
    if (const auto* branch = std::get_if<ir::IfOp>(&op.v)) {
      apply_ops(u, n, take_branches ? branch->then_ops : branch->else_ops, take_branches);
      continue;
    }
    if (const auto* ph = std::get_if<ir::GlobalPhaseOp>(&op.v)) {
      for (auto& x : u) x *= std::polar(1.0, ph->phase.radians());
      continue;
    }
    const auto* g = std::get_if<GateOp>(&op.v);
    if (!g) {
      ADD_FAILURE() << "simulator: unexpected op";
      continue;
    }
    std::string base = g->name;
    int controls = g->controls;
    for (const auto& t : table)
      if (base == t.name) {
        base = t.base;
        controls += t.controls;
      }
    std::vector<int> cs(g->qubits.begin(), g->qubits.begin() + controls);
    const auto targets = g->qubits.size() - static_cast<std::size_t>(controls);
    const int t0 = g->qubits[static_cast<std::size_t>(controls)];
    if (targets == 1) {
      apply1(u, n, cs, t0, ir::single_qubit_matrix(base, g->params));
      continue;
    }
    const int t1 = g->qubits[static_cast<std::size_t>(controls) + 1];
    Matrix4 m{};
    if (base == "swap") {
      m[0] = m[6] = m[9] = m[15] = 1;
    } else if (base == "rzz") {
      const double h = g->params[0].radians() / 2;
      m[0] = m[15] = std::polar(1.0, -h);
      m[5] = m[10] = std::polar(1.0, h);
    } else if (base == "rxx") {
      const double h = g->params[0].radians() / 2;
      for (int d = 0; d < 4; ++d) m[static_cast<std::size_t>(d * 5)] = std::cos(h);
      for (int d = 0; d < 4; ++d) m[static_cast<std::size_t>(d * 4 + (3 - d))] = C(0, -std::sin(h));
    } else {
      ADD_FAILURE() << "simulator: unsupported gate " << g->name;
    }
    apply2(u, n, cs, t0, t1, m);
  }
}

/// Dense unitary (column-major) of a program of gates and ifs, including its global phase;
/// every `if` takes its then-branch when `take_branches`, else its else-branch.
std::vector<C> unitary(const Program& p, bool take_branches = true) {
  const std::size_t dim = std::size_t{1} << p.num_qubits;
  std::vector<C> u(dim * dim);
  for (std::size_t i = 0; i < dim; ++i) u[i * dim + i] = std::polar(1.0, p.global_phase.radians());
  apply_ops(u, p.num_qubits, p.ops, take_branches);
  return u;
}

double distance(const std::vector<C>& a, const std::vector<C>& b) {
  double d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
  return d;
}

/// Max elementwise distance after aligning b's global phase to a's.
double distance_up_to_phase(const std::vector<C>& a, const std::vector<C>& b) {
  std::size_t k = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::abs(a[i]) > std::abs(a[k])) k = i;
  const C phase = a[k] / b[k];
  double d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - phase * b[i]));
  return d;
}

TEST(Optimise, SimulatorSelfCheck) {
  // The simulator must see a difference between circuits that differ, or the random test is
  // vacuous: cx 0,1 vs cx 1,0, and h vs h·z.
  Program a = program(2, {gate("cx", {0, 1})});
  Program b = program(2, {gate("cx", {1, 0})});
  EXPECT_GT(distance_up_to_phase(unitary(a), unitary(b)), 0.5);
  Program c = program(2, {gate("rz", {0}, {pi(1)}), gate("rz", {0}, {pi(1)})});
  Program d = program(2, {});
  EXPECT_LT(distance_up_to_phase(unitary(c), unitary(d)), 1e-12);
  EXPECT_GT(distance(unitary(c), unitary(d)), 1.5);  // rz(2π) = −I
  Program e = program(3, {gate("ccx", {0, 1, 2})});
  Program f = program(3, {gate("x", {1, 0, 2}, {}, 2)});
  EXPECT_LT(distance(unitary(e), unitary(f)), 1e-12);
}

void check_random_equivalence(std::uint64_t seed, const std::vector<std::string>& alphabet, const char* label) {
  RandomCircuit gen(seed);
  std::size_t before = 0;
  std::size_t after = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const int qubits = 3 + static_cast<int>(gen.below(2));
    const std::size_t length = 5 + gen.below(40);
    Program in = gen.make(qubits, length, alphabet);
    Program out = optimise(in);
    const std::size_t n_in = gate_count(in.ops);
    const std::size_t n_out = gate_count(out.ops);
    EXPECT_LE(n_out, n_in) << "trial " << trial;
    before += n_in;
    after += n_out;
    const auto u_in = unitary(in);
    const auto u_out = unitary(out);
    EXPECT_LT(distance_up_to_phase(u_in, u_out), 1e-9)
        << "trial " << trial << ": " << describe(in.ops) << "\n -> " << describe(out.ops);
    // The pass tracks the phase it removes exactly, so even the global phase must agree.
    EXPECT_LT(distance(u_in, u_out), 1e-9) << "trial " << trial;
  }
  EXPECT_LT(after, before);
  std::cout << "[ optimise ] " << label << ": " << before << " gates -> " << after << " ("
            << 100.0 * static_cast<double>(before - after) / static_cast<double>(before) << "% removed)\n";
}

TEST(Optimise, RandomCliffordTCircuitsKeepTheirUnitary) {
  check_random_equivalence(2024, {"h", "x", "s", "sdg", "t", "tdg", "rz", "cx", "cz"}, "h,x,s,sdg,t,tdg,rz,cx,cz");
}

TEST(Optimise, RandomRotationCircuitsKeepTheirUnitary) {
  check_random_equivalence(
      99, {"rz", "rx", "ry", "p", "sx", "sxdg", "y", "cx", "cy", "cp", "crz", "crx", "rzz", "rxx", "swap"},
      "rotations and controlled rotations");
}

TEST(Optimise, RandomCircuitsWithBranchesKeepEachBranchsUnitary) {
  // gates; if (c) { gates } else { gates }; gates — optimising must preserve the unitary of
  // both paths, so nothing may move into, out of or across the if when it shares a qubit.
  RandomCircuit gen(31);
  const std::vector<std::string> alphabet = {"h", "x", "s", "sdg", "t", "tdg", "rz", "cx", "cz", "rx"};
  std::size_t before = 0;
  std::size_t after = 0;
  for (int trial = 0; trial < 200; ++trial) {
    const int qubits = 3;
    Program in = gen.make(qubits, 4 + gen.below(12), alphabet);
    Program then_part = gen.make(qubits, gen.below(8), alphabet);
    Program else_part = gen.make(qubits, gen.below(8), alphabet);
    Program tail = gen.make(qubits, 4 + gen.below(12), alphabet);
    in.ops.push_back(if_op(0, then_part.ops, else_part.ops));
    in.ops.insert(in.ops.end(), tail.ops.begin(), tail.ops.end());
    Program out = optimise(in);
    before += gate_count(in.ops);
    after += gate_count(out.ops);
    // A phase inside a classically controlled branch is unobservable, and (as `normalise` does)
    // optimise drops it, so each path is compared up to its global phase.
    for (bool taken : {true, false})
      EXPECT_LT(distance_up_to_phase(unitary(in, taken), unitary(out, taken)), 1e-9)
          << "trial " << trial << " taken " << taken << ": " << describe(in.ops) << "\n -> " << describe(out.ops);
  }
  EXPECT_LT(after, before);
}

TEST(Optimise, RandomNativeCircuitsKeepTheirUnitary) {
  check_random_equivalence(5, {"rz", "sx", "x", "cz"}, "rz,sx,x,cz");
}

TEST(OptimiseWithoutDevice, ResultIsInNormalForm) {
  // p(π/4)·p(π/4) merges to p(π/2), which normal form spells s; normalising again changes nothing.
  Program in = program(1, {gate("p", {0}, {pi(1, 4)}), gate("p", {0}, {pi(1, 4)})});
  Program out = run_optimise(in, PassContext{});
  EXPECT_EQ(describe(out.ops), "s 0");
  EXPECT_EQ(ir::serialise_json(run_normalise(out, PassContext{})), ir::serialise_json(out));
}

}  // namespace
}  // namespace qontos::passes
