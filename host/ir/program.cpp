#include "ir/program.h"

namespace qontos::ir {
namespace {
std::string element_name(const std::vector<Register>& regs, int index, const char* physical_prefix) {
  for (const auto& r : regs)
    if (index >= r.offset && index < r.offset + r.size) return r.name + "[" + std::to_string(index - r.offset) + "]";
  return physical_prefix + std::to_string(index);
}
}  // namespace

std::string qubit_name(const Program& p, int index) { return element_name(p.qregs, index, "$"); }
std::string clbit_name(const Program& p, int index) { return element_name(p.cregs, index, "$c"); }

}  // namespace qontos::ir
