// `qontos decode predict|count-mistakes`: decode detection events with the union-find decoder,
// with the options matching decoders' command lines use (underscore spellings accepted too).
#pragma once

#include <cstdint>
#include <string>

namespace CLI {
class App;
}

namespace qontos::cli {

struct DecodeCliOptions {
  std::string action;  // predict or count-mistakes
  std::string dem;
  std::string in = "-";
  std::string in_format = "01";
  std::string out = "-";
  std::string out_format = "01";
  std::string obs_in;
  std::string obs_in_format = "01";
  bool in_includes_appended_observables = false;
  bool time = false;
  std::string engine = "software";
  bool latency = false;
  std::uint32_t budget = 0xFFFFFFFFu;  // --budget: the RTL's cycle budget register
  std::string rtl_cache;               // --rtl-cache: where verilated models are kept
  int weight_bits = 0;  // 0: the default of the decoding graph
};

void add_decode_command(CLI::App& app, DecodeCliOptions& options);
int run_decode(const DecodeCliOptions& options);

}  // namespace qontos::cli
