// Ledger throughput with full durability: every commit is synced (WAL, synchronous=FULL) on the
// real filesystem under the temp directory. Appends per second for batches of 1, 16 and 256
// entries (one transaction and one sync per batch), single appends from 8 threads at once (group
// commit gathers them into shared transactions), and, on a ledger of one million entries built
// once, the time to verify all of it and to produce inclusion and consistency proofs.
#include "ledger/ledger.h"

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

namespace {

namespace fs = std::filesystem;
using namespace qontos::ledger;

/// A directory for the benchmark's ledgers, removed at exit.
struct BenchDir {
  fs::path path = fs::temp_directory_path() / ("qontos-ledger-bench-" + std::to_string(::getpid()));
  BenchDir() { fs::create_directories(path); }
  ~BenchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

const fs::path& bench_dir() {
  static BenchDir dir;
  return dir.path;
}

fs::path fresh(const std::string& name) {
  fs::path p = bench_dir() / name;
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(p.string() + suffix);
  return p;
}

/// A submission-sized entry: about 200 bytes of JSON payload.
NewEntry sample(std::uint64_t i) {
  return NewEntry::with_payload(
      EntryKind::kSubmission, "bench@qontos",
      R"({"circuit":"bell.qasm","sha256":"9f2c4e7b1a3d5f6e8c0b2a4d6f8e0c2b4a6d8f0e2c4b6a8d0f2e4c6b8a0d2f4e","shots":1024,"n":)" +
          std::to_string(i) + "}");
}

void BM_LedgerAppend(benchmark::State& state) {
  const auto batch_size = static_cast<std::size_t>(state.range(0));
  Ledger ledger = Ledger::open(fresh("append-" + std::to_string(batch_size) + ".sqlite"));
  std::vector<NewEntry> batch;
  for (std::size_t i = 0; i < batch_size; ++i) batch.push_back(sample(i));
  for (auto _ : state) benchmark::DoNotOptimize(ledger.append_batch(batch));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * static_cast<std::int64_t>(batch_size)));
  state.counters["commits_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LedgerAppend)->ArgName("batch")->Arg(1)->Arg(16)->Arg(256)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_LedgerAppendConcurrent(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  constexpr int kEach = 64;
  Ledger ledger = Ledger::open(fresh("concurrent.sqlite"));
  for (auto _ : state) {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&ledger, t] {
        for (int i = 0; i < kEach; ++i)
          ledger.append(sample(static_cast<std::uint64_t>(t) * kEach + static_cast<std::uint64_t>(i)));
      });
    for (auto& th : pool) th.join();
  }
  state.SetItemsProcessed(state.iterations() * threads * kEach);
}
BENCHMARK(BM_LedgerAppendConcurrent)->ArgName("threads")->Arg(8)->UseRealTime()->Unit(benchmark::kMillisecond);

constexpr std::uint64_t kMillion = 1000000;

/// The million-entry ledger, built on first use in batches of 10,000 (about 15 s).
const fs::path& million() {
  static const fs::path path = [] {
    fs::path p = fresh("million.sqlite");
    Ledger ledger = Ledger::open(p);
    std::vector<NewEntry> batch;
    for (std::uint64_t i = 0; i < kMillion; ++i) {
      batch.push_back(sample(i));
      if (batch.size() == 10000) {
        ledger.append_batch(batch);
        batch.clear();
      }
    }
    return p;
  }();
  return path;
}

void BM_LedgerVerifyMillion(benchmark::State& state) {
  const fs::path& path = million();
  Ledger ledger = Ledger::open(path, Ledger::Mode::kOpenExisting);
  for (auto _ : state) {
    const VerifyReport report = ledger.verify();
    if (!report.ok() || report.size < kMillion) state.SkipWithError("the million-entry ledger does not verify");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kMillion));
  state.counters["file_MB"] = static_cast<double>(fs::file_size(path)) / 1e6;
}
BENCHMARK(BM_LedgerVerifyMillion)->Iterations(1)->UseRealTime()->Unit(benchmark::kSecond);

void BM_LedgerProofsMillion(benchmark::State& state) {
  Ledger ledger = Ledger::open(million(), Ledger::Mode::kOpenExisting);
  std::uint64_t i = 12345;
  for (auto _ : state) {
    i = (i * 6364136223846793005ULL + 1442695040888963407ULL) % kMillion;
    benchmark::DoNotOptimize(ledger.inclusion_proof(i, kMillion));
    benchmark::DoNotOptimize(ledger.consistency_proof(i + 1, kMillion));
  }
}
BENCHMARK(BM_LedgerProofsMillion)->Unit(benchmark::kMicrosecond);

void BM_LedgerOpenAndAppendToMillion(benchmark::State& state) {
  // What one `qontos submit` pays: open the file, load the tree's right edge, append one entry.
  const fs::path& path = million();
  for (auto _ : state) {
    Ledger ledger = Ledger::open(path, Ledger::Mode::kOpenExisting);
    benchmark::DoNotOptimize(ledger.append(sample(0)));
  }
}
BENCHMARK(BM_LedgerOpenAndAppendToMillion)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
