#include "simulate/kernels.h"

#include <omp.h>

#include <algorithm>
#include <stdexcept>

namespace qontos::simulate {
namespace {

// Everything one call needs, computed once: where the k target bits of each group member sit,
// and the positions where the group index gets zero bits inserted (targets and controls).
template <typename Real>
struct Plan {
  int dimension = 0;
  std::vector<std::uint64_t> offsets;  // offsets[l]: amplitude offset of group member l
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
template <typename Real, int D>
[[gnu::always_inline]] inline void chunk_body(std::complex<Real>* amps, std::uint64_t begin, std::uint64_t end,
                                              const Plan<Real>& plan) {
  const Real* mre = plan.column_re.data();
  const Real* mim = plan.column_im.data();
  const std::uint64_t* off = plan.offsets.data();
  const std::uint64_t run = plan.low_masks.empty() ? end : plan.low_masks.front() + 1;
  std::uint64_t i = begin;
  while (i < end) {
    const std::uint64_t run_end = std::min(end, (i / run + 1) * run);
    std::complex<Real>* p = amps + deposit(i, plan);
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
__attribute__((target("avx2,fma"))) void chunk_avx2(std::complex<Real>* amps, std::uint64_t begin,
                                                    std::uint64_t end, const Plan<Real>& plan) {
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
    case 2: return avx2 ? chunk_avx2<Real, 2> : chunk_portable<Real, 2>;
    case 4: return avx2 ? chunk_avx2<Real, 4> : chunk_portable<Real, 4>;
    case 8: return avx2 ? chunk_avx2<Real, 8> : chunk_portable<Real, 8>;
    case 16: return avx2 ? chunk_avx2<Real, 16> : chunk_portable<Real, 16>;
    case 32: return avx2 ? chunk_avx2<Real, 32> : chunk_portable<Real, 32>;
    default: return chunk_dynamic<Real>;
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

const char* kernel_isa() { return cpu_has_avx2() ? "avx2" : "portable"; }

template void apply_matrix<float>(std::complex<float>*, int, const std::vector<int>&, const std::vector<int>&,
                                  const std::vector<std::complex<double>>&);
template void apply_matrix<double>(std::complex<double>*, int, const std::vector<int>&, const std::vector<int>&,
                                   const std::vector<std::complex<double>>&);

}  // namespace qontos::simulate
