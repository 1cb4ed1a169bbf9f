// BitTable: bit access, the zero-padding invariant, growth, column slicing and concatenation
// (how appended observables are split off detection events and put back).
#include "qec/bit_table.h"

#include <gtest/gtest.h>

#include <random>

namespace qontos::qec {
namespace {

BitTable random_table(std::size_t shots, std::size_t bits, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  BitTable table(shots, bits);
  for (std::size_t s = 0; s < shots; ++s)
    for (std::size_t k = 0; k < bits; ++k) table.set(s, k, rng() % 3 == 0);
  return table;
}

TEST(BitTable, SetsGetsAndFlipsBits) {
  BitTable table(3, 130);
  EXPECT_EQ(table.words_per_shot(), 3u);
  table.set(1, 0, true);
  table.set(1, 129, true);
  table.flip(2, 64);
  EXPECT_TRUE(table.get(1, 0));
  EXPECT_TRUE(table.get(1, 129));
  EXPECT_TRUE(table.get(2, 64));
  EXPECT_FALSE(table.get(0, 129));
  EXPECT_EQ(table.set_bits(1), (std::vector<std::size_t>{0, 129}));
  EXPECT_EQ(table.row(1)[2], 2u);  // bit 129 is bit 1 of word 2
  table.set(1, 129, false);
  EXPECT_EQ(table.set_bits(1), (std::vector<std::size_t>{0}));
}

TEST(BitTable, AppendShotAddsAnAllFalseShot) {
  BitTable table(0, 10);
  EXPECT_EQ(table.append_shot(), 0u);
  table.set(0, 9, true);
  EXPECT_EQ(table.append_shot(), 1u);
  EXPECT_EQ(table.num_shots(), 2u);
  EXPECT_TRUE(table.set_bits(1).empty());
  EXPECT_TRUE(table.get(0, 9));
}

TEST(BitTable, ColumnsAndConcatenationAreInverse) {
  for (std::size_t left_bits : {0, 1, 24, 63, 64, 65, 130}) {
    for (std::size_t right_bits : {0, 1, 3, 64, 100}) {
      const BitTable whole = random_table(37, left_bits + right_bits, left_bits * 1000 + right_bits);
      const BitTable left = whole.columns(0, left_bits);
      const BitTable right = whole.columns(left_bits, right_bits);
      for (std::size_t s = 0; s < whole.num_shots(); ++s) {
        for (std::size_t k = 0; k < left_bits; ++k) ASSERT_EQ(left.get(s, k), whole.get(s, k));
        for (std::size_t k = 0; k < right_bits; ++k) ASSERT_EQ(right.get(s, k), whole.get(s, left_bits + k));
      }
      EXPECT_EQ(concatenate_columns(left, right), whole) << left_bits << " + " << right_bits;
    }
  }
}

TEST(BitTable, ColumnsKeepBitsBeyondTheSliceZero) {
  BitTable table(1, 70);
  for (std::size_t k = 0; k < 70; ++k) table.set(0, k, true);
  const BitTable middle = table.columns(3, 5);
  BitTable expected(1, 5);
  for (std::size_t k = 0; k < 5; ++k) expected.set(0, k, true);
  EXPECT_EQ(middle, expected);  // == compares whole words, so stray high bits would show
}

TEST(BitTable, RefusesSlicesAndConcatenationsThatDoNotFit) {
  BitTable table(2, 10);
  EXPECT_THROW((void)table.columns(8, 3), std::invalid_argument);
  EXPECT_THROW((void)table.columns(11, 0), std::invalid_argument);
  EXPECT_THROW((void)concatenate_columns(table, BitTable(3, 1)), std::invalid_argument);
}

}  // namespace
}  // namespace qontos::qec
