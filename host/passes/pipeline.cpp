#include "passes/pipeline.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "device/descriptor.h"
#include "ir/serialise_json.h"
#include "passes/decompose.h"
#include "qasm/elaborate.h"

namespace qontos::passes {

namespace {
/// SWAPs that routing inserted, in the device's native gates when `swap` is not native.
ir::Program lower_swaps(ir::Program p, const PassContext& ctx) {
  if (!ctx.device || ctx.device->native_gates.empty() || ctx.device->is_native("swap")) return p;
  ir::Program lowered = decompose_to(p, ctx.device->native_gates);
  lowered.device = p.device;
  return lowered;
}
}  // namespace

const std::vector<std::string>& pass_names() {
  static const std::vector<std::string> names = {"parse",    "inline", "normalise", "partition", "decompose",
                                                 "optimise", "layout", "route",     "schedule"};
  return names;
}

ir::Program run_parse(const std::string& source, const std::string& path) {
  return qasm::elaborate_source(source, path);
}

namespace {
using PassFn = ir::Program (*)(const ir::Program&, const PassContext&);
const PassFn kPasses[] = {nullptr,      run_inline, run_normalise, run_partition, run_decompose,
                          run_optimise, run_layout, run_route,     run_schedule};

std::size_t index_of(const std::string& pass) {
  const auto& names = pass_names();
  auto it = std::find(names.begin(), names.end(), pass);
  if (it == names.end()) throw PassError("unknown pass '" + pass + "'");
  return static_cast<std::size_t>(it - names.begin());
}

void run_range(ir::Program p, std::size_t first, std::size_t last, const PassContext& ctx, std::vector<Stage>& stages) {
  const auto& names = pass_names();
  for (std::size_t i = first; i <= last; ++i) {
    try {
      p = kPasses[i](p, ctx);
      if (names[i] == "route") p = lower_swaps(std::move(p), ctx);
    } catch (const PassError& e) {
      throw PassError("in pass '" + names[i] + "': " + e.what());
    }
    stages.push_back({names[i], p, ir::content_address(p)});
  }
}
}  // namespace

std::vector<Stage> compile_source(const std::string& source, const std::string& path, const std::string& until,
                                  const PassContext& ctx, const qasm::ElaborateOptions& options) {
  const std::size_t last = index_of(until);
  std::vector<Stage> stages;
  ir::Program p = qasm::elaborate_source(source, path, options);
  stages.push_back({"parse", p, ir::content_address(p)});
  run_range(std::move(p), 1, last, ctx, stages);
  return stages;
}

std::vector<Stage> run_passes(const ir::Program& program, const std::string& after, const std::string& until,
                              const PassContext& ctx) {
  std::vector<Stage> stages;
  run_range(program, index_of(after) + 1, index_of(until), ctx, stages);
  return stages;
}

std::vector<Stage> compile_file(const std::string& path, const std::string& until, const PassContext& ctx) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw PassError("cannot open '" + path + "'");
  std::stringstream buf;
  buf << in.rdbuf();
  return compile_source(buf.str(), path, until, ctx);
}

}  // namespace qontos::passes
