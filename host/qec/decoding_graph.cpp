// build_decoding_graph: collect each error component's edge contribution, merge parallel ones,
// weigh and quantise, index by node; and the JSON export.
#include "qec/decoding_graph.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <tuple>

namespace qontos::qec {
namespace {

std::string detector_list(const std::vector<std::uint32_t>& detectors) {
  std::string text;
  for (std::uint32_t d : detectors) text += (text.empty() ? "D" : " D") + std::to_string(d);
  return text;
}

}  // namespace

DecodingGraph build_decoding_graph(const DetectorErrorModel& model, const DecodingGraphOptions& options) {
  if (options.weight_bits < 1 || options.weight_bits > 16)
    throw std::invalid_argument("weight_bits must be 1..16, got " + std::to_string(options.weight_bits));
  DecodingGraph graph;
  graph.num_detectors = model.num_detectors;
  graph.num_observables = model.num_observables;
  graph.weight_bits = options.weight_bits;
  graph.detector_coordinates = model.detector_coordinates;
  const std::uint32_t boundary = graph.boundary();

  // (a, b, mask) -> merged probability. A std::map keeps the result independent of error order.
  std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint64_t>, double> contributions;
  for (const DemErrorMechanism& error : model.errors) {
    for (const DemErrorComponent& component : error.components) {
      if (component.detectors.size() > 2)
        throw DemError(model.origin, error.line,
                       "an error component flips " + std::to_string(component.detectors.size()) + " detectors (" +
                           detector_list(component.detectors) +
                           "); a decoding graph edge joins at most two (decompose the model with "
                           "stim analyze_errors --decompose_errors)");
      std::uint64_t mask = 0;
      for (std::uint32_t observable : component.observables) {
        if (observable >= 64)
          throw DemError(model.origin, error.line,
                         "observable L" + std::to_string(observable) + " is beyond the 64 an edge can carry");
        mask |= std::uint64_t{1} << observable;
      }
      if (component.detectors.empty()) {
        if (mask != 0)
          throw DemError(model.origin, error.line,
                         "an error component flips observables but no detector: no decoder can see it");
        continue;
      }
      if (error.probability == 0) {
        ++graph.zero_probability_components;
        continue;
      }
      const std::uint32_t a = component.detectors[0];
      const std::uint32_t b = component.detectors.size() == 2 ? component.detectors[1] : boundary;
      auto [it, inserted] = contributions.try_emplace({a, b, mask}, error.probability);
      if (!inserted) {
        const double p1 = it->second;
        const double p2 = error.probability;
        it->second = p1 * (1 - p2) + p2 * (1 - p1);
      }
    }
  }

  // Entries of one node pair are adjacent in the map (ordered by a, b, then mask).
  for (auto it = contributions.begin(); it != contributions.end();) {
    const std::uint32_t a = std::get<0>(it->first);
    const std::uint32_t b = std::get<1>(it->first);
    auto best = it;
    std::size_t masks = 0;
    for (; it != contributions.end() && std::get<0>(it->first) == a && std::get<1>(it->first) == b; ++it, ++masks)
      if (it->second > best->second) best = it;
    if (masks > 1) ++graph.conflicting_parallel_edges;
    DecodingEdge edge;
    edge.a = a;
    edge.b = b;
    edge.probability = best->second;
    edge.observable_mask = std::get<2>(best->first);
    edge.weight = std::log((1 - edge.probability) / edge.probability);
    graph.edges.push_back(edge);
  }

  // Quantise: scale so the largest weight is the largest integer, round, and keep positive
  // weights at least 1 (a zero-weight edge would be free, which only p >= 1/2 deserves).
  const std::uint32_t max_quantised = (std::uint32_t{1} << options.weight_bits) - 1;
  double max_weight = 0;
  for (const DecodingEdge& edge : graph.edges) max_weight = std::max(max_weight, edge.weight);
  graph.weight_scale = max_weight > 0 && std::isfinite(max_weight) ? max_quantised / max_weight : 0;
  for (DecodingEdge& edge : graph.edges) {
    if (!(edge.weight > 0)) {
      edge.quantised_weight = 0;
      ++graph.non_positive_weight_edges;
      continue;
    }
    const double scaled = std::round(edge.weight * graph.weight_scale);
    edge.quantised_weight = static_cast<std::uint32_t>(std::clamp(scaled, 1.0, static_cast<double>(max_quantised)));
  }

  // Incidence lists (CSR): count, prefix-sum, fill.
  graph.incident_offsets.assign(graph.num_nodes() + 1, 0);
  for (const DecodingEdge& edge : graph.edges) {
    ++graph.incident_offsets[edge.a + 1];
    ++graph.incident_offsets[edge.b + 1];
  }
  for (std::uint32_t n = 0; n < graph.num_nodes(); ++n) graph.incident_offsets[n + 1] += graph.incident_offsets[n];
  graph.incident_edges.resize(graph.edges.size() * 2);
  std::vector<std::uint32_t> next(graph.incident_offsets.begin(), graph.incident_offsets.end() - 1);
  for (std::uint32_t e = 0; e < graph.edges.size(); ++e) {
    graph.incident_edges[next[graph.edges[e].a]++] = e;
    graph.incident_edges[next[graph.edges[e].b]++] = e;
  }
  return graph;
}

std::string decoding_graph_to_json(const DecodingGraph& graph) {
  nlohmann::ordered_json document;
  document["format"] = "qontos.decoding_graph";
  document["version"] = 1;
  document["num_detectors"] = graph.num_detectors;
  document["num_observables"] = graph.num_observables;
  document["boundary"] = graph.boundary();
  document["weight_bits"] = graph.weight_bits;
  document["weight_scale"] = graph.weight_scale;
  nlohmann::ordered_json edges = nlohmann::ordered_json::array();
  for (const DecodingEdge& edge : graph.edges) {
    nlohmann::ordered_json entry;
    entry["a"] = edge.a;
    entry["b"] = edge.b;
    entry["p"] = edge.probability;
    entry["weight"] = edge.weight;
    entry["qweight"] = edge.quantised_weight;
    entry["observables"] = edge.observable_mask;
    edges.push_back(std::move(entry));
  }
  document["edges"] = std::move(edges);
  document["detector_coordinates"] = graph.detector_coordinates;
  return document.dump(1) + "\n";
}

}  // namespace qontos::qec
