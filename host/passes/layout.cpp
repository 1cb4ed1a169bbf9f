// The `layout` pass: chooses where each logical qubit starts on the device and rewrites the
// program onto physical qubits. It sets initial_layout (logical -> physical, every logical
// qubit gets a home even when unused) and final_layout (= initial_layout; `route` updates it),
// relabels every qubit operand (if/while bodies included) to its physical index, sets
// num_qubits to the device's qubit count (on an all-to-all device it keeps the program's own), clears the quantum
// registers (physical qubits print as "$k") and records the device name. Gates and their order are unchanged.
//
// The placement follows SABRE (Li, Ding, Xie 2019): from ctx.routing_trials seeded random
// starting layouts, route the circuit forwards and backwards twice (the final layout of one
// direction seeds the next), then score each resulting layout by the SWAPs a forward routing
// would insert. The trivial layout (logical i on physical i) and a greedy placement (each new
// qubit next to its first partner; it suits chains and stars) are scored too, and the first
// trial refines the greedy one, so a circuit that already fits the coupling map keeps zero SWAPs. Fewest SWAPs wins;
// ties go to the earlier candidate. The scoring run uses the same seed as the `route` pass, so `route` inserts exactly
// the SWAP count this pass chose for. On an all-to-all device the layout is the trivial one and
// gates on any number of qubits are accepted; elsewhere a gate on more than two qubits is
// refused (decompose must run first). On a multi-module device the program's partition
// (from the `partition` pass) fixes each qubit's module, and the placement within each module
// starts nearest the photonic link; SABRE's layout search is not used there, so the starting
// placement honours the partition (routing's SWAPs may still carry a qubit across the link).
#include <algorithm>
#include <limits>
#include <numeric>

#include "device/descriptor.h"
#include "passes/pass.h"
#include "passes/sabre.h"

namespace qontos::passes {
namespace {

constexpr int kRoundTrips = 2;  // forward+backward passes per trial

/// Gives every logical qubit still without a place the lowest free physical qubit.
void fill_unplaced(std::vector<int>& layout, std::vector<bool>& used) {
  int next_free = 0;
  for (int& p : layout) {
    if (p >= 0) continue;
    while (used[static_cast<std::size_t>(next_free)]) ++next_free;
    p = next_free;
    used[static_cast<std::size_t>(next_free)] = true;
  }
}

/// A deterministic starting point that suits chains and stars: walk the circuit's two-qubit
/// gates in order and put each new logical qubit on the free physical qubit nearest to its
/// partner (the first on a best-connected qubit); qubits without gates take what is left.
std::vector<int> greedy_layout(const ir::Program& in, const sabre::Device& dev) {
  const int n_phys = dev.descriptor->num_qubits;
  std::vector<int> layout(static_cast<std::size_t>(n_phys), -1);
  std::vector<bool> used(static_cast<std::size_t>(n_phys), false);
  int last = -1;
  auto place = [&](int logical, int anchor) {
    int best = -1;
    for (int p = 0; p < n_phys; ++p) {
      if (used[static_cast<std::size_t>(p)]) continue;
      if (anchor < 0) {
        // No anchor: the free qubit with the most couplers.
        if (best < 0 ||
            dev.neighbours[static_cast<std::size_t>(p)].size() > dev.neighbours[static_cast<std::size_t>(best)].size())
          best = p;
      } else if (best < 0 || dev.distance(anchor, p) < dev.distance(anchor, best)) {
        best = p;
      }
    }
    layout[static_cast<std::size_t>(logical)] = best;
    used[static_cast<std::size_t>(best)] = true;
    last = best;
  };
  ir::for_each_op(in.ops, [&](const ir::Op& op) {
    const auto* g = std::get_if<ir::GateOp>(&op.v);
    if (!g || g->qubits.size() != 2) return;
    const int a = g->qubits[0];
    const int b = g->qubits[1];
    const int pa = layout[static_cast<std::size_t>(a)];
    const int pb = layout[static_cast<std::size_t>(b)];
    if (pa < 0 && pb < 0) {
      place(a, last);
      place(b, layout[static_cast<std::size_t>(a)]);
    } else if (pa < 0) {
      place(a, pb);
    } else if (pb < 0) {
      place(b, pa);
    }
  });
  fill_unplaced(layout, used);
  return layout;
}

/// On a multi-module device the partition decides which module each logical qubit lives in:
/// module k's qubits take module k's physical qubits, nearest the link first (they are the
/// ones most likely to talk across it), in order of logical index.
std::vector<int> partition_layout(const ir::Program& in, const sabre::Device& dev) {
  const device::Descriptor& d = *dev.descriptor;
  const ir::PartitionMap& map = *in.partition;
  const int n_phys = d.num_qubits;
  std::vector<int> layout(static_cast<std::size_t>(n_phys), -1);
  std::vector<bool> used(static_cast<std::size_t>(n_phys), false);
  for (std::size_t k = 0; k < d.modules.size(); ++k) {
    const device::Module& module = d.modules[k];
    int anchor = module.qubits.front();
    for (const auto& link : d.links)
      for (auto [a, b] : link.qubit_pairs) {
        if (std::find(module.qubits.begin(), module.qubits.end(), a) != module.qubits.end()) anchor = a;
        if (std::find(module.qubits.begin(), module.qubits.end(), b) != module.qubits.end()) anchor = b;
      }
    std::vector<int> order = module.qubits;
    std::stable_sort(order.begin(), order.end(),
                     [&](int x, int y) { return dev.distance(anchor, x) < dev.distance(anchor, y); });
    std::size_t next = 0;
    for (int q = 0; q < in.num_qubits; ++q) {
      if (map.module_of_qubit[static_cast<std::size_t>(q)] != static_cast<int>(k)) continue;
      if (next >= order.size())
        throw PassError("layout: module " + module.name + " has fewer qubits than the partition assigns to it");
      layout[static_cast<std::size_t>(q)] = order[next];
      used[static_cast<std::size_t>(order[next++])] = true;
    }
  }
  fill_unplaced(layout, used);
  return layout;
}

bool follows_partition(const ir::Program& in, const device::Descriptor& d) {
  if (!in.partition || d.modules.size() < 2 || in.partition->module_names.size() != d.modules.size()) return false;
  for (std::size_t k = 0; k < d.modules.size(); ++k)
    if (in.partition->module_names[k] != d.modules[k].name) return false;
  return static_cast<int>(in.partition->module_of_qubit.size()) == in.num_qubits;
}

std::vector<int> choose_layout(const ir::Program& in, const sabre::Device& dev, const PassContext& ctx) {
  const int n_phys = dev.descriptor->num_qubits;
  std::vector<int> identity(static_cast<std::size_t>(n_phys));
  std::iota(identity.begin(), identity.end(), 0);
  if (dev.descriptor->all_to_all || in.num_qubits == 0) return identity;
  if (follows_partition(in, *dev.descriptor)) return partition_layout(in, dev);

  const sabre::Block forward = sabre::prepare(in.ops, n_phys, false);
  const sabre::Block backward = sabre::prepare(in.ops, n_phys, true);
  const std::uint64_t route_seed = sabre::derive_seed(ctx.seed, 0);
  auto score = [&](const std::vector<int>& layout) {
    return sabre::route(forward, dev, layout, route_seed, nullptr).swaps;
  };

  std::vector<int> best = identity;
  std::int64_t best_swaps = score(identity);
  const std::vector<int> greedy = greedy_layout(in, dev);
  if (const std::int64_t g = score(greedy); g < best_swaps) {
    best_swaps = g;
    best = greedy;
  }
  // Trial 0 refines the greedy placement; the others start from seeded random ones.
  for (int t = 0; t < ctx.routing_trials && best_swaps > 0; ++t) {
    sabre::Prng rng(sabre::derive_seed(ctx.seed, static_cast<std::uint64_t>(t) + 1));
    std::vector<int> layout = identity;
    if (t == 0) {
      layout = greedy;
    } else {
      for (std::size_t i = layout.size(); i > 1; --i)  // Fisher-Yates
        std::swap(layout[i - 1], layout[static_cast<std::size_t>(rng.below(i))]);
    }
    for (int round = 0; round < kRoundTrips; ++round) {
      layout = sabre::route(forward, dev, std::move(layout), rng.next(), nullptr).layout;
      layout = sabre::route(backward, dev, std::move(layout), rng.next(), nullptr).layout;
    }
    const std::int64_t swaps = score(layout);
    if (swaps < best_swaps) {
      best_swaps = swaps;
      best = std::move(layout);
    }
  }
  return best;
}

}  // namespace

ir::Program run_layout(const ir::Program& in, const PassContext& ctx) {
  if (!ctx.device) throw PassError("layout needs a device (--device)");
  const device::Descriptor& desc = *ctx.device;
  if (in.num_qubits > desc.num_qubits)
    throw PassError("circuit needs " + std::to_string(in.num_qubits) + " qubits; device " + desc.name + " has " +
                    std::to_string(desc.num_qubits));
  if (!in.initial_layout.empty())
    throw PassError("layout: program is already laid out" +
                    (in.device.empty() ? std::string() : " for device " + in.device));
  sabre::check_routable(in, "layout", desc.all_to_all);
  std::vector<int> placement(static_cast<std::size_t>(desc.num_qubits));
  std::iota(placement.begin(), placement.end(), 0);
  if (!desc.all_to_all) {  // an all-to-all device needs no distances (and has n^2 of them)
    const sabre::Device dev(desc);
    if (!dev.distance.connected()) throw PassError("layout: device " + desc.name + " has a disconnected coupling map");
    placement = choose_layout(in, dev, ctx);
  }
  ir::Program out = ir::copy_without_ops(in);
  out.initial_layout.assign(placement.begin(), placement.begin() + in.num_qubits);
  out.final_layout = out.initial_layout;
  out.ops = sabre::relabel(in.ops, placement);
  // On an all-to-all device physical qubit k is logical qubit k; the program keeps its own
  // width, so a simulator never allocates qubits the circuit does not use.
  out.num_qubits = desc.all_to_all ? in.num_qubits : desc.num_qubits;
  out.qregs.clear();
  out.device = desc.name;
  return out;
}

}  // namespace qontos::passes
