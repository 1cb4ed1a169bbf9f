#include "backends/stabilizer_backend.h"

#include <omp.h>

#include "simulate/clifford.h"
#include "simulate/stabilizer.h"

namespace qontos::backends {

StabilizerBackend::StabilizerBackend(device::Descriptor descriptor)
    : AsyncBackend("stabilizer", std::move(descriptor)) {}

std::optional<exec::ExecError> StabilizerBackend::validate(const ir::Program& program) const {
  if (auto e = validate_capacity(program)) return e;
  if (auto bad = simulate::first_non_clifford(program))
    return exec::ExecError{exec::ErrorKind::kUnsupported, "line " + std::to_string(bad->first) + ": " + bad->second};
  return std::nullopt;
}

simulate::ShotResult StabilizerBackend::execute(const exec::JobRequest& request, const simulate::ShotOptions& options,
                                                std::map<std::string, std::string>& /*job_details*/) {
  simulate::StabilizerState state(request.program.num_qubits);
  // Each thread runs its shots on its own copy of the tableau.
  return simulate::run_trajectories<simulate::StabilizerState>(request.program, state, options, nullptr,
                                                              omp_get_max_threads());
}

}  // namespace qontos::backends
