// Lowers a scheduled circuit (native gates, measurements, resets, single-bit `if`) to a sequencer
// program for a device with a `control` section (board/devices/README.md).
#pragma once

#include "device/descriptor.h"
#include "ir/program.h"
#include "pulses/program_file.h"

namespace qontos::pulses {

// Throws passes::PassError ("line N: unsupported: ...") for what the sequencer cannot express.
PulseProgram lower_to_pulses(const ir::Program& program, const device::Descriptor& device);

}  // namespace qontos::pulses
