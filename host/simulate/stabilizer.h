// Aaronson–Gottesman stabilizer tableau engine: Clifford circuits on thousands of qubits with
// gates in O(n/64) word operations and measurements in O(n^2/64). Non-Clifford gates are
// refused (clifford.h says which and why).
//
// Layout. The tableau has 2n rows (destabilizers X-images in rows 0..n-1, stabilizers in rows
// n..2n-1), each a Pauli string with a sign. It is stored column-major: every qubit owns two
// adjacent bit columns over the rows (its X bits, then its Z bits), 64 rows a word, plus one
// column of signs. A gate acts on the columns of its one or two qubits, so h/s/cx are a single
// branch-free pass over a few contiguous arrays, 64 rows per operation. Measurement is where
// AG needs rows: rowsum multiplies one pivot row into every row that anticommutes with Z_q, and
// the deterministic case multiplies a set of stabilizers into a scratch row to read its sign.
// Both are done here column by column too: the pivot's Pauli on a column is a constant, so that
// column's contribution to every target row's phase is a bitwise function of the target's bits,
// summed mod 4 in bit-sliced counters (two words per 64 rows). The deterministic product is known
// to be +-Z_q, so the scratch row is never materialised: only its sign is accumulated, from a
// closed form of the phase of an ordered product (see deterministic_outcome). No transposition
// is needed and gates never pay for measurement's access pattern. (Queueing gates and applying
// them in row chunks small enough for L2 was tried for 5000 qubits and measured slower: the
// per-chunk dispatch of random gate kinds costs more than the cache traffic it saves.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "simulate/clifford.h"
#include "simulate/quantum_state.h"

namespace qontos::simulate {

class StabilizerState final : public QuantumState {
 public:
  /// The state |0...0> on `num_qubits` qubits. Memory is about num_qubits^2 / 2 bytes.
  explicit StabilizerState(int num_qubits);

  int num_qubits() const override { return n_; }
  /// Applies a Clifford gate; throws std::runtime_error with clifford.h's reason otherwise, or
  /// when a qubit is out of range or repeated.
  void apply_gate(const ir::GateOp& gate) override;
  /// Random outcomes take one rng.bernoulli(0.5) each; deterministic ones take nothing.
  bool measure(int qubit, Rng& rng) override;
  void reset(int qubit, Rng& rng) override;
  void clear() override;

  /// Applies one tableau primitive. Qubits must be in range and distinct (not checked).
  void apply(const CliffordStep& step);

  /// The outcome of measuring `qubit` if it is determined; nullopt if it would be random. The
  /// state is unchanged.
  std::optional<bool> peek_outcome(int qubit) const;

  /// Stabilizer generator `i` (the image of Z_i under the circuit so far, until measurements
  /// rewrite it) as a sign and one letter per qubit, qubit 0 first: "+XZI", "-YYI".
  std::string stabilizer(int i) const;
  /// Destabilizer `i` (the image of X_i under the circuit so far), in the same form.
  std::string destabilizer(int i) const;

 private:
  std::uint64_t* x_column(int qubit) { return bits_.data() + 2 * static_cast<std::size_t>(column_[qubit]) * words_; }
  const std::uint64_t* x_column(int qubit) const {
    return bits_.data() + 2 * static_cast<std::size_t>(column_[qubit]) * words_;
  }
  void check_qubit(int qubit) const;
  std::string row_text(std::size_t row) const;
  std::optional<std::size_t> pivot_row(int qubit) const;
  bool deterministic_outcome(int qubit) const;
  void collapse(int qubit, std::size_t pivot, bool outcome);

  int n_ = 0;
  std::size_t words_ = 0;             // words per column: ceil(2n / 64)
  std::vector<std::uint64_t> bits_;   // column c: X bits at [2c * words_], Z bits right after
  std::vector<std::uint64_t> signs_;  // one sign bit per row
  std::vector<int> column_;           // qubit -> column: swap exchanges labels, not bits
  // Scratch for measurement, kept to avoid allocating per call (so even const calls must not
  // run concurrently on one state).
  mutable std::vector<std::uint64_t> mask_;
  std::vector<std::uint64_t> low_;
  std::vector<std::uint64_t> high_;
};

}  // namespace qontos::simulate
