#include "ir/program.h"

namespace qontos::ir {
namespace {
std::string element_name(const std::vector<Register>& regs, int index, const char* physical_prefix) {
  for (const auto& r : regs)
    if (index >= r.offset && index < r.offset + r.size) return r.name + "[" + std::to_string(index - r.offset) + "]";
  return physical_prefix + std::to_string(index);
}
}  // namespace

Program copy_without_ops(const Program& p) {
  Program out;
  out.num_qubits = p.num_qubits;
  out.num_clbits = p.num_clbits;
  out.qregs = p.qregs;
  out.cregs = p.cregs;
  out.vars = p.vars;
  out.gate_defs = p.gate_defs;
  out.global_phase = p.global_phase;
  out.initial_layout = p.initial_layout;
  out.final_layout = p.final_layout;
  out.device = p.device;
  out.partition = p.partition;
  out.schedule = p.schedule;
  return out;
}

std::string qubit_name(const Program& p, int index) { return element_name(p.qregs, index, "$"); }
std::string clbit_name(const Program& p, int index) { return element_name(p.cregs, index, "$c"); }

}  // namespace qontos::ir
