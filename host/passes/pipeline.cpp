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
  static const std::vector<std::string> names = {"parse", "inline", "normalise", "decompose", "optimise", "layout", "route"};
  return names;
}

ir::Program run_parse(const std::string& source, const std::string& path) { return qasm::elaborate_source(source, path); }

std::vector<Stage> compile_source(const std::string& source, const std::string& path, const std::string& until,
                                  const PassContext& ctx, const qasm::ElaborateOptions& options) {
  const auto& names = pass_names();
  auto last = std::find(names.begin(), names.end(), until);
  if (last == names.end()) throw PassError("unknown pass '" + until + "'");
  using PassFn = ir::Program (*)(const ir::Program&, const PassContext&);
  static const PassFn fns[] = {nullptr, run_inline, run_normalise, run_decompose, run_optimise, run_layout, run_route};
  std::vector<Stage> stages;
  ir::Program p = qasm::elaborate_source(source, path, options);
  stages.push_back({"parse", p, ir::content_address(p)});
  for (std::size_t i = 1; names.begin() + static_cast<long>(i) <= last; ++i) {
    try {
      p = fns[i](p, ctx);
      if (names[i] == "route") p = lower_swaps(std::move(p), ctx);
    } catch (const PassError& e) {
      throw PassError("in pass '" + names[i] + "': " + e.what());
    }
    stages.push_back({names[i], p, ir::content_address(p)});
  }
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
