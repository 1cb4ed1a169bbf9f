// parse_dem on hand-made models: the grammar (comments, tags, case, indentation), repeat and
// shift_detectors unrolling with coordinate offsets, `^` decomposition with XOR cancellation, the
// detector and observable counts, and every error message with its line.
#include "qec/dem.h"

#include <gtest/gtest.h>

namespace qontos::qec {
namespace {

using Indices = std::vector<std::uint32_t>;

std::string parse_error(std::string_view text) {
  try {
    (void)parse_dem(text, "m.dem");
  } catch (const DemError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Dem, ParsesErrorsDetectorsAndObservables) {
  const DetectorErrorModel model = parse_dem(
      "error(0.125) D0 D1 L0\n"
      "error(0.25) D1\n"
      "detector(1, 2.5) D1\n"
      "logical_observable L3\n",
      "m.dem");
  EXPECT_EQ(model.origin, "m.dem");
  EXPECT_EQ(model.num_detectors, 2u);
  EXPECT_EQ(model.num_observables, 4u);  // L3 declared
  ASSERT_EQ(model.errors.size(), 2u);
  EXPECT_DOUBLE_EQ(model.errors[0].probability, 0.125);
  ASSERT_EQ(model.errors[0].components.size(), 1u);
  EXPECT_EQ(model.errors[0].components[0].detectors, (Indices{0, 1}));
  EXPECT_EQ(model.errors[0].components[0].observables, (Indices{0}));
  EXPECT_EQ(model.errors[0].line, 1u);
  EXPECT_EQ(model.errors[1].line, 2u);
  ASSERT_EQ(model.detector_coordinates.size(), 2u);
  EXPECT_TRUE(model.detector_coordinates[0].empty());
  EXPECT_EQ(model.detector_coordinates[1], (std::vector<double>{1, 2.5}));
}

TEST(Dem, DeclaredDetectorsCountEvenWithoutErrors) {
  const DetectorErrorModel model = parse_dem("error(0.1) D0\ndetector D7\n", "m.dem");
  EXPECT_EQ(model.num_detectors, 8u);
  EXPECT_EQ(model.num_observables, 0u);
  EXPECT_EQ(parse_dem("", "m.dem").num_detectors, 0u);
}

TEST(Dem, AcceptsTheGrammarAroundInstructions) {
  const DetectorErrorModel model = parse_dem(
      "# a model\n"
      "\n"
      "   ERROR[leak # not a comment](0.5) D0   # comment\r\n"
      "\tError ( 0.25 ) D1 L2\n"
      "Repeat 2 {   # comment after the brace\n"
      "  error(1e-3) D2\n"
      "  Shift_Detectors 1\n"
      "}  # closing\n",
      "m.dem");
  ASSERT_EQ(model.errors.size(), 4u);
  EXPECT_EQ(model.errors[0].tag, "leak # not a comment");
  EXPECT_DOUBLE_EQ(model.errors[0].probability, 0.5);
  EXPECT_EQ(model.errors[1].components[0].observables, (Indices{2}));
  EXPECT_DOUBLE_EQ(model.errors[2].probability, 1e-3);
  EXPECT_EQ(model.errors[2].components[0].detectors, (Indices{2}));
  EXPECT_EQ(model.errors[3].components[0].detectors, (Indices{3}));
  EXPECT_EQ(model.errors[3].line, 6u);
  EXPECT_EQ(model.num_detectors, 4u);
  EXPECT_EQ(model.num_observables, 3u);
}

// The diagonal line of detectors from Stim's format documentation.
TEST(Dem, UnrollsRepeatAndShiftsDetectorsAndCoordinates) {
  const DetectorErrorModel model = parse_dem(
      "detector(0, 0) D0\n"
      "repeat 3 {\n"
      "    detector(0.5, 0.5) D1\n"
      "    error(0.01) D0 D1\n"
      "    shift_detectors(0.5, 0.5) 1\n"
      "}\n",
      "m.dem");
  EXPECT_EQ(model.num_detectors, 4u);
  ASSERT_EQ(model.errors.size(), 3u);
  for (std::uint32_t k = 0; k < 3; ++k) {
    EXPECT_EQ(model.errors[k].components[0].detectors, (Indices{k, k + 1}));
    EXPECT_EQ(model.errors[k].line, 4u);
  }
  EXPECT_EQ(model.detector_coordinates, (std::vector<std::vector<double>>{{0, 0}, {0.5, 0.5}, {1, 1}, {1.5, 1.5}}));
}

TEST(Dem, UnrollsNestedRepeats) {
  const DetectorErrorModel model = parse_dem(
      "repeat 2 {\n"
      "  repeat 3 {\n"
      "    error(0.1) D0 D1\n"
      "    shift_detectors 1\n"
      "  }\n"
      "  shift_detectors 10\n"
      "}\n"
      "error(0.2) D0\n",
      "m.dem");
  ASSERT_EQ(model.errors.size(), 7u);
  const Indices expected_first[] = {{0, 1}, {1, 2}, {2, 3}, {13, 14}, {14, 15}, {15, 16}, {26}};
  for (std::size_t k = 0; k < 7; ++k) EXPECT_EQ(model.errors[k].components[0].detectors, expected_first[k]) << k;
  EXPECT_EQ(model.num_detectors, 27u);
}

TEST(Dem, ShiftedCoordinatesApplyToAsManyAsTheDetectorHas) {
  const DetectorErrorModel model = parse_dem(
      "shift_detectors(1, 2, 3) 0\n"
      "detector(10, 10) D0\n"
      "detector(1, 1, 1, 1) D1\n"
      "detector D2\n"
      "shift_detectors(0, 0, 1) 3\n"
      "detector(0, 0, 0) D0\n",
      "m.dem");
  EXPECT_EQ(model.detector_coordinates[0], (std::vector<double>{11, 12}));
  EXPECT_EQ(model.detector_coordinates[1], (std::vector<double>{2, 3, 4, 1}));
  EXPECT_TRUE(model.detector_coordinates[2].empty());
  EXPECT_EQ(model.detector_coordinates[3], (std::vector<double>{1, 2, 4}));
}

// The decomposition examples of Stim's format documentation.
TEST(Dem, KeepsTheSuggestedDecomposition) {
  const DetectorErrorModel model = parse_dem(
      "error(0.02) D2 L0 ^ D5 D6\n"
      "error(0.03) D2 L0 ^ D3 L0\n"
      "error(0.04) D1 D1 D2 L1 L1\n",
      "m.dem");
  const DemErrorMechanism& first = model.errors[0];
  ASSERT_EQ(first.components.size(), 2u);
  EXPECT_EQ(first.components[0].detectors, (Indices{2}));
  EXPECT_EQ(first.components[0].observables, (Indices{0}));
  EXPECT_EQ(first.components[1].detectors, (Indices{5, 6}));
  EXPECT_TRUE(first.components[1].observables.empty());
  EXPECT_EQ(flipped_detectors(first), (Indices{2, 5, 6}));
  EXPECT_EQ(flipped_observables(first), (Indices{0}));
  // The two L0 cancel in the whole error but stay in each component.
  EXPECT_EQ(flipped_detectors(model.errors[1]), (Indices{2, 3}));
  EXPECT_TRUE(flipped_observables(model.errors[1]).empty());
  EXPECT_EQ(model.errors[1].components[1].observables, (Indices{0}));
  // Targets named twice within a component cancel.
  EXPECT_EQ(model.errors[2].components[0].detectors, (Indices{2}));
  EXPECT_TRUE(model.errors[2].components[0].observables.empty());
  EXPECT_EQ(model.num_observables, 2u);  // L1 was still mentioned
}

TEST(Dem, ErrorsWithoutTargetsAndProbabilityBoundsAreAllowed) {
  const DetectorErrorModel model = parse_dem("error(0) D0\nerror(1) D0\nerror(0.5)\n", "m.dem");
  ASSERT_EQ(model.errors.size(), 3u);
  EXPECT_TRUE(model.errors[2].components[0].detectors.empty());
}

struct BadModel {
  const char* text;
  const char* message;
};
void PrintTo(const BadModel& model, std::ostream* out) {
  *out << '"' << model.text << '"';
}

class DemErrors : public ::testing::TestWithParam<BadModel> {};

TEST_P(DemErrors, NameTheLine) {
  EXPECT_EQ(parse_error(GetParam().text), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Dem, DemErrors,
    ::testing::Values(
        BadModel{"error(1.5) D0", "m.dem:1: probability 1.5 is outside [0, 1]"},
        BadModel{"error(0.1) D0\nerror(-0.1) D0", "m.dem:2: probability -0.1 is outside [0, 1]"},
        BadModel{"error D0", "m.dem:1: error takes one argument, its probability; got 0"},
        BadModel{"error(0.1, 0.2) D0", "m.dem:1: error takes one argument, its probability; got 2"},
        BadModel{"error(abc) D0", "m.dem:1: expected a number as argument, got 'abc'"},
        BadModel{"error(0.1,) D0", "m.dem:1: expected a number as argument, got ''"},
        BadModel{"error(inf) D0", "m.dem:1: argument 'inf' is not a finite number"},
        BadModel{"error(0.1 D0", "m.dem:1: '(' is never closed with ')'"},
        BadModel{"error[tag(0.1) D0", "m.dem:1: tag '[' is never closed with ']'"},
        BadModel{"\n\nfoo(0.1) D0",
                 "m.dem:3: unknown instruction 'foo' (expected error, detector, "
                 "logical_observable, shift_detectors or repeat)"},
        BadModel{"detector_separator 1",
                 "m.dem:1: unknown instruction 'detector_separator' (expected error, "
                 "detector, logical_observable, shift_detectors or repeat)"},
        BadModel{"3 D0", "m.dem:1: expected an instruction, got '3 D0'"},
        BadModel{"error(0.1) X3", "m.dem:1: bad target 'X3' (expected D#, L#, ^ or a number)"},
        BadModel{"error(0.1) D-1", "m.dem:1: bad target 'D-1' (expected D#, L#, ^ or a number)"},
        BadModel{"error(0.1) D99999999999999999999999",
                 "m.dem:1: bad target 'D99999999999999999999999' "
                 "(expected D#, L#, ^ or a number)"},
        BadModel{"error(0.1)D0", "m.dem:1: expected a space before target 'D0'"},
        BadModel{"error(0.1) D0 5", "m.dem:1: error takes D#, L# and ^ targets, got '5'"},
        BadModel{"error(0.1) ^ D0", "m.dem:1: '^' must stand between two non-empty components"},
        BadModel{"error(0.1) D0 ^", "m.dem:1: '^' must stand between two non-empty components"},
        BadModel{"error(0.1) D0 ^ ^ D1", "m.dem:1: '^' must stand between two non-empty components"},
        BadModel{"error(0.1) D16777216",
                 "m.dem:1: detector 16777216 (D16777216 after shifts) is beyond the "
                 "supported 16777216"},
        BadModel{"shift_detectors 16777215\nerror(0.1) D1",
                 "m.dem:2: detector 16777216 (D1 after shifts) is beyond the supported 16777216"},
        BadModel{"error(0.1) D0 L16777216", "m.dem:1: observable L16777216 is beyond the supported 16777216"},
        BadModel{"detector(1) L0", "m.dem:1: detector takes D# targets, got 'L0'"},
        BadModel{"detector(1)", "m.dem:1: detector needs at least one D# target"},
        BadModel{"logical_observable D0", "m.dem:1: logical_observable takes L# targets, got 'D0'"},
        BadModel{"logical_observable(1) L0", "m.dem:1: logical_observable takes no arguments"},
        BadModel{"shift_detectors D1", "m.dem:1: shift_detectors takes one number target, the detector shift"},
        BadModel{"shift_detectors 1 2", "m.dem:1: shift_detectors takes one number target, the detector shift"},
        BadModel{"shift_detectors 16777216", "m.dem:1: detector offset 16777216 is beyond the supported 16777216"},
        BadModel{"repeat 2\nerror(0.1) D0", "m.dem:1: repeat needs its block: 'repeat N {'"},
        BadModel{"repeat 0 {\n}", "m.dem:1: repeat 0 is not allowed"},
        BadModel{"repeat(1) 2 {\n}", "m.dem:1: repeat takes no arguments"},
        BadModel{"repeat D2 {\n}", "m.dem:1: repeat takes one number target, the repetition count"},
        BadModel{"error(0.1) D0 {\n}", "m.dem:1: only repeat opens a block; error cannot"},
        BadModel{"repeat 2 { x\n}", "m.dem:1: unexpected 'x' after '{'"},
        BadModel{"error(0.1) D0\n}", "m.dem:2: '}' closes no block"},
        BadModel{"repeat 2 {\n} x", "m.dem:2: unexpected 'x' after '}'"},
        BadModel{"repeat 2 {\n  repeat 3 {\n    error(0.1) D0\n  }\n",
                 "m.dem:1: repeat block is never closed "
                 "(missing '}')"},
        BadModel{"repeat 2 {\n  repeat 3 {\n    error(0.1) D0\n}\n",
                 "m.dem:1: repeat block is never closed "
                 "(missing '}')"},
        BadModel{"repeat 2 {\n  error(0.1) D0\n  repeat 2 {\n    error(2) D1\n  }\n}",
                 "m.dem:4: probability 2 is outside [0, 1]"},
        BadModel{"repeat 1000000000 {\n  repeat 1000000000 {\n    shift_detectors 0\n  }\n}",
                 "m.dem:3: the model unrolls into too many instructions"}));

TEST(Dem, ErrorCarriesTheLineAndTheBareReason) {
  try {
    (void)parse_dem("error(0.1) D0\n\nerror(2) D0\n", "x.dem");
    FAIL();
  } catch (const DemError& e) {
    EXPECT_EQ(e.line, 3u);
    EXPECT_EQ(e.reason, "probability 2 is outside [0, 1]");
  }
}

}  // namespace
}  // namespace qontos::qec
