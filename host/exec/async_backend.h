// The submit/poll/cancel machinery every simulated backend shares: each job runs on its own
// thread, reports progress, polls a cancel flag between shots, and keeps its result or its
// normalised error until asked. A backend class adds validate() and execute().
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "exec/contract.h"
#include "simulate/shot_runner.h"

namespace qontos::exec {

class AsyncBackend : public ExecutorContract {
 public:
  AsyncBackend(std::string name, device::Descriptor descriptor);
  ~AsyncBackend() override;
  AsyncBackend(const AsyncBackend&) = delete;
  AsyncBackend& operator=(const AsyncBackend&) = delete;

  const std::string& name() const override { return name_; }
  const device::Descriptor& descriptor() const override { return descriptor_; }
  JobId submit(JobRequest request) override;
  JobStatus poll(JobId job) override;
  void cancel(JobId job) override;
  BackendResult normalise_result(JobId job) override;
  ExecError normalise_error(std::exception_ptr error) const override;
  int queue_depth() const override;

  JobStatus wait_for(JobId job, std::chrono::microseconds timeout) override;
  /// Blocks until the job has ended; returns its final status.
  JobStatus wait(JobId job);

 protected:
  /// Runs the shots. Runs on the job's thread; must poll options.cancel between shots. Facts
  /// about this job (Bell pairs charged, ...) go into `job_details`.
  virtual simulate::ShotResult execute(const JobRequest& request, const simulate::ShotOptions& options,
                                       std::map<std::string, std::string>& job_details) = 0;
  /// Facts recorded with every result (precision, noise model, ...).
  virtual std::map<std::string, std::string> details() const { return {}; }
  /// Checks every backend shares: qubit count against the device.
  std::optional<ExecError> validate_capacity(const ir::Program& program) const;

 private:
  struct Job;
  Job& find(JobId id) const;
  std::string name_;
  device::Descriptor descriptor_;
  mutable std::mutex mutex_;
  std::map<JobId, std::unique_ptr<Job>> jobs_;
  JobId next_id_ = 1;
};

}  // namespace qontos::exec
