#include "exec/async_backend.h"

#include <chrono>
#include <new>

namespace qontos::exec {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kValidation:
      return "validation";
    case ErrorKind::kCapacity:
      return "capacity";
    case ErrorKind::kUnsupported:
      return "unsupported";
    case ErrorKind::kTransient:
      return "transient";
    case ErrorKind::kDevice:
      return "device";
    case ErrorKind::kCancelled:
      return "cancelled";
  }
  return "device";
}

const char* to_string(JobState state) {
  switch (state) {
    case JobState::kQueued:
      return "queued";
    case JobState::kRunning:
      return "running";
    case JobState::kDone:
      return "done";
    case JobState::kFailed:
      return "failed";
    case JobState::kCancelled:
      return "cancelled";
  }
  return "failed";
}

struct AsyncBackend::Job {
  JobRequest request;
  std::atomic<bool> cancel{false};
  std::atomic<double> progress{0};
  JobState state = JobState::kQueued;  // guarded by the backend's mutex
  std::optional<ExecError> error;
  BackendResult result;
  std::condition_variable ended;
  std::thread worker;
};

AsyncBackend::AsyncBackend(std::string name, device::Descriptor descriptor)
    : name_(std::move(name)), descriptor_(std::move(descriptor)) {}

AsyncBackend::~AsyncBackend() {
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, job] : jobs_) {
      job->cancel = true;
      if (job->worker.joinable()) workers.push_back(std::move(job->worker));
    }
  }
  for (auto& w : workers) w.join();
}

AsyncBackend::Job& AsyncBackend::find(JobId id) const {
  auto it = jobs_.find(id);
  if (it == jobs_.end())
    throw ExecFailure({ErrorKind::kValidation, "backend '" + name_ + "' has no job " + std::to_string(id)});
  return *it->second;
}

std::optional<ExecError> AsyncBackend::validate_capacity(const ir::Program& program) const {
  if (program.num_qubits > descriptor_.num_qubits)
    return ExecError{ErrorKind::kCapacity, "the circuit uses " + std::to_string(program.num_qubits) +
                                               " qubits; backend '" + name_ + "' has " +
                                               std::to_string(descriptor_.num_qubits)};
  return std::nullopt;
}

JobId AsyncBackend::submit(JobRequest request) {
  if (auto problem = validate(request.program)) throw ExecFailure(*problem);
  if (request.shots <= 0)
    throw ExecFailure({ErrorKind::kValidation, "shots must be positive, got " + std::to_string(request.shots)});
  std::lock_guard lock(mutex_);
  const JobId id = next_id_++;
  auto job = std::make_unique<Job>();
  job->request = std::move(request);
  Job* j = job.get();
  jobs_.emplace(id, std::move(job));
  j->worker = std::thread([this, j] {
    {
      std::lock_guard l(mutex_);
      j->state = JobState::kRunning;
    }
    simulate::ShotOptions options;
    options.shots = j->request.shots;
    options.seed = j->request.seed;
    options.keep_shots = j->request.keep_shots;
    options.cancel = &j->cancel;
    options.progress = [j](double f) { j->progress = f; };
    BackendResult result;
    std::optional<ExecError> error;
    try {
      const auto start = std::chrono::steady_clock::now();
      std::map<std::string, std::string> job_details;
      simulate::ShotResult shots = execute(j->request, options, job_details);
      result.run_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      result.backend = name_;
      result.counts = std::move(shots.counts);
      result.shots = std::move(shots.shots);
      result.method = std::move(shots.method);
      result.num_shots = j->request.shots;
      result.details = details();
      result.details.merge(job_details);
    } catch (...) {
      error = normalise_error(std::current_exception());
    }
    std::lock_guard l(mutex_);
    j->progress = 1;
    if (error) {
      j->state = error->kind == ErrorKind::kCancelled ? JobState::kCancelled : JobState::kFailed;
      j->error = std::move(error);
    } else {
      j->state = JobState::kDone;
      j->result = std::move(result);
    }
    j->ended.notify_all();
  });
  return id;
}

JobStatus AsyncBackend::poll(JobId id) {
  std::lock_guard lock(mutex_);
  Job& j = find(id);
  return {j.state, j.progress.load(), j.error};
}

JobStatus AsyncBackend::wait(JobId id) {
  std::unique_lock lock(mutex_);
  Job& j = find(id);
  j.ended.wait(lock, [&] { return j.state != JobState::kQueued && j.state != JobState::kRunning; });
  return {j.state, j.progress.load(), j.error};
}

JobStatus AsyncBackend::wait_for(JobId id, std::chrono::microseconds timeout) {
  std::unique_lock lock(mutex_);
  Job& j = find(id);
  j.ended.wait_for(lock, timeout, [&] { return j.state != JobState::kQueued && j.state != JobState::kRunning; });
  return {j.state, j.progress.load(), j.error};
}

void AsyncBackend::cancel(JobId id) {
  std::lock_guard lock(mutex_);
  find(id).cancel = true;
}

BackendResult AsyncBackend::normalise_result(JobId id) {
  std::unique_lock lock(mutex_);
  Job& j = find(id);
  j.ended.wait(lock, [&] { return j.state != JobState::kQueued && j.state != JobState::kRunning; });
  if (j.state != JobState::kDone) throw ExecFailure(*j.error);
  return j.result;
}

ExecError AsyncBackend::normalise_error(std::exception_ptr error) const {
  try {
    std::rethrow_exception(error);
  } catch (const ExecFailure& e) {
    return e.error;
  } catch (const simulate::RunCancelled&) {
    return {ErrorKind::kCancelled, "job cancelled on backend '" + name_ + "'"};
  } catch (const std::bad_alloc&) {
    return {ErrorKind::kCapacity, "backend '" + name_ + "' ran out of memory"};
  } catch (const std::exception& e) {
    return {ErrorKind::kDevice, "backend '" + name_ + "': " + e.what()};
  } catch (...) {
    return {ErrorKind::kDevice, "backend '" + name_ + "' failed with an unknown error"};
  }
}

int AsyncBackend::queue_depth() const {
  std::lock_guard lock(mutex_);
  int n = 0;
  for (const auto& [id, job] : jobs_)
    if (job->state == JobState::kQueued || job->state == JobState::kRunning) ++n;
  return n;
}

}  // namespace qontos::exec
