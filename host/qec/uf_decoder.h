// The software union-find decoder: the HLS decoder (hdl/decoder/hls/union_find_decoder.h)
// compiled for the host, loaded with a decoding graph, and run over tables of shots. A shot's
// prediction is the observable flips of its correction.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

#include "qec/bit_table.h"
#include "qec/decoding_graph.h"

namespace qontos::qec {

/// The graph does not fit the decoder, or a shot cannot be decoded; the message says why.
struct DecoderError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct DecodeStats {
  std::uint64_t shots = 0;
  std::uint64_t defects = 0;
  std::uint64_t growth_rounds = 0;
  std::uint64_t max_growth_rounds = 0;
};

class UnionFindDecoder {
 public:
  static constexpr std::uint32_t kMaxDetectors = 16384;
  static constexpr std::uint32_t kMaxEdges = 131072;

  /// Edge weights are the graph's quantised weights (at least 1: an edge with p >= 1/2 costs 1).
  explicit UnionFindDecoder(const DecodingGraph& graph);
  ~UnionFindDecoder();
  UnionFindDecoder(UnionFindDecoder&&) noexcept;

  /// The predicted observable flips of one shot, given its detection events (bits 0..D-1).
  std::uint64_t decode(const std::uint64_t* detection_words, std::size_t num_detectors);

  /// Predictions for every shot of `detection_events` (D bits per shot): one row of
  /// num_observables bits per shot. Throws DecoderError naming the shot that cannot be decoded.
  BitTable predict(const BitTable& detection_events);

  const DecodeStats& stats() const { return stats_; }
  std::uint32_t num_observables() const { return num_observables_; }

 private:
  struct Engine;
  std::unique_ptr<Engine> engine_;
  std::vector<std::uint32_t> defects_;
  std::uint32_t num_detectors_ = 0;
  std::uint32_t num_observables_ = 0;
  DecodeStats stats_;
};

}  // namespace qontos::qec
