// The `optimise` pass: exact, local simplification of the gate stream. It changes a program in
// three ways, repeated until nothing changes:
//   * two gates that are each other's exact inverse (ir::inverse_gate, controls included) on the
//     same qubits cancel: h h, cx cx, s sdg, cz a,b with cz b,a, ccx with its controls swapped;
//   * two rotations about the same axis on the same qubits (rz, rx, ry, p, rzz, rxx and their
//     controlled forms cp, crx, cry, crz) merge into one whose angle is the exact ir::Angle sum,
//     reduced by whole periods when exact (4π for rotations, 2π for p; as in `normalise`, an
//     uncontrolled rotation outside control flow is reduced by 2π turns, each odd turn adding
//     π to the program's global phase). A result equal to the identity is dropped, and so is
//     an uncontrolled rotation by 2π (−I) outside control flow, with π added to the global
//     phase. Lone identity gates (rz(0), p(2π), U(0,0,0), ...) go too;
//   * to bring such pairs together a gate moves backwards past gates it provably commutes
//     with: two gates commute when on every qubit they share both are diagonal in the same
//     basis (Z: controls, z s sdg t tdg rz p, both qubits of cz cp rzz; X: x sx sxdg rx, both
//     qubits of rxx, the target of cx crx; Y: y ry, the target of cy cry), or when they are the
//     same gate; a walk looks back a bounded number of ops (kMaxLookback). So
//     `rz(a) q0; cx q0,q1; rz(b) q0` becomes `rz(a+b) q0; cx q0,q1`, while
//     `h q0; cx q0,q1; h q0` is left alone.
// Nothing moves across measure, reset, barrier, delay, or an if/while that touches the qubit;
// break/continue (and an if containing one) block every qubit. Each if/while body is optimised
// on its own. The rewrites never introduce a gate name: a merged gate keeps the name, qubits and
// controls of the earlier of the two, so a device-native program stays device-native. A program
// not bound to a device (no `decompose` to a basis) is handed back in normal form (`normalise`
// runs on the result), so that p(π/4)·p(π/4) comes out as s and normalising again changes nothing.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "ir/gate_set.h"
#include "ir/serialise_json.h"
#include "passes/pass.h"

namespace qontos::passes {
namespace {

using ir::Angle;
using ir::GateOp;
using ir::Op;
using ir::OpList;

bool one_of(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

/// The basis in which a gate is diagonal on one of its qubits (it commutes with that Pauli).
enum class Basis : unsigned char { kNone, kZ, kX, kY };

struct GateInfo {
  bool known = false;  // a built-in gate without modifiers, with consistent arity
  std::string base;    // the gate with its named controls unfolded: cx -> x, cp -> p
  std::vector<Angle> base_params;
  int controls = 0;          // all controls: op.controls plus those of the named gate
  std::vector<int> shape;    // qubits in comparison order (interchangeable ones sorted)
  std::vector<Basis> basis;  // per entry of op.qubits
  std::int64_t period = 0;   // rotation_period(base)
  bool has_inverse = false;  // `inverse` is the exact inverse of the base gate, same controls
  ir::NamedGate inverse;
};

Basis single_qubit_basis(std::string_view base, const std::vector<Angle>& params) {
  if (one_of(base, {"z", "s", "sdg", "t", "tdg", "rz", "p", "id"})) return Basis::kZ;
  if (base == "U" && params[0].is_zero()) return Basis::kZ;  // U(0,φ,λ) = diag(1, e^{i(φ+λ)})
  if (one_of(base, {"x", "sx", "sxdg", "rx"})) return Basis::kX;
  if (one_of(base, {"y", "ry"})) return Basis::kY;
  return Basis::kNone;
}

/// Period of a one-angle rotation family in units of 2π (rz(θ+4π) = rz(θ), p(λ+2π) = p(λ));
/// 0 when `base` is not one.
std::int64_t rotation_period(std::string_view base) {
  if (one_of(base, {"rz", "rx", "ry", "rzz", "rxx"})) return 2;
  if (base == "p") return 1;
  return 0;
}

GateInfo describe(const GateOp& g) {
  GateInfo info;
  info.basis.assign(g.qubits.size(), Basis::kNone);
  const ir::GateSpec* spec = ir::find_gate(g.name);
  if (!spec || !g.modifiers.empty() || !g.param_exprs.empty() || ir::is_library_definition(g.name) || g.controls < 0 ||
      g.params.size() != static_cast<std::size_t>(spec->num_params) ||
      g.qubits.size() != static_cast<std::size_t>(g.controls + spec->num_qubits))
    return info;
  std::vector<int> sorted = g.qubits;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end() || (!sorted.empty() && sorted[0] < 0))
    return info;

  ir::NamedGate unfolded = ir::unfold_controls(g.name, g.params);
  info.known = true;
  info.base = std::move(unfolded.name);
  info.base_params = std::move(unfolded.params);
  info.controls = g.controls + unfolded.extra_controls;
  const auto controls = static_cast<std::size_t>(info.controls);
  const std::size_t targets = g.qubits.size() - controls;

  for (std::size_t i = 0; i < controls; ++i) info.basis[i] = Basis::kZ;
  if (targets == 1) {
    info.basis[controls] = single_qubit_basis(info.base, info.base_params);
  } else if (info.base == "rzz") {
    info.basis[controls] = info.basis[controls + 1] = Basis::kZ;
  } else if (info.base == "rxx") {
    info.basis[controls] = info.basis[controls + 1] = Basis::kX;
  } else if (info.base == "cu") {
    info.basis[controls] = Basis::kZ;
    if (info.base_params[0].is_zero()) info.basis[controls + 1] = Basis::kZ;
  }

  info.period = rotation_period(info.base);
  try {
    ir::NamedGate inv = ir::inverse_gate(info.base, info.base_params);
    if (inv.extra_controls == 0 && inv.global_phase.is_zero()) {
      info.has_inverse = true;
      info.inverse = std::move(inv);
    }
  } catch (const std::invalid_argument&) {
    // A gate without a closed-form inverse simply never cancels.
  }

  info.shape = g.qubits;
  const auto first_target = info.shape.begin() + static_cast<std::ptrdiff_t>(controls);
  if (one_of(info.base, {"z", "p"})) {
    std::sort(info.shape.begin(), info.shape.end());  // a controlled phase is symmetric in all qubits
  } else {
    std::sort(info.shape.begin(), first_target);
    if (one_of(info.base, {"swap", "rzz", "rxx"})) std::sort(first_target, info.shape.end());
  }
  return info;
}

bool same_placement(const GateInfo& a, const GateInfo& b) {
  return a.known && b.known && a.controls == b.controls && a.shape == b.shape;
}

bool are_inverse(const GateInfo& a, const GateInfo& b) {
  return a.has_inverse && same_placement(a, b) && a.inverse.name == b.base && a.inverse.params == b.base_params;
}

bool mergeable(const GateInfo& a, const GateInfo& b) {
  return a.period != 0 && same_placement(a, b) && a.base == b.base;
}

bool commute(const GateOp& a, const GateInfo& ai, const GateOp& b, const GateInfo& bi) {
  if (!ai.known || !bi.known) return false;
  if (a.qubits == b.qubits && a.controls == b.controls && a.name == b.name && a.params == b.params) return true;
  for (std::size_t i = 0; i < a.qubits.size(); ++i) {
    auto it = std::find(b.qubits.begin(), b.qubits.end(), a.qubits[i]);
    if (it == b.qubits.end()) continue;
    Basis other = bi.basis[static_cast<std::size_t>(it - b.qubits.begin())];
    if (ai.basis[i] == Basis::kNone || ai.basis[i] != other) return false;
  }
  return true;
}

Angle reduced(Angle a, std::int64_t period) {
  a.wrap(period);
  return a;
}

enum class Identity { kNo, kYes, kMinus };  // kMinus: the base gate is exactly −I

Identity classify(const GateInfo& info) {
  if (!info.known) return Identity::kNo;
  if (std::int64_t period = info.period) {
    Angle a = reduced(info.base_params[0], period);
    if (a.is_zero()) return Identity::kYes;
    if (period == 2 && a.is_exact() && a.pi_coefficient() == ir::Rational{2, 1}) return Identity::kMinus;
    return Identity::kNo;
  }
  if (info.base == "U" || (info.base == "cu" && info.base_params[3].is_zero())) {
    if (!info.base_params[0].is_zero()) return Identity::kNo;
    if (reduced(info.base_params[1] + info.base_params[2], 1).is_zero()) return Identity::kYes;
  }
  return Identity::kNo;
}

/// The qubits an op acts on as seen from the list holding it; `all` when it must not be
/// crossed by anything (break/continue escaping this list, a barrier or delay on every qubit).
struct Footprint {
  std::vector<int> qubits;
  bool all = false;
};

void add_footprint(const Op& op, bool inside_loop, Footprint& f) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, GateOp>) {
          f.qubits.insert(f.qubits.end(), x.qubits.begin(), x.qubits.end());
        } else if constexpr (std::is_same_v<T, ir::MeasureOp> || std::is_same_v<T, ir::ResetOp>) {
          f.qubits.push_back(x.qubit);
        } else if constexpr (std::is_same_v<T, ir::BarrierOp> || std::is_same_v<T, ir::DelayOp>) {
          if (x.qubits.empty()) f.all = true;
          f.qubits.insert(f.qubits.end(), x.qubits.begin(), x.qubits.end());
        } else if constexpr (std::is_same_v<T, ir::BreakOp> || std::is_same_v<T, ir::ContinueOp>) {
          if (!inside_loop) f.all = true;
        } else if constexpr (std::is_same_v<T, ir::IfOp>) {
          for (const Op& o : x.then_ops) add_footprint(o, inside_loop, f);
          for (const Op& o : x.else_ops) add_footprint(o, inside_loop, f);
        } else if constexpr (std::is_same_v<T, ir::WhileOp>) {
          for (const Op& o : x.body) add_footprint(o, true, f);
        }
        // GlobalPhaseOp and AssignOp touch no qubit.
      },
      op.v);
}

Footprint footprint(const Op& op) {
  Footprint f;
  add_footprint(op, false, f);
  std::sort(f.qubits.begin(), f.qubits.end());
  f.qubits.erase(std::unique(f.qubits.begin(), f.qubits.end()), f.qubits.end());
  return f;
}

/// How many steps one gate's backward walk may take (each earlier op sharing a qubit, live or
/// already removed in this sweep, is one step). Long runs of mutually commuting gates (a layer
/// of rzz or cz) would otherwise make each sweep quadratic; the bound keeps it linear and
/// depends only on the program, so output stays deterministic.
constexpr int kMaxLookback = 256;

/// Optimises one op list (not its nested bodies) to a fixed point.
class ListOptimiser {
 public:
  /// `global_phase` is the program's phase when `ops` is the top-level list, else null.
  ListOptimiser(OpList& ops, Angle* global_phase) : ops_(ops), global_phase_(global_phase) {}

  void run() {
    while (sweep()) {
    }
  }

 private:
  bool sweep() {
    const std::size_t n = ops_.size();
    alive_.assign(n, true);
    infos_.assign(n, GateInfo{});
    std::vector<Footprint> feet(n);
    std::vector<std::vector<std::size_t>> by_qubit;  // indices of ops touching each qubit, ascending
    for (std::size_t k = 0; k < n; ++k) {
      feet[k] = footprint(ops_[k]);
      if (const auto* g = std::get_if<GateOp>(&ops_[k].v)) infos_[k] = describe(*g);
      if (feet[k].all) continue;
      for (int q : feet[k].qubits) {
        if (q < 0) continue;
        const auto uq = static_cast<std::size_t>(q);
        if (uq >= by_qubit.size()) by_qubit.resize(uq + 1);
        by_qubit[uq].push_back(k);
      }
    }

    bool changed = false;
    bool have_wall = false;
    std::size_t last_wall = 0;  // the latest op before `i` that blocks every qubit
    for (std::size_t i = 0; i < n; ++i) {
      if (feet[i].all) {
        have_wall = true;
        last_wall = i;
        continue;
      }
      if (!std::holds_alternative<GateOp>(ops_[i].v) || !infos_[i].known) continue;
      if (drop_if_identity(i)) {
        changed = true;
        continue;
      }
      // Walk back over the earlier ops that share a qubit with gate i, latest first.
      const std::vector<int>& qubits = feet[i].qubits;
      std::vector<std::ptrdiff_t> cursor(qubits.size());
      for (std::size_t c = 0; c < qubits.size(); ++c) {
        const auto& list = by_qubit[static_cast<std::size_t>(qubits[c])];
        cursor[c] = (std::lower_bound(list.begin(), list.end(), i) - list.begin()) - 1;
      }
      int budget = kMaxLookback;
      while (budget > 0) {
        --budget;
        for (std::size_t c = 0; c < qubits.size(); ++c) {
          const auto& list = by_qubit[static_cast<std::size_t>(qubits[c])];
          for (; cursor[c] >= 0 && budget > 0 && !alive_[list[static_cast<std::size_t>(cursor[c])]]; --budget)
            --cursor[c];
        }
        if (budget <= 0) break;  // a cursor may still rest on a removed op
        std::ptrdiff_t j = -1;
        for (std::size_t c = 0; c < qubits.size(); ++c) {
          const auto& list = by_qubit[static_cast<std::size_t>(qubits[c])];
          if (cursor[c] >= 0) j = std::max(j, static_cast<std::ptrdiff_t>(list[static_cast<std::size_t>(cursor[c])]));
        }
        if (j < 0) break;
        const auto uj = static_cast<std::size_t>(j);
        if (have_wall && uj < last_wall) break;
        for (std::size_t c = 0; c < qubits.size(); ++c) {
          const auto& list = by_qubit[static_cast<std::size_t>(qubits[c])];
          if (cursor[c] >= 0 && list[static_cast<std::size_t>(cursor[c])] == uj) --cursor[c];
        }
        const auto* earlier = std::get_if<GateOp>(&ops_[uj].v);
        if (!earlier) break;  // measure, reset, barrier, delay or control flow on a shared qubit
        if (are_inverse(infos_[uj], infos_[i])) {
          alive_[uj] = alive_[i] = false;
          changed = true;
          break;
        }
        if (mergeable(infos_[uj], infos_[i])) {
          merge_into(uj, i);
          changed = true;
          break;
        }
        if (!commute(*earlier, infos_[uj], std::get<GateOp>(ops_[i].v), infos_[i])) break;
      }
    }

    if (changed) {
      OpList kept;
      kept.reserve(n);
      for (std::size_t k = 0; k < n; ++k)
        if (alive_[k]) kept.push_back(std::move(ops_[k]));
      ops_ = std::move(kept);
    }
    return changed;
  }

  /// Gate `later` has been moved (through gates it commutes with) next to gate `earlier`; the
  /// pair becomes one gate at `earlier`'s place, or nothing.
  void merge_into(std::size_t earlier, std::size_t later) {
    auto& target = std::get<GateOp>(ops_[earlier].v);
    const auto& source = std::get<GateOp>(ops_[later].v);
    Angle sum = target.params[0] + source.params[0];
    if (infos_[earlier].period == 2 && infos_[earlier].controls == 0) {
      // As `normalise` does: an uncontrolled rotation is kept within one 2π turn, each odd turn
      // (a factor −1) going into the global phase (inside control flow it is unobservable).
      if (sum.wrap(1) % 2 != 0 && global_phase_) add_pi_to_global_phase();
    } else {
      sum = reduced(sum, infos_[earlier].period);
    }
    target.params[0] = sum;
    alive_[later] = false;
    infos_[earlier] = describe(target);
    drop_if_identity(earlier);
  }

  void add_pi_to_global_phase() { *global_phase_ = reduced(*global_phase_ + Angle::pi_times({1, 1}), 1); }

  bool drop_if_identity(std::size_t k) {
    switch (classify(infos_[k])) {
      case Identity::kYes:
        alive_[k] = false;
        return true;
      case Identity::kMinus:
        if (infos_[k].controls != 0 || !global_phase_) return false;
        add_pi_to_global_phase();
        alive_[k] = false;
        return true;
      case Identity::kNo:
        return false;
    }
    return false;
  }

  OpList& ops_;
  Angle* global_phase_;
  std::vector<bool> alive_;
  std::vector<GateInfo> infos_;
};

void optimise_list(OpList& ops, Angle* global_phase) {
  for (Op& op : ops) {
    if (auto* i = std::get_if<ir::IfOp>(&op.v)) {
      optimise_list(i->then_ops, nullptr);
      optimise_list(i->else_ops, nullptr);
    } else if (auto* w = std::get_if<ir::WhileOp>(&op.v)) {
      optimise_list(w->body, nullptr);
    }
  }
  ListOptimiser(ops, global_phase).run();
}

}  // namespace

ir::Program run_optimise(const ir::Program& in, const PassContext& ctx) {
  ir::Program out = in;
  optimise_list(out.ops, &out.global_phase);
  if (!out.device.empty()) return out;
  // Merged angles can land where `normalise` would rename the gate (p(π/2) is s, cp(π) is cz),
  // and a renamed gate may cancel with a neighbour (cz cz). Without a device basis to respect,
  // alternate the two until neither changes anything; every round that changes something
  // removes a gate or renames one towards normal form, so this ends quickly.
  std::string before = ir::serialise_json(out);
  for (int round = 0; round < 16; ++round) {
    out = run_normalise(out, ctx);
    optimise_list(out.ops, &out.global_phase);
    std::string after = ir::serialise_json(out);
    if (after == before) break;
    before = std::move(after);
  }
  return out;
}

}  // namespace qontos::passes
