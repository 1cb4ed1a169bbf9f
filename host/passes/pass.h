// The compiler's pass interface. Passes are pure functions of (program, context): the same
// input and compiler version give the same output on every host, so each pass's output can be
// serialised and hashed as that stage's content address.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "ir/program.h"

namespace qontos::device {
struct Descriptor;
}

namespace qontos::passes {

struct PassContext {
  const device::Descriptor* device = nullptr;  // null: no device-specific pass may run
  std::uint64_t seed = 0x51A7E5EEDULL;         // routing seed; fixed default keeps runs identical
  int routing_trials = 8;
  std::string partitioner = "auto";  // auto, greedy, spectral or manual
  std::string partition_map;         // manual: the map's JSON text
  std::string partition_map_origin;  // manual: where the map came from, for diagnostics
};

/// A pass that cannot do its job (a gate with no decomposition, a circuit larger than the
/// device, ...) throws PassError with a message naming what is missing.
struct PassError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

ir::Program run_inline(const ir::Program& in, const PassContext& ctx);
ir::Program run_normalise(const ir::Program& in, const PassContext& ctx);
ir::Program run_partition(const ir::Program& in, const PassContext& ctx);
ir::Program run_decompose(const ir::Program& in, const PassContext& ctx);
ir::Program run_optimise(const ir::Program& in, const PassContext& ctx);
ir::Program run_layout(const ir::Program& in, const PassContext& ctx);
ir::Program run_route(const ir::Program& in, const PassContext& ctx);
ir::Program run_schedule(const ir::Program& in, const PassContext& ctx);

}  // namespace qontos::passes
