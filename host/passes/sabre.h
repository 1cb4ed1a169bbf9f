// The SABRE routing core shared by the `layout` and `route` passes (Li, Ding, Xie, "Tackling the
// Qubit Mapping Problem for NISQ-Era Quantum Devices", ASPLOS 2019): a front layer of gates
// whose predecessors have run, a lookahead ("extended") set, and a decay term that spreads
// SWAPs over qubits. Classical control flow splits the circuit into straight-line segments;
// each if/while body is routed from the layout at its start and ends by undoing its own SWAPs,
// so code after the block sees one layout. A break/continue is preceded by the SWAPs that take
// the layout back to the loop body's start; any (unreachable) ops after it in the same block
// are routed from the layout before those SWAPs.
//
// Everything here is deterministic: the pseudo-random generator is specified below, scores are
// exact integers, and ties are broken by that generator, so output is byte-identical on every
// host for a given seed.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/random.h"
#include "device/coupling.h"
#include "device/descriptor.h"
#include "ir/program.h"

namespace qontos::passes::sabre {

using qontos::splitmix64;

/// An independent seed for stream `stream` of a run seeded with `seed`.
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream);

using qontos::Prng;  // common/random.h

/// The device's coupling graph in the form routing reads.
struct Device {
  explicit Device(const device::Descriptor& d);
  const device::Descriptor* descriptor;
  device::DistanceMatrix distance;
  std::vector<std::vector<int>> neighbours;
};

/// One straight-line stretch of the circuit as a dependency DAG over qubit and clbit wires.
struct Node {
  const ir::Op* op = nullptr;
  int a = -1;  // wires of a two-qubit gate; b < 0 for every other op
  int b = -1;
  std::vector<int> successors;
  int predecessors = 0;
};
struct Segment {
  std::vector<Node> nodes;
};

struct Item;
using Block = std::vector<Item>;
struct Item {
  enum class Kind { kSegment, kIf, kWhile, kJump, kClassical };
  Kind kind = Kind::kSegment;
  Segment segment;             // kSegment
  const ir::Op* op = nullptr;  // kIf, kWhile, kJump (break/continue), kClassical (assignment)
  Block first;                 // if: then-branch; while: body
  Block second;                // if: else-branch
};

/// Prepares `ops` (wires 0..num_wires-1) for routing; `reversed` gives the circuit run
/// backwards (used by the layout search). The Block points into `ops`, which must outlive it.
Block prepare(const ir::OpList& ops, int num_wires, bool reversed);

struct Result {
  std::vector<int> layout;  // final wire -> physical qubit
  std::int64_t swaps = 0;   // SWAPs inserted, including those that undo a body's SWAPs
};

/// Routes `block` starting from `layout` (wire -> physical, a permutation of all physical
/// qubits). With `out`, appends the routed ops on physical qubits (a forward block only).
/// `stuck_limit` is how many SWAPs may pass without any gate running before the router drops
/// them and walks one gate's qubits together along a shortest path (0: 10 * device qubits).
Result route(const Block& block, const Device& dev, std::vector<int> layout, std::uint64_t seed, ir::OpList* out,
             std::size_t stuck_limit = 0);

/// Throws PassError (prefixed with `pass`) for anything routing cannot handle: gates on more
/// than two qubits (unless `any_arity`: an all-to-all device has nothing to route), repeated
/// or out-of-range qubit operands.
void check_routable(const ir::Program& p, const std::string& pass, bool any_arity);

/// Copies `ops` with every qubit operand q replaced by map[q] (bodies included).
ir::OpList relabel(const ir::OpList& ops, const std::vector<int>& map);

}  // namespace qontos::passes::sabre
