// Verilator harness that runs shots through hdl/decoder/rtl/uf_decoder.v for the host
// (sim/rtl/rtl_decoder: `qontos decode --engine rtl`). Unlike tb_uf_decoder.cpp it checks
// nothing against a model: it is the hardware, driven through its ports the way the board's
// fabric drives it.
//
//   uf_decoder_runner --vertices V --edges E --observables O --weights FILE --budget CYCLES
//                     --shots-in FILE --results-out FILE
// --shots-in: shots of ceil(V/8) bytes each, detector i in bit i%8 of byte i/8 (the b8 layout).
// --weights: E lines, the weight of edge e on line e, written through the register port (0x1000+e)
//            and read back before the first shot.
// --budget: the cycle budget register (0x0002); 4294967295 is "no budget".
// --results-out: 13 bytes per shot, little endian: observable flips (8), the decoder's cycle count
//            m_cycles (4), flags (1: bit 0 m_ok, bit 1 m_overrun, bit 2 m_cannot_match).
// Standard output: "shots N seconds S" (simulation wall time). Exit 0, or 2 with a message on
// standard error when the arguments or files are wrong or the design is not the one expected.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "uf_decoder_driver.h"

namespace {

using qontos::hdl::decoder::UfDecoderDriver;
constexpr std::uint16_t kRegInfo0 = 0x0000, kRegBudget = 0x0002, kRegStatus = 0x0006, kRegWeight0 = 0x1000;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::uint64_t parse_number(const std::string& flag, const std::string& text) {
  std::size_t used = 0;
  std::uint64_t value = 0;
  try {
    value = std::stoull(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size()) throw std::runtime_error(flag + ": not a number: '" + text + "'");
  return value;
}

int run(int argc, char** argv) {
  std::uint64_t vertices = 0, edges = 0, observables = 0, budget = 0xFFFFFFFFu;
  std::string weights_path, shots_path, results_path;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag.rfind("+verilator", 0) == 0) continue;
    if (i + 1 >= argc) throw std::runtime_error("missing value after " + flag);
    const std::string value = argv[++i];
    if (flag == "--vertices")
      vertices = parse_number(flag, value);
    else if (flag == "--edges")
      edges = parse_number(flag, value);
    else if (flag == "--observables")
      observables = parse_number(flag, value);
    else if (flag == "--budget")
      budget = parse_number(flag, value);
    else if (flag == "--weights")
      weights_path = value;
    else if (flag == "--shots-in")
      shots_path = value;
    else if (flag == "--results-out")
      results_path = value;
    else
      throw std::runtime_error("unknown argument " + flag);
  }
  if (shots_path.empty() || results_path.empty() || weights_path.empty())
    throw std::runtime_error("--weights, --shots-in and --results-out are required");
  if (budget > 0xFFFFFFFFu) throw std::runtime_error("--budget must fit in 32 bits");

  UfDecoderDriver decoder;
  const std::uint32_t info0 = decoder.read(kRegInfo0);
  if (info0 != ((edges << 16) | vertices))
    throw std::runtime_error("the verilated design has " + std::to_string(info0 >> 16) + " edges and " +
                             std::to_string(info0 & 0xFFFF) + " vertices, not the " + std::to_string(edges) +
                             " and " + std::to_string(vertices) + " expected");
  if (observables > 64) throw std::runtime_error("--observables: at most 64");

  std::ifstream weights(weights_path);
  if (!weights) throw std::runtime_error("cannot read " + weights_path);
  for (std::uint64_t e = 0; e < edges; ++e) {
    std::uint64_t w = 0;
    if (!(weights >> w)) throw std::runtime_error(weights_path + ": fewer than " + std::to_string(edges) + " weights");
    const auto addr = static_cast<std::uint16_t>(kRegWeight0 + e);
    decoder.write(addr, static_cast<std::uint32_t>(w));
    if (decoder.read(addr) != w)
      throw std::runtime_error(weights_path + ":" + std::to_string(e + 1) + ": the decoder refused weight " +
                               std::to_string(w) + " for edge " + std::to_string(e));
  }
  decoder.write(kRegBudget, static_cast<std::uint32_t>(budget));

  const std::string shots = read_file(shots_path);
  const std::size_t shot_bytes = (vertices + 7) / 8;
  if (shot_bytes == 0 || shots.size() % shot_bytes != 0)
    throw std::runtime_error(shots_path + ": " + std::to_string(shots.size()) + " bytes is not a whole number of " +
                             std::to_string(shot_bytes) + "-byte shots");
  const std::size_t num_shots = shots.size() / shot_bytes;
  const std::size_t num_beats = (vertices + UfDecoderDriver::kChunk - 1) / UfDecoderDriver::kChunk;
  std::vector<std::uint32_t> beats(num_beats);
  std::string results;
  results.reserve(num_shots * 13);
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t s = 0; s < num_shots; ++s) {
    std::fill(beats.begin(), beats.end(), 0u);
    const auto* bytes = reinterpret_cast<const unsigned char*>(shots.data() + s * shot_bytes);
    for (std::size_t k = 0; k < shot_bytes; ++k) beats[k / 4] |= static_cast<std::uint32_t>(bytes[k]) << (8 * (k % 4));
    // The budget register bounds a decode; this guard only catches a hung design.
    decoder.send(beats, 100000000);
    const Vuf_decoder& top = decoder.ports();
    const auto obs = static_cast<std::uint64_t>(top.m_obs);
    const std::uint32_t cycles = top.m_cycles;
    const auto flags = static_cast<std::uint8_t>((top.m_ok ? 1 : 0) | (top.m_overrun ? 2 : 0) | (top.m_cannot_match ? 4 : 0));
    decoder.take();
    for (int k = 0; k < 8; ++k) results.push_back(static_cast<char>(obs >> (8 * k)));
    for (int k = 0; k < 4; ++k) results.push_back(static_cast<char>(cycles >> (8 * k)));
    results.push_back(static_cast<char>(flags));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (decoder.read(kRegStatus) & 0x8u) throw std::runtime_error("the decoder flagged a framing error");
  std::ofstream out(results_path, std::ios::binary | std::ios::trunc);
  out.write(results.data(), static_cast<std::streamsize>(results.size()));
  if (!out.flush()) throw std::runtime_error("cannot write " + results_path);
  std::printf("shots %zu seconds %.6f\n", num_shots, seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "uf_decoder_runner: " << e.what() << "\n";
    return 2;
  }
}
