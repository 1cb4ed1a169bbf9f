// The Fiedler vector (eigenvector of the second-smallest eigenvalue of the weighted graph
// Laplacian) of a connected piece of the interaction graph. Sorting vertices by it places
// strongly interacting qubits next to each other, so a cut of the sorted order cuts few edges.
#pragma once

#include <vector>

#include "partition/interaction_graph.h"

namespace qontos::partition {

enum class EigenSolver {
  kAuto,                // dense below kDenseBelow vertices, Spectra (falling back to dense) from there on
  kDense,               // Eigen's SelfAdjointEigenSolver on the dense Laplacian
  kSpectra,             // Spectra's Lanczos solver: plain first, shift-invert if that does not converge
  kSpectraShiftInvert,  // Spectra on the shift-inverted Laplacian only (for tests and measurements)
  kSpectraPlain,        // Spectra on the reflected Laplacian only (for tests and measurements)
};

inline constexpr int kDenseBelow = 64;

/// The Fiedler vector of the subgraph of `g` induced by `vertices` (sorted, distinct, inducing a
/// connected subgraph, at least 2 of them); entry i belongs to vertices[i]. It has unit norm and a
/// canonical sign: the first entry of magnitude above 1e-6 of the largest is negative. Values are
/// rounded to 1e-9 so that equal entries compare equal whichever solver produced them.
std::vector<double> fiedler_vector(const InteractionGraph& g, const std::vector<int>& vertices,
                                   EigenSolver solver = EigenSolver::kAuto);

/// `vertices` sorted by Fiedler value, ties by vertex index.
std::vector<int> fiedler_order(const InteractionGraph& g, const std::vector<int>& vertices,
                               EigenSolver solver = EigenSolver::kAuto);

}  // namespace qontos::partition
