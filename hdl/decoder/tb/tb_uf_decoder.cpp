// Verilator testbench for hdl/decoder/rtl/uf_decoder.v: loads the graph the RTL was elaborated
// with (uf_graph.txt from uf_graph_gen) into the HLS model (hdl/decoder/hls/union_find_decoder.h),
// streams shots through the RTL and compares every result with the model bit for bit: status,
// observable flips and the correction edge set. It also measures the cycles from the last
// syndrome beat to the result (checked against the RTL's own m_cycles), exercises run-time
// weight writes, and checks the cycle budget / overrun behaviour.
//
//   tb_uf_decoder --graph DIR/uf_graph.txt [--shots N] [--seed S] [--reweight K]
//                 [--b8 FILE.dets.b8 [--obs FILE.obs.b8]] [--budget-shots N] [--budget B]
// Random mode (no --b8): shots are sampled errors on the graph (each edge flips with p drawn
// from {0.01, 0.03, 0.1, 0.25}) plus one in ten uniform random defect sets; every K shots a few
// weights are rewritten through the register port (and in the model).
// Exit status 0 only when every result matched and every check passed.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "decoder/hls/union_find_decoder.h"
#include "qec/rtl_graph.h"
#include "qec/shot_formats.h"
#include "uf_decoder_driver.h"

using qontos::hdl::decoder::DecodeStatus;
using qontos::hdl::decoder::kBoundaryVertex;
namespace qec = qontos::qec;

namespace {

constexpr std::uint32_t kMaxV = 1024;
constexpr std::uint32_t kMaxE = 8192;
using Hls = qontos::hdl::decoder::UnionFindDecoder<kMaxV, kMaxE>;
constexpr unsigned kChunk = qontos::hdl::decoder::UfDecoderDriver::kChunk;

template <class T>
bool bit_of(const T& value, unsigned i) {
  if constexpr (std::is_integral_v<T>)
    return (static_cast<std::uint64_t>(value) >> i) & 1u;
  else
    return (value[i / 32] >> (i % 32)) & 1u;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Result {
  bool ok = false, overrun = false, cannot_match = false;
  std::uint64_t obs = 0;
  std::vector<bool> correction;
  std::uint32_t cycles = 0;   // the RTL's m_cycles
  std::uint64_t latency = 0;  // measured: edges from the last beat's edge to m_valid
};

class Bench {
 public:
  explicit Bench(std::uint32_t nv, std::uint32_t ne) : nv_(nv), ne_(ne) {}

  void write(std::uint16_t addr, std::uint32_t data) { driver_.write(addr, data); }
  std::uint32_t read(std::uint16_t addr) { return driver_.read(addr); }

  Result decode(const std::vector<bool>& syndrome) {
    std::vector<std::uint32_t> beats((nv_ + kChunk - 1) / kChunk, 0u);
    for (std::uint32_t v = 0; v < nv_; ++v)
      if (syndrome[v]) beats[v / kChunk] |= 1u << (v % kChunk);
    Result r;
    r.latency = driver_.send(beats, 1000000);
    const Vuf_decoder& top = driver_.ports();
    r.ok = top.m_ok;
    r.overrun = top.m_overrun;
    r.cannot_match = top.m_cannot_match;
    r.obs = top.m_obs;
    r.cycles = top.m_cycles;
    r.correction.resize(ne_);
    for (unsigned e = 0; e < ne_; ++e) r.correction[e] = bit_of(top.m_correction, e);
    overrun_port_ = top.overrun;
    driver_.take();
    return r;
  }
  bool overrun_port() const { return overrun_port_; }

 private:
  qontos::hdl::decoder::UfDecoderDriver driver_;
  std::uint32_t nv_, ne_;
  bool overrun_port_ = false;
};

struct Stats {
  std::vector<std::uint64_t> latencies;
  void add(std::uint64_t l) { latencies.push_back(l); }
  // Nearest rank, as `qontos decode --latency` (sim/rtl/rtl_decoder.cpp): the smallest sample
  // with at least q of the samples at or below it.
  static std::uint64_t quantile(const std::vector<std::uint64_t>& sorted, double q) {
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size()) - 1e-9));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
  }
  std::vector<std::uint64_t> sorted() const {
    std::vector<std::uint64_t> s = latencies;
    std::sort(s.begin(), s.end());
    return s;
  }
  double mean() const {
    double sum = 0;
    for (auto x : latencies) sum += static_cast<double>(x);
    return latencies.empty() ? 0.0 : sum / static_cast<double>(latencies.size());
  }
  void print(const std::string& name) const {
    if (latencies.empty()) return;
    const std::vector<std::uint64_t> s = sorted();
    std::printf("latency %-22s shots %8zu  mean %6.2f  p50 %3llu  p99 %3llu  p99.99 %3llu  max %3llu cycles\n",
                name.c_str(), s.size(), mean(), static_cast<unsigned long long>(quantile(s, 0.5)),
                static_cast<unsigned long long>(quantile(s, 0.99)), static_cast<unsigned long long>(quantile(s, 0.9999)),
                static_cast<unsigned long long>(s.back()));
  }
  // One machine-greppable line for the whole main run.
  void print_summary(std::uint64_t overruns) const {
    if (latencies.empty()) return;
    const std::vector<std::uint64_t> s = sorted();
    std::printf("cycles: mean %.2f p99 %llu p99.99 %llu max %llu overruns %llu\n", mean(),
                static_cast<unsigned long long>(quantile(s, 0.99)), static_cast<unsigned long long>(quantile(s, 0.9999)),
                static_cast<unsigned long long>(s.back()), static_cast<unsigned long long>(overruns));
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::string graph_path, b8_path, obs_path;
  std::uint64_t shots = 2000, budget_shots = 300, seed = 1, reweight = 50;
  std::uint32_t budget = 6;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error("missing value after " + a);
      return argv[++i];
    };
    if (a == "--graph")
      graph_path = next();
    else if (a == "--b8")
      b8_path = next();
    else if (a == "--obs")
      obs_path = next();
    else if (a == "--shots")
      shots = std::stoull(next());
    else if (a == "--seed")
      seed = std::stoull(next());
    else if (a == "--reweight")
      reweight = std::stoull(next());
    else if (a == "--budget-shots")
      budget_shots = std::stoull(next());
    else if (a == "--budget")
      budget = static_cast<std::uint32_t>(std::stoul(next()));
    else if (a.rfind("+verilator", 0) == 0)
      continue;
    else {
      std::cerr << "unknown argument " << a << "\n";
      return 2;
    }
  }
  const qec::RtlGraph graph = qec::rtl_graph_from_text(slurp(graph_path));
  const std::uint32_t nv = graph.num_vertices, ne = static_cast<std::uint32_t>(graph.edges.size());
  std::vector<std::uint32_t> eu, ev;
  std::vector<std::uint16_t> ew;
  std::vector<std::uint64_t> eo;
  for (const auto& e : graph.edges) {
    eu.push_back(e.u);
    ev.push_back(e.v == qec::kRtlBoundary ? kBoundaryVertex : e.v);
    ew.push_back(static_cast<std::uint16_t>(e.weight));
    eo.push_back(e.observables);
  }
  auto hls = std::make_unique<Hls>();
  if (!hls->load_graph(nv, ne, eu.data(), ev.data(), ew.data(), eo.data())) {
    std::cerr << "HLS model refused the graph\n";
    return 1;
  }
  Bench bench(nv, ne);
  std::uint64_t failures = 0;
  const auto fail = [&](const std::string& what) {
    if (++failures <= 20) std::cerr << "FAIL: " << what << "\n";
  };

  // Elaborated graph == text graph: sizes and every reset weight, read through the register port.
  if (bench.read(0x0000) != ((ne << 16) | nv)) fail("INFO0 register disagrees with the graph");
  for (std::uint32_t e = 0; e < ne; ++e)
    if (bench.read(static_cast<std::uint16_t>(0x1000 + e)) != graph.edges[e].weight)
      fail("reset weight of edge " + std::to_string(e));
  bench.write(0x0002, 0xFFFFFFFFu);  // no budget while comparing

  std::mt19937_64 rng(seed);
  std::vector<std::uint32_t> defects(nv), corr(kMaxE);
  std::uint64_t compared = 0, mismatches = 0, cannot_match = 0, ones = 0, weight_writes = 0;
  std::uint64_t logical_errors = 0, main_overruns = 0;
  Stats all, nonzero;
  struct Slow {
    std::uint64_t latency, shot, defects, rounds;
  };
  std::vector<Slow> slowest;  // the slowest shots of the main run, for the report
  std::vector<Stats> by_defects(9);

  const auto run_shot = [&](const std::vector<bool>& syn, std::uint64_t shot, std::uint64_t* predicted) {
    std::uint32_t nd = 0;
    for (std::uint32_t v = 0; v < nv; ++v)
      if (syn[v]) defects[nd++] = v;
    const auto h = hls->decode(defects.data(), nd, corr.data());
    const Result r = bench.decode(syn);
    ++compared;
    bool same = true;
    if (r.latency != r.cycles)
      fail("shot " + std::to_string(shot) + ": m_cycles " + std::to_string(r.cycles) + " but measured " +
           std::to_string(r.latency));
    if (h.status == DecodeStatus::kOk) {
      std::vector<bool> expect(ne);
      for (std::uint32_t i = 0; i < h.correction_edges; ++i) expect[corr[i]] = true;
      same = r.ok && !r.overrun && !r.cannot_match && r.obs == h.observables && r.correction == expect;
    } else {
      ++cannot_match;
      same = !r.ok && r.cannot_match && !r.overrun;
    }
    if (!same) {
      ++mismatches;
      fail("shot " + std::to_string(shot) + ": RTL ok=" + std::to_string(r.ok) +
           " cm=" + std::to_string(r.cannot_match) + " obs=" + std::to_string(r.obs) +
           " vs HLS status=" + std::to_string(static_cast<int>(h.status)) + " obs=" + std::to_string(h.observables) +
           " defects=" + std::to_string(nd));
    }
    if (h.correction_edges) ++ones;
    if (r.overrun) ++main_overruns;
    slowest.push_back({r.latency, shot, nd, h.growth_rounds});
    std::stable_sort(slowest.begin(), slowest.end(), [](const Slow& a, const Slow& b) { return a.latency > b.latency; });
    if (slowest.size() > 5) slowest.pop_back();
    all.add(r.latency);
    if (nd) nonzero.add(r.latency);
    by_defects[std::min<std::uint32_t>(nd, 8)].add(r.latency);
    if (predicted) *predicted = r.obs;
    return r;
  };

  std::vector<bool> syn(nv);
  const auto t_start = std::chrono::steady_clock::now();
  if (!b8_path.empty()) {
    const qec::BitTable dets = qec::read_shots(slurp(b8_path), qec::ShotFormat::kB8, {0, nv, 0}, b8_path);
    qec::BitTable obs;
    if (!obs_path.empty())
      obs = qec::read_shots(slurp(obs_path), qec::ShotFormat::kB8, {0, graph.num_observables, 0}, obs_path);
    const std::uint64_t n = std::min<std::uint64_t>(shots, dets.num_shots());
    for (std::uint64_t s = 0; s < n; ++s) {
      for (std::uint32_t v = 0; v < nv; ++v) syn[v] = dets.get(s, v);
      std::uint64_t predicted = 0;
      run_shot(syn, s, &predicted);
      if (!obs_path.empty()) {
        std::uint64_t actual = 0;
        for (std::uint32_t k = 0; k < graph.num_observables; ++k)
          if (obs.get(s, k)) actual |= std::uint64_t{1} << k;
        if (actual != predicted) ++logical_errors;
      }
    }
  } else {
    const double ps[] = {0.01, 0.03, 0.1, 0.25};
    for (std::uint64_t s = 0; s < shots; ++s) {
      if (reweight && s % reweight == reweight - 1) {
        for (int k = 0; k < 4; ++k) {
          const std::uint32_t e = static_cast<std::uint32_t>(rng() % ne);
          const std::uint32_t maxw = (1u << graph.weight_bits) - 1;
          const std::uint32_t kind = static_cast<std::uint32_t>(rng() % 8);
          std::uint32_t w = kind == 0 ? 0 : kind == 1 ? maxw + 1 : 1 + static_cast<std::uint32_t>(rng() % maxw);
          const std::uint32_t before = bench.read(static_cast<std::uint16_t>(0x1000 + e));
          bench.write(static_cast<std::uint16_t>(0x1000 + e), w);
          ++weight_writes;
          const bool legal = w >= 1 && w <= maxw;
          if (legal) hls->set_weight(e, static_cast<std::uint16_t>(w));
          const std::uint32_t after = bench.read(static_cast<std::uint16_t>(0x1000 + e));
          if (after != (legal ? w : before)) fail("weight write to edge " + std::to_string(e));
        }
      }
      std::fill(syn.begin(), syn.end(), false);
      if (rng() % 10 == 0) {
        for (std::uint32_t v = 0; v < nv; ++v) syn[v] = rng() % 5 == 0;
      } else {
        const double p = ps[rng() % 4];
        std::bernoulli_distribution flip(p);
        for (const auto& e : graph.edges)
          if (flip(rng)) {
            syn[e.u] = !syn[e.u];
            if (e.v != qec::kRtlBoundary) syn[e.v] = !syn[e.v];
          }
      }
      run_shot(syn, s, nullptr);
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();

  std::printf("graph %s: %u vertices, %u edges\n", graph_path.c_str(), nv, ne);
  std::printf(
      "equivalence: %llu shots compared with the HLS model, %llu mismatches (%llu with a non-empty correction, "
      "%llu cannot-match, %llu weight writes)\n",
      static_cast<unsigned long long>(compared), static_cast<unsigned long long>(mismatches),
      static_cast<unsigned long long>(ones), static_cast<unsigned long long>(cannot_match),
      static_cast<unsigned long long>(weight_writes));
  if (!obs_path.empty())
    std::printf("logical errors vs recorded observables: %llu of %llu\n",
                static_cast<unsigned long long>(logical_errors), static_cast<unsigned long long>(compared));
  all.print("all shots");
  nonzero.print("shots with defects");
  for (std::size_t k = 1; k < by_defects.size(); ++k)
    by_defects[k].print(std::to_string(k) + (k == 8 ? "+" : "") + " defects");
  for (const Slow& w : slowest)
    std::printf("slow shot %llu: %llu cycles, %llu defects, %llu growth rounds (HLS)\n",
                static_cast<unsigned long long>(w.shot), static_cast<unsigned long long>(w.latency),
                static_cast<unsigned long long>(w.defects), static_cast<unsigned long long>(w.rounds));
  all.print_summary(main_overruns);
  std::printf("sim: %.0f shots/s (%llu shots in %.1f s, RTL and HLS model together)\n",
              seconds > 0 ? static_cast<double>(compared) / seconds : 0.0, static_cast<unsigned long long>(compared),
              seconds);

  // Budget: every shot is decoded without a budget, then with `budget`: it must overrun exactly
  // when it took longer, report the budget as its cycle count and carry no result.
  std::uint64_t budget_checked = 0, budget_overruns = 0;
  if (budget_shots) {
    std::mt19937_64 brng(seed + 1);
    for (std::uint64_t s = 0; s < budget_shots; ++s) {
      for (std::uint32_t v = 0; v < nv; ++v) syn[v] = brng() % 6 == 0;
      bench.write(0x0002, 0xFFFFFFFFu);
      const Result free_run = bench.decode(syn);
      bench.write(0x0002, budget);
      const Result r = bench.decode(syn);
      ++budget_checked;
      if (free_run.latency > budget) {
        ++budget_overruns;
        if (!r.overrun || r.ok || r.cycles != budget || r.latency != budget || !bench.overrun_port())
          fail("budget shot " + std::to_string(s) + ": expected an overrun at " + std::to_string(budget));
        if (r.obs != 0 || std::count(r.correction.begin(), r.correction.end(), true) != 0)
          fail("budget shot " + std::to_string(s) + ": overrun result not cleared");
      } else if (r.overrun || r.ok != free_run.ok || r.obs != free_run.obs || r.correction != free_run.correction ||
                 r.latency != free_run.latency || bench.overrun_port()) {
        fail("budget shot " + std::to_string(s) + ": result changed under a budget it met");
      }
    }
    bench.write(0x0002, 0xFFFFFFFFu);
    std::printf(
        "budget %u: %llu shots, %llu overran (checked: overrun flag, m_ok=0, m_cycles=budget, cleared result)\n",
        budget, static_cast<unsigned long long>(budget_checked), static_cast<unsigned long long>(budget_overruns));
  }
  if (bench.read(0x0006) & 0x8u) fail("frame_error set");
  std::printf("%s (%llu check failures)\n", failures ? "FAILED" : "PASSED", static_cast<unsigned long long>(failures));
  return failures ? 1 : 0;
}
