// `qontos decode --engine rtl`: the Verilog decoder, verilated on first use, run through the same
// command as the software decoder. Its predictions must equal the software decoder's (the HLS
// model compiled for the host) bit for bit; its latency line must have the documented form and
// meet the issue's targets on the corpus; a budget below the worst case must overrun and say so;
// a recalibrated model (same structure, other weights) must reuse the verilated model; and the
// engine's own failures (no Verilator, no sources) must be named. Built only when Verilator is
// installed; run with QONTOS_RTL_CACHE set by CTest so the model is built once for all cases.
#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>
#include <string>

#include "support/cli_runner.h"

namespace qontos {
namespace {

const std::string kSurface = std::string(QONTOS_CORPUS_DIR) + "/qec/surface/sc_rmz_";

std::string base(const std::string& experiment) { return kSurface + experiment; }

std::string count_args(const std::string& experiment) {
  const std::string b = base(experiment);
  return "decode count-mistakes --dem " + b + ".dem --in " + b + ".dets.b8 --in-format b8 --obs-in " + b +
         ".obs.b8 --obs-in-format b8";
}

std::string predict_args(const std::string& experiment, const std::string& out) {
  const std::string b = base(experiment);
  return "decode predict --dem " + b + ".dem --in " + b + ".dets.b8 --in-format b8 --out " + out +
         " --out-format 01";
}

struct Latency {
  double mean = 0;
  long long p99 = 0, p9999 = 0, max = 0, overruns = 0;
};

Latency parse_latency(const std::string& text) {
  static const std::regex line(R"(cycles: mean ([0-9]+\.[0-9]{2}) p99 ([0-9]+) p99\.99 ([0-9]+) max ([0-9]+) overruns ([0-9]+)\n)");
  std::smatch m;
  Latency l;
  EXPECT_TRUE(std::regex_search(text, m, line)) << text;
  if (m.empty()) return l;
  l.mean = std::stod(m[1]);
  l.p99 = std::stoll(m[2]);
  l.p9999 = std::stoll(m[3]);
  l.max = std::stoll(m[4]);
  l.overruns = std::stoll(m[5]);
  return l;
}

TEST(DecodeRtl, CountsEqualTheSoftwareEngineAndMeetTheLatencyTargets) {
  for (const std::string experiment : {"d3_r3_p0.001", "d5_r5_p0.001"}) {
    const auto sw = testing::qontos(count_args(experiment));
    ASSERT_EQ(sw.code, 0) << sw.err;
    const auto hw = testing::qontos(count_args(experiment) + " --engine rtl --latency");
    ASSERT_EQ(hw.code, 0) << hw.err;
    // Same mistakes line first, then the latency summary.
    EXPECT_TRUE(hw.out.starts_with(sw.out)) << experiment << "\n" << hw.out << "\nvs\n" << sw.out;
    const Latency l = parse_latency(hw.out);
    EXPECT_EQ(l.overruns, 0);
    EXPECT_LE(l.p99, l.p9999);
    EXPECT_LE(l.p9999, l.max);
    EXPECT_LE(l.mean, static_cast<double>(l.max));
    // The issue's targets (stated for d=5; d=3 must do at least as well): mean <= 12, max <= 50.
    EXPECT_LE(l.mean, 12.0) << experiment;
    EXPECT_LE(l.max, 50) << experiment;
    EXPECT_GT(l.max, 1) << "no shot needed more than a cycle: the decoder is not doing any work";
  }
}

TEST(DecodeRtl, PredictionsEqualTheSoftwareEngineBitForBit) {
  // p = 0.005: many shots need several growth rounds.
  const auto sw_out = testing::scratch() / "sw_predictions.01";
  const auto hw_out = testing::scratch() / "hw_predictions.01";
  const auto sw = testing::qontos(predict_args("d3_r3_p0.005", sw_out.string()));
  ASSERT_EQ(sw.code, 0) << sw.err;
  const auto hw = testing::qontos(predict_args("d3_r3_p0.005", hw_out.string()) + " --engine rtl --latency");
  ASSERT_EQ(hw.code, 0) << hw.err;
  const std::string a = testing::slurp(sw_out), b = testing::slurp(hw_out);
  EXPECT_EQ(a.size(), 200000u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a.find('1'), std::string::npos) << "no shot predicted a flip: the comparison shows nothing";
  // With --out a file, the summary is on standard output.
  parse_latency(hw.out);
}

TEST(DecodeRtl, ARecalibratedModelReusesTheVerilatedDecoder) {
  // p = 0.001 and p = 0.005 give the same graph with other weights: the weights go through the
  // weight registers, so the second run must not build again, and still agree with software.
  const auto first = testing::qontos(count_args("d3_r3_p0.001") + " --engine rtl");
  ASSERT_EQ(first.code, 0) << first.err;
  const auto second = testing::qontos(count_args("d3_r3_p0.005") + " --engine rtl");
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_EQ(second.err.find("verilating"), std::string::npos) << second.err;
  const auto sw = testing::qontos(count_args("d3_r3_p0.005"));
  EXPECT_EQ(second.out, sw.out);
}

TEST(DecodeRtl, ABudgetBelowTheWorstCaseOverrunsAndSaysSo) {
  const auto free_run = testing::qontos(count_args("d3_r3_p0.005") + " --engine rtl --latency");
  ASSERT_EQ(free_run.code, 0) << free_run.err;
  const Latency unbounded = parse_latency(free_run.out);
  ASSERT_GT(unbounded.max, 4);
  const long long budget = unbounded.p99 > 3 ? unbounded.p99 - 1 : 3;
  const auto r = testing::qontos(count_args("d3_r3_p0.005") + " --engine rtl --latency --budget " +
                                 std::to_string(budget));
  EXPECT_EQ(r.code, 1) << "overruns must make the exit status non-zero\n" << r.err;
  const Latency l = parse_latency(r.out);
  EXPECT_GT(l.overruns, 0);
  EXPECT_EQ(l.max, budget) << "an overrun stops the decoder at the budget";
  EXPECT_LT(l.overruns, 50000) << "a budget near p99 cannot stop most shots";
  EXPECT_NE(r.err.find(" shots overran the budget of " + std::to_string(budget) + " cycles (first: shot "),
            std::string::npos)
      << r.err;
  // Overrun results are invalid and predicted as no flip, so mistakes can only grow.
  const long long before = std::stoll(free_run.out), after = std::stoll(r.out);
  EXPECT_GE(after, before);
}

TEST(DecodeRtl, EngineOnlyOptionsNeedTheRtlEngine) {
  for (const std::string option : {"--latency", "--budget 10", "--rtl-cache /tmp/x"}) {
    const auto r = testing::qontos(count_args("d3_r3_p0.001") + " " + option);
    EXPECT_EQ(r.code, 2) << option;
    EXPECT_NE(r.err.find("needs --engine rtl"), std::string::npos) << r.err;
  }
  const auto zero = testing::qontos(count_args("d3_r3_p0.001") + " --engine rtl --budget 0");
  EXPECT_EQ(zero.code, 2) << zero.err;
}

TEST(DecodeRtl, MissingVerilatorOrSourcesAreNamed) {
  const std::string saved_path = std::getenv("PATH") ? std::getenv("PATH") : "";
  ::setenv("PATH", "/nonexistent", 1);
  const auto no_verilator = testing::qontos(count_args("d3_r3_p0.001") + " --engine rtl");
  ::setenv("PATH", saved_path.c_str(), 1);
  EXPECT_EQ(no_verilator.code, 2);
  EXPECT_NE(no_verilator.err.find("needs Verilator"), std::string::npos) << no_verilator.err;

  ::setenv("QONTOS_HDL_DIR", "/nonexistent/hdl", 1);
  const auto no_sources = testing::qontos(count_args("d3_r3_p0.001") + " --engine rtl");
  ::unsetenv("QONTOS_HDL_DIR");
  EXPECT_EQ(no_sources.code, 2);
  EXPECT_NE(no_sources.err.find("/nonexistent/hdl"), std::string::npos) << no_sources.err;
  EXPECT_NE(no_sources.err.find("QONTOS_HDL_DIR"), std::string::npos) << no_sources.err;
}

TEST(DecodeRtl, ABrokenBuildNamesItsLog) {
  // An hdl/ folder whose Verilog does not compile: the error names the kept build log.
  const auto hdl = testing::scratch() / "broken_hdl";
  std::filesystem::create_directories(hdl / "decoder" / "rtl");
  std::filesystem::create_directories(hdl / "decoder" / "tb");
  std::ofstream(hdl / "decoder" / "rtl" / "uf_decoder.v") << "module uf_decoder(; endmodule\n";
  for (const char* harness : {"uf_decoder_runner.cpp", "uf_decoder_driver.h"})
    std::filesystem::copy_file(std::string(QONTOS_SOURCE_DIR) + "/hdl/decoder/tb/" + harness,
                               hdl / "decoder" / "tb" / harness, std::filesystem::copy_options::overwrite_existing);
  ::setenv("QONTOS_HDL_DIR", hdl.c_str(), 1);
  const auto r = testing::qontos(count_args("d3_r3_p0.001") + " --engine rtl --rtl-cache " +
                                 (testing::scratch() / "broken_cache").string());
  ::unsetenv("QONTOS_HDL_DIR");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("building the verilated decoder failed"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(".failed.log"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace qontos
