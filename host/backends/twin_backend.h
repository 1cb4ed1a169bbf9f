// The `twin` backend: a noisy digital twin of one device, driven by its descriptor and an
// optional calibration record. Programs must be compiled for that device (native gates on
// coupled pairs); every shot is a noisy trajectory. On a multi-module device each
// cross-module two-qubit gate is charged one Bell pair with the link's fidelity and latency.
#pragma once

#include "exec/async_backend.h"
#include "twin/noise_model.h"

namespace qontos::backends {

class TwinBackend final : public exec::AsyncBackend {
 public:
  explicit TwinBackend(device::Descriptor descriptor);
  TwinBackend(device::Descriptor descriptor, twin::NoiseModel model);
  std::optional<exec::ExecError> validate(const ir::Program& program) const override;
  const twin::NoiseModel& noise_model() const { return model_; }
  /// Largest number of touched qubits one trajectory simulates.
  static constexpr int kMaxSimulatedQubits = 26;

 protected:
  simulate::ShotResult execute(const exec::JobRequest& request, const simulate::ShotOptions& options,
                               std::map<std::string, std::string>& job_details) override;
  std::map<std::string, std::string> details() const override;

 private:
  twin::NoiseModel model_;
};

}  // namespace qontos::backends
