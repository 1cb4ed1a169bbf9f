// Shortest paths over a device's coupling graph. Routing reads distances from here, and a
// SWAP lower bound can be derived from them (a two-qubit gate between physical qubits at
// distance d needs at least d-1 SWAPs on some qubit pair before it can run).
#pragma once

#include <vector>

#include "device/descriptor.h"

namespace qontos::device {

/// Neighbours of every physical qubit, each list sorted ascending. An all-to-all device lists
/// every other qubit.
std::vector<std::vector<int>> adjacency(const Descriptor& d);

/// All-pairs shortest-path distances in coupling edges, found by one BFS per qubit (on an
/// all-to-all device every distinct pair is at distance 1).
class DistanceMatrix {
 public:
  static constexpr int kUnreachable = -1;

  DistanceMatrix() = default;
  explicit DistanceMatrix(const Descriptor& d);

  int num_qubits() const { return n_; }
  /// Edges on a shortest path from a to b; 0 when a == b; kUnreachable across components.
  int operator()(int a, int b) const { return d_[static_cast<std::size_t>(a) * static_cast<std::size_t>(n_) + static_cast<std::size_t>(b)]; }
  /// True when every qubit can reach every other (a device with 0 or 1 qubits is connected).
  bool connected() const;
  /// Largest finite distance between two qubits.
  int diameter() const;

 private:
  int n_ = 0;
  std::vector<int> d_;  // row-major n_ x n_
};

}  // namespace qontos::device
