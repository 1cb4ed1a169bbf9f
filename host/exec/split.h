// Independent parts of a circuit: groups of qubits that no gate joins and no classical
// control couples. Such parts can run on separate backends at the same time, and their
// outcome distributions combine exactly as a product (shot k of the whole is shot k of every
// part side by side).
#pragma once

#include <string>
#include <vector>

#include "ir/program.h"

namespace qontos::exec {

struct Part {
  std::vector<int> qubits;  // qubits of the whole program, ascending; part qubit j = qubits[j]
  std::vector<int> clbits;  // clbits the part writes, ascending; part clbit j = clbits[j]
  ir::Program program;      // the part alone, on its own qubits and clbits
};

/// The independent parts of a program after `normalise` (no user gate definitions left). A
/// program with classical control, or with a clbit written from two groups, is one part.
/// Qubits that no operation touches belong to no part.
std::vector<Part> independent_parts(const ir::Program& program);

/// Multi-qubit gates whose qubits lie in more than one group of `group_of_qubit`.
long long joining_gates(const ir::Program& program, const std::vector<int>& group_of_qubit);

/// Places one shot of every part into a bitstring over the whole program's clbits (bit 0 rightmost).
std::string merge_shot(int num_clbits, const std::vector<Part>& parts, const std::vector<const std::string*>& shots);

}  // namespace qontos::exec
