// Dense statevector engine in single or double precision: 2^n amplitudes, amplitude index bit k
// is qubit k. Gates are applied as dense matrices on their target qubits restricted to the
// indices whose control bits are set (kernels.h); OpenMP spreads the index space over threads.
#pragma once

#include <complex>
#include <cstdint>
#include <memory>
#include <vector>

#include "simulate/gate_action.h"
#include "simulate/quantum_state.h"

namespace qontos::simulate {

template <typename Real>
class Statevector final : public QuantumState {
 public:
  using Amplitude = std::complex<Real>;
  /// Throws std::runtime_error when 2^num_qubits amplitudes do not fit in memory limits.
  explicit Statevector(int num_qubits);
  ~Statevector() override;
  Statevector(const Statevector& other);
  Statevector& operator=(const Statevector& other);

  int num_qubits() const override { return num_qubits_; }
  void apply_gate(const ir::GateOp& gate) override { apply(gate_action(gate)); }
  void apply(const GateAction& action);
  bool measure(int qubit, Rng& rng) override;
  void reset(int qubit, Rng& rng) override;
  void clear() override;

  /// Probability that measuring `qubit` gives 1.
  double probability_one(int qubit) const;
  /// Draws `shots` basis-state indices from the Born distribution, in ascending order.
  std::vector<std::uint64_t> sample(std::int64_t shots, Rng& rng) const;
  double norm_squared() const;

  std::uint64_t size() const { return size_; }
  Amplitude* data() { return amps_; }
  const Amplitude* data() const { return amps_; }

 private:
  void collapse(int qubit, bool outcome, double probability);
  int num_qubits_ = 0;
  std::uint64_t size_ = 0;
  Amplitude* amps_ = nullptr;  // 64-byte aligned, first-touched by the threads that use it
};

extern template class Statevector<float>;
extern template class Statevector<double>;

}  // namespace qontos::simulate
