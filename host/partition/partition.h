// Qubit partitioning: assigns each logical qubit of a program to one module of a modular device
// so that few multi-qubit gates span modules, because every such gate costs Bell pairs over a
// photonic link. Three methods (greedy, spectral, manual map) and an `auto` rule; the methods and
// the manual map format are described in docs/PARTITIONING.md.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "device/descriptor.h"
#include "ir/program.h"

namespace qontos::partition {

struct ModuleSlot {
  std::string name;
  int capacity = 0;  // logical qubits the module can hold
};

struct Partition {
  std::string method;                // "greedy", "spectral", "manual"
  std::vector<int> module_of_qubit;  // logical qubit -> index into modules
  std::vector<ModuleSlot> modules;
  long long cut_gates = 0;  // Bell pairs needed: a gate whose qubits lie in m modules counts m - 1
};

/// A partition that cannot be made (circuit larger than the modules, unknown method, bad manual
/// map); the message names the problem.
struct PartitionError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Bell pairs the assignment needs: each multi-qubit gate (controls included, if/while bodies
/// counted once as written) whose qubits lie in m > 1 modules contributes m - 1.
long long count_cut_gates(const ir::Program& p, const std::vector<int>& module_of_qubit);

/// Linear-time walk over the gates in program order (see docs/PARTITIONING.md).
Partition partition_greedy(const ir::Program& p, const std::vector<ModuleSlot>& modules);

/// Recursive spectral bisection on the interaction graph (see docs/PARTITIONING.md).
Partition partition_spectral(const ir::Program& p, const std::vector<ModuleSlot>& modules);

/// The assignment given by a JSON map, validated against the program and the modules. `origin`
/// names the map in error messages ("<origin>: qubit 3: module 'm9' is not a module of this device").
Partition partition_manual(const ir::Program& p, const std::vector<ModuleSlot>& modules, const std::string& map_json,
                           const std::string& origin);

/// The method `auto` picks: "spectral" up to a size threshold, "greedy" above it.
std::string choose_method(const ir::Program& p, const std::vector<ModuleSlot>& modules);

/// Dispatches on `method`: "auto", "greedy", "spectral" or "manual" (which needs `map_json`).
/// The result's `method` names the method actually used (never "auto").
Partition partition(const ir::Program& p, const std::vector<ModuleSlot>& modules, const std::string& method,
                    const std::string& map_json = "", const std::string& origin = "");

/// One slot per module of the descriptor (capacity = its qubit count); a descriptor without
/// modules is one slot, named after the device, holding all its qubits.
std::vector<ModuleSlot> modules_of(const device::Descriptor& d);

namespace detail {

/// Throws PartitionError unless every capacity is non-negative and the program fits.
void check_fits(const ir::Program& p, const std::vector<ModuleSlot>& modules);

/// Packages an assignment as a Partition, counting its cut gates.
Partition finish(std::string method, const ir::Program& p, const std::vector<ModuleSlot>& modules,
                 std::vector<int> module_of_qubit);

}  // namespace detail

}  // namespace qontos::partition
