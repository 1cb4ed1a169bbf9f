// Reads and writes pulse program files. The reader checks everything a corrupt or truncated file
// could get wrong and names the byte where it goes wrong.
#include "pulses/program_file.h"

#include <cstring>

#include <sodium.h>

namespace qontos::pulses {
namespace {

constexpr char kMagic[8] = {'Q', 'N', 'T', 'S', 'P', 'R', 'O', 'G'};

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
std::uint32_t get_u32(std::string_view in, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(in[at + static_cast<std::size_t>(i)]);
  return v;
}
std::string sha256(std::string_view data) {
  std::string out(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size());
  return out;
}

}  // namespace

std::string write_program_file(const PulseProgram& p) {
  std::string payload;
  for (const auto& w : p.instructions)
    for (std::uint32_t word : w.w) put_u32(payload, word);
  for (std::uint32_t word : p.wave_words) put_u32(payload, word);
  std::string out(kMagic, sizeof kMagic);
  put_u32(out, seq::kProgramFormatVersion);
  put_u32(out, static_cast<std::uint32_t>(p.instructions.size()));
  put_u32(out, static_cast<std::uint32_t>(p.wave_words.size()));
  put_u32(out, p.clock_khz);
  put_u32(out, p.samples_per_clock);
  put_u32(out, 0);
  out += sha256(payload);
  return out + payload;
}

PulseProgram read_program_file(std::string_view in, std::string_view origin) {
  auto fail = [&](std::size_t at, const std::string& problem) -> ProgramFileError {
    return ProgramFileError(std::string(origin) + ": byte " + std::to_string(at) + ": " + problem);
  };
  if (in.size() < kProgramHeaderBytes)
    throw fail(in.size(), "truncated header (" + std::to_string(in.size()) + " of " + std::to_string(kProgramHeaderBytes) +
                              " bytes)");
  if (std::memcmp(in.data(), kMagic, sizeof kMagic) != 0) throw fail(0, "not a qontos pulse program (magic QNTSPROG)");
  const std::uint32_t version = get_u32(in, 8);
  if (version != seq::kProgramFormatVersion)
    throw fail(8, "program format version " + std::to_string(version) + "; this qontos reads version " +
                      std::to_string(seq::kProgramFormatVersion));
  PulseProgram p;
  const std::uint64_t n = get_u32(in, 12), w = get_u32(in, 16);
  p.clock_khz = get_u32(in, 20);
  p.samples_per_clock = get_u32(in, 24);
  if (n == 0) throw fail(12, "no instructions");
  if (p.samples_per_clock < 2 || p.samples_per_clock > 32 || p.samples_per_clock % 2)
    throw fail(24, "samples per clock " + std::to_string(p.samples_per_clock) + " is not even in 2..32");
  if (get_u32(in, 28) != 0) throw fail(28, "reserved word is not 0");
  const std::uint64_t expected = kProgramHeaderBytes + 16 * n + 4 * w;
  if (in.size() != expected)
    throw fail(std::min<std::uint64_t>(in.size(), expected), "file has " + std::to_string(in.size()) + " bytes; " +
                                                                 std::to_string(n) + " instructions and " +
                                                                 std::to_string(w) + " waveform words need " +
                                                                 std::to_string(expected));
  const std::string_view payload = in.substr(kProgramHeaderBytes);
  if (sha256(payload) != in.substr(32, 32)) throw fail(32, "SHA-256 of the instructions and waveforms does not match");
  std::size_t at = kProgramHeaderBytes;
  p.instructions.resize(n);
  for (auto& ins : p.instructions)
    for (std::uint32_t& word : ins.w) {
      word = get_u32(in, at);
      at += 4;
    }
  p.wave_words.resize(w);
  for (std::uint32_t& word : p.wave_words) {
    word = get_u32(in, at);
    at += 4;
  }
  return p;
}

}  // namespace qontos::pulses
