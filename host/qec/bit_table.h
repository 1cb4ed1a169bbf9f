// A table of shots x bits (detection events, observable flips, predictions), the in-memory form
// every shot format reads into and writes from. Each shot is a row of 64-bit words: bit k of a shot
// is bit k % 64 of word k / 64, least significant first, so a b8 shot is its row's first bytes on a
// little-endian machine and 100k shots of ~1000 bits take 1.6M words in one allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace qontos::qec {

class BitTable {
 public:
  BitTable() = default;
  /// All bits false.
  BitTable(std::size_t num_shots, std::size_t bits_per_shot);

  std::size_t num_shots() const { return num_shots_; }
  std::size_t bits_per_shot() const { return bits_per_shot_; }
  /// Words in each row: ceil(bits_per_shot / 64).
  std::size_t words_per_shot() const { return words_per_shot_; }

  bool get(std::size_t shot, std::size_t bit) const {
    return (words_[shot * words_per_shot_ + bit / 64] >> (bit % 64)) & 1u;
  }
  void set(std::size_t shot, std::size_t bit, bool value) {
    std::uint64_t& word = words_[shot * words_per_shot_ + bit / 64];
    const std::uint64_t mask = std::uint64_t{1} << (bit % 64);
    word = value ? (word | mask) : (word & ~mask);
  }
  void flip(std::size_t shot, std::size_t bit) {
    words_[shot * words_per_shot_ + bit / 64] ^= std::uint64_t{1} << (bit % 64);
  }

  /// One shot's words. Bits at and beyond bits_per_shot in the last word are always zero: writers
  /// through this span must keep them so (equality and popcounts rely on it).
  std::span<std::uint64_t> row(std::size_t shot) { return {words_.data() + shot * words_per_shot_, words_per_shot_}; }
  std::span<const std::uint64_t> row(std::size_t shot) const {
    return {words_.data() + shot * words_per_shot_, words_per_shot_};
  }

  /// Appends an all-false shot and returns its index (readers of line formats grow the table).
  std::size_t append_shot();

  /// Bits [first, first + count) of every shot as a new table: splits appended observables off
  /// detection events (`columns(num_detectors, num_observables)`).
  BitTable columns(std::size_t first, std::size_t count) const;

  /// The set bits of one shot, ascending.
  std::vector<std::size_t> set_bits(std::size_t shot) const;

  friend bool operator==(const BitTable&, const BitTable&) = default;

 private:
  std::size_t num_shots_ = 0;
  std::size_t bits_per_shot_ = 0;
  std::size_t words_per_shot_ = 0;
  std::vector<std::uint64_t> words_;
};

/// The shots of `left` with the bits of `right` after theirs (detection events then observables);
/// both must hold the same number of shots (std::invalid_argument otherwise).
BitTable concatenate_columns(const BitTable& left, const BitTable& right);

}  // namespace qontos::qec
