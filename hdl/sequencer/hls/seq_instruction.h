// The pulse sequencer's instruction encoding (program format version 1, docs/formats/pulse-program.md):
// one 128-bit instruction as four 32-bit words, word 0 = bits 31..0. Header-only and freestanding
// (no heap, no exceptions) so that the host compiler and disassembler, the firmware and the
// testbenches share this one definition; hdl/sequencer/rtl decodes the same bit positions and its
// testbench checks them against this header.
#pragma once

#include <cstdint>

namespace qontos::hdl::sequencer {

inline constexpr std::uint32_t kProgramFormatVersion = 1;

enum class Op : std::uint8_t {
  kEnd = 0,
  kPulse = 1,
  kTrigger = 2,
  kWait = 3,
  kSync = 4,
  kSetCounter = 5,
  kDecJumpNotZero = 6,
  kBranch = 7,
  kJump = 8,
};
inline constexpr unsigned kOpCount = 9;

// flags (bits 119..112)
inline constexpr std::uint8_t kFlagCond = 1u << 0;        // conditional pulse
inline constexpr std::uint8_t kFlagSrcDecoder = 1u << 1;  // condition: the decoder's result
inline constexpr std::uint8_t kFlagValue = 1u << 2;       // play / branch when the bit equals 1
inline constexpr unsigned kFlagReadoutShift = 3;          // bits 5..3: which readout
inline constexpr std::uint8_t kFlagAsap = 1u << 7;        // conditional pulse: start when known

inline constexpr unsigned kCounters = 4;
inline constexpr std::uint32_t kTimeMax = (1u << 24) - 1;
inline constexpr std::uint32_t kWaveFieldMax = (1u << 12) - 1;

struct Instruction {
  Op op = Op::kEnd;
  std::uint8_t chan = 0;      // 4 bits: DAC channel, readout or counter
  std::uint8_t flags = 0;
  std::uint32_t time = 0;     // 24 bits: cycles after tref; SETC's count
  std::uint16_t wave_addr = 0;  // 12 bits, beats
  std::uint16_t wave_len = 0;   // 12 bits, beats
  std::int16_t amp = 0;         // Q1.15
  std::uint16_t phase = 0;      // turns / 2^16
  std::uint32_t freq = 0;       // turns / 2^32 per sample; BRANCH/DJNZ/JUMP: target in bits 15..0

  constexpr std::uint16_t target() const { return static_cast<std::uint16_t>(freq & 0xFFFFu); }
  constexpr unsigned readout() const { return (flags >> kFlagReadoutShift) & 7u; }
};

struct Words {
  std::uint32_t w[4] = {0, 0, 0, 0};  // w[0] = bits 31..0
};

constexpr Words encode(const Instruction& in) {
  Words out;
  out.w[0] = in.freq;
  out.w[1] = static_cast<std::uint32_t>(in.phase) | (static_cast<std::uint32_t>(static_cast<std::uint16_t>(in.amp)) << 16);
  // bits 95..64: time[7:0] at 95..88, wave_addr at 87..76, wave_len at 75..64
  out.w[2] = (static_cast<std::uint32_t>(in.wave_len) & 0xFFFu) | ((static_cast<std::uint32_t>(in.wave_addr) & 0xFFFu) << 12) |
             ((in.time & 0xFFu) << 24);
  // bits 127..96: op, chan, flags, time[23:8]
  out.w[3] = ((in.time >> 8) & 0xFFFFu) | (static_cast<std::uint32_t>(in.flags) << 16) |
             ((static_cast<std::uint32_t>(in.chan) & 0xFu) << 24) | ((static_cast<std::uint32_t>(in.op) & 0xFu) << 28);
  return out;
}

// Decodes the fields; op may be an unknown value (>= kOpCount), which the sequencer treats as
// illegal.
constexpr Instruction decode(const Words& in) {
  Instruction out;
  out.freq = in.w[0];
  out.phase = static_cast<std::uint16_t>(in.w[1] & 0xFFFFu);
  out.amp = static_cast<std::int16_t>(static_cast<std::uint16_t>(in.w[1] >> 16));
  out.wave_len = static_cast<std::uint16_t>(in.w[2] & 0xFFFu);
  out.wave_addr = static_cast<std::uint16_t>((in.w[2] >> 12) & 0xFFFu);
  out.time = (in.w[2] >> 24) | ((in.w[3] & 0xFFFFu) << 8);
  out.flags = static_cast<std::uint8_t>((in.w[3] >> 16) & 0xFFu);
  out.chan = static_cast<std::uint8_t>((in.w[3] >> 24) & 0xFu);
  out.op = static_cast<Op>((in.w[3] >> 28) & 0xFu);
  return out;
}

// Convenience constructors.
constexpr Instruction pulse(unsigned chan, std::uint32_t time, unsigned wave_addr, unsigned wave_len, std::int16_t amp,
                            std::uint16_t phase = 0, std::uint32_t freq = 0, std::uint8_t flags = 0) {
  Instruction i;
  i.op = Op::kPulse;
  i.chan = static_cast<std::uint8_t>(chan);
  i.time = time;
  i.wave_addr = static_cast<std::uint16_t>(wave_addr);
  i.wave_len = static_cast<std::uint16_t>(wave_len);
  i.amp = amp;
  i.phase = phase;
  i.freq = freq;
  i.flags = flags;
  return i;
}
constexpr Instruction timed(Op op, unsigned chan, std::uint32_t time) {
  Instruction i;
  i.op = op;
  i.chan = static_cast<std::uint8_t>(chan);
  i.time = time;
  return i;
}
constexpr Instruction jump_to(Op op, unsigned chan, std::uint16_t target, std::uint8_t flags = 0) {
  Instruction i;
  i.op = op;
  i.chan = static_cast<std::uint8_t>(chan);
  i.freq = target;
  i.flags = flags;
  return i;
}
constexpr std::uint8_t condition(bool from_decoder, unsigned readout, bool value) {
  return static_cast<std::uint8_t>((from_decoder ? kFlagSrcDecoder : 0) | (value ? kFlagValue : 0) |
                                   ((readout & 7u) << kFlagReadoutShift));
}

}  // namespace qontos::hdl::sequencer
