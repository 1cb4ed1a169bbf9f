// Prints a pulse program: a header line, then per instruction its index, opcode and operands in
// physical units where the file states the clock (times in cycles and ns, frequencies in MHz,
// amplitudes and phases as fractions). Problems the sequencer would abort on (an unknown opcode,
// a waveform beyond the program's memory, a jump beyond the program) are marked `; ILLEGAL: ...`.
#include "pulses/disassemble.h"

#include <cstdio>
#include <sstream>

namespace qontos::pulses {
namespace {

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

std::string condition_text(const seq::Instruction& in) {
  const std::string src = (in.flags & seq::kFlagSrcDecoder) ? "decoder" : "r" + std::to_string(in.readout());
  return src + "==" + ((in.flags & seq::kFlagValue) ? "1" : "0");
}

}  // namespace

std::string disassemble(const PulseProgram& p) {
  std::ostringstream out;
  const double clock_mhz = p.clock_khz / 1000.0;
  const std::uint64_t samples = 2 * p.wave_words.size();
  const std::uint64_t beats = p.samples_per_clock ? samples / p.samples_per_clock : 0;
  out << "qontos pulse program, format " << seq::kProgramFormatVersion << ": " << p.instructions.size() << " instructions, "
      << p.wave_words.size() << " waveform words (" << beats << " beats of " << p.samples_per_clock << " samples)";
  if (p.clock_khz) out << "; clock " << fmt("%.3f", clock_mhz) << " MHz";
  out << "\n";
  auto time = [&](std::uint32_t cycles) {
    std::string s = "t " + std::to_string(cycles);
    if (p.clock_khz) s += " (" + fmt("%.1f", cycles * 1000.0 / clock_mhz) + " ns)";
    return s;
  };
  for (std::size_t pc = 0; pc < p.instructions.size(); ++pc) {
    const seq::Instruction in = seq::decode(p.instructions[pc]);
    std::string line;
    std::string illegal;
    const auto target_ok = [&] { return in.target() < p.instructions.size(); };
    switch (in.op) {
      case seq::Op::kEnd: line = "END"; break;
      case seq::Op::kPulse: {
        line = "PULSE    ch " + std::to_string(in.chan) + "  " + time(in.time) + "  wave " + std::to_string(in.wave_addr) +
               "+" + std::to_string(in.wave_len) + "  amp " + fmt("%.4f", in.amp / 32768.0) + "  phase " +
               fmt("%.4f", in.phase / 65536.0) + " turn  ";
        if (p.clock_khz)
          line += "if " + fmt("%.3f", static_cast<std::int32_t>(in.freq) / 4294967296.0 * clock_mhz * p.samples_per_clock) + " MHz";
        else
          line += "freq " + std::to_string(in.freq);
        if (in.flags & seq::kFlagCond) line += "  if " + condition_text(in) + ((in.flags & seq::kFlagAsap) ? " asap" : "");
        if (in.wave_len == 0) illegal = "wave_len 0";
        else if (std::uint64_t{in.wave_addr} + in.wave_len > beats) illegal = "waveform beyond the program's " + std::to_string(beats) + " beats";
        break;
      }
      case seq::Op::kTrigger: line = "TRIGGER  r" + std::to_string(in.chan) + "  " + time(in.time); break;
      case seq::Op::kWait: line = "WAIT     " + time(in.time); break;
      case seq::Op::kSync: line = "SYNC     +" + std::to_string(in.time); break;
      case seq::Op::kSetCounter:
        line = "SETC     c" + std::to_string(in.chan) + " = " + std::to_string(in.time);
        if (in.chan >= seq::kCounters) illegal = "counter above 3";
        break;
      case seq::Op::kDecJumpNotZero:
        line = "DJNZ     c" + std::to_string(in.chan) + " -> " + std::to_string(in.target());
        if (in.chan >= seq::kCounters) illegal = "counter above 3";
        if (!target_ok()) illegal = "target beyond the program";
        break;
      case seq::Op::kBranch:
        line = "BRANCH   " + condition_text(in) + " -> " + std::to_string(in.target());
        if (!target_ok()) illegal = "target beyond the program";
        break;
      case seq::Op::kJump:
        line = "JUMP     -> " + std::to_string(in.target());
        if (!target_ok()) illegal = "target beyond the program";
        break;
      default:
        line = "?";
        illegal = "unknown opcode " + std::to_string(static_cast<unsigned>(in.op));
    }
    char idx[32];
    std::snprintf(idx, sizeof idx, "%5zu  ", pc);
    out << idx << line;
    if (!illegal.empty()) out << "  ; ILLEGAL: " << illegal;
    out << "\n";
  }
  return out.str();
}

}  // namespace qontos::pulses
