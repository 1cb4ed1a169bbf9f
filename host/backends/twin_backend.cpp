#include "backends/twin_backend.h"

#include "backends/statevector_backend.h"
#include "ir/gate_set.h"
#include "twin/twin_run.h"

namespace qontos::backends {

TwinBackend::TwinBackend(device::Descriptor descriptor) : TwinBackend(descriptor, twin::noise_model_from(descriptor)) {}

namespace {
// Built before the descriptor is moved (argument evaluation order is unspecified).
std::string twin_name(const device::Descriptor& d) {
  return "twin:" + d.name;
}
}  // namespace

TwinBackend::TwinBackend(device::Descriptor descriptor, twin::NoiseModel model)
    : AsyncBackend(twin_name(descriptor), descriptor), model_(std::move(model)) {}

std::optional<exec::ExecError> TwinBackend::validate(const ir::Program& program) const {
  if (auto e = validate_capacity(program)) return e;
  const device::Descriptor& d = descriptor();
  std::optional<exec::ExecError> problem;
  ir::for_each_op(program.ops, [&](const ir::Op& op) {
    if (problem) return;
    const auto* g = std::get_if<ir::GateOp>(&op.v);
    if (g == nullptr) {
      if (std::holds_alternative<ir::IfOp>(op.v) && !d.feed_forward)
        problem = exec::ExecError{exec::ErrorKind::kUnsupported,
                                  "line " + std::to_string(op.line) + ": device '" + d.name + "' has no feed-forward"};
      return;
    }
    const std::string where = "line " + std::to_string(op.line) + ": ";
    if (!d.native_gates.empty() && (g->controls != 0 || !d.is_native(g->name)))
      problem =
          exec::ExecError{exec::ErrorKind::kValidation, where + "gate '" + g->name + "' is not native to '" + d.name +
                                                            "'; compile the circuit for this device first"};
    else if (g->qubits.size() == 2 && !d.coupled(g->qubits[0], g->qubits[1]))
      problem = exec::ExecError{exec::ErrorKind::kValidation, where + "qubits " + std::to_string(g->qubits[0]) +
                                                                  " and " + std::to_string(g->qubits[1]) +
                                                                  " are not coupled on '" + d.name + "'"};
  });
  if (problem) return problem;
  const auto used = twin::used_qubits(program);
  if (static_cast<int>(used.size()) > kMaxSimulatedQubits)
    return exec::ExecError{exec::ErrorKind::kCapacity, "the circuit touches " + std::to_string(used.size()) +
                                                           " qubits; the twin simulates at most " +
                                                           std::to_string(kMaxSimulatedQubits)};
  return unsimulatable_gate(program);
}

simulate::ShotResult TwinBackend::execute(const exec::JobRequest& request, const simulate::ShotOptions& options,
                                          std::map<std::string, std::string>& job_details) {
  twin::TwinRunResult r = twin::run_twin(request.program, model_, descriptor().num_qubits, options);
  job_details["bell_pairs"] = std::to_string(r.bell_pairs);
  return std::move(r.shots);
}

std::map<std::string, std::string> TwinBackend::details() const {
  return {{"noise", "depolarising, readout, T1/T2"}, {"calibration_id", model_.calibration_id}};
}

}  // namespace qontos::backends
