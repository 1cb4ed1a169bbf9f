#include "backends/statevector_backend.h"

#include <unistd.h>

#include "simulate/kernels.h"

namespace qontos::backends {

std::uint64_t physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) : 0;
}

std::optional<exec::ExecError> unsimulatable_gate(const ir::Program& program) {
  std::optional<exec::ExecError> problem;
  ir::for_each_op(program.ops, [&](const ir::Op& op) {
    const auto* g = std::get_if<ir::GateOp>(&op.v);
    if (problem || g == nullptr) return;
    try {
      (void)simulate::gate_action(*g);
    } catch (const std::exception& e) {
      problem = exec::ExecError{exec::ErrorKind::kUnsupported, "line " + std::to_string(op.line) + ": " + e.what()};
    }
  });
  return problem;
}

StatevectorBackend::StatevectorBackend(device::Descriptor descriptor, simulate::StatevectorOptions options)
    : AsyncBackend("statevector", std::move(descriptor)), options_(options) {}

std::optional<exec::ExecError> StatevectorBackend::validate(const ir::Program& program) const {
  if (auto e = validate_capacity(program)) return e;
  const std::uint64_t amplitude_bytes = options_.single_precision ? 8 : 16;
  const std::uint64_t need = (std::uint64_t{1} << program.num_qubits) * amplitude_bytes;
  const std::uint64_t have = physical_memory_bytes();
  // Leave room for the trajectory snapshot and the rest of the process.
  if (have != 0 && need > have / 2)
    return exec::ExecError{exec::ErrorKind::kCapacity,
                           std::to_string(program.num_qubits) + " qubits need " + std::to_string(need >> 20) +
                               " MiB of amplitudes; this machine has " + std::to_string(have >> 20) +
                               " MiB (the statevector uses at most half)"};
  return unsimulatable_gate(program);
}

simulate::ShotResult StatevectorBackend::execute(const exec::JobRequest& request, const simulate::ShotOptions& options,
                                                 std::map<std::string, std::string>& /*job_details*/) {
  return simulate::run_statevector(request.program, options, options_);
}

std::map<std::string, std::string> StatevectorBackend::details() const {
  return {{"precision", options_.single_precision ? "single" : "double"},
          {"fusion_max_qubits", std::to_string(options_.fusion_max_qubits)},
          {"kernel", simulate::kernel_isa()}};
}

}  // namespace qontos::backends
