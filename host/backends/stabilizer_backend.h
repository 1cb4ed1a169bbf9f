// The `stabilizer` backend: Aaronson–Gottesman tableau simulation of Clifford circuits with
// measurement, reset and classical control, on thousands of qubits. A non-Clifford gate is
// refused in validate() with its name and line.
#pragma once

#include "exec/async_backend.h"

namespace qontos::backends {

class StabilizerBackend final : public exec::AsyncBackend {
 public:
  explicit StabilizerBackend(device::Descriptor descriptor);
  std::optional<exec::ExecError> validate(const ir::Program& program) const override;

 protected:
  simulate::ShotResult execute(const exec::JobRequest& request, const simulate::ShotOptions& options,
                               std::map<std::string, std::string>& job_details) override;
  std::map<std::string, std::string> details() const override { return {{"engine", "tableau"}}; }
};

}  // namespace qontos::backends
