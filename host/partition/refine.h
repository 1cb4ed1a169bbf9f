// Fiduccia–Mattheyses refinement of a bisection: moves single vertices between the two sides
// while the move lowers the weight of cut edges, within size bounds. Spectral orders are good
// globally but often leave a few misplaced vertices near the cut; this fixes those locally.
#pragma once

#include <vector>

#include "partition/interaction_graph.h"

namespace qontos::partition {

/// Improves side A of a bisection of the subgraph induced by `vertices` (sorted); `a` (sorted, a
/// subset of `vertices`) has between lo and hi vertices and so does the result. Never increases
/// the cut weight. Deterministic: ties go to the smaller vertex index.
std::vector<int> refine_bisection(const InteractionGraph& g, const std::vector<int>& vertices,
                                  const std::vector<int>& a, int lo, int hi);

}  // namespace qontos::partition
