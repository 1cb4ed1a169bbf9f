#pragma once

#include <string>
#include <vector>

#include "ir/program.h"

namespace qontos::passes {

/// Rewrites every gate into `basis` (IR gate names; a gate with controls counts as its base
/// name only when uncontrolled). Exact where the decomposition allows: phases that matter
/// under control are kept, uncontrolled global phases go to program.global_phase. Throws
/// PassError naming the gate when the basis cannot express it.
ir::Program decompose_to(const ir::Program& in, const std::vector<std::string>& basis);

}  // namespace qontos::passes
