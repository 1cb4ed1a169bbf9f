// The `partition` pass: assigns every logical qubit to one of the device's modules and records
// the assignment (method, modules with their capacities, qubit -> module, and the two-qubit
// gates cut, i.e. the Bell pairs it needs) in Program::partition. Operations are unchanged.
// A device without modules is one module holding all its qubits; without a device, the
// program's qubits form one module named "all". The method is ctx.partitioner: greedy,
// spectral, manual (ctx.partition_map) or auto (chosen by size, see docs/PARTITIONING.md).
#include "partition/partition.h"

#include "device/descriptor.h"
#include "passes/pass.h"

namespace qontos::passes {

ir::Program run_partition(const ir::Program& in, const PassContext& ctx) {
  std::vector<partition::ModuleSlot> modules =
      ctx.device ? partition::modules_of(*ctx.device) : std::vector<partition::ModuleSlot>{{"all", in.num_qubits}};
  partition::Partition result;
  try {
    result = partition::partition(in, modules, ctx.partitioner, ctx.partition_map, ctx.partition_map_origin);
  } catch (const partition::PartitionError& e) {
    throw PassError(e.what());
  }
  ir::Program out = in;
  ir::PartitionMap map;
  map.method = result.method;
  for (const auto& m : result.modules) {
    map.module_names.push_back(m.name);
    map.capacities.push_back(m.capacity);
  }
  map.module_of_qubit = result.module_of_qubit;
  map.cut_gates = result.cut_gates;
  out.partition = std::move(map);
  return out;
}

}  // namespace qontos::passes
