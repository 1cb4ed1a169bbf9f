// The `statevector` backend: exact simulation on the ideal all-to-all device, double precision
// by default, single precision on request.
#pragma once

#include "exec/async_backend.h"
#include "simulate/statevector_run.h"

namespace qontos::backends {

class StatevectorBackend final : public exec::AsyncBackend {
 public:
  StatevectorBackend(device::Descriptor descriptor, simulate::StatevectorOptions options = {});
  std::optional<exec::ExecError> validate(const ir::Program& program) const override;

 protected:
  simulate::ShotResult execute(const exec::JobRequest& request, const simulate::ShotOptions& options,
                               std::map<std::string, std::string>& job_details) override;
  std::map<std::string, std::string> details() const override;

 private:
  simulate::StatevectorOptions options_;
};

/// Bytes of physical memory on this machine (0 when unknown).
std::uint64_t physical_memory_bytes();

/// Why a program's gates cannot be simulated (an opaque gate, a gate left with modifiers), or nullopt.
std::optional<exec::ExecError> unsimulatable_gate(const ir::Program& program);

}  // namespace qontos::backends
