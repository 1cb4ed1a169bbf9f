#include "device/coupling.h"

#include <algorithm>
#include <stdexcept>

namespace qontos::device {

std::vector<std::vector<int>> adjacency(const Descriptor& d) {
  const int n = d.num_qubits;
  std::vector<std::vector<int>> adj(static_cast<std::size_t>(std::max(n, 0)));
  if (d.all_to_all) {
    for (int a = 0; a < n; ++a)
      for (int b = 0; b < n; ++b)
        if (a != b) adj[static_cast<std::size_t>(a)].push_back(b);
    return adj;
  }
  for (const auto& [a, b] : d.coupling) {
    if (a < 0 || b < 0 || a >= n || b >= n || a == b)
      throw std::invalid_argument("device " + d.name + ": coupling (" + std::to_string(a) + "," + std::to_string(b) +
                                  ") is not a pair of distinct qubits below " + std::to_string(n));
    adj[static_cast<std::size_t>(a)].push_back(b);
    adj[static_cast<std::size_t>(b)].push_back(a);
  }
  for (auto& list : adj) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
  return adj;
}

DistanceMatrix::DistanceMatrix(const Descriptor& d) : n_(std::max(d.num_qubits, 0)) {
  const auto n = static_cast<std::size_t>(n_);
  d_.assign(n * n, kUnreachable);
  if (d.all_to_all) {
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = 0; b < n; ++b) d_[a * n + b] = a == b ? 0 : 1;
    return;
  }
  const auto adj = adjacency(d);
  std::vector<int> queue(n);
  for (std::size_t src = 0; src < n; ++src) {
    int* row = &d_[src * n];
    row[src] = 0;
    std::size_t head = 0, tail = 0;
    queue[tail++] = static_cast<int>(src);
    while (head < tail) {
      const int u = queue[head++];
      for (int v : adj[static_cast<std::size_t>(u)]) {
        if (row[v] != kUnreachable) continue;
        row[v] = row[u] + 1;
        queue[tail++] = v;
      }
    }
  }
}

bool DistanceMatrix::connected() const {
  return std::find(d_.begin(), d_.end(), kUnreachable) == d_.end();
}

int DistanceMatrix::diameter() const {
  int best = 0;
  for (int v : d_) best = std::max(best, v);
  return best;
}

}  // namespace qontos::device
