// The `route` pass: inserts `swap` gates so that every two-qubit gate acts on a pair of
// physical qubits coupled on the device, and updates final_layout (final_layout[logical] = the
// physical qubit where that logical qubit ends). Operands of the ops after a SWAP are renamed to
// the qubits' new physical homes. Gates on independent qubits may be emitted in a different
// order (the per-qubit order, and so the circuit's meaning, is unchanged). Bodies of if/while
// blocks are routed from the layout at their start and end by undoing their own SWAPs in
// reverse (break/continue undo them before leaving), so the code after a block sees one layout.
// On an all-to-all device nothing changes (and gates on more than two qubits are accepted
// there: nothing needs routing). Elsewhere such gates are refused: decompose must run first.
//
// In the pipeline (pipeline.cpp) the route stage then expresses the inserted SWAPs in the
// device's native gates, so the routed program runs as it is.
//
// Input: the output of `layout` (operands are physical qubits). The heuristic is SABRE's (see
// passes/sabre.h) seeded from ctx.seed, the same seed `layout` scored its choice with.
#include <numeric>

#include "device/descriptor.h"
#include "passes/pass.h"
#include "passes/sabre.h"

namespace qontos::passes {

ir::Program run_route(const ir::Program& in, const PassContext& ctx) {
  if (!ctx.device) throw PassError("route needs a device (--device)");
  const device::Descriptor& desc = *ctx.device;
  if (in.initial_layout.empty()) throw PassError("route: the program has no layout; layout must run first");
  if (in.device != desc.name)
    throw PassError("route: the program was laid out for device " + in.device + ", not " + desc.name);
  if (desc.all_to_all ? in.num_qubits > desc.num_qubits : in.num_qubits != desc.num_qubits)
    throw PassError("route: the program has " + std::to_string(in.num_qubits) + " qubits but device " + desc.name +
                    " has " + std::to_string(desc.num_qubits));
  sabre::check_routable(in, "route", desc.all_to_all);

  ir::Program out = ir::copy_without_ops(in);
  if (out.final_layout.empty()) out.final_layout = out.initial_layout;
  if (desc.all_to_all) {
    out.ops = in.ops;
    return out;
  }

  const sabre::Device dev(desc);
  if (!dev.distance.connected()) throw PassError("route: device " + desc.name + " has a disconnected coupling map");
  std::vector<int> identity(static_cast<std::size_t>(desc.num_qubits));
  std::iota(identity.begin(), identity.end(), 0);
  const sabre::Block block = sabre::prepare(in.ops, desc.num_qubits, false);
  out.ops.clear();
  const sabre::Result r = sabre::route(block, dev, identity, sabre::derive_seed(ctx.seed, 0), &out.ops);
  // Wire w is the qubit that sat on physical w when routing began; it ends on r.layout[w].
  for (int& p : out.final_layout) p = r.layout.at(static_cast<std::size_t>(p));
  return out;
}

}  // namespace qontos::passes
