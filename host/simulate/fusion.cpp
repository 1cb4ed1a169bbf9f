#include "simulate/fusion.h"

#include <algorithm>
#include <complex>
#include <map>

namespace qontos::simulate {
namespace {
using C = std::complex<double>;

// A dense matrix on an ordered list of qubits, under construction.
struct Block {
  std::vector<int> qubits;
  std::vector<C> matrix;  // row-major, index bit j = qubits[j]
  int order = 0;          // creation order, to emit ties deterministically
};

Block identity_on(const std::vector<int>& qubits) {
  Block b;
  b.qubits = qubits;
  const int d = 1 << qubits.size();
  b.matrix.assign(static_cast<std::size_t>(d) * d, 0);
  for (int i = 0; i < d; ++i) b.matrix[i * d + i] = 1;
  return b;
}

Block tensor(const Block& a, const Block& b) {
  Block t;
  t.qubits = a.qubits;
  t.qubits.insert(t.qubits.end(), b.qubits.begin(), b.qubits.end());
  const int ka = static_cast<int>(a.qubits.size());
  const int da = 1 << ka, db = 1 << b.qubits.size(), d = da * db;
  t.matrix.assign(static_cast<std::size_t>(d) * d, 0);
  for (int rb = 0; rb < db; ++rb)
    for (int cb = 0; cb < db; ++cb) {
      const C f = b.matrix[rb * db + cb];
      if (f == C(0)) continue;
      for (int ra = 0; ra < da; ++ra)
        for (int ca = 0; ca < da; ++ca)
          t.matrix[((rb << ka) | ra) * d + ((cb << ka) | ca)] = a.matrix[ra * da + ca] * f;
    }
  t.order = std::min(a.order, b.order);
  return t;
}

// block.matrix := G * block.matrix, where G (dense, no controls) acts on a subset of block.qubits.
void left_multiply(Block& block, const GateAction& g) {
  const int d = 1 << block.qubits.size();
  const int k = static_cast<int>(g.targets.size()), gd = 1 << k;
  std::vector<int> pos(k);
  for (int j = 0; j < k; ++j)
    pos[j] = static_cast<int>(std::find(block.qubits.begin(), block.qubits.end(), g.targets[j]) - block.qubits.begin());
  int gmask = 0;
  for (int p : pos) gmask |= 1 << p;
  std::vector<C> column(d), in(gd);
  for (int col = 0; col < d; ++col) {
    for (int r = 0; r < d; ++r) column[r] = block.matrix[r * d + col];
    for (int base = 0; base < d; ++base) {
      if (base & gmask) continue;
      for (int l = 0; l < gd; ++l) {
        int idx = base;
        for (int j = 0; j < k; ++j)
          if ((l >> j) & 1) idx |= 1 << pos[j];
        in[l] = column[idx];
      }
      for (int r = 0; r < gd; ++r) {
        C s = 0;
        for (int c = 0; c < gd; ++c) s += g.matrix[r * gd + c] * in[c];
        int idx = base;
        for (int j = 0; j < k; ++j)
          if ((r >> j) & 1) idx |= 1 << pos[j];
        block.matrix[idx * d + col] = s;
      }
    }
  }
}

GateAction to_action(Block&& b) {
  return GateAction{{}, std::move(b.qubits), std::move(b.matrix)};
}

}  // namespace

std::vector<GateAction> fuse_gates(const std::vector<GateAction>& gates, int max_qubits) {
  std::vector<GateAction> out;
  if (max_qubits <= 1) {
    // Still fuse runs of single-qubit gates on the same qubit.
    max_qubits = 1;
  }
  std::map<int, Block> open;    // by id
  std::map<int, int> block_of;  // qubit -> open block id
  int next_id = 0;

  auto emit = [&](int id) {
    Block& b = open.at(id);
    for (int q : b.qubits) block_of.erase(q);
    out.push_back(to_action(std::move(b)));
    open.erase(id);
  };

  for (const GateAction& gate : gates) {
    std::vector<int> touched = gate.controls;
    touched.insert(touched.end(), gate.targets.begin(), gate.targets.end());
    std::vector<int> ids;
    for (int q : touched)
      if (auto it = block_of.find(q);
          it != block_of.end() && std::find(ids.begin(), ids.end(), it->second) == ids.end())
        ids.push_back(it->second);
    std::vector<int> union_qubits = touched;
    for (int id : ids)
      for (int q : open.at(id).qubits)
        if (std::find(union_qubits.begin(), union_qubits.end(), q) == union_qubits.end()) union_qubits.push_back(q);

    if (static_cast<int>(union_qubits.size()) > max_qubits) {
      std::sort(ids.begin(), ids.end(), [&](int a, int b) { return open.at(a).order < open.at(b).order; });
      for (int id : ids) emit(id);
      if (static_cast<int>(touched.size()) > max_qubits) {
        out.push_back(gate);
        continue;
      }
      ids.clear();
    }
    // Merge the blocks the gate touches (disjoint, so they commute) and widen to its qubits.
    Block merged;
    bool have = false;
    for (int id : ids) {
      merged = have ? tensor(merged, open.at(id)) : open.at(id);
      have = true;
      for (int q : open.at(id).qubits) block_of.erase(q);
      open.erase(id);
    }
    std::vector<int> fresh;
    for (int q : touched)
      if (!have || std::find(merged.qubits.begin(), merged.qubits.end(), q) == merged.qubits.end()) fresh.push_back(q);
    if (!fresh.empty()) {
      Block widening = identity_on(fresh);
      widening.order = next_id;
      merged = have ? tensor(merged, widening) : widening;
      have = true;
    }
    if (ids.empty()) merged.order = next_id;
    left_multiply(merged, without_controls(gate));
    const int id = next_id++;
    for (int q : merged.qubits) block_of[q] = id;
    open.emplace(id, std::move(merged));
  }
  std::vector<int> rest;
  for (auto& [id, b] : open) rest.push_back(id);
  std::sort(rest.begin(), rest.end(), [&](int a, int b) { return open.at(a).order < open.at(b).order; });
  for (int id : rest) emit(id);
  return out;
}

}  // namespace qontos::simulate
