// BitTable: construction, growth, column slicing and the listing of set bits.
#include "qec/bit_table.h"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>

namespace qontos::qec {

BitTable::BitTable(std::size_t num_shots, std::size_t bits_per_shot)
    : num_shots_(num_shots),
      bits_per_shot_(bits_per_shot),
      words_per_shot_((bits_per_shot + 63) / 64),
      words_(num_shots * words_per_shot_, 0) {}

std::size_t BitTable::append_shot() {
  words_.resize(words_.size() + words_per_shot_, 0);
  return num_shots_++;
}

BitTable BitTable::columns(std::size_t first, std::size_t count) const {
  if (first > bits_per_shot_ || count > bits_per_shot_ - first)
    throw std::invalid_argument("BitTable::columns: bits [" + std::to_string(first) + ", " +
                                std::to_string(first + count) + ") outside a " + std::to_string(bits_per_shot_) +
                                "-bit shot");
  BitTable result(num_shots_, count);
  for (std::size_t shot = 0; shot < num_shots_; ++shot) {
    const std::uint64_t* source = words_.data() + shot * words_per_shot_;
    std::uint64_t* target = result.words_.data() + shot * result.words_per_shot_;
    // Word-at-a-time: output word w takes source bits [first + 64w, first + 64w + 64).
    for (std::size_t w = 0; w < result.words_per_shot_; ++w) {
      const std::size_t start = first + 64 * w;
      const std::size_t word = start / 64;
      const unsigned shift = start % 64;
      std::uint64_t value = source[word] >> shift;
      if (shift != 0 && word + 1 < words_per_shot_) value |= source[word + 1] << (64 - shift);
      target[w] = value;
    }
    if (count % 64 != 0) target[result.words_per_shot_ - 1] &= (std::uint64_t{1} << (count % 64)) - 1;
  }
  return result;
}

std::vector<std::size_t> BitTable::set_bits(std::size_t shot) const {
  std::vector<std::size_t> bits;
  const std::uint64_t* words = words_.data() + shot * words_per_shot_;
  for (std::size_t w = 0; w < words_per_shot_; ++w) {
    for (std::uint64_t word = words[w]; word != 0; word &= word - 1)
      bits.push_back(64 * w + static_cast<std::size_t>(std::countr_zero(word)));
  }
  return bits;
}

BitTable concatenate_columns(const BitTable& left, const BitTable& right) {
  if (left.num_shots() != right.num_shots())
    throw std::invalid_argument("concatenate_columns: " + std::to_string(left.num_shots()) + " shots and " +
                                std::to_string(right.num_shots()) + " shots");
  BitTable result(left.num_shots(), left.bits_per_shot() + right.bits_per_shot());
  for (std::size_t shot = 0; shot < left.num_shots(); ++shot) {
    auto target = result.row(shot);
    auto first = left.row(shot);
    std::copy(first.begin(), first.end(), target.begin());
    const std::size_t offset = left.bits_per_shot();
    auto second = right.row(shot);
    for (std::size_t w = 0; w < second.size(); ++w) {
      // Right's word w lands at bit offset + 64w, straddling two result words unless aligned.
      const std::size_t bit = offset + 64 * w;
      const unsigned shift = bit % 64;
      target[bit / 64] |= second[w] << shift;
      if (shift != 0 && bit / 64 + 1 < target.size()) target[bit / 64 + 1] |= second[w] >> (64 - shift);
    }
  }
  return result;
}

}  // namespace qontos::qec
