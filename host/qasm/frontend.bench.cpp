// Front-end throughput on the largest corpus files: tokenize, parse, and the passes parse,
// inline and normalise together, in gates per second (counter "gates/s" counts the gates after
// normalise). Run with scripts/bench --benchmark_filter=Frontend.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "ir/stats.h"
#include "passes/pass.h"
#include "qasm/elaborate.h"
#include "qasm/lexer.h"
#include "qasm/parser.h"

namespace {

std::string read(const std::string& rel) {
  std::ifstream in(std::string(QONTOS_CORPUS_DIR) + "/qasm/qasmbench/" + rel, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The largest corpus file, hhl_n10 (186,795 gates), ends with ten `measure q[i] -> c[i];` lines
// for registers it never declares (tests/support/corpus.h), so it cannot compile as written; it
// is measured here without those lines, dropped in memory, which leaves every gate in place.
const char* const kFiles[] = {"medium/bwt_n21/bwt_n21.qasm", "medium/gcm_n13/gcm_h6.qasm",
                              "medium/dnn_n16/dnn_n16.qasm", "medium/square_root_n18/square_root_n18.qasm",
                              "small/hhl_n10/hhl_n10.qasm"};

std::string read_benchmark_file(int index) {
  std::string text = read(kFiles[index]);
  if (index != 4) return text;
  std::string kept;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("measure q[", 0) != 0) kept += line + "\n";
  return kept;
}

void Frontend_Tokenize(benchmark::State& state) {
  auto file = std::make_shared<qontos::qasm::SourceFile>(
      qontos::qasm::SourceFile{"f", read_benchmark_file(static_cast<int>(state.range(0)))});
  std::size_t tokens = 0;
  for (auto _ : state) {
    qontos::qasm::Lexer lexer(*file);
    tokens = 0;
    while (lexer.next().kind != qontos::qasm::TokenKind::kEnd) ++tokens;
  }
  state.counters["tokens/s"] =
      benchmark::Counter(static_cast<double>(tokens), benchmark::Counter::kIsIterationInvariantRate);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * file->text.size()));
  state.SetLabel(kFiles[state.range(0)]);
}
BENCHMARK(Frontend_Tokenize)->DenseRange(0, 4)->Unit(benchmark::kMillisecond);

void Frontend_ParseInlineNormalise(benchmark::State& state) {
  std::string text = read_benchmark_file(static_cast<int>(state.range(0)));
  qontos::ir::Program p;
  for (auto _ : state) {
    p = qontos::qasm::elaborate_source(text, "f");
    p = qontos::passes::run_inline(p, {});
    p = qontos::passes::run_normalise(p, {});
  }
  const long long gates = qontos::ir::compute_stats(p).gates;
  state.counters["gates/s"] =
      benchmark::Counter(static_cast<double>(gates), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["gates"] = static_cast<double>(gates);
  state.SetLabel(kFiles[state.range(0)]);
}
BENCHMARK(Frontend_ParseInlineNormalise)->DenseRange(0, 4)->Unit(benchmark::kMillisecond);

void Frontend_ParseOnly(benchmark::State& state) {
  std::string text = read_benchmark_file(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(qontos::qasm::elaborate_source(text, "f"));
  state.SetLabel(kFiles[state.range(0)]);
}
BENCHMARK(Frontend_ParseOnly)->DenseRange(0, 4)->Unit(benchmark::kMillisecond);

}  // namespace
