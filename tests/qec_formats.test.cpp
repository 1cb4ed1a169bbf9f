// The QEC file formats against the shared corpus (../shared/corpus/qec): every golden vector of
// qec/formats (Stim 1.17 and PyMatching 2.3.1 output from one seed) must decode to the same bits
// in every format and re-encode to the same bytes; the sample_dem vectors must agree with the
// model's errors; and every surface-code model of qec/surface must parse, count its detectors
// right and build a decoding graph, with its 100,000 shots read in well under a second.
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "qec/decoding_graph.h"
#include "qec/dem.h"
#include "qec/shot_formats.h"
#include "support/corpus.h"

namespace qontos::qec {
namespace {

namespace corpus = qontos::testing::corpus;

std::string formats_dir() {
  return std::string(QONTOS_CORPUS_DIR) + "/qec/formats";
}
std::string surface_dir() {
  return std::string(QONTOS_CORPUS_DIR) + "/qec/surface";
}

int& files_checked = corpus::checked_files_counter("qec formats", " in this run");

// d3.dem: 24 detectors D0..D23 and one observable L0 (formats/README.txt); 1024 shots.
constexpr std::size_t kGoldenDetectors = 24;
constexpr std::size_t kGoldenShots = 1024;
const ShotLayout kDetectors{.num_detectors = kGoldenDetectors};
const ShotLayout kObservables{.num_observables = 1};

BitTable read_golden(const std::string& name, ShotFormat format, const ShotLayout& layout) {
  const std::string path = formats_dir() + "/" + name;
  ++files_checked;
  return read_shots(corpus::read_file(path), format, layout, path);
}

constexpr ShotFormat kEncodings[] = {ShotFormat::kB8, ShotFormat::kR8, ShotFormat::kPtb64, ShotFormat::kHits};

TEST(QecGoldenFormats, DetectionEventsDecodeAlikeAndReencodeByteForByte) {
  const BitTable reference = read_golden("dets.01", ShotFormat::k01, kDetectors);
  ASSERT_EQ(reference.num_shots(), kGoldenShots);
  EXPECT_EQ(write_shots(reference, ShotFormat::k01, kDetectors), corpus::read_file(formats_dir() + "/dets.01"));
  for (ShotFormat format : kEncodings) {
    const std::string name = "dets." + std::string(shot_format_name(format));
    SCOPED_TRACE(name);
    EXPECT_EQ(read_golden(name, format, kDetectors), reference);
    EXPECT_EQ(write_shots(reference, format, kDetectors), corpus::read_file(formats_dir() + "/" + name));
  }
}

TEST(QecGoldenFormats, ObservableFlipsDecodeAlikeAndReencodeByteForByte) {
  const BitTable reference = read_golden("obs.01", ShotFormat::k01, kObservables);
  ASSERT_EQ(reference.num_shots(), kGoldenShots);
  for (ShotFormat format : kEncodings) {
    const std::string name = "obs." + std::string(shot_format_name(format));
    SCOPED_TRACE(name);
    EXPECT_EQ(read_golden(name, format, kObservables), reference);
    EXPECT_EQ(write_shots(reference, format, kObservables), corpus::read_file(formats_dir() + "/" + name));
  }
}

// `stim detect --out_format dets` appends the observables as L# but lists them first on each line.
TEST(QecGoldenFormats, DetsCarriesDetectionEventsAndObservablesTogether) {
  const ShotLayout both{.num_detectors = kGoldenDetectors, .num_observables = 1};
  const BitTable dets = read_golden("dets.dets", ShotFormat::kDets, both);
  ASSERT_EQ(dets.num_shots(), kGoldenShots);
  const BitTable detections = read_golden("dets.01", ShotFormat::k01, kDetectors);
  const BitTable observables = read_golden("obs.01", ShotFormat::k01, kObservables);
  EXPECT_EQ(dets.columns(0, kGoldenDetectors), detections);
  EXPECT_EQ(dets.columns(kGoldenDetectors, 1), observables);
  EXPECT_EQ(write_shots(concatenate_columns(detections, observables), ShotFormat::kDets, both,
                        {.dets_observables_first = true}),
            corpus::read_file(formats_dir() + "/dets.dets"));
}

// stim sample_dem: errs.r8 says which of d3.dem's errors fired in each shot; the detection events
// and observable flips it wrote must be exactly what those errors flip.
TEST(QecGoldenFormats, SampledErrorsExplainTheSampledDetectionEvents) {
  const std::string dem_path = formats_dir() + "/d3.dem";
  const DetectorErrorModel model = parse_dem(corpus::read_file(dem_path), dem_path);
  ++files_checked;
  ASSERT_EQ(model.num_detectors, kGoldenDetectors);
  ASSERT_EQ(model.num_observables, 1u);
  ASSERT_EQ(model.errors.size(), 286u);  // 312 lines less 24 detector and 2 shift_detectors lines
  const ShotLayout error_layout{.num_detectors = model.errors.size()};
  const BitTable errors = read_golden("errs.r8", ShotFormat::kR8, error_layout);
  const BitTable detections = read_golden("demdets.b8", ShotFormat::kB8, kDetectors);
  const BitTable observables = read_golden("demobs.01", ShotFormat::k01, kObservables);
  ASSERT_EQ(errors.num_shots(), kGoldenShots);
  ASSERT_EQ(detections.num_shots(), kGoldenShots);
  ASSERT_EQ(observables.num_shots(), kGoldenShots);
  EXPECT_EQ(write_shots(errors, ShotFormat::kR8, error_layout), corpus::read_file(formats_dir() + "/errs.r8"));
  EXPECT_EQ(write_shots(detections, ShotFormat::kB8, kDetectors), corpus::read_file(formats_dir() + "/demdets.b8"));
  EXPECT_EQ(write_shots(observables, ShotFormat::k01, kObservables), corpus::read_file(formats_dir() + "/demobs.01"));

  BitTable explained_detections(kGoldenShots, kGoldenDetectors);
  BitTable explained_observables(kGoldenShots, 1);
  std::size_t fired = 0;
  for (std::size_t shot = 0; shot < kGoldenShots; ++shot) {
    for (std::size_t e : errors.set_bits(shot)) {
      ++fired;
      for (std::uint32_t d : flipped_detectors(model.errors[e])) explained_detections.flip(shot, d);
      for (std::uint32_t o : flipped_observables(model.errors[e])) explained_observables.flip(shot, o);
    }
  }
  EXPECT_GT(fired, 100u);  // the check means something only if errors fired
  EXPECT_EQ(explained_detections, detections);
  EXPECT_EQ(explained_observables, observables);
}

// PyMatching's predictions miss 25 of the 1024 shots (formats/README.txt, count_mistakes).
TEST(QecGoldenFormats, PredictionsDisagreeWithTheFlipsAsPyMatchingCounted) {
  const BitTable predictions = read_golden("pred.01", ShotFormat::k01, kObservables);
  const BitTable observables = read_golden("obs.01", ShotFormat::k01, kObservables);
  ASSERT_EQ(predictions.num_shots(), kGoldenShots);
  std::size_t mistakes = 0;
  for (std::size_t shot = 0; shot < kGoldenShots; ++shot)
    mistakes += predictions.get(shot, 0) != observables.get(shot, 0);
  EXPECT_EQ(mistakes, 25u);
  EXPECT_EQ(write_shots(predictions, ShotFormat::k01, kObservables), corpus::read_file(formats_dir() + "/pred.01"));
}

TEST(QecGoldenFormats, GoldenModelBuildsAGraph) {
  const std::string dem_path = formats_dir() + "/d3.dem";
  const DecodingGraph graph = build_decoding_graph(parse_dem(corpus::read_file(dem_path), dem_path));
  EXPECT_EQ(graph.num_detectors, kGoldenDetectors);
  for (std::uint32_t d = 0; d < graph.num_detectors; ++d)
    EXPECT_GT(graph.incident_offsets[d + 1], graph.incident_offsets[d]) << "D" << d << " has no edge";
}

// ---- qec/surface ----

std::vector<std::string> surface_models() {
  try {
    return corpus::list_files(surface_dir(), ".dem");
  } catch (const std::runtime_error&) {
    return {};  // SurfaceCorpusIsPresent reports it
  }
}

TEST(QecSurfaceCorpus, SurfaceCorpusIsPresent) {
  EXPECT_EQ(surface_models().size(), 6u);
}

/// Detector declarations in .dem text, counted without the parser: `detector` targets, each
/// multiplied by the repeat counts of the blocks around it.
std::size_t count_declared_detectors(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  std::vector<std::size_t> multipliers{1};
  std::size_t declared = 0;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string first;
    if (!(words >> first)) continue;
    if (first == "}") {
      multipliers.pop_back();
    } else if (first == "repeat") {
      std::size_t count = 0;
      words >> count;
      multipliers.push_back(multipliers.back() * count);
    } else if (first.rfind("detector", 0) == 0) {
      for (std::string word; words >> word;)  // skips the coordinates "(0," "4," "0)"
        if (word.size() > 1 && word[0] == 'D' && std::isdigit(static_cast<unsigned char>(word[1])))
          declared += multipliers.back();
    }
  }
  return declared;
}

class SurfaceModel : public ::testing::TestWithParam<std::string> {};

TEST_P(SurfaceModel, ParsesAndBuildsAGraphWithEveryDetectorOnAnEdge) {
  const std::string path = surface_dir() + "/" + GetParam();
  const std::string text = corpus::read_file(path);
  const DetectorErrorModel model = parse_dem(text, path);
  ++files_checked;
  EXPECT_EQ(model.num_detectors, count_declared_detectors(text));
  EXPECT_EQ(model.num_observables, 1u);
  for (std::uint32_t d = 0; d < model.num_detectors; ++d)
    EXPECT_FALSE(model.detector_coordinates[d].empty()) << "D" << d << " has no coordinates";

  const DecodingGraph graph = build_decoding_graph(model);  // throws if any component is not graph-like
  EXPECT_EQ(graph.num_nodes(), model.num_detectors + 1);
  for (std::uint32_t d = 0; d < graph.num_detectors; ++d)
    EXPECT_GT(graph.incident_offsets[d + 1], graph.incident_offsets[d]) << "D" << d << " has no edge";
  EXPECT_GT(graph.incident_offsets[graph.boundary() + 1], graph.incident_offsets[graph.boundary()]);
  EXPECT_EQ(graph.non_positive_weight_edges, 0u);
  std::uint64_t all_masks = 0;
  for (const DecodingEdge& edge : graph.edges) {
    EXPECT_LT(edge.a, edge.b);
    EXPECT_GE(edge.quantised_weight, 1u);
    EXPECT_LE(edge.quantised_weight, 31u);
    all_masks |= edge.observable_mask;
  }
  EXPECT_EQ(all_masks, 1u);  // some edge flips L0
  std::cout << "[ " << GetParam() << " ] " << model.errors.size() << " errors, " << graph.edges.size() << " edges, "
            << graph.conflicting_parallel_edges << " with disagreeing observable masks\n";
}

TEST_P(SurfaceModel, HundredThousandShotsReadInWellUnderASecond) {
  const std::string stem = surface_dir() + "/" + GetParam().substr(0, GetParam().size() - 4);
  const DetectorErrorModel model = parse_dem(corpus::read_file(stem + ".dem"), stem + ".dem");
  const std::string detections = corpus::read_file(stem + ".dets.b8");
  const std::string observables = corpus::read_file(stem + ".obs.b8");
  files_checked += 2;
  const ShotLayout layout{.num_detectors = model.num_detectors};

  const auto start = std::chrono::steady_clock::now();
  const BitTable table = read_shots(detections, ShotFormat::kB8, layout, stem + ".dets.b8");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(table.num_shots(), 100000u);
  EXPECT_LT(seconds, 0.25) << "reading " << detections.size() << " bytes";
  EXPECT_EQ(read_shots(observables, ShotFormat::kB8, {.num_observables = 1}, stem + ".obs.b8").num_shots(), 100000u);
  EXPECT_EQ(write_shots(table, ShotFormat::kB8, layout), detections);
}

INSTANTIATE_TEST_SUITE_P(QecSurfaceCorpus, SurfaceModel, ::testing::ValuesIn(surface_models()),
                         [](const ::testing::TestParamInfo<std::string>& model_info) {
                           return corpus::test_name("surface/" + model_info.param);
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SurfaceModel);

}  // namespace
}  // namespace qontos::qec
