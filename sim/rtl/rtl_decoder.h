// The Verilog union-find decoder (hdl/decoder/rtl/uf_decoder.v) run in Verilator for the host:
// `qontos decode --engine rtl`. The RTL elaborates one decoding graph, so each graph gets its own
// verilated model, built on first use and kept in a cache keyed by everything that goes into the
// build (the graph's structure, the RTL and harness sources, Verilator's version). Edge weights are
// not part of the key: as on the board, they are written through the weight registers before the
// shots run, so a recalibrated DEM with the same structure reuses the model.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "qec/bit_table.h"
#include "qec/decoding_graph.h"
#include "qec/rtl_graph.h"

namespace qontos::sim {

/// The RTL engine cannot be used or failed (Verilator missing, build or simulation failure); the
/// message says what and where the log is.
struct RtlEngineError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct RtlDecoderOptions {
  /// Where verilated models are kept. Empty: $QONTOS_RTL_CACHE, else $XDG_CACHE_HOME/qontos/rtl,
  /// else ~/.cache/qontos/rtl.
  std::filesystem::path cache_dir;
  /// The hdl/ folder (RTL and harness sources). Empty: $QONTOS_HDL_DIR, else the source tree this
  /// program was built from.
  std::filesystem::path hdl_dir;
  /// Parallel compile jobs for a build. 0: $QONTOS_RTL_JOBS, else the number of processors.
  unsigned build_jobs = 0;
  /// The decoder's cycle budget register; 0xFFFFFFFF is no budget.
  std::uint32_t budget = 0xFFFFFFFFu;
  /// Called with a one-line note before a model is built (builds take minutes for large graphs).
  std::function<void(const std::string&)> on_build;
};

/// Flags of one shot's result, as the RTL's result stream carries them.
enum RtlResultFlags : std::uint8_t { kRtlOk = 1, kRtlOverrun = 2, kRtlCannotMatch = 4 };

struct RtlDecodeResult {
  qec::BitTable predictions;          // one row of num_observables bits per shot (0 unless ok)
  std::vector<std::uint32_t> cycles;  // per shot: last syndrome beat to result (the RTL's counter)
  std::vector<std::uint8_t> flags;    // per shot: RtlResultFlags
  double simulation_seconds = 0;      // wall time of the simulation loop alone
};

/// Mean and nearest-rank percentiles of per-shot cycle counts.
struct LatencySummary {
  std::uint64_t shots = 0;
  double mean = 0;
  std::uint64_t p99 = 0;
  std::uint64_t p9999 = 0;
  std::uint64_t max = 0;
  std::uint64_t overruns = 0;
  /// "cycles: mean M p99 A p99.99 B max C overruns K" (mean with two decimals).
  std::string line() const;
};
LatencySummary summarise_latency(const RtlDecodeResult& result);

class RtlDecoder {
 public:
  /// Finds the graph's model in the cache or builds it (calling options.on_build first). Throws
  /// RtlEngineError when Verilator or the sources are missing or the build fails, and
  /// std::invalid_argument when the graph is not one the RTL can elaborate.
  RtlDecoder(const qec::DecodingGraph& graph, RtlDecoderOptions options);

  /// Runs every shot of `detection_events` (num_detectors bits each) through the verilated
  /// decoder. Throws RtlEngineError when the simulation fails.
  RtlDecodeResult decode(const qec::BitTable& detection_events) const;

  const std::filesystem::path& model_dir() const { return model_dir_; }
  /// True when this constructor built the model (false: it was in the cache).
  bool built() const { return built_; }

 private:
  qec::RtlGraph graph_;
  RtlDecoderOptions options_;
  std::filesystem::path model_dir_;
  bool built_ = false;
};

/// The cache key of a graph's model: SHA-256 (hex) over the build's inputs.
std::string rtl_model_key(const qec::RtlGraph& graph, const std::filesystem::path& hdl_dir,
                          const std::string& verilator_version);

}  // namespace qontos::sim
