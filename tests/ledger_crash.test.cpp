// Crash safety of the audit ledger. A child process appends in a loop (single entries and small
// batches, payloads from a few bytes to 12 kB so some span several pages) and reports
// each acknowledged index over a pipe; the parent kills it with SIGKILL at a random moment, over
// several rounds on one file (the first early enough to catch the file's creation). After every
// kill: each acknowledged entry is present with its exact payload, verification is clean, and
// every entry in the file is one a child wrote whole (no partial entry is visible). A killed
// process leaves the kernel's page cache behind, so this tests atomicity and that nothing is
// acknowledged before it is written, not the sync that protects against power loss.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>

#include "ledger/ledger.h"

namespace {

namespace fs = std::filesystem;
using qontos::ledger::EntryKind;
using qontos::ledger::Ledger;
using qontos::ledger::NewEntry;

/// The payload a child writes for (round, sequence number, position in its batch): its name,
/// then filler whose length and bytes depend on the name, so a torn payload cannot pass for whole.
std::string payload_for(int round, long seq, int part) {
  const std::string name =
      "round " + std::to_string(round) + " seq " + std::to_string(seq) + "." + std::to_string(part);
  // Mostly small, every eighth up to 12 kB (several pages).
  const std::size_t filler = static_cast<std::size_t>((seq * 7919 + part * 104729) % (seq % 8 == 0 ? 12000 : 400));
  std::string out = name + "|";
  out.reserve(out.size() + filler);
  for (std::size_t i = 0; i < filler; ++i) out += static_cast<char>('a' + (i + static_cast<std::size_t>(seq)) % 26);
  return out;
}

/// Parses "round R seq S.P|..." back to its (round, seq, part), or fails.
bool parse_payload(const std::string& payload, int& round, long& seq, int& part) {
  return std::sscanf(payload.c_str(), "round %d seq %ld.%d|", &round, &seq, &part) == 3;
}

[[noreturn]] void append_forever(const fs::path& path, int round, int report_fd) {
  Ledger ledger = Ledger::open(path);
  const std::string actor = "child-" + std::to_string(round);
  for (long seq = 0;; ++seq) {
    std::vector<NewEntry> batch;
    const int parts = seq % 3 == 2 ? 1 + static_cast<int>(seq % 8) : 1;
    for (int part = 0; part < parts; ++part)
      batch.push_back(NewEntry::with_payload(static_cast<EntryKind>(seq % 4), actor, payload_for(round, seq, part)));
    const std::uint64_t first = ledger.append_batch(batch);
    // Acknowledged: the batch is durable. One write per batch; a pipe keeps writes this small whole.
    std::string line;
    for (int part = 0; part < parts; ++part)
      line += std::to_string(first + static_cast<std::uint64_t>(part)) + " " + std::to_string(seq) + " " +
              std::to_string(part) + "\n";
    if (::write(report_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) ::_exit(3);
  }
}

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  return out;
}

TEST(LedgerCrash, SigkillNeverLosesAnAcknowledgedEntryNorLeavesAPartialOne) {
  const fs::path dir = fs::temp_directory_path() / ("qontos-ledger-crash-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path path = dir / "ledger.sqlite";
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);

  struct Expected {
    int round;
    long seq;
    int part;
  };
  std::map<std::uint64_t, Expected> acknowledged;
  // Many short rounds: each kill is a fresh chance to land between an acknowledgement and the
  // write that makes it durable, were there such a gap.
  constexpr int kRounds = 30;
  int rounds_with_appends = 0;
  std::uint64_t checked = 0;  // entries before this were found whole in an earlier round
  for (int round = 0; round < kRounds; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(fds[0]);
      append_forever(path, round, fds[1]);
    }
    ::close(fds[1]);
    // The first round is cut short, often before or while the file is created.
    const int ms =
        round == 0 ? std::uniform_int_distribution<int>(1, 40)(rng) : std::uniform_int_distribution<int>(5, 150)(rng);
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the child ended on its own: " << status;
    std::istringstream reports(read_all(fds[0]));
    ::close(fds[0]);
    std::uint64_t index;
    long seq;
    int part;
    int this_round = 0;
    while (reports >> index >> seq >> part) {
      ASSERT_FALSE(acknowledged.count(index)) << "index " << index << " acknowledged twice";
      acknowledged[index] = {round, seq, part};
      ++this_round;
    }
    if (this_round > 0) ++rounds_with_appends;
    if (acknowledged.empty()) continue;  // nothing promised yet

    Ledger ledger = Ledger::open(path, Ledger::Mode::kOpenExisting);
    const std::uint64_t size = ledger.size();
    ASSERT_GT(size, acknowledged.rbegin()->first) << "round " << round << ": acknowledged entries are missing";
    for (const auto& [i, e] : acknowledged) {
      const auto entry = ledger.entry(i);
      ASSERT_EQ(entry.actor, "child-" + std::to_string(e.round)) << "entry " << i;
      ASSERT_EQ(entry.payload, payload_for(e.round, e.seq, e.part)) << "entry " << i;
    }
    // Entries committed but killed before being reported are fine, but must be whole. (Older
    // entries were checked in earlier rounds; verify() below rechecks every payload's hash.)
    ledger.for_each_entry(checked, size - checked, [&](const qontos::ledger::Entry& entry) {
      int r;
      long s;
      int p;
      ASSERT_TRUE(entry.payload && parse_payload(*entry.payload, r, s, p)) << "entry " << entry.index;
      ASSERT_EQ(*entry.payload, payload_for(r, s, p)) << "entry " << entry.index << " is partial";
      ASSERT_EQ(entry.actor, "child-" + std::to_string(r));
    });
    const auto report = ledger.verify();
    ASSERT_TRUE(report.ok()) << "round " << round << ": " << report.describe(report.problems.front());
    ASSERT_EQ(report.size, size);
    checked = size;
  }
  EXPECT_GE(rounds_with_appends, kRounds / 2) << "the children barely appended: the test proves little";
  std::printf("[ledger crash] %d rounds, %zu acknowledged entries survived SIGKILL\n", kRounds, acknowledged.size());
  fs::remove_all(dir);
}

}  // namespace
