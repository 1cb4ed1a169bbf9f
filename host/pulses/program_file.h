// A sequencer program as a file (docs/formats/pulse-program.md): the instructions, the waveform
// memory and the timing they were compiled for, behind a header with a SHA-256 of the payload.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sequencer/hls/seq_instruction.h"

namespace qontos::pulses {

namespace seq = qontos::hdl::sequencer;

// A malformed program file: what() is "<file>: byte <offset>: <problem>".
class ProgramFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PulseProgram {
  std::vector<seq::Words> instructions;
  std::vector<std::uint32_t> wave_words;  // two Q1.15 samples each, earlier sample in bits 15..0
  std::uint32_t clock_khz = 0;            // 0: not stated
  std::uint32_t samples_per_clock = 4;
};

inline constexpr std::size_t kProgramHeaderBytes = 64;

std::string write_program_file(const PulseProgram& program);
PulseProgram read_program_file(std::string_view bytes, std::string_view origin);

}  // namespace qontos::pulses
