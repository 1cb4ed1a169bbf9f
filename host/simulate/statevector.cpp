#include "simulate/statevector.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

#include "simulate/kernels.h"

namespace qontos::simulate {
namespace {
constexpr int kMaxQubits = 40;
constexpr std::uint64_t kParallelFrom = std::uint64_t{1} << 15;
}  // namespace

template <typename Real>
Statevector<Real>::Statevector(int num_qubits) : num_qubits_(num_qubits) {
  if (num_qubits < 0 || num_qubits > kMaxQubits)
    throw std::runtime_error("statevector: " + std::to_string(num_qubits) + " qubits is beyond the engine's limit of " +
                             std::to_string(kMaxQubits));
  size_ = std::uint64_t{1} << num_qubits;
  const std::size_t bytes = std::max<std::size_t>(64, size_ * sizeof(Amplitude));
  amps_ = static_cast<Amplitude*>(std::aligned_alloc(64, (bytes + 63) / 64 * 64));
  if (amps_ == nullptr)
    throw std::runtime_error("statevector: cannot allocate " + std::to_string(bytes >> 20) + " MiB for " +
                             std::to_string(num_qubits) + " qubits");
  clear();
}

template <typename Real>
Statevector<Real>::~Statevector() {
  std::free(amps_);
}

template <typename Real>
Statevector<Real>::Statevector(const Statevector& other) : Statevector(other.num_qubits_) {
  std::memcpy(static_cast<void*>(amps_), other.amps_, size_ * sizeof(Amplitude));
}

template <typename Real>
Statevector<Real>& Statevector<Real>::operator=(const Statevector& other) {
  if (this == &other) return *this;
  if (other.num_qubits_ != num_qubits_) {
    Statevector copy(other);
    std::swap(num_qubits_, copy.num_qubits_);
    std::swap(size_, copy.size_);
    std::swap(amps_, copy.amps_);
    return *this;
  }
  std::memcpy(static_cast<void*>(amps_), other.amps_, size_ * sizeof(Amplitude));
  return *this;
}

template <typename Real>
void Statevector<Real>::clear() {
  const auto n = static_cast<std::int64_t>(size_);
  // Parallel first touch places pages near the threads that later sweep them.
#pragma omp parallel for schedule(static) if (size_ >= kParallelFrom)
  for (std::int64_t i = 0; i < n; ++i) amps_[i] = Amplitude(0, 0);
  amps_[0] = Amplitude(1, 0);
}

template <typename Real>
void Statevector<Real>::apply(const GateAction& action) {
  apply_matrix<Real>(amps_, num_qubits_, action.targets, action.controls, action.matrix);
}

template <typename Real>
double Statevector<Real>::probability_one(int qubit) const {
  if (qubit < 0 || qubit >= num_qubits_) throw std::invalid_argument("statevector: qubit out of range");
  const std::uint64_t bit = std::uint64_t{1} << qubit;
  const auto half = static_cast<std::int64_t>(size_ >> 1);
  double p = 0;
#pragma omp parallel for reduction(+ : p) schedule(static) if (size_ >= kParallelFrom)
  for (std::int64_t j = 0; j < half; ++j) {
    const auto u = static_cast<std::uint64_t>(j);
    const std::uint64_t i = ((u & ~(bit - 1)) << 1) | (u & (bit - 1)) | bit;
    p += static_cast<double>(std::norm(amps_[i]));
  }
  return p;
}

template <typename Real>
double Statevector<Real>::norm_squared() const {
  double p = 0;
  const auto n = static_cast<std::int64_t>(size_);
#pragma omp parallel for reduction(+ : p) schedule(static) if (size_ >= kParallelFrom)
  for (std::int64_t i = 0; i < n; ++i) p += static_cast<double>(std::norm(amps_[i]));
  return p;
}

template <typename Real>
void Statevector<Real>::collapse(int qubit, bool outcome, double probability) {
  const std::uint64_t bit = std::uint64_t{1} << qubit;
  const Real scale = static_cast<Real>(1.0 / std::sqrt(probability));
  const auto n = static_cast<std::int64_t>(size_);
#pragma omp parallel for schedule(static) if (size_ >= kParallelFrom)
  for (std::int64_t i = 0; i < n; ++i) {
    const bool one = (static_cast<std::uint64_t>(i) & bit) != 0;
    amps_[i] = one == outcome ? amps_[i] * scale : Amplitude(0, 0);
  }
}

template <typename Real>
bool Statevector<Real>::measure(int qubit, Rng& rng) {
  const double p1 = std::clamp(probability_one(qubit), 0.0, 1.0);
  const bool outcome = rng.uniform() < p1;
  collapse(qubit, outcome, outcome ? p1 : 1.0 - p1);
  return outcome;
}

template <typename Real>
void Statevector<Real>::reset(int qubit, Rng& rng) {
  if (measure(qubit, rng)) apply(GateAction{{}, {qubit}, {0, 1, 1, 0}});
}

template <typename Real>
std::vector<std::uint64_t> Statevector<Real>::sample(std::int64_t shots, Rng& rng) const {
  // Sorted uniforms against one cumulative sweep: O(2^n + shots log shots), no extra 2^n memory.
  std::vector<double> u(static_cast<std::size_t>(shots));
  const double total = norm_squared();
  for (auto& x : u) x = rng.uniform() * total;
  std::sort(u.begin(), u.end());
  std::vector<std::uint64_t> out;
  out.reserve(u.size());
  double cumulative = 0;
  std::size_t next = 0;
  std::uint64_t last_nonzero = 0;
  for (std::uint64_t i = 0; i < size_ && next < u.size(); ++i) {
    const double p = static_cast<double>(std::norm(amps_[i]));
    if (p > 0) last_nonzero = i;
    cumulative += p;
    while (next < u.size() && u[next] < cumulative) {
      out.push_back(i);
      ++next;
    }
  }
  // Rounding can leave the last draws past the final partial sum: they belong to the last state.
  while (out.size() < u.size()) out.push_back(last_nonzero);
  return out;
}

template class Statevector<float>;
template class Statevector<double>;

}  // namespace qontos::simulate
