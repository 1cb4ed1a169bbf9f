// `qontos decode` as a user runs it: accuracy against matching's counts on the surface-code
// corpus (the target: at most 1.3x matching's mistakes at d=5 and d=7, p=0.005),
// predictions in every format agreeing with each other, the two ways of giving the truth, the
// underscore spellings, and the bad-input paths.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "qec/bit_table.h"
#include "qec/shot_formats.h"
#include "support/cli_runner.h"

namespace qontos {
namespace {

namespace fs = std::filesystem;
const std::string kSurface = std::string(QONTOS_CORPUS_DIR) + "/qec/surface/";
const std::string kFormats = std::string(QONTOS_CORPUS_DIR) + "/qec/formats/";

long long mistakes_of(const std::string& out) {
  const auto slash = out.find(" / ");
  EXPECT_NE(slash, std::string::npos) << out;
  return std::stoll(out.substr(0, slash));
}

std::string count_args(const std::string& experiment) {
  const std::string base = kSurface + "sc_rmz_" + experiment;
  return "decode count-mistakes --dem " + base + ".dem --in " + base + ".dets.b8 --in-format b8 --obs-in " + base +
         ".obs.b8 --obs-in-format b8";
}

struct Experiment {
  const char* name;
  long long matching_mistakes;  // PyMatching on the same 100,000 shots (the corpus README)
};

class DecodeAccuracy : public ::testing::TestWithParam<Experiment> {};

TEST_P(DecodeAccuracy, WithinTheTargetOfMatching) {
  const Experiment e = GetParam();
  const auto r = testing::qontos(count_args(e.name));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.ends_with(" / 100000\n")) << r.out;
  const long long ours = mistakes_of(r.out);
  // The target where it is set (p = 0.005, d = 5 and 7); elsewhere the counts are small
  // (3 to 85) and we ask for no worse than 1.3x matching plus two shots of noise.
  EXPECT_LE(static_cast<double>(ours), 1.3 * static_cast<double>(e.matching_mistakes) + 2.0) << e.name;
  // A decoder that ignored the syndrome would fail about half of the shots with a flip.
  EXPECT_GT(ours, 0);
}

INSTANTIATE_TEST_SUITE_P(Surface, DecodeAccuracy,
                         ::testing::Values(Experiment{"d3_r3_p0.001", 85}, Experiment{"d3_r3_p0.005", 1775},
                                           Experiment{"d5_r5_p0.001", 15}, Experiment{"d5_r5_p0.005", 1406},
                                           Experiment{"d7_r7_p0.001", 3}, Experiment{"d7_r7_p0.005", 979}),
                         [](const ::testing::TestParamInfo<Experiment>& p) {
                           std::string n = p.param.name;
                           for (char& c : n)
                             if (c == '.') c = '_';
                           return n;
                         });

TEST(DecodeCli, PredictionsAgreeAcrossFormatsAndWithCountMistakes) {
  const std::string dem = kFormats + "d3.dem";
  const fs::path dir = testing::scratch();
  auto r = testing::qontos("decode predict --dem " + dem + " --in " + kFormats + "dets.b8 --in_format b8 --out " +
                           (dir / "pred.01").string() + " --out_format 01");
  ASSERT_EQ(r.code, 0) << r.err;
  qec::ShotLayout obs;
  obs.num_observables = 1;
  const qec::BitTable pred = qec::read_shots(testing::slurp(dir / "pred.01"), qec::ShotFormat::k01, obs, "pred.01");
  ASSERT_EQ(pred.num_shots(), 1024u);
  for (const std::string fmt : {"b8", "r8", "ptb64", "hits", "dets"}) {
    const fs::path out = dir / ("pred." + fmt);
    r = testing::qontos("decode predict --dem " + dem + " --in " + kFormats + "dets." + fmt + " --in-format " + fmt +
                        " --out " + out.string() + " --out-format " + fmt);
    ASSERT_EQ(r.code, 0) << fmt << ": " << r.err;
    EXPECT_EQ(qec::read_shots(testing::slurp(out), *qec::parse_shot_format(fmt), obs, out.string()), pred) << fmt;
  }
  // Mistakes counted by the CLI equal the disagreements between the predictions and the truth.
  const qec::BitTable truth = qec::read_shots(testing::slurp(kFormats + "obs.01"), qec::ShotFormat::k01, obs, "obs.01");
  long long differ = 0;
  for (std::size_t s = 0; s < 1024; ++s) differ += pred.get(s, 0) != truth.get(s, 0);
  r = testing::qontos("decode count-mistakes --dem " + dem + " --in " + kFormats + "dets.01 --obs-in " + kFormats +
                      "obs.01");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, std::to_string(differ) + " / 1024\n");
  // Matching makes 25 mistakes on these shots; union-find stays close.
  EXPECT_LE(differ, 33);
  // The same with the observables appended to the detection events (the dets file has them).
  r = testing::qontos("decode count-mistakes --dem " + dem + " --in " + kFormats +
                      "dets.dets --in-format dets --in_includes_appended_observables --time");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, std::to_string(differ) + " / 1024\n");
  EXPECT_NE(r.err.find("us per shot"), std::string::npos) << r.err;
}

TEST(DecodeCli, BadInputsAreNamed) {
  const std::string dem = kFormats + "d3.dem";
  auto r = testing::qontos("decode count-mistakes --dem " + dem + " --in " + kFormats + "dets.01");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--obs-in FILE or --in-includes-appended-observables"), std::string::npos) << r.err;
  const fs::path bad_dem = testing::write("bad.dem", "error(0.1) D0\nerror(1.5) D1\n");
  r = testing::qontos("decode predict --dem " + bad_dem.string() + " --in " + kFormats + "dets.01");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(bad_dem.string() + ":2:"), std::string::npos) << r.err;
  const std::string b8 = testing::slurp(kFormats + "dets.b8");
  const fs::path cut = testing::write("cut.b8", b8.substr(0, b8.size() - 1));
  r = testing::qontos("decode predict --dem " + dem + " --in " + cut.string() + " --in-format b8");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("shot 1023"), std::string::npos) << r.err;
  r = testing::qontos("decode predict --dem " + dem + " --in " + kFormats + "dets.01 --engine fpga");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("fpga"), std::string::npos) << r.err;
  r = testing::qontos("decode predict --dem " + dem + " --in " + kFormats + "dets.01 --in-format b9");
  EXPECT_EQ(r.code, 2);
  r = testing::qontos("decode predict --in " + kFormats + "dets.01");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--dem"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace qontos
