#include "simulate/kernels.h"

#include <omp.h>

#include <algorithm>
#include <stdexcept>

// The 32-byte vector helpers below are always inlined into one ISA's clone, so the ABI note GCC
// gives for passing them between differently compiled functions never applies.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace qontos::simulate {
namespace {

// Everything one call needs, computed once: where the k target bits of each group member sit,
// and the positions where the group index gets zero bits inserted (targets and controls).
template <typename Real>
struct Plan {
  int dimension = 0;
  std::vector<std::uint64_t> offsets;    // offsets[l]: amplitude offset of group member l
  std::vector<std::uint64_t> low_masks;  // for each inserted bit, in ascending order
  std::uint64_t control_bits = 0;
  std::vector<Real> column_re, column_im;  // matrix column-major: [c * dimension + r]
};

template <typename Real>
[[gnu::always_inline]] inline std::uint64_t deposit(std::uint64_t i, const Plan<Real>& plan) {
  for (std::uint64_t low : plan.low_masks) i = ((i & ~low) << 1) | (i & low);
  return i | plan.control_bits;
}

template <typename Real, int D>
[[gnu::always_inline]] inline void group_body(std::complex<Real>* base_ptr, const std::uint64_t* off, const Real* mre,
                                              const Real* mim) {
  Real vr[D], vi[D], orr[D], oi[D];
  for (int l = 0; l < D; ++l) {
    vr[l] = base_ptr[off[l]].real();
    vi[l] = base_ptr[off[l]].imag();
    orr[l] = 0;
    oi[l] = 0;
  }
  for (int c = 0; c < D; ++c) {
    const Real xr = vr[c], xi = vi[c];
    for (int r = 0; r < D; ++r) {
      orr[r] += mre[c * D + r] * xr - mim[c * D + r] * xi;
      oi[r] += mre[c * D + r] * xi + mim[c * D + r] * xr;
    }
  }
  for (int l = 0; l < D; ++l) base_ptr[off[l]] = {orr[l], oi[l]};
}

// Groups [begin, end) in runs: consecutive group indices below the lowest inserted bit have
// consecutive base addresses, so the bit-depositing runs once per run, not once per group.
// 32 bytes of interleaved (re, im) pairs: 4 complex floats or 2 complex doubles. GCC lowers
// these vector types to AVX registers in the AVX2 clone and to SSE pairs in the portable one.
template <typename Real>
struct Lanes;
template <>
struct Lanes<float> {
  typedef float Vec __attribute__((vector_size(32)));
  typedef int Mask __attribute__((vector_size(32)));
  static constexpr int kComplex = 4;
  [[gnu::always_inline]] static Vec swap_pairs(Vec v) {
    constexpr Mask kSwap = {1, 0, 3, 2, 5, 4, 7, 6};
    return __builtin_shuffle(v, kSwap);
  }
};
template <>
struct Lanes<double> {
  typedef double Vec __attribute__((vector_size(32)));
  typedef long long Mask __attribute__((vector_size(32)));
  static constexpr int kComplex = 2;
  [[gnu::always_inline]] static Vec swap_pairs(Vec v) {
    constexpr Mask kSwap = {1, 0, 3, 2};
    return __builtin_shuffle(v, kSwap);
  }
};

// kComplex consecutive groups at once: every group member's amplitudes for those groups are
// contiguous, so they load as one vector. (a+bi)(x+yi) = [ax, ay] + [-b, b] * [y, x].
template <typename Real, int D>
[[gnu::always_inline]] inline void groups_vector(std::complex<Real>* base_ptr, const std::uint64_t* off,
                                                 const typename Lanes<Real>::Vec* mre,
                                                 const typename Lanes<Real>::Vec* msign) {
  using L = Lanes<Real>;
  using Vec = typename L::Vec;
  Vec v[D], w[D];
  for (int c = 0; c < D; ++c) {
    __builtin_memcpy(&v[c], static_cast<const void*>(base_ptr + off[c]), sizeof(Vec));
    w[c] = L::swap_pairs(v[c]);
  }
  for (int r = 0; r < D; ++r) {
    Vec acc = mre[r * D] * v[0] + msign[r * D] * w[0];
    for (int c = 1; c < D; ++c) acc += mre[r * D + c] * v[c] + msign[r * D + c] * w[c];
    __builtin_memcpy(static_cast<void*>(base_ptr + off[r]), &acc, sizeof(Vec));
  }
}

template <typename Real, int D>
[[gnu::always_inline]] inline void chunk_body(std::complex<Real>* amps, std::uint64_t begin, std::uint64_t end,
                                              const Plan<Real>& plan) {
  using L = Lanes<Real>;
  const Real* mre = plan.column_re.data();
  const Real* mim = plan.column_im.data();
  const std::uint64_t* off = plan.offsets.data();
  const std::uint64_t run = plan.low_masks.empty() ? end : plan.low_masks.front() + 1;
  // The matrix broadcast into vectors, row-major, for the vector path.
  typename L::Vec vre[D * D], vsign[D * D];
  const bool vector_path = run >= static_cast<std::uint64_t>(L::kComplex) && D <= 16;
  if (vector_path)
    for (int r = 0; r < D; ++r)
      for (int c = 0; c < D; ++c)
        for (int k = 0; k < 2 * L::kComplex; ++k) {
          vre[r * D + c][k] = mre[c * D + r];
          vsign[r * D + c][k] = (k & 1) ? mim[c * D + r] : -mim[c * D + r];
        }
  std::uint64_t i = begin;
  while (i < end) {
    const std::uint64_t run_end = std::min(end, (i / run + 1) * run);
    std::complex<Real>* p = amps + deposit(i, plan);
    if (vector_path) {
      for (; i + L::kComplex <= run_end; i += L::kComplex, p += L::kComplex) groups_vector<Real, D>(p, off, vre, vsign);
    }
    for (; i < run_end; ++i, ++p) group_body<Real, D>(p, off, mre, mim);
  }
}

template <typename Real>
void chunk_dynamic(std::complex<Real>* amps, std::uint64_t begin, std::uint64_t end, const Plan<Real>& plan) {
  const int d = plan.dimension;
  std::vector<std::complex<Real>> in(d), out(d);
  for (std::uint64_t i = begin; i < end; ++i) {
    const std::uint64_t base = deposit(i, plan);
    for (int l = 0; l < d; ++l) in[l] = amps[base + plan.offsets[l]];
    for (int r = 0; r < d; ++r) {
      std::complex<Real> s = 0;
      for (int c = 0; c < d; ++c) s += std::complex<Real>(plan.column_re[c * d + r], plan.column_im[c * d + r]) * in[c];
      out[r] = s;
    }
    for (int l = 0; l < d; ++l) amps[base + plan.offsets[l]] = out[l];
  }
}

template <typename Real, int D>
__attribute__((target("avx2,fma"))) void chunk_avx2(std::complex<Real>* amps, std::uint64_t begin, std::uint64_t end,
                                                    const Plan<Real>& plan) {
  chunk_body<Real, D>(amps, begin, end, plan);
}
template <typename Real, int D>
void chunk_portable(std::complex<Real>* amps, std::uint64_t begin, std::uint64_t end, const Plan<Real>& plan) {
  chunk_body<Real, D>(amps, begin, end, plan);
}

bool cpu_has_avx2() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
}

template <typename Real>
using ChunkFn = void (*)(std::complex<Real>*, std::uint64_t, std::uint64_t, const Plan<Real>&);

template <typename Real>
ChunkFn<Real> select(int dimension) {
  const bool avx2 = cpu_has_avx2();
  switch (dimension) {
    case 2:
      return avx2 ? chunk_avx2<Real, 2> : chunk_portable<Real, 2>;
    case 4:
      return avx2 ? chunk_avx2<Real, 4> : chunk_portable<Real, 4>;
    case 8:
      return avx2 ? chunk_avx2<Real, 8> : chunk_portable<Real, 8>;
    case 16:
      return avx2 ? chunk_avx2<Real, 16> : chunk_portable<Real, 16>;
    case 32:
      return avx2 ? chunk_avx2<Real, 32> : chunk_portable<Real, 32>;
    default:
      return chunk_dynamic<Real>;
  }
}

}  // namespace

template <typename Real>
void apply_matrix(std::complex<Real>* amps, int num_qubits, const std::vector<int>& targets,
                  const std::vector<int>& controls, const std::vector<std::complex<double>>& matrix) {
  const int k = static_cast<int>(targets.size());
  Plan<Real> plan;
  plan.dimension = 1 << k;
  if (matrix.size() != static_cast<std::size_t>(plan.dimension) * plan.dimension)
    throw std::invalid_argument("apply_matrix: matrix size does not match the target count");
  plan.offsets.resize(plan.dimension);
  for (int l = 0; l < plan.dimension; ++l) {
    std::uint64_t o = 0;
    for (int j = 0; j < k; ++j)
      if ((l >> j) & 1) o |= std::uint64_t{1} << targets[j];
    plan.offsets[l] = o;
  }
  std::vector<int> inserted(targets);
  inserted.insert(inserted.end(), controls.begin(), controls.end());
  std::sort(inserted.begin(), inserted.end());
  if (std::adjacent_find(inserted.begin(), inserted.end()) != inserted.end() ||
      (!inserted.empty() && (inserted.front() < 0 || inserted.back() >= num_qubits)))
    throw std::invalid_argument("apply_matrix: repeated or out-of-range qubit");
  for (int p : inserted) plan.low_masks.push_back((std::uint64_t{1} << p) - 1);
  for (int c : controls) plan.control_bits |= std::uint64_t{1} << c;
  plan.column_re.resize(matrix.size());
  plan.column_im.resize(matrix.size());
  for (int r = 0; r < plan.dimension; ++r)
    for (int c = 0; c < plan.dimension; ++c) {
      plan.column_re[c * plan.dimension + r] = static_cast<Real>(matrix[r * plan.dimension + c].real());
      plan.column_im[c * plan.dimension + r] = static_cast<Real>(matrix[r * plan.dimension + c].imag());
    }

  const std::uint64_t groups = std::uint64_t{1} << (num_qubits - static_cast<int>(inserted.size()));
  const ChunkFn<Real> fn = select<Real>(plan.dimension);
  // Threads pay off only when each gets well over a cache's worth of amplitudes.
  const std::uint64_t work = groups * static_cast<std::uint64_t>(plan.dimension);
  if (work < (std::uint64_t{1} << 15) || omp_get_max_threads() == 1) {
    fn(amps, 0, groups, plan);
    return;
  }
#pragma omp parallel
  {
    const auto threads = static_cast<std::uint64_t>(omp_get_num_threads());
    const auto id = static_cast<std::uint64_t>(omp_get_thread_num());
    const std::uint64_t per = (groups + threads - 1) / threads;
    const std::uint64_t begin = std::min(groups, id * per), end = std::min(groups, begin + per);
    fn(amps, begin, end, plan);
  }
}

const char* kernel_isa() {
  return cpu_has_avx2() ? "avx2" : "portable";
}

template void apply_matrix<float>(std::complex<float>*, int, const std::vector<int>&, const std::vector<int>&,
                                  const std::vector<std::complex<double>>&);
template void apply_matrix<double>(std::complex<double>*, int, const std::vector<int>&, const std::vector<int>&,
                                   const std::vector<std::complex<double>>&);

}  // namespace qontos::simulate
