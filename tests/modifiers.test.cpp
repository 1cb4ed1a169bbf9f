// Gate modifiers and definitions, checked against the independent evaluator: the evaluator
// reads the parse stage (definitions and modifiers as written) itself, so every later stage must
// have the same unitary. Phases matter: ctrl turns a definition's global phase into a relative
// one, so these compare exactly where no pass may drop a phase.
#include <gtest/gtest.h>

#include "device/descriptor.h"
#include "passes/pipeline.h"
#include "support/dense_unitary.h"

namespace qontos {
namespace {

struct Case {
  const char* name;
  const char* body;
};

const Case kCases[] = {
    {"pow_half_of_phase_beyond_pi", "qubit q; h q; pow(0.5) @ p(3*pi/2) q;"},
    {"pow_half_of_p_minus_pi", "qubit q; h q; pow(0.5) @ p(-pi) q;"},
    {"pow_half_of_rz_three_pi", "qubit[2] q; h q; ctrl @ pow(0.5) @ rz(3*pi) q[0], q[1];"},
    {"pow_half_of_rx_three_pi", "qubit[2] q; h q; ctrl @ pow(0.5) @ rx(3*pi) q[0], q[1];"},
    {"pow_half_of_definition_with_phase", "gate g a { gphase(pi); x a; } qubit[2] q; h q; ctrl @ pow(0.5) @ g q[0], q[1];"},
    {"pow_third_of_y", "qubit[2] q; h q; ctrl @ pow(1/3) @ y q[0], q[1];"},
    {"pow_negative_fraction_of_sx", "qubit[2] q; h q; ctrl @ pow(-0.25) @ sx q[0], q[1];"},
    {"integer_powers", "gate g(t) a, b { cx a, b; rz(t) b; } qubit[3] q; h q; pow(3) @ g(0.3) q[0], q[1]; pow(-2) @ g(pi/5) q[1], q[2];"},
    {"negctrl_and_inv", "gate g(t) a, b { h a; crx(t) a, b; s b; } qubit[3] q; h q[0]; negctrl @ inv @ g(0.7) q[0], q[1], q[2];"},
    {"ctrl_of_gphase_definition", "gate ph a { gphase(pi/3); } qubit[2] q; h q; ctrl @ ph q[0], q[1];"},
    {"three_controls_on_u", "qubit[4] q; h q; ctrl(3) @ U(0.3, 0.2, 0.1) q[0], q[1], q[2], q[3];"},
    {"nested_definitions", "gate a1(t) x { rz(t) x; sx x; } gate a2(t) x, y { ctrl @ a1(2*t) x, y; inv @ a1(t) y; } qubit[3] q; h q; ctrl @ a2(0.4) q[2], q[0], q[1];"},
};

class Modifiers : public ::testing::TestWithParam<Case> {};

TEST_P(Modifiers, EveryStageKeepsTheUnitary) {
  const device::Descriptor dev = device::load_descriptor("superconducting-grid-16", QONTOS_DEVICES_DIR);
  passes::PassContext ctx;
  ctx.device = &dev;
  std::string src = std::string("OPENQASM 3.0;\ninclude \"stdgates.inc\";\n") + GetParam().body + "\n";
  auto stages = passes::compile_source(src, "case.qasm", "schedule", ctx);
  const auto reference = testing::unitary_of(stages.front().program);
  for (const auto& s : stages) {
    if (s.pass == "layout" || s.pass == "route" || s.pass == "schedule") {
      EXPECT_TRUE(testing::equivalent_after_layout(stages.front().program, s.program, 1e-8)) << s.pass;
    } else {
      // Global phase is kept exactly by every pass before layout, so compare exactly.
      EXPECT_TRUE(testing::equal_exactly(reference, testing::unitary_of(s.program), 1e-8)) << s.pass;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, Modifiers, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace qontos
