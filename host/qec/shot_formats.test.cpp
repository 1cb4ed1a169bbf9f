// The six result formats: the examples of Stim's format documentation byte for byte, write -> read
// round trips of random tables of awkward sizes in every format, and every malformed-input message.
#include "qec/shot_formats.h"

#include <gtest/gtest.h>

#include <random>

namespace qontos::qec {
namespace {

constexpr ShotFormat kAllFormats[] = {ShotFormat::k01,    ShotFormat::kB8,   ShotFormat::kR8,
                                      ShotFormat::kPtb64, ShotFormat::kHits, ShotFormat::kDets};

BitTable table_from_rows(const std::vector<std::string>& rows) {
  BitTable table(rows.size(), rows.empty() ? 0 : rows[0].size());
  for (std::size_t s = 0; s < rows.size(); ++s)
    for (std::size_t k = 0; k < rows[s].size(); ++k) table.set(s, k, rows[s][k] == '1');
  return table;
}

BitTable random_table(std::size_t shots, std::size_t bits, double density, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution bit(density);
  BitTable table(shots, bits);
  for (std::size_t s = 0; s < shots; ++s)
    for (std::size_t k = 0; k < bits; ++k) table.set(s, k, bit(rng));
  return table;
}

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

ShotLayout plain(std::size_t bits) {
  return {.num_detectors = bits};
}

std::string read_error(std::string_view data, ShotFormat format, const ShotLayout& layout) {
  try {
    (void)read_shots(data, format, layout, "in.dat");
  } catch (const ShotFormatError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ShotFormats, NamesRoundTrip) {
  for (ShotFormat format : kAllFormats) EXPECT_EQ(parse_shot_format(shot_format_name(format)), format);
  EXPECT_EQ(parse_shot_format("B8"), std::nullopt);
  EXPECT_EQ(parse_shot_format("json"), std::nullopt);
}

// The examples of Stim's doc/result_formats.md: 10 shots of `X 1; M 0 0 0 0 1 1 1 1 0 0 1 1 0 1`.
TEST(ShotFormats, MatchTheDocumentedExamples) {
  const BitTable table = table_from_rows(std::vector<std::string>(10, "00001111001101"));
  const ShotLayout layout = plain(14);
  std::string b8, r8, hits, zero_one;
  for (int s = 0; s < 10; ++s) {
    b8 += bytes({0xf0, 0x2c});
    r8 += bytes({4, 0, 0, 0, 2, 0, 1, 0});
    hits += "4,5,6,7,10,11,13\n";
    zero_one += "00001111001101\n";
  }
  EXPECT_EQ(write_shots(table, ShotFormat::kB8, layout), b8);
  EXPECT_EQ(write_shots(table, ShotFormat::kR8, layout), r8);
  EXPECT_EQ(write_shots(table, ShotFormat::kHits, layout), hits);
  EXPECT_EQ(write_shots(table, ShotFormat::k01, layout), zero_one);
  EXPECT_EQ(read_shots(b8, ShotFormat::kB8, layout, "x"), table);
  EXPECT_EQ(read_shots(r8, ShotFormat::kR8, layout, "x"), table);
  EXPECT_EQ(read_shots(hits, ShotFormat::kHits, layout, "x"), table);

  // r8, second example: 41 bits with bit 9 set -> 9 zeros then a one, 31 zeros then the end.
  BitTable sparse(1, 41);
  sparse.set(0, 9, true);
  EXPECT_EQ(write_shots(sparse, ShotFormat::kR8, plain(41)), bytes({9, 0x1f}));

  // ptb64: 64 shots of `X 1; M 0 1`: bit 0 false in all, bit 1 true in all.
  const BitTable two = table_from_rows(std::vector<std::string>(64, "01"));
  EXPECT_EQ(write_shots(two, ShotFormat::kPtb64, plain(2)), std::string(8, '\0') + std::string(8, '\xff'));
  EXPECT_EQ(read_shots(std::string(8, '\0') + std::string(8, '\xff'), ShotFormat::kPtb64, plain(2), "x"), two);

  // dets with measurements: `M 0 0 0 0 1 1 1 1 0 0 1 1 0 1 0 1` after `X 1`.
  const BitTable measured = table_from_rows({"0000111100110101"});
  EXPECT_EQ(write_shots(measured, ShotFormat::kDets, {.num_measurements = 16}), "shot M4 M5 M6 M7 M10 M11 M13 M15\n");
  // dets of detectors with an appended observable: "shot D1 L5".
  const BitTable detected = table_from_rows({"010000001"});
  EXPECT_EQ(write_shots(detected, ShotFormat::kDets, {.num_detectors = 3, .num_observables = 6}), "shot D1 L5\n");
}

TEST(ShotFormats, R8RunsOf255ContinueWithoutAOne) {
  BitTable last_bit(1, 300);
  last_bit.set(0, 299, true);
  EXPECT_EQ(write_shots(last_bit, ShotFormat::kR8, plain(300)), bytes({255, 44, 0}));
  EXPECT_EQ(write_shots(BitTable(1, 300), ShotFormat::kR8, plain(300)), bytes({255, 45}));
  EXPECT_EQ(write_shots(BitTable(1, 255), ShotFormat::kR8, plain(255)), bytes({255, 0}));
  EXPECT_EQ(write_shots(BitTable(2, 0), ShotFormat::kR8, plain(0)), bytes({0, 0}));
  EXPECT_EQ(read_shots(bytes({255, 44, 0}), ShotFormat::kR8, plain(300), "x"), last_bit);
  EXPECT_EQ(read_shots(bytes({255, 0}), ShotFormat::kR8, plain(255), "x"), BitTable(1, 255));
  EXPECT_EQ(read_shots(bytes({0, 0}), ShotFormat::kR8, plain(0), "x"), BitTable(2, 0));
}

TEST(ShotFormats, DetsCanListObservablesFirstAsStimDetectDoes) {
  const BitTable table = table_from_rows({"0100101", "0000001", "0000000"});
  const ShotLayout layout{.num_detectors = 5, .num_observables = 2};
  EXPECT_EQ(write_shots(table, ShotFormat::kDets, layout), "shot D1 D4 L1\nshot L1\nshot\n");
  const std::string first = write_shots(table, ShotFormat::kDets, layout, {.dets_observables_first = true});
  EXPECT_EQ(first, "shot L1 D1 D4\nshot L1\nshot\n");
  EXPECT_EQ(read_shots(first, ShotFormat::kDets, layout, "x"), table);
  // Blank lines, tabs and repeated spaces are tolerated; Windows line ends too.
  EXPECT_EQ(read_shots("\nshot  D1\tD4 L1\r\n\nshot L1\nshot\n", ShotFormat::kDets, layout, "x"), table);
}

TEST(ShotFormats, EmptyDataHoldsNoShots) {
  for (ShotFormat format : kAllFormats) {
    const BitTable table = read_shots("", format, {.num_detectors = 24, .num_observables = 1}, "x");
    EXPECT_EQ(table.num_shots(), 0u) << shot_format_name(format);
    EXPECT_EQ(table.bits_per_shot(), 25u);
    EXPECT_EQ(write_shots(table, format, {.num_detectors = 24, .num_observables = 1}), "");
  }
}

TEST(ShotFormats, RandomTablesRoundTripInEveryFormat) {
  struct Size {
    std::size_t shots;
    std::size_t bits;
  };
  // Bit counts around byte and word boundaries, r8 runs beyond 255, shot counts that are not
  // multiples of 64 (except for ptb64, which needs them).
  const Size sizes[] = {{1, 1}, {3, 7}, {100, 9}, {129, 24}, {64, 63}, {70, 64}, {65, 65}, {128, 300}, {37, 1000}};
  std::uint64_t seed = 1;
  for (const Size& size : sizes) {
    for (double density : {0.0, 0.01, 0.3, 1.0}) {
      const BitTable table = random_table(size.shots, size.bits, density, seed++);
      for (ShotFormat format : kAllFormats) {
        // dets needs named sections: split the bits between detectors and observables.
        const ShotLayout layout{.num_detectors = size.bits - size.bits / 4, .num_observables = size.bits / 4};
        SCOPED_TRACE(std::string(shot_format_name(format)) + " " + std::to_string(size.shots) + "x" +
                     std::to_string(size.bits) + " density " + std::to_string(density));
        if (format == ShotFormat::kPtb64 && size.shots % 64 != 0) {
          EXPECT_THROW((void)write_shots(table, format, layout), ShotFormatError);
          continue;
        }
        const std::string data = write_shots(table, format, layout);
        EXPECT_EQ(read_shots(data, format, layout, "x"), table);
        if (format == ShotFormat::kDets) {
          const std::string reordered = write_shots(table, format, layout, {.dets_observables_first = true});
          EXPECT_EQ(read_shots(reordered, format, layout, "x"), table);
        }
      }
    }
  }
}

TEST(ShotFormats, WriteRefusesATableOfAnotherWidth) {
  EXPECT_THROW((void)write_shots(BitTable(1, 5), ShotFormat::k01, plain(6)), std::invalid_argument);
}

TEST(ShotFormats, Malformed01NamesTheLine) {
  EXPECT_EQ(read_error("0101\n011\n", ShotFormat::k01, plain(4)), "in.dat:2: expected 4 bits ('0' or '1'), got 3");
  EXPECT_EQ(read_error("0101\n0101\n01x1\n", ShotFormat::k01, plain(4)),
            "in.dat:3: column 3: expected '0' or '1', got 'x'");
}

TEST(ShotFormats, MalformedB8NamesTheShot) {
  EXPECT_EQ(read_error(std::string(7, '\0'), ShotFormat::kB8, plain(24)),
            "in.dat: shot 2: truncated: 1 of its 3 bytes (24 bits per shot; is that the right count?)");
  EXPECT_EQ(read_error(bytes({0, 0, 0, 0x08}), ShotFormat::kB8, plain(11)),
            "in.dat: shot 1: padding bits after bit 10 are set (11 bits per shot; is that the right count?)");
  EXPECT_EQ(read_error("x", ShotFormat::kB8, plain(0)), "in.dat: shot 0: b8 data for shots of zero bits must be empty");
}

TEST(ShotFormats, MalformedR8NamesTheShot) {
  EXPECT_EQ(read_error(bytes({0, 3, 1, 5}), ShotFormat::kR8, plain(4)),
            "in.dat: shot 1: a run of 5 zeros (byte 3) goes past the 4-bit shot (is that the right count?)");
  EXPECT_EQ(read_error(bytes({255}), ShotFormat::kR8, plain(100)),
            "in.dat: shot 0: a run of 255 zeros (byte 0) goes past the 100-bit shot (is that the right count?)");
  EXPECT_EQ(read_error(bytes({4, 1}), ShotFormat::kR8, plain(4)),
            "in.dat: shot 1: data ends inside the shot (truncated r8 data)");
}

TEST(ShotFormats, MalformedPtb64NamesTheShot) {
  EXPECT_EQ(read_error(std::string(16 + 8, '\0'), ShotFormat::kPtb64, plain(2)),
            "in.dat: shot 64: truncated: ptb64 data of 24 bytes is not a whole number of 64-shot groups of 16 "
            "bytes (2 bits per shot; is that the right count?)");
  EXPECT_EQ(read_error("x", ShotFormat::kPtb64, plain(0)),
            "in.dat: shot 0: ptb64 data for shots of zero bits must be empty");
}

TEST(ShotFormats, MalformedHitsNamesTheLine) {
  EXPECT_EQ(read_error("1,2\n\n3,24\n", ShotFormat::kHits, plain(24)),
            "in.dat:3: bit index 24 is outside the 24-bit shot");
  EXPECT_EQ(read_error("1,,2\n", ShotFormat::kHits, plain(24)), "in.dat:1: expected a bit index, got ''");
  EXPECT_EQ(read_error("1\n-2\n", ShotFormat::kHits, plain(24)), "in.dat:2: expected a bit index, got '-2'");
  EXPECT_EQ(read_error("1,2,\n", ShotFormat::kHits, plain(24)), "in.dat:1: expected a bit index, got ''");
}

TEST(ShotFormats, MalformedDetsNamesTheLine) {
  const ShotLayout layout{.num_detectors = 24, .num_observables = 1};
  EXPECT_EQ(read_error("shot D1\nshot D24\n", ShotFormat::kDets, layout), "in.dat:2: D24 is outside the 24 detectors");
  EXPECT_EQ(read_error("shot L1\n", ShotFormat::kDets, layout), "in.dat:1: L1 is outside the 1 observables");
  EXPECT_EQ(read_error("shot M0\n", ShotFormat::kDets, layout), "in.dat:1: M0 is outside the 0 measurements");
  EXPECT_EQ(read_error("shot X3\n", ShotFormat::kDets, layout),
            "in.dat:1: expected M#, D# or L# (a prefix and an index), got 'X3'");
  EXPECT_EQ(read_error("shot D\n", ShotFormat::kDets, layout),
            "in.dat:1: expected M#, D# or L# (a prefix and an index), got 'D'");
  EXPECT_EQ(read_error("D1 D2\n", ShotFormat::kDets, layout),
            "in.dat:1: expected a line starting with 'shot', got 'D1 D2'");
  EXPECT_EQ(read_error("shots D1\n", ShotFormat::kDets, layout),
            "in.dat:1: expected a line starting with 'shot', got 'shots D1'");
}

}  // namespace
}  // namespace qontos::qec
