#include "rtl/rtl_decoder.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "common/subprocess.h"
#include "ir/serialise_json.h"
#include "qec/shot_formats.h"

#ifndef QONTOS_HDL_DIR
#define QONTOS_HDL_DIR ""
#endif

namespace qontos::sim {

namespace fs = std::filesystem;

namespace {

constexpr const char* kRtlSource = "decoder/rtl/uf_decoder.v";
constexpr const char* kRunnerSource = "decoder/tb/uf_decoder_runner.cpp";
constexpr const char* kDriverSource = "decoder/tb/uf_decoder_driver.h";  // included by the runner
constexpr const char* kRunner = "uf_decoder_runner";
constexpr std::size_t kResultBytes = 13;
// The model is one large block of logic per vertex and edge: its run-once code compiled without
// optimisation and the per-cycle code at -O1 builds several times faster than Verilator's
// defaults at about the same simulation speed.
constexpr const char* kOptFlags = "OPT_FAST=-O1 OPT_SLOW=-O0";

std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::string(value) : fallback;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RtlEngineError("cannot read " + path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) throw RtlEngineError("cannot write " + path.string());
}

// The last `lines` lines of a log, to put the cause of a failure in the error itself.
std::string tail(const fs::path& log, std::size_t lines) {
  std::ifstream in(log);
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  std::string out;
  for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) out += "\n  " + all[i];
  return out;
}

fs::path default_cache_dir() {
  if (const char* dir = std::getenv("QONTOS_RTL_CACHE"); dir && *dir) return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return fs::path(xdg) / "qontos" / "rtl";
  if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache" / "qontos" / "rtl";
  throw RtlEngineError("no cache directory for verilated models: set QONTOS_RTL_CACHE (or HOME)");
}

fs::path resolve_hdl_dir(const fs::path& given) {
  const fs::path dir = !given.empty() ? given : fs::path(env_or("QONTOS_HDL_DIR", QONTOS_HDL_DIR));
  if (dir.empty() || !fs::exists(dir / kRtlSource) || !fs::exists(dir / kRunnerSource) ||
      !fs::exists(dir / kDriverSource))
    throw RtlEngineError("--engine rtl needs the decoder's Verilog and harness sources (" + std::string(kRtlSource) +
                         ", " + kRunnerSource + ", " + kDriverSource + ") under an hdl/ folder; none at '" + dir.string() +
                         "' (set QONTOS_HDL_DIR to the source tree's hdl/)");
  return dir;
}

unsigned resolve_jobs(unsigned given) {
  if (given) return given;
  const std::string env = env_or("QONTOS_RTL_JOBS", "");
  if (!env.empty()) {
    const long jobs = std::strtol(env.c_str(), nullptr, 10);
    if (jobs >= 1) return static_cast<unsigned>(jobs);
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

// A fresh private directory beside `near` (same file system, so the finished model can be renamed
// into place atomically).
fs::path make_temp_dir(const fs::path& near, const std::string& stem) {
  static std::atomic<unsigned> counter{0};
  for (int attempt = 0; attempt < 100; ++attempt) {
    const fs::path dir = near / (stem + "." + std::to_string(::getpid()) + "." + std::to_string(counter++));
    std::error_code ec;
    if (fs::create_directories(dir, ec)) return dir;
    if (ec) throw RtlEngineError("cannot create " + dir.string() + ": " + ec.message());
  }
  throw RtlEngineError("cannot create a working directory in " + near.string());
}

std::string verilator_version(const fs::path& work) {
  const fs::path log = work / "verilator_version.txt";
  const ProcessResult r = run_process({"verilator", "--version"}, log);
  if (r.exit_code != 0) throw RtlEngineError("verilator --version failed (" + r.description + ")");
  std::string version = read_file(log);
  while (!version.empty() && (version.back() == '\n' || version.back() == '\r')) version.pop_back();
  return version;
}

// The graph as elaborated in a cached model: every weight 1 (the reset value is irrelevant, the
// real weights are written through the registers before any shot).
qec::RtlGraph structure_of(const qec::RtlGraph& graph) {
  qec::RtlGraph s = graph;
  for (auto& e : s.edges) e.weight = 1;
  return s;
}

}  // namespace

std::string LatencySummary::line() const {
  char buf[192];
  std::snprintf(buf, sizeof buf, "cycles: mean %.2f p99 %llu p99.99 %llu max %llu overruns %llu", mean,
                static_cast<unsigned long long>(p99), static_cast<unsigned long long>(p9999),
                static_cast<unsigned long long>(max), static_cast<unsigned long long>(overruns));
  return buf;
}

LatencySummary summarise_latency(const RtlDecodeResult& result) {
  LatencySummary s;
  s.shots = result.cycles.size();
  if (s.shots == 0) return s;
  std::vector<std::uint32_t> sorted = result.cycles;
  std::sort(sorted.begin(), sorted.end());
  double sum = 0;
  for (const std::uint32_t c : sorted) sum += c;
  s.mean = sum / static_cast<double>(s.shots);
  // Nearest rank: the smallest value with at least q of the shots at or below it.
  const auto rank = [&](double q) {
    const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(s.shots) - 1e-9));
    return sorted[std::clamp<std::size_t>(k, 1, s.shots) - 1];
  };
  s.p99 = rank(0.99);
  s.p9999 = rank(0.9999);
  s.max = sorted.back();
  for (const std::uint8_t f : result.flags) s.overruns += (f & kRtlOverrun) != 0;
  return s;
}

std::string rtl_model_key(const qec::RtlGraph& graph, const fs::path& hdl_dir, const std::string& verilator_version) {
  const qec::RtlGraph s = structure_of(graph);
  std::string material = "qontos-rtl-decoder-model/1\n" + verilator_version + "\n" + kOptFlags + "\n";
  material += qec::rtl_graph_defines(s) + "\n" + qec::rtl_graph_tables(s) + "\n";
  material += read_file(hdl_dir / kRtlSource) + "\n" + read_file(hdl_dir / kRunnerSource) + "\n" +
              read_file(hdl_dir / kDriverSource);
  return ir::sha256_hex(material).substr(0, 32);
}

RtlDecoder::RtlDecoder(const qec::DecodingGraph& graph, RtlDecoderOptions options)
    : graph_(qec::rtl_graph_from_decoding_graph(graph)), options_(std::move(options)) {
  qec::validate_rtl_graph(graph_);
  if (graph_.num_vertices > 0xFFFF || graph_.edges.size() > 0xFFF)
    throw std::invalid_argument("the RTL decoder's registers address at most 65535 detectors and 4095 edges; this graph has " +
                                std::to_string(graph_.num_vertices) + " and " + std::to_string(graph_.edges.size()));
  if (!find_program("verilator"))
    throw RtlEngineError("--engine rtl needs Verilator, which is not on PATH (Debian: apt-get install verilator)");
  const fs::path hdl = resolve_hdl_dir(options_.hdl_dir);
  const fs::path cache = options_.cache_dir.empty() ? default_cache_dir() : options_.cache_dir;
  std::error_code ec;
  fs::create_directories(cache, ec);
  if (ec) throw RtlEngineError("cannot create the model cache " + cache.string() + ": " + ec.message());

  const fs::path work = make_temp_dir(cache, "build");
  try {
    const std::string key = rtl_model_key(graph_, hdl, verilator_version(work));
    model_dir_ = cache / key;
    if (fs::exists(model_dir_ / kRunner)) {
      fs::remove_all(work);
      return;
    }
    const qec::RtlGraph s = structure_of(graph_);
    if (options_.on_build)
      options_.on_build("verilating the decoder for this graph (" + std::to_string(s.num_vertices) + " detectors, " +
                        std::to_string(s.edges.size()) + " edges) into " + model_dir_.string() +
                        " (once per graph structure)");
    write_file(work / "uf_graph_defs.vh", qec::rtl_graph_defines(s));
    write_file(work / "uf_graph.vh", qec::rtl_graph_tables(s));
    write_file(work / "uf_graph.txt", qec::rtl_graph_to_text(s));
    const fs::path log = work / "build.log";
    const std::vector<std::string> cmd = {"verilator", "--cc", "--exe", "--build", "-j",
                                          std::to_string(resolve_jobs(options_.build_jobs)), "--assert", "-O3",
                                          "--x-assign", "fast", "--x-initial", "fast", "-Wno-fatal",
                                          "-I" + work.string(), "--top-module", "uf_decoder", "--Mdir",
                                          (work / "obj").string(), "-CFLAGS", "-std=c++17", "-MAKEFLAGS",
                                          kOptFlags,
                                          (hdl / kRtlSource).string(), (hdl / kRunnerSource).string(), "-o", kRunner};
    std::string shown;
    for (const auto& c : cmd) shown += (shown.empty() ? "" : " ") + c;
    write_file(log, shown + "\n");
    const auto start = std::chrono::steady_clock::now();
    const ProcessResult r = run_process(cmd, log);
    if (r.exit_code != 0 || !fs::exists(work / "obj" / kRunner)) {
      const fs::path kept = cache / (key + ".failed.log");
      fs::copy_file(log, kept, fs::copy_options::overwrite_existing, ec);
      throw RtlEngineError("building the verilated decoder failed (" + r.description + "); log: " + kept.string() +
                           tail(log, 15));
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fs::rename(work / "obj" / kRunner, work / kRunner);
    fs::remove_all(work / "obj");
    fs::remove(work / "verilator_version.txt", ec);
    std::ofstream(work / "build.log", std::ios::app) << "built in " << seconds << " s\n";
    // Another process may have built the same model meanwhile: theirs is as good as ours.
    fs::rename(work, model_dir_, ec);
    if (ec) {
      fs::remove_all(work);
      if (!fs::exists(model_dir_ / kRunner))
        throw RtlEngineError("cannot move the built model to " + model_dir_.string() + ": " + ec.message());
    } else {
      built_ = true;
    }
  } catch (...) {
    fs::remove_all(work, ec);
    throw;
  }
}

RtlDecodeResult RtlDecoder::decode(const qec::BitTable& events) const {
  if (events.bits_per_shot() != graph_.num_vertices)
    throw std::invalid_argument("the shots have " + std::to_string(events.bits_per_shot()) +
                                " detection events each but the decoder's graph has " +
                                std::to_string(graph_.num_vertices) + " detectors");
  const fs::path work = make_temp_dir(model_dir_.parent_path(), "run");
  RtlDecodeResult result;
  try {
    qec::ShotLayout layout;
    layout.num_detectors = graph_.num_vertices;
    write_file(work / "shots.b8", qec::write_shots(events, qec::ShotFormat::kB8, layout));
    std::string weights;
    for (const auto& e : graph_.edges) weights += std::to_string(e.weight) + "\n";
    write_file(work / "weights.txt", weights);
    const fs::path log = work / "run.log";
    const ProcessResult r = run_process(
        {(model_dir_ / kRunner).string(), "--vertices", std::to_string(graph_.num_vertices), "--edges",
         std::to_string(graph_.edges.size()), "--observables", std::to_string(graph_.num_observables), "--weights",
         (work / "weights.txt").string(), "--budget", std::to_string(options_.budget), "--shots-in",
         (work / "shots.b8").string(), "--results-out", (work / "results.bin").string()},
        log);
    if (r.exit_code != 0)
      throw RtlEngineError("the verilated decoder (" + (model_dir_ / kRunner).string() + ") failed: " + r.description +
                           tail(log, 10));
    const std::string bytes = read_file(work / "results.bin");
    const std::size_t n = events.num_shots();
    if (bytes.size() != n * kResultBytes)
      throw RtlEngineError("the verilated decoder returned " + std::to_string(bytes.size()) + " bytes of results for " +
                           std::to_string(n) + " shots");
    std::istringstream summary(read_file(log));
    std::string word;
    std::size_t shots = 0;
    if (summary >> word >> shots >> word >> result.simulation_seconds; shots != n)
      throw RtlEngineError("the verilated decoder reported " + std::to_string(shots) + " shots for " +
                           std::to_string(n) + tail(log, 5));
    result.predictions = qec::BitTable(n, graph_.num_observables);
    result.cycles.resize(n);
    result.flags.resize(n);
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    for (std::size_t s = 0; s < n; ++s, p += kResultBytes) {
      std::uint64_t obs = 0;
      std::uint32_t cycles = 0;
      for (int k = 0; k < 8; ++k) obs |= static_cast<std::uint64_t>(p[k]) << (8 * k);
      for (int k = 0; k < 4; ++k) cycles |= static_cast<std::uint32_t>(p[8 + k]) << (8 * k);
      result.cycles[s] = cycles;
      result.flags[s] = p[12];
      for (std::uint32_t k = 0; k < graph_.num_observables; ++k)
        if ((obs >> k) & 1u) result.predictions.set(s, k, true);
    }
  } catch (...) {
    std::error_code ec;
    fs::remove_all(work, ec);
    throw;
  }
  fs::remove_all(work);
  return result;
}

}  // namespace qontos::sim
