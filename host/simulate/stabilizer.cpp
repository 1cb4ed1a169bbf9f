#include "simulate/stabilizer.h"

#include <algorithm>
#include <bit>
#include <numeric>
#include <stdexcept>
#include <utility>

namespace qontos::simulate {
namespace {

using Word = std::uint64_t;
constexpr std::size_t kBits = 64;

bool get_bit(const Word* v, std::size_t i) {
  return (v[i / kBits] >> (i % kBits)) & 1;
}
void set_bit(Word* v, std::size_t i, bool value) {
  const Word m = Word{1} << (i % kBits);
  v[i / kBits] = value ? v[i / kBits] | m : v[i / kBits] & ~m;
}

/// Bit k of the result is the XOR of bits 0..k of v.
Word prefix_parity(Word v) {
  v ^= v << 1;
  v ^= v << 2;
  v ^= v << 4;
  v ^= v << 8;
  v ^= v << 16;
  v ^= v << 32;
  return v;
}

int parity(Word v) {
  return std::popcount(v) & 1;
}

/// The pivot's Pauli on one column, for rowsum.
enum class Pauli { kX, kY, kZ };

/// Multiplies the pivot row, whose Pauli on this column is `kP`, into the rows of `mask`: flips
/// their bits where the pivot has X or Z, and adds this column's phase exponent (AG's g, in
/// {-1, 0, +1}, of pivot times target) to the rows' mod-4 counters (low, high).
template <Pauli kP>
[[gnu::always_inline]] inline void rowsum_column(Word* __restrict x, Word* __restrict z, const Word* __restrict mask,
                                                 Word* __restrict low, Word* __restrict high, std::size_t begin,
                                                 std::size_t end) {
  for (std::size_t w = begin; w < end; ++w) {
    const Word m = mask[w];
    const Word x2 = x[w];
    const Word z2 = z[w];
    Word plus = 0;
    Word minus = 0;
    if constexpr (kP == Pauli::kX) {  // XY = iZ, XZ = -iY
      plus = x2 & z2;
      minus = z2 & ~x2;
    } else if constexpr (kP == Pauli::kY) {  // YZ = iX, YX = -iZ
      plus = z2 & ~x2;
      minus = x2 & ~z2;
    } else {  // ZX = iY, ZY = -iX
      plus = x2 & ~z2;
      minus = x2 & z2;
    }
    plus &= m;
    minus &= m;
    high[w] ^= (low[w] & plus) | (~low[w] & minus);
    low[w] ^= plus | minus;
    if constexpr (kP != Pauli::kZ) x[w] = x2 ^ m;
    if constexpr (kP != Pauli::kX) z[w] = z2 ^ m;
  }
}

/// [begin, end) of the words of v that are not zero (begin == end when all are).
std::pair<std::size_t, std::size_t> nonzero_range(const std::vector<Word>& v) {
  std::size_t begin = 0;
  std::size_t end = v.size();
  while (begin < end && v[begin] == 0) ++begin;
  while (end > begin && v[end - 1] == 0) --end;
  return {begin, end};
}

// The hot loops are compiled twice, portable (SSE2) and for AVX2, and picked once per process
// from the CPU, as in kernels.cpp: the bodies are always_inline so that each wrapper compiles
// them for its own target.

/// Conjugation rules, per row with bits (x, z) of the qubit's Pauli and sign r (Aaronson and
/// Gottesman for h, s, cx; the others by the same derivation, e.g. S maps X -> Y, Y -> -X).
/// Swap never gets here: it relabels columns.
[[gnu::always_inline]] inline void column_kernel(CliffordPrimitive op, Word* __restrict r, Word* __restrict xa,
                                                 Word* __restrict za, Word* __restrict xb, Word* __restrict zb,
                                                 std::size_t n) {
  switch (op) {
    case CliffordPrimitive::kX:  // Z, Y -> -Z, -Y
      for (std::size_t w = 0; w < n; ++w) r[w] ^= za[w];
      return;
    case CliffordPrimitive::kY:  // X, Z -> -X, -Z
      for (std::size_t w = 0; w < n; ++w) r[w] ^= xa[w] ^ za[w];
      return;
    case CliffordPrimitive::kZ:  // X, Y -> -X, -Y
      for (std::size_t w = 0; w < n; ++w) r[w] ^= xa[w];
      return;
    case CliffordPrimitive::kH:  // X <-> Z, Y -> -Y
      for (std::size_t w = 0; w < n; ++w) {
        const Word x = xa[w];
        const Word z = za[w];
        r[w] ^= x & z;
        xa[w] = z;
        za[w] = x;
      }
      return;
    case CliffordPrimitive::kS:  // X -> Y, Y -> -X
      for (std::size_t w = 0; w < n; ++w) {
        r[w] ^= xa[w] & za[w];
        za[w] ^= xa[w];
      }
      return;
    case CliffordPrimitive::kSdg:  // X -> -Y, Y -> X
      for (std::size_t w = 0; w < n; ++w) {
        r[w] ^= xa[w] & ~za[w];
        za[w] ^= xa[w];
      }
      return;
    case CliffordPrimitive::kSX:  // Z -> -Y, Y -> Z
      for (std::size_t w = 0; w < n; ++w) {
        r[w] ^= za[w] & ~xa[w];
        xa[w] ^= za[w];
      }
      return;
    case CliffordPrimitive::kSXdg:  // Z -> Y, Y -> -Z
      for (std::size_t w = 0; w < n; ++w) {
        r[w] ^= xa[w] & za[w];
        xa[w] ^= za[w];
      }
      return;
    case CliffordPrimitive::kCX:  // X_a -> X_a X_b, Z_b -> Z_a Z_b
      for (std::size_t w = 0; w < n; ++w) {
        const Word xc = xa[w];
        const Word zc = za[w];
        const Word xt = xb[w];
        const Word zt = zb[w];
        r[w] ^= xc & zt & ~(xt ^ zc);
        xb[w] = xt ^ xc;
        za[w] = zc ^ zt;
      }
      return;
    case CliffordPrimitive::kCZ:  // X_a -> X_a Z_b, X_b -> Z_a X_b
      for (std::size_t w = 0; w < n; ++w) {
        const Word x1 = xa[w];
        const Word z1 = za[w];
        const Word x2 = xb[w];
        const Word z2 = zb[w];
        r[w] ^= x1 & x2 & (z1 ^ z2);
        za[w] = z1 ^ x2;
        zb[w] = z2 ^ x1;
      }
      return;
    case CliffordPrimitive::kCY:  // S_b . CX . S_b^dagger, fused into one pass
      for (std::size_t w = 0; w < n; ++w) {
        const Word xc = xa[w];
        Word zc = za[w];
        Word xt = xb[w];
        Word zt = zb[w];
        Word sign = r[w];
        sign ^= xt & ~zt;  // sdg on b
        zt ^= xt;
        sign ^= xc & zt & ~(xt ^ zc);  // cx
        xt ^= xc;
        zc ^= zt;
        sign ^= xt & zt;  // s on b
        zt ^= xt;
        r[w] = sign;
        za[w] = zc;
        xb[w] = xt;
        zb[w] = zt;
      }
      return;
    case CliffordPrimitive::kSwap:
      return;
  }
}

void column_kernel_portable(CliffordPrimitive op, Word* r, Word* xa, Word* za, Word* xb, Word* zb, std::size_t n) {
  column_kernel(op, r, xa, za, xb, zb, n);
}
__attribute__((target("avx2"))) void column_kernel_avx2(CliffordPrimitive op, Word* r, Word* xa, Word* za, Word* xb,
                                                        Word* zb, std::size_t n) {
  column_kernel(op, r, xa, za, xb, zb, n);
}

/// rowsum of the pivot row into the rows of `mask`, over every column of the tableau `bits`.
[[gnu::always_inline]] inline void rowsum_kernel(Word* bits, std::size_t columns, std::size_t words, std::size_t pivot,
                                                 const Word* mask, Word* low, Word* high, std::size_t begin,
                                                 std::size_t end) {
  for (std::size_t c = 0; c < columns; ++c) {
    Word* x = bits + 2 * c * words;
    Word* z = x + words;
    const bool px = get_bit(x, pivot);
    const bool pz = get_bit(z, pivot);
    if (px && pz) {
      rowsum_column<Pauli::kY>(x, z, mask, low, high, begin, end);
    } else if (px) {
      rowsum_column<Pauli::kX>(x, z, mask, low, high, begin, end);
    } else if (pz) {
      rowsum_column<Pauli::kZ>(x, z, mask, low, high, begin, end);
    }
  }
}

void rowsum_portable(Word* bits, std::size_t columns, std::size_t words, std::size_t pivot, const Word* mask, Word* low,
                     Word* high, std::size_t begin, std::size_t end) {
  rowsum_kernel(bits, columns, words, pivot, mask, low, high, begin, end);
}
__attribute__((target("avx2"))) void rowsum_avx2(Word* bits, std::size_t columns, std::size_t words, std::size_t pivot,
                                                 const Word* mask, Word* low, Word* high, std::size_t begin,
                                                 std::size_t end) {
  rowsum_kernel(bits, columns, words, pivot, mask, low, high, begin, end);
}

bool cpu_has_avx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}

}  // namespace

StabilizerState::StabilizerState(int num_qubits) : n_(num_qubits) {
  if (num_qubits < 0) throw std::invalid_argument("stabilizer state needs a non-negative qubit count");
  const auto n = static_cast<std::size_t>(num_qubits);
  words_ = (2 * n + kBits - 1) / kBits;
  bits_.resize(2 * n * words_);
  signs_.resize(words_);
  column_.resize(n);
  mask_.resize(words_);
  low_.resize(words_);
  high_.resize(words_);
  clear();
}

void StabilizerState::clear() {
  std::fill(bits_.begin(), bits_.end(), Word{0});
  std::fill(signs_.begin(), signs_.end(), Word{0});
  std::iota(column_.begin(), column_.end(), 0);
  const auto n = static_cast<std::size_t>(n_);
  for (int q = 0; q < n_; ++q) {
    const auto row = static_cast<std::size_t>(q);
    Word* x = x_column(q);
    set_bit(x, row, true);               // destabilizer q = X_q
    set_bit(x + words_, n + row, true);  // stabilizer q = Z_q
  }
}

void StabilizerState::check_qubit(int qubit) const {
  if (qubit < 0 || qubit >= n_)
    throw std::runtime_error("qubit " + std::to_string(qubit) + " is out of range for a " + std::to_string(n_) +
                             "-qubit stabilizer state");
}

void StabilizerState::apply_gate(const ir::GateOp& gate) {
  const auto& q = gate.qubits;
  for (std::size_t i = 0; i < q.size(); ++i) {
    if (q[i] < 0 || q[i] >= n_) check_qubit(q[i]);
    for (std::size_t j = 0; j < i; ++j)
      if (q[i] == q[j])
        throw std::runtime_error("gate '" + gate.name + "' uses qubit " + std::to_string(q[i]) + " twice");
  }
  // The common case, one primitive by name, skips building a decomposition.
  if (gate.controls == 0 && gate.params.empty() && gate.modifiers.empty()) {
    const auto p = primitive_gate(gate.name);
    if (p && q.size() == static_cast<std::size_t>(primitive_arity(*p))) {
      apply(CliffordStep{*p, q[0], q.size() == 2 ? q[1] : -1});
      return;
    }
  }
  const CliffordDecomposition d = decompose_clifford(gate);
  if (d.refusal) throw std::runtime_error("stabilizer simulator cannot apply " + *d.refusal);
  for (const CliffordStep& step : d.sequence.steps()) apply(step);
}

void StabilizerState::apply(const CliffordStep& step) {
  static const auto kernel = cpu_has_avx2() ? column_kernel_avx2 : column_kernel_portable;
  if (step.op == CliffordPrimitive::kSwap) {
    std::swap(column_[step.a], column_[step.b]);
    return;
  }
  Word* xa = x_column(step.a);
  Word* xb = step.b >= 0 ? x_column(step.b) : nullptr;
  kernel(step.op, signs_.data(), xa, xa + words_, xb, xb ? xb + words_ : nullptr, words_);
}

// The pivot: the first stabilizer (row >= n) with an X or Y on the qubit, i.e. one that
// anticommutes with Z_q. None means Z_q is in the stabilizer group up to sign.
std::optional<std::size_t> StabilizerState::pivot_row(int qubit) const {
  const Word* xq = x_column(qubit);
  const auto n = static_cast<std::size_t>(n_);
  std::size_t w = n / kBits;
  Word word = w < words_ ? xq[w] & (~Word{0} << (n % kBits)) : 0;
  while (word == 0 && ++w < words_) word = xq[w];
  if (word == 0) return std::nullopt;
  return w * kBits + static_cast<std::size_t>(std::countr_zero(word));
}

bool StabilizerState::measure(int qubit, Rng& rng) {
  check_qubit(qubit);
  const auto pivot = pivot_row(qubit);
  if (!pivot) return deterministic_outcome(qubit);
  const bool outcome = rng.bernoulli(0.5);
  collapse(qubit, *pivot, outcome);
  return outcome;
}

void StabilizerState::reset(int qubit, Rng& rng) {
  if (measure(qubit, rng)) apply(CliffordStep{CliffordPrimitive::kX, qubit, -1});
}

std::optional<bool> StabilizerState::peek_outcome(int qubit) const {
  check_qubit(qubit);
  if (pivot_row(qubit)) return std::nullopt;
  return deterministic_outcome(qubit);
}

// Random outcome with pivot row p (AG): every other row that anticommutes with Z_q becomes its
// product with row p; the destabilizer p - n becomes old row p; row p becomes (-1)^outcome Z_q.
void StabilizerState::collapse(int qubit, std::size_t pivot, bool outcome) {
  const std::size_t n = static_cast<std::size_t>(n_);
  const Word* xq = x_column(qubit);
  std::copy(xq, xq + words_, mask_.begin());
  set_bit(mask_.data(), pivot, false);
  const auto [begin, end] = nonzero_range(mask_);
  std::fill(low_.begin() + static_cast<std::ptrdiff_t>(begin), low_.begin() + static_cast<std::ptrdiff_t>(end),
            Word{0});
  std::fill(high_.begin() + static_cast<std::ptrdiff_t>(begin), high_.begin() + static_cast<std::ptrdiff_t>(end),
            Word{0});
  if (begin < end) {
    static const auto rowsum = cpu_has_avx2() ? rowsum_avx2 : rowsum_portable;
    rowsum(bits_.data(), n, words_, pivot, mask_.data(), low_.data(), high_.data(), begin, end);
    // Each product's exponent of i is 2 r_h + 2 r_p + sum(g); it is even for the commuting
    // pairs (all but destabilizer p - n, which is overwritten below), so its high bit is the sign.
    const Word pivot_sign = get_bit(signs_.data(), pivot) ? ~Word{0} : 0;
    for (std::size_t w = begin; w < end; ++w) signs_[w] ^= mask_[w] & (high_[w] ^ pivot_sign);
  }
  for (std::size_t c = 0; c < n; ++c) {
    Word* x = bits_.data() + 2 * c * words_;
    Word* z = x + words_;
    set_bit(x, pivot - n, get_bit(x, pivot));
    set_bit(z, pivot - n, get_bit(z, pivot));
    set_bit(x, pivot, false);
    set_bit(z, pivot, false);
  }
  set_bit(signs_.data(), pivot - n, get_bit(signs_.data(), pivot));
  set_bit(x_column(qubit) + words_, pivot, true);
  set_bit(signs_.data(), pivot, outcome);
}

// Deterministic outcome: Z_q is +-(product of the stabilizers n + i whose destabilizer i has an X
// or Y on the qubit), and the outcome is that sign. AG accumulates the product in a scratch row;
// here only its phase is computed, all columns and 64 rows at a time. Writing each single-qubit
// Pauli as i^{xz} X^x Z^z, an ordered product on one column is
//   i^{sum x_a z_a} (-1)^{sum_{a<b} z_a x_b} X^{sum x} Z^{sum z},
// and X^x Z^z = i^{-xz} times the Pauli with bits (x, z). So the product's exponent of i is
//   sum_rows 2 r + sum_columns [ sum x z + 2 sum_{a<b} z_a x_b - X Z ]  (mod 4),
// where X, Z are the column's resulting bits. The product is +-Z_q, so every X is 0 and the
// last term vanishes. The cross term uses the prefix parity of z over rows, carried from word
// to word.
bool StabilizerState::deterministic_outcome(int qubit) const {
  const std::size_t n = static_cast<std::size_t>(n_);
  const Word* xq = x_column(qubit);
  // mask_ = destabilizer bits of the column shifted up by n: the stabilizer rows to multiply.
  std::fill(mask_.begin(), mask_.end(), Word{0});
  const std::size_t shift_words = n / kBits;
  const std::size_t shift_bits = n % kBits;
  for (std::size_t w = 0; w * kBits < n; ++w) {
    Word v = xq[w];
    if ((w + 1) * kBits > n) v &= (Word{1} << (n % kBits)) - 1;  // keep rows < n only
    if (v == 0) continue;
    mask_[w + shift_words] |= v << shift_bits;
    if (shift_bits != 0 && w + shift_words + 1 < words_) mask_[w + shift_words + 1] |= v >> (kBits - shift_bits);
  }
  const auto [begin, end] = nonzero_range(mask_);
  Word count_low = 0;  // bit-sliced mod-4 count of rows with x = z = 1, per bit position
  Word count_high = 0;
  Word cross = 0;  // XOR of the (z_a x_b, a < b) terms; only its parity matters
  for (std::size_t c = 0; c < n; ++c) {
    const Word* x = bits_.data() + 2 * c * words_;
    const Word* z = x + words_;
    Word carry = 0;  // all ones when the z bits of earlier words have odd parity
    for (std::size_t w = begin; w < end; ++w) {
      const Word d = mask_[w];
      const Word xd = x[w] & d;
      const Word zd = z[w] & d;
      const Word y = xd & zd;
      count_high ^= count_low & y;
      count_low ^= y;
      const Word prefix = prefix_parity(zd);
      cross ^= xd & ((prefix << 1) ^ carry);
      carry ^= Word{0} - (prefix >> 63);
    }
  }
  Word sign_words = 0;
  for (std::size_t w = begin; w < end; ++w) sign_words ^= signs_[w] & mask_[w];
  const int exponent =
      std::popcount(count_low) + 2 * std::popcount(count_high) + 2 * parity(cross) + 2 * parity(sign_words);
  return (exponent & 3) == 2;
}

std::string StabilizerState::row_text(std::size_t row) const {
  std::string out(1, get_bit(signs_.data(), row) ? '-' : '+');
  for (int q = 0; q < n_; ++q) {
    const Word* x = x_column(q);
    const bool xb = get_bit(x, row);
    const bool zb = get_bit(x + words_, row);
    out += xb ? (zb ? 'Y' : 'X') : (zb ? 'Z' : 'I');
  }
  return out;
}

std::string StabilizerState::stabilizer(int i) const {
  check_qubit(i);
  return row_text(static_cast<std::size_t>(n_ + i));
}

std::string StabilizerState::destabilizer(int i) const {
  check_qubit(i);
  return row_text(static_cast<std::size_t>(i));
}

}  // namespace qontos::simulate
