// Running a compiled program on the digital twin: every shot is a fresh noisy trajectory,
// seeded by (seed, shot index) so counts do not depend on the number of threads.
#pragma once

#include "simulate/shot_runner.h"
#include "twin/noise_model.h"

namespace qontos::twin {

struct TwinRunResult {
  simulate::ShotResult shots;
  long long bell_pairs = 0;  // over all shots
};

TwinRunResult run_twin(const ir::Program& program, const NoiseModel& model, int device_qubits,
                       const simulate::ShotOptions& options);

/// Physical qubits a program touches (gates, measurements, resets, barriers), ascending.
std::vector<int> used_qubits(const ir::Program& program);

}  // namespace qontos::twin
