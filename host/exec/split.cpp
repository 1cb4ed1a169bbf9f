#include "exec/split.h"

#include <algorithm>
#include <map>
#include <numeric>

namespace qontos::exec {
namespace {

struct UnionFind {
  std::vector<int> parent;
  explicit UnionFind(int n) : parent(static_cast<std::size_t>(n)) { std::iota(parent.begin(), parent.end(), 0); }
  int find(int x) {
    while (parent[static_cast<std::size_t>(x)] != x)
      x = parent[static_cast<std::size_t>(x)] = parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(x)])];
    return x;
  }
  void unite(int a, int b) {
    a = find(a);
    b = find(b);
    if (a != b) parent[static_cast<std::size_t>(std::max(a, b))] = std::min(a, b);
  }
};

bool has_classical_control(const ir::Program& p) {
  for (const ir::Op& op : p.ops)
    if (std::holds_alternative<ir::IfOp>(op.v) || std::holds_alternative<ir::WhileOp>(op.v) ||
        std::holds_alternative<ir::AssignOp>(op.v) || std::holds_alternative<ir::BreakOp>(op.v) ||
        std::holds_alternative<ir::ContinueOp>(op.v))
      return true;
  return false;
}

Part whole(const ir::Program& p) {
  Part part;
  part.qubits.resize(static_cast<std::size_t>(p.num_qubits));
  std::iota(part.qubits.begin(), part.qubits.end(), 0);
  part.clbits.resize(static_cast<std::size_t>(p.num_clbits));
  std::iota(part.clbits.begin(), part.clbits.end(), 0);
  part.program = p;
  return part;
}

}  // namespace

std::vector<Part> independent_parts(const ir::Program& p) {
  if (has_classical_control(p) || p.num_qubits == 0) return {whole(p)};
  UnionFind uf(p.num_qubits);
  std::vector<bool> touched(static_cast<std::size_t>(p.num_qubits), false);
  std::map<int, int> writer_of_clbit;  // clbit -> a qubit measured into it
  for (const ir::Op& op : p.ops) {
    if (const auto* g = std::get_if<ir::GateOp>(&op.v)) {
      for (int q : g->qubits) {
        touched[static_cast<std::size_t>(q)] = true;
        uf.unite(g->qubits.front(), q);
      }
    } else if (const auto* m = std::get_if<ir::MeasureOp>(&op.v)) {
      touched[static_cast<std::size_t>(m->qubit)] = true;
      auto [it, fresh] = writer_of_clbit.emplace(m->clbit, m->qubit);
      if (!fresh) uf.unite(it->second, m->qubit);  // one clbit written from two groups joins them
    } else if (const auto* r = std::get_if<ir::ResetOp>(&op.v)) {
      touched[static_cast<std::size_t>(r->qubit)] = true;
    }
  }
  std::map<int, std::size_t> part_of_root;
  std::vector<Part> parts;
  for (int q = 0; q < p.num_qubits; ++q) {
    if (!touched[static_cast<std::size_t>(q)]) continue;
    auto [it, fresh] = part_of_root.emplace(uf.find(q), parts.size());
    if (fresh) parts.emplace_back();
    parts[it->second].qubits.push_back(q);
  }
  if (parts.size() <= 1) return {whole(p)};
  std::vector<int> part_of_qubit(static_cast<std::size_t>(p.num_qubits), -1),
      local(static_cast<std::size_t>(p.num_qubits), -1);
  for (std::size_t k = 0; k < parts.size(); ++k)
    for (std::size_t j = 0; j < parts[k].qubits.size(); ++j) {
      part_of_qubit[static_cast<std::size_t>(parts[k].qubits[j])] = static_cast<int>(k);
      local[static_cast<std::size_t>(parts[k].qubits[j])] = static_cast<int>(j);
    }
  for (auto [clbit, qubit] : writer_of_clbit)
    parts[static_cast<std::size_t>(part_of_qubit[static_cast<std::size_t>(qubit)])].clbits.push_back(clbit);
  std::vector<std::map<int, int>> local_clbit(parts.size());
  for (std::size_t k = 0; k < parts.size(); ++k) {
    Part& part = parts[k];
    std::sort(part.clbits.begin(), part.clbits.end());
    for (std::size_t j = 0; j < part.clbits.size(); ++j) local_clbit[k][part.clbits[j]] = static_cast<int>(j);
    part.program.num_qubits = static_cast<int>(part.qubits.size());
    part.program.num_clbits = static_cast<int>(part.clbits.size());
    part.program.qregs = {{"q", part.program.num_qubits, 0}};
    if (part.program.num_clbits > 0) part.program.cregs = {{"c", part.program.num_clbits, 0}};
  }
  for (const ir::Op& op : p.ops) {
    if (const auto* g = std::get_if<ir::GateOp>(&op.v)) {
      ir::GateOp copy = *g;
      for (int& q : copy.qubits) q = local[static_cast<std::size_t>(q)];
      parts[static_cast<std::size_t>(part_of_qubit[static_cast<std::size_t>(g->qubits.front())])].program.ops.push_back(
          ir::Op(std::move(copy), op.line));
    } else if (const auto* m = std::get_if<ir::MeasureOp>(&op.v)) {
      const auto k = static_cast<std::size_t>(part_of_qubit[static_cast<std::size_t>(m->qubit)]);
      parts[k].program.ops.push_back(
          ir::Op(ir::MeasureOp{local[static_cast<std::size_t>(m->qubit)], local_clbit[k].at(m->clbit)}, op.line));
    } else if (const auto* r = std::get_if<ir::ResetOp>(&op.v)) {
      const auto k = static_cast<std::size_t>(part_of_qubit[static_cast<std::size_t>(r->qubit)]);
      parts[k].program.ops.push_back(ir::Op(ir::ResetOp{local[static_cast<std::size_t>(r->qubit)]}, op.line));
    } else if (const auto* b = std::get_if<ir::BarrierOp>(&op.v)) {
      std::map<std::size_t, ir::BarrierOp> per_part;
      for (int q : b->qubits)
        if (part_of_qubit[static_cast<std::size_t>(q)] >= 0)
          per_part[static_cast<std::size_t>(part_of_qubit[static_cast<std::size_t>(q)])].qubits.push_back(
              local[static_cast<std::size_t>(q)]);
      for (auto& [k, bar] : per_part) parts[k].program.ops.push_back(ir::Op(std::move(bar), op.line));
    } else if (const auto* d = std::get_if<ir::DelayOp>(&op.v)) {
      std::map<std::size_t, ir::DelayOp> per_part;
      for (int q : d->qubits)
        if (part_of_qubit[static_cast<std::size_t>(q)] >= 0) {
          auto& del = per_part[static_cast<std::size_t>(part_of_qubit[static_cast<std::size_t>(q)])];
          del.duration = d->duration;
          del.unit = d->unit;
          del.qubits.push_back(local[static_cast<std::size_t>(q)]);
        }
      for (auto& [k, del] : per_part) parts[k].program.ops.push_back(ir::Op(std::move(del), op.line));
    }
    // A global phase does not change any distribution; it is dropped with the split.
  }
  return parts;
}

long long joining_gates(const ir::Program& program, const std::vector<int>& group_of_qubit) {
  long long n = 0;
  ir::for_each_op(program.ops, [&](const ir::Op& op) {
    const auto* g = std::get_if<ir::GateOp>(&op.v);
    if (!g || g->qubits.size() < 2) return;
    for (int q : g->qubits)
      if (group_of_qubit.at(static_cast<std::size_t>(q)) !=
          group_of_qubit.at(static_cast<std::size_t>(g->qubits.front()))) {
        ++n;
        return;
      }
  });
  return n;
}

std::string merge_shot(int num_clbits, const std::vector<Part>& parts, const std::vector<const std::string*>& shots) {
  std::string out(static_cast<std::size_t>(num_clbits), '0');
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const std::string& s = *shots[k];
    const std::size_t width = parts[k].clbits.size();
    for (std::size_t j = 0; j < width; ++j)
      out[static_cast<std::size_t>(num_clbits) - 1 - static_cast<std::size_t>(parts[k].clbits[j])] = s[width - 1 - j];
  }
  return out;
}

}  // namespace qontos::exec
