// ExecutorContract: the six operations every backend implements (validate, submit, poll,
// cancel, normalise_result, normalise_error), and the typed errors they report. Adding a
// backend is one class; the runtime, scheduler and CLI only see this interface.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "device/descriptor.h"
#include "ir/program.h"

namespace qontos::exec {

/// The small closed set of failures a caller can act on.
enum class ErrorKind {
  kValidation,   // the circuit is malformed for this backend (a bad qubit index, no gates, ...)
  kCapacity,     // too many qubits or too much memory for this backend
  kUnsupported,  // a feature the backend does not have (a non-Clifford gate on a tableau, ...)
  kTransient,    // worth retrying later (queue full, resource busy)
  kDevice,       // the backend itself failed while running
  kCancelled,    // the caller cancelled the job
};
const char* to_string(ErrorKind kind);

struct ExecError {
  ErrorKind kind = ErrorKind::kDevice;
  std::string message;  // human-readable, names what went wrong and where
};

/// Thrown by the runtime when a job ends in an error.
struct ExecFailure : std::runtime_error {
  ExecError error;
  explicit ExecFailure(ExecError e) : std::runtime_error(e.message), error(std::move(e)) {}
};

struct JobRequest {
  ir::Program program;  // compiled for this backend's device
  std::int64_t shots = 1024;
  std::uint64_t seed = 0;
  bool keep_shots = false;
};

using JobId = std::uint64_t;

enum class JobState { kQueued, kRunning, kDone, kFailed, kCancelled };
const char* to_string(JobState state);

struct JobStatus {
  JobState state = JobState::kQueued;
  double progress = 0;  // 0..1
  std::optional<ExecError> error;
};

/// A backend's answer in the common form every backend normalises to.
struct BackendResult {
  std::string backend;
  std::map<std::string, std::int64_t> counts;  // bitstring, classical bit 0 rightmost
  std::vector<std::string> shots;              // per-shot records when asked for
  std::int64_t num_shots = 0;
  std::string method;  // how the backend produced them ("sampled", ...)
  double run_seconds = 0;
  std::map<std::string, std::string> details;  // backend-specific facts (precision, noise model, ...)
};

class ExecutorContract {
 public:
  virtual ~ExecutorContract() = default;
  virtual const std::string& name() const = 0;
  /// The device this backend runs on; the compiler targets it and the scheduler scores it.
  virtual const device::Descriptor& descriptor() const = 0;
  /// Why this backend cannot run `program`, or nullopt when it can.
  virtual std::optional<ExecError> validate(const ir::Program& program) const = 0;
  /// Starts a job; returns at once. Throws ExecFailure when validation fails.
  virtual JobId submit(JobRequest request) = 0;
  virtual JobStatus poll(JobId job) = 0;
  /// Waits up to `timeout` for the job to end, then returns its status. Backends that can be
  /// woken when a job ends override this; the default polls.
  virtual JobStatus wait_for(JobId job, std::chrono::microseconds timeout);
  /// Asks a job to stop; it ends in kCancelled unless it had already finished.
  virtual void cancel(JobId job) = 0;
  /// The finished job's result in common form. Throws ExecFailure if the job did not succeed.
  virtual BackendResult normalise_result(JobId job) = 0;
  /// Maps whatever the backend threw to the typed error set.
  virtual ExecError normalise_error(std::exception_ptr error) const = 0;
  /// Jobs accepted and not yet finished.
  virtual int queue_depth() const = 0;
};

inline JobStatus ExecutorContract::wait_for(JobId job, std::chrono::microseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    JobStatus s = poll(job);
    if ((s.state != JobState::kQueued && s.state != JobState::kRunning) || std::chrono::steady_clock::now() >= deadline)
      return s;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

}  // namespace qontos::exec
