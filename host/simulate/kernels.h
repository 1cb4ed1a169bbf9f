// The statevector's inner loop: a dense 2^k x 2^k matrix applied to k target qubits on every
// group of amplitudes whose control bits are all 1. Compiled twice (AVX2+FMA and portable) and
// chosen at run time by the CPU, so one binary is fast on new machines and runs on old ones.
#pragma once

#include <complex>
#include <cstdint>
#include <vector>

namespace qontos::simulate {

template <typename Real>
void apply_matrix(std::complex<Real>* amps, int num_qubits, const std::vector<int>& targets,
                  const std::vector<int>& controls, const std::vector<std::complex<double>>& matrix);

/// Which code path apply_matrix takes on this CPU: "avx2" or "portable".
const char* kernel_isa();

}  // namespace qontos::simulate
