// `qontos rtl SCENARIO --json` on the verilated real-time path, as CI and users run it: every
// scenario passes and reports the figures the issue asks for (feed-forward cycles within 8, every
// watchdog stage aborting with its overrun, histograms equal to what the harness measured), and a
// wrong scenario name is refused.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/cli_runner.h"

namespace qontos {
namespace {

nlohmann::json run(const std::string& scenario) {
  const auto r = testing::qontos("rtl " + scenario + " --json");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  return nlohmann::json::parse(r.out);
}

TEST(RtlScenarios, SequencerIsCycleExact) {
  const auto j = run("sequencer");
  EXPECT_TRUE(j["pass"]) << j.dump(2);
  EXPECT_TRUE(j["model_agrees"]);
  EXPECT_EQ(j["pulses"].size(), 6u);
  EXPECT_EQ(j["bits"], nlohmann::json::parse("[1, 0, 1]"));
}

TEST(RtlScenarios, FeedForwardWithinEightCycles) {
  const auto j = run("feedforward");
  EXPECT_TRUE(j["pass"]) << j.dump(2);
  EXPECT_GE(j["cycles"].get<int>(), 1);
  EXPECT_LE(j["cycles"].get<int>(), 8);
  EXPECT_LE(j["decoder_cycles"].get<int>(), 8);
  ASSERT_EQ(j["runs"].size(), 2u);
  EXPECT_TRUE(j["runs"][0]["correction_played"]);   // the qubit read 1: corrected
  EXPECT_FALSE(j["runs"][1]["correction_played"]);  // read 0: nothing to do
}

TEST(RtlScenarios, WatchdogAbortsOnEveryStage) {
  const auto j = run("watchdog");
  EXPECT_TRUE(j["pass"]) << j.dump(2);
  ASSERT_EQ(j["aborts"].size(), 4u);
  const char* stages[] = {"READOUT", "DECODE", "DISPATCH", "DAC"};
  for (int s = 0; s < 4; ++s) {
    const auto& a = j["aborts"][s];
    EXPECT_EQ(a["stage"], stages[s]);
    EXPECT_EQ(a["status"]["abort_cause"], "WATCHDOG");
    EXPECT_GE(a["overrun"].get<int>(), 1);
    EXPECT_TRUE(a["irq"]);
  }
  EXPECT_EQ(j["aborts"][1]["overrun"], 25);  // a 45-cycle decode against a budget of 20
}

TEST(RtlScenarios, HistogramsEqualTheMeasuredLatencies) {
  const auto j = run("histograms");
  EXPECT_TRUE(j["pass"]) << j.dump(2);
  for (const auto& s : j["stages"]) {
    EXPECT_TRUE(s["matches_harness"]) << s.dump();
    EXPECT_GT(s["events"].get<int>(), 0) << s.dump();
  }
}

TEST(RtlScenarios, AllPrintsOneSummaryPerScenario) {
  const auto r = testing::qontos("rtl all");
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* line : {"sequencer: pass", "feedforward: pass, measurement bit to correction 4 cycles",
                           "watchdog: pass", "histograms: pass"})
    EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n" << r.out;
  EXPECT_EQ(r.out.find("FAIL"), std::string::npos) << r.out;
}

TEST(RtlScenarios, UnknownScenarioIsRefused) {
  const auto r = testing::qontos("rtl warp-drive --json");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("unknown scenario 'warp-drive'"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace qontos
