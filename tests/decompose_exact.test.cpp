// Every canonical gate, with up to three extra controls, decomposed into each basis the
// devices use, has exactly the same unitary as before, global phase included (decompose moves
// uncontrolled phases into program.global_phase). The reference is the independent evaluator.
#include <gtest/gtest.h>

#include <random>

#include "ir/gate_set.h"
#include "passes/decompose.h"
#include "passes/pass.h"
#include "support/dense_unitary.h"

namespace qontos {
namespace {

ir::Program one_gate(const std::string& name, const std::vector<ir::Angle>& params, int controls) {
  const ir::GateSpec* g = ir::find_gate(name);
  ir::Program p;
  p.num_qubits = g->num_qubits + controls;
  ir::GateOp op;
  op.name = name;
  op.params = params;
  op.controls = controls;
  // Qubits in a scrambled order so that argument order mistakes show.
  for (int q = p.num_qubits - 1; q >= 0; --q) op.qubits.push_back(q);
  p.ops.push_back(ir::Op(std::move(op)));
  return p;
}

std::vector<std::vector<ir::Angle>> parameter_sets(int n) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> d(-7.0, 7.0);
  std::vector<std::vector<ir::Angle>> sets;
  std::vector<ir::Angle> exact, random_set, special;
  const std::int64_t nums[] = {1, -3, 5, 2};
  for (int i = 0; i < n; ++i) {
    exact.push_back(ir::Angle::pi_times(*ir::Rational::make(nums[i % 4], 4)));
    random_set.push_back(ir::Angle::from_double(d(rng)));
    special.push_back(i == 0 ? ir::Angle::pi_times({1, 1}) : ir::Angle::pi_times({1, 2}));
  }
  sets.push_back(exact);
  sets.push_back(random_set);
  if (n > 0) {
    sets.push_back(special);
    std::vector<ir::Angle> half = exact;
    half[0] = ir::Angle::pi_times({1, 2});
    sets.push_back(half);
  }
  return sets;
}

struct Basis {
  const char* label;
  std::vector<std::string> gates;
};

class DecomposeExact : public ::testing::TestWithParam<Basis> {};

TEST_P(DecomposeExact, EveryGateWithControlsKeepsItsUnitary) {
  const Basis& basis = GetParam();
  int checked = 0;
  for (const auto& spec : ir::all_gates()) {
    if (ir::is_library_definition(spec.name)) continue;
    for (int controls = 0; controls <= 3; ++controls) {
      if (spec.num_qubits + controls > 6) continue;
      for (const auto& params : parameter_sets(spec.num_params)) {
        ir::Program in = one_gate(std::string(spec.name), params, controls);
        ir::Program out;
        try {
          out = passes::decompose_to(in, basis.gates);
        } catch (const passes::PassError& e) {
          ADD_FAILURE() << spec.name << " with " << controls << " controls: " << e.what();
          continue;
        }
        for (const auto& op : out.ops) {
          const auto& g = std::get<ir::GateOp>(op.v);
          bool native = g.controls == 0 &&
                        std::find(basis.gates.begin(), basis.gates.end(), g.name) != basis.gates.end();
          ASSERT_TRUE(native) << spec.name << " left non-native gate " << g.name;
        }
        EXPECT_TRUE(testing::equal_exactly(testing::unitary_of(in), testing::unitary_of(out), 1e-9))
            << spec.name << " with " << controls << " controls, params " << (params.empty() ? "" : params[0].to_string());
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 300);
}

INSTANTIATE_TEST_SUITE_P(Bases, DecomposeExact,
                         ::testing::Values(Basis{"rz_sx_x_cz", {"rz", "sx", "x", "cz"}},
                                           Basis{"U_cx", {"U", "cx"}},
                                           Basis{"rz_sx_cx", {"rz", "sx", "cx"}}),
                         [](const ::testing::TestParamInfo<Basis>& p) { return std::string(p.param.label); });

TEST(Decompose, ReportsWhatABasisCannotExpress) {
  ir::Program p = one_gate("h", {}, 0);
  try {
    passes::decompose_to(p, {"rz", "cz"});
    FAIL() << "expected an error";
  } catch (const passes::PassError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot express single-qubit gate 'h'"), std::string::npos) << e.what();
  }
  ir::Program two = one_gate("cx", {}, 0);
  EXPECT_THROW(passes::decompose_to(two, {"rz", "sx"}), passes::PassError);
}

}  // namespace
}  // namespace qontos
