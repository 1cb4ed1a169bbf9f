#include "qec/uf_decoder.h"

#include <bit>
#include <string>

#include "decoder/hls/union_find_decoder.h"

namespace qontos::qec {

struct UnionFindDecoder::Engine {
  hdl::decoder::UnionFindDecoder<kMaxDetectors, kMaxEdges> decoder;
};

UnionFindDecoder::UnionFindDecoder(const DecodingGraph& graph) : engine_(std::make_unique<Engine>()) {
  if (graph.num_detectors > kMaxDetectors || graph.edges.size() > kMaxEdges)
    throw DecoderError("the decoding graph has " + std::to_string(graph.num_detectors) + " detectors and " +
                       std::to_string(graph.edges.size()) + " edges; the decoder holds at most " +
                       std::to_string(kMaxDetectors) + " and " + std::to_string(kMaxEdges));
  if (graph.num_observables > 64)
    throw DecoderError("the decoder predicts at most 64 observables; the model has " +
                       std::to_string(graph.num_observables));
  std::vector<std::uint32_t> u, v;
  std::vector<std::uint16_t> w;
  std::vector<std::uint64_t> obs;
  for (const DecodingEdge& e : graph.edges) {
    u.push_back(e.a);
    v.push_back(e.b == graph.boundary() ? hdl::decoder::kBoundaryVertex : e.b);
    w.push_back(static_cast<std::uint16_t>(e.quantised_weight == 0 ? 1 : e.quantised_weight));
    obs.push_back(e.observable_mask);
  }
  if (!engine_->decoder.load_graph(graph.num_detectors, static_cast<std::uint32_t>(u.size()), u.data(), v.data(),
                                   w.data(), obs.data()))
    throw DecoderError("the decoding graph is malformed (an edge with equal endpoints or outside the graph)");
  num_detectors_ = graph.num_detectors;
  num_observables_ = graph.num_observables;
  defects_.resize(graph.num_detectors);
}

UnionFindDecoder::~UnionFindDecoder() = default;
UnionFindDecoder::UnionFindDecoder(UnionFindDecoder&&) noexcept = default;

std::uint64_t UnionFindDecoder::decode(const std::uint64_t* words, std::size_t num_detectors) {
  std::uint32_t count = 0;
  const std::size_t num_words = (num_detectors + 63) / 64;
  for (std::size_t k = 0; k < num_words; ++k) {
    std::uint64_t bits = words[k];
    while (bits) {
      const std::uint32_t index = static_cast<std::uint32_t>(k * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
      bits &= bits - 1;
      if (index < num_detectors_) defects_[count++] = index;
    }
  }
  const auto r = engine_->decoder.decode(defects_.data(), count, nullptr);
  if (r.status != hdl::decoder::DecodeStatus::kOk)
    throw DecoderError(r.status == hdl::decoder::DecodeStatus::kCannotMatch
                           ? "an odd set of detection events has no boundary to match to (the model is not "
                             "decodable as given)"
                           : "bad detection events");
  ++stats_.shots;
  stats_.defects += count;
  stats_.growth_rounds += r.growth_rounds;
  if (r.growth_rounds > stats_.max_growth_rounds) stats_.max_growth_rounds = r.growth_rounds;
  return r.observables;
}

BitTable UnionFindDecoder::predict(const BitTable& detection_events) {
  if (detection_events.bits_per_shot() != num_detectors_)
    throw DecoderError("the detection events have " + std::to_string(detection_events.bits_per_shot()) +
                       " bits per shot; the model has " + std::to_string(num_detectors_) + " detectors");
  BitTable out(detection_events.num_shots(), num_observables_);
  for (std::size_t s = 0; s < detection_events.num_shots(); ++s) {
    std::uint64_t flips = 0;
    try {
      flips = decode(detection_events.row(s).data(), num_detectors_);
    } catch (const DecoderError& e) {
      throw DecoderError("shot " + std::to_string(s) + ": " + e.what());
    }
    for (std::uint32_t k = 0; k < num_observables_; ++k)
      if ((flips >> k) & 1) out.set(s, k, true);
  }
  return out;
}

}  // namespace qontos::qec
