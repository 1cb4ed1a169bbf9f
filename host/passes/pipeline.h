// The compiler pipeline: the named passes in their fixed order, each output hashed.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/program.h"
#include "passes/pass.h"
#include "qasm/elaborate.h"

namespace qontos::passes {

/// parse, inline, normalise, partition, decompose, optimise, layout, route, schedule.
const std::vector<std::string>& pass_names();

struct Stage {
  std::string pass;
  ir::Program program;
  std::string hash;  // SHA-256 of ir::serialise_json(program)
};

/// Parses OpenQASM 2 or 3 source (the `parse` pass). `path` names the source in diagnostics
/// and anchors relative includes. Throws qasm::CompileError on bad input.
ir::Program run_parse(const std::string& source, const std::string& path);

/// Runs the passes from `parse` up to and including `until` on a file's text. The `route` stage
/// is run_route followed by expressing its SWAPs in the device's native gates. Device-specific
/// passes (decompose, layout, route) need ctx.device; without one, `decompose` keeps every IR
/// gate and `layout`/`route` are refused with a PassError. A PassError names the failing pass.
std::vector<Stage> compile_source(const std::string& source, const std::string& path, const std::string& until,
                                  const PassContext& ctx, const qasm::ElaborateOptions& options = {});
/// Runs the passes after `after` up to and including `until` on a program that has been
/// through `after` already (e.g. a part of a split circuit taken from its `normalise` stage).
std::vector<Stage> run_passes(const ir::Program& program, const std::string& after, const std::string& until,
                              const PassContext& ctx);
std::vector<Stage> compile_file(const std::string& path, const std::string& until, const PassContext& ctx);

}  // namespace qontos::passes
