// The ledger as its callers use it: append and reopen, indexes and times, roots and proofs
// checked with proof/merkle.h, signed checkpoints, concurrent appenders (threads and separate
// connections), and files that are not ledgers or are damaged: each refused with the file named
// and left as it was.
#include "ledger/ledger.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace qontos::ledger {
namespace {

namespace fs = std::filesystem;

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("qontos-ledger-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(dir_);
    path_ = dir_ / "ledger.sqlite";
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  fs::path dir_, path_;
};

proof::SigningKey test_key(char digit = '5') {
  return proof::key_from_seed(*proof::parse_hex<32>(std::string(64, digit)));
}

std::vector<proof::Hash> leaves_of(const Ledger& l) {
  std::vector<proof::Hash> out;
  l.for_each_entry(0, l.size(), [&](const Entry& e) { out.push_back(e.leaf_hash); });
  return out;
}

TEST_F(LedgerTest, AppendsSurviveReopeningWithEveryField) {
  {
    Ledger l = Ledger::open(path_);
    EXPECT_EQ(l.size(), 0u);
    EXPECT_EQ(l.append(EntryKind::kSubmission, "alice", "circuit bytes"), 0u);
    EXPECT_EQ(l.append(NewEntry::hash_only(EntryKind::kProof, "bob", sha256("kept elsewhere"))), 1u);
    EXPECT_EQ(l.append_batch({NewEntry::with_payload(EntryKind::kPolicy, "carol", "allow"),
                              NewEntry::with_payload(EntryKind::kKey, "dave", std::string("\0binary\xff", 8))}),
              2u);
    EXPECT_EQ(l.append(EntryKind::kSubmission, "erin", ""), 4u);
  }
  Ledger l = Ledger::open(path_, Ledger::Mode::kOpenExisting);
  ASSERT_EQ(l.size(), 5u);
  const Entry a = l.entry(0);
  EXPECT_EQ(a.index, 0u);
  EXPECT_EQ(a.kind, EntryKind::kSubmission);
  EXPECT_EQ(a.actor, "alice");
  EXPECT_EQ(a.payload, "circuit bytes");
  EXPECT_EQ(a.payload_hash, sha256("circuit bytes"));
  EXPECT_TRUE(is_utc_timestamp(a.time)) << a.time;
  EXPECT_EQ(a.leaf_hash, entry_leaf_hash(0, a.time, a.kind, a.actor, a.payload_hash));
  const Entry b = l.entry(1);
  EXPECT_FALSE(b.payload);
  EXPECT_EQ(b.payload_hash, sha256("kept elsewhere"));
  EXPECT_EQ(l.entry(3).payload, std::string("\0binary\xff", 8));
  EXPECT_EQ(l.entry(4).payload, "");            // an empty payload is kept, not lost as NULL
  EXPECT_EQ(l.entry(2).time, l.entry(3).time);  // one batch, one time
  std::string previous;
  l.for_each_entry(0, 5, [&](const Entry& e) {
    EXPECT_GE(e.time, previous);
    previous = e.time;
  });
  EXPECT_TRUE(l.verify().ok());
}

TEST_F(LedgerTest, RootsAndProofsAgreeWithTheReferenceTree) {
  Ledger l = Ledger::open(path_);
  for (int i = 0; i < 37; ++i) l.append(EntryKind::kSubmission, "actor", "payload " + std::to_string(i));
  const std::vector<proof::Hash> leaves = leaves_of(l);
  ASSERT_EQ(leaves.size(), 37u);
  EXPECT_EQ(l.root(0), proof::tree_hash({}));
  for (std::size_t n = 1; n <= leaves.size(); ++n) {
    const std::vector<proof::Hash> prefix(leaves.begin(), leaves.begin() + static_cast<std::ptrdiff_t>(n));
    const proof::Hash root = l.root(n);
    ASSERT_EQ(root, proof::tree_hash(prefix)) << n;
    for (std::size_t i = 0; i < n; ++i)
      ASSERT_TRUE(proof::verify_inclusion(leaves[i], i, n, l.inclusion_proof(i, n), root)) << i << " in " << n;
    for (std::size_t m = 1; m <= n; ++m)
      ASSERT_TRUE(proof::verify_consistency(m, n, l.root(m), root, l.consistency_proof(m, n))) << m << " to " << n;
  }
  EXPECT_EQ(l.root(), l.root(37));
  EXPECT_EQ(l.leaf_hash(36), leaves[36]);
  // A proof for one entry does not prove another.
  EXPECT_FALSE(proof::verify_inclusion(leaves[3], 4, 37, l.inclusion_proof(4, 37), l.root()));
}

TEST_F(LedgerTest, OutOfRangeRequestsNameTheFileAndIndex) {
  Ledger l = Ledger::open(path_);
  for (int i = 0; i < 3; ++i) l.append(EntryKind::kPolicy, "p", "x");
  auto message = [](const auto& call) -> std::string {
    try {
      call();
    } catch (const LedgerError& e) {
      return e.what();
    }
    return "(no error)";
  };
  const std::string m = message([&] { l.entry(7); });
  EXPECT_NE(m.find(path_.string() + ": entry 7: no such entry: the ledger has 3 entries (0 to 2)"), std::string::npos)
      << m;
  EXPECT_NE(message([&] { l.inclusion_proof(3, 3); }).find("entry 3: not in the tree of the first 3"),
            std::string::npos);
  EXPECT_NE(message([&] { l.root(4); }).find("no tree of 4 entries"), std::string::npos);
  EXPECT_NE(message([&] { l.consistency_proof(0, 2); }).find("need 0 < from <= to"), std::string::npos);
  EXPECT_NE(message([&] { l.consistency_proof(3, 2); }).find("need 0 < from <= to"), std::string::npos);
  EXPECT_NE(message([&] { l.consistency_proof(1, 9); }).find("no tree of 9 entries"), std::string::npos);
}

TEST_F(LedgerTest, BadActorsAreRefusedAndNothingIsAppended) {
  Ledger l = Ledger::open(path_);
  l.append(EntryKind::kKey, "ok", "1");
  EXPECT_THROW(l.append(EntryKind::kKey, "", "2"), std::invalid_argument);
  EXPECT_THROW(l.append_batch({NewEntry::with_payload(EntryKind::kKey, "fine", "a"),
                               NewEntry::with_payload(EntryKind::kKey, "bad\nactor", "b")}),
               std::invalid_argument);
  EXPECT_EQ(l.size(), 1u);
  EXPECT_EQ(l.append_batch({}), 1u);
}

TEST_F(LedgerTest, CheckpointsAreSignedNotesOfTheCurrentTree) {
  Ledger l = Ledger::open(path_);
  for (int i = 0; i < 11; ++i) l.append(EntryKind::kSubmission, "a", std::to_string(i));
  const proof::SigningKey key = test_key();
  const Ledger::SignedCheckpoint first = l.sign_checkpoint(key);
  EXPECT_EQ(first.id, 1);
  EXPECT_EQ(first.checkpoint.size, 11u);
  EXPECT_EQ(first.checkpoint.root, l.root());
  EXPECT_EQ(first.checkpoint.origin, l.origin());
  EXPECT_EQ(l.origin().rfind("qontos/ledger/", 0), 0u);
  const Note note = parse_note(first.note);
  EXPECT_TRUE(verify_note(note, {key.public_key}).ok);
  EXPECT_FALSE(verify_note(note, {test_key('6').public_key}).ok);
  const Checkpoint parsed = parse_checkpoint(note.text);
  EXPECT_EQ(parsed.size, 11u);
  EXPECT_EQ(parsed.root, l.root(11));
  for (int i = 0; i < 5; ++i) l.append(EntryKind::kSubmission, "a", "more");
  const Ledger::SignedCheckpoint second = l.sign_checkpoint(key, "example.com/other-name");
  EXPECT_EQ(second.id, 2);
  EXPECT_EQ(second.checkpoint.size, 16u);
  EXPECT_EQ(second.checkpoint.origin, "example.com/other-name");
  // The second tree extends the first: the consistency proof between them verifies.
  EXPECT_TRUE(
      proof::verify_consistency(11, 16, first.checkpoint.root, second.checkpoint.root, l.consistency_proof(11, 16)));
  const auto stored = l.checkpoints();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].note, first.note);
  EXPECT_EQ(stored[1].tree_size, 16u);
  EXPECT_THROW(l.sign_checkpoint(key, "has space"), std::invalid_argument);
  VerifyOptions trusted;
  trusted.trusted_keys = {key.public_key};
  const VerifyReport report = l.verify(trusted);
  EXPECT_TRUE(report.ok());
  EXPECT_TRUE(report.signatures_authenticated);
  EXPECT_EQ(report.checkpoints_checked, 2u);
}

TEST_F(LedgerTest, ALedgerThatFailsVerificationIsNotSigned) {
  Ledger l = Ledger::open(path_);
  for (int i = 0; i < 6; ++i) l.append(EntryKind::kSubmission, "a", std::to_string(i));
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
  // Drop the trigger for the edit, then put it back as it was.
  std::string trigger;
  ASSERT_EQ(sqlite3_exec(
                raw, "SELECT sql FROM sqlite_schema WHERE name = 'entries_append_only_update'",
                [](void* out, int, char** values, char**) {
                  *static_cast<std::string*>(out) = values[0];
                  return 0;
                },
                &trigger, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw,
                         ("DROP TRIGGER entries_append_only_update;"
                          "UPDATE entries SET payload = CAST('forged' AS BLOB) WHERE idx = 4;" +
                          trigger)
                             .c_str(),
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(raw);
  try {
    l.sign_checkpoint(test_key());
    ADD_FAILURE() << "signed a tampered ledger";
  } catch (const LedgerError& e) {
    EXPECT_EQ(std::string(e.what()), path_.string() +
                                         ": refusing to sign a checkpoint: entry 4: its payload does not match its "
                                         "payload hash (the payload was edited) (run 'qontos ledger verify')");
  }
  EXPECT_TRUE(l.checkpoints().empty());
}

TEST_F(LedgerTest, TheAppendOnlyTriggersStopCasualEdits) {
  Ledger l = Ledger::open(path_);
  l.append(EntryKind::kSubmission, "a", "x");
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(raw, "UPDATE entries SET actor = 'm' WHERE idx = 0", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_NE(std::string(sqlite3_errmsg(raw)).find("append-only"), std::string::npos);
  EXPECT_NE(sqlite3_exec(raw, "DELETE FROM entries", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  EXPECT_EQ(l.entry(0).actor, "a");
}

TEST_F(LedgerTest, ThreadsAppendingTogetherShareCommitsAndLoseNothing) {
  Ledger l = Ledger::open(path_);
  constexpr int kThreads = 4, kEach = 150;
  std::vector<std::vector<std::uint64_t>> indexes(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i)
        indexes[static_cast<std::size_t>(t)].push_back(l.append(EntryKind::kSubmission, "thread-" + std::to_string(t),
                                                                std::to_string(t) + ":" + std::to_string(i)));
    });
  for (auto& th : threads) th.join();
  ASSERT_EQ(l.size(), std::uint64_t{kThreads} * kEach);
  std::set<std::uint64_t> all;
  for (int t = 0; t < kThreads; ++t)
    for (int i = 0; i < kEach; ++i) {
      const std::uint64_t index = indexes[static_cast<std::size_t>(t)][static_cast<std::size_t>(i)];
      all.insert(index);
      // Each caller got back the index of its own entry.
      ASSERT_EQ(l.entry(index).payload, std::to_string(t) + ":" + std::to_string(i));
    }
  EXPECT_EQ(all.size(), std::size_t{kThreads} * kEach);
  const VerifyReport report = l.verify();
  EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.describe(report.problems[0]));
}

TEST_F(LedgerTest, TwoConnectionsAppendingInTurnKeepOneTree) {
  Ledger a = Ledger::open(path_);
  Ledger b = Ledger::open(path_);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ((i % 3 ? a : b).append(EntryKind::kSubmission, i % 3 ? "a" : "b", std::to_string(i)),
              static_cast<std::uint64_t>(i));
  }
  EXPECT_EQ(a.root(), b.root());
  EXPECT_EQ(a.root(), proof::tree_hash(leaves_of(a)));
  EXPECT_TRUE(b.verify().ok());
}

TEST_F(LedgerTest, MissingFilesAreNotCreatedByReaders) {
  try {
    Ledger::open(path_, Ledger::Mode::kOpenExisting);
    ADD_FAILURE();
  } catch (const LedgerError& e) {
    EXPECT_EQ(std::string(e.what()), path_.string() + ": no ledger here (the file does not exist)");
  }
  EXPECT_FALSE(fs::exists(path_));
  // Appenders create it, with its directory.
  Ledger::open(dir_ / "sub" / "dir" / "l.sqlite").append(EntryKind::kKey, "k", "v");
  EXPECT_EQ(Ledger::open(dir_ / "sub" / "dir" / "l.sqlite", Ledger::Mode::kOpenExisting).size(), 1u);
}

TEST_F(LedgerTest, FilesThatAreNotLedgersAreRefusedAndLeftAlone) {
  auto refused = [&](const fs::path& p, Ledger::Mode mode, const std::string& fragment) {
    const std::string before = slurp(p);
    try {
      Ledger::open(p, mode);
      ADD_FAILURE() << "opened " << p;
    } catch (const LedgerError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(p.string() + ": ", 0), 0u) << e.what();
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
    EXPECT_EQ(slurp(p), before) << "the refused file was changed";
  };
  const fs::path text = dir_ / "notes.txt";
  std::ofstream(text) << "OPENQASM 3.0;\nqubit q;\n" << std::string(5000, 'x');
  refused(text, Ledger::Mode::kCreateIfMissing, "not a qontos ledger (not an SQLite database)");

  const fs::path other = dir_ / "other.sqlite";
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(other.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "CREATE TABLE t(x); INSERT INTO t VALUES (1)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  refused(other, Ledger::Mode::kCreateIfMissing, "application_id 0x00000000");

  const fs::path empty = dir_ / "empty.sqlite";
  std::ofstream(empty).close();  // an empty file
  refused(empty, Ledger::Mode::kOpenExisting, "not a qontos ledger (an empty database)");
  // An empty file is where an appender creates a ledger.
  EXPECT_EQ(Ledger::open(empty).append(EntryKind::kKey, "k", "v"), 0u);

  // A ledger from a future schema.
  { Ledger l = Ledger::open(path_); }
  ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "PRAGMA user_version = 7", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  refused(path_, Ledger::Mode::kOpenExisting, "schema version 7");
}

TEST_F(LedgerTest, TruncatedOrOverwrittenFilesAreReportedNotTrusted) {
  {
    Ledger l = Ledger::open(path_);
    std::vector<NewEntry> batch;
    for (int i = 0; i < 3000; ++i)
      batch.push_back(
          NewEntry::with_payload(EntryKind::kSubmission, "a", std::string(200, static_cast<char>('a' + i % 26))));
    l.append_batch(batch);
  }  // closing checkpoints the write-ahead log into the main file
  ASSERT_FALSE(fs::exists(path_.string() + "-wal"));
  const std::string intact = slurp(path_);
  ASSERT_GT(intact.size(), 400000u);

  auto judged_bad = [&](const std::string& bytes, const std::string& what) {
    { std::ofstream(path_, std::ios::binary | std::ios::trunc) << bytes; }
    try {
      Ledger l = Ledger::open(path_, Ledger::Mode::kOpenExisting);
      const VerifyReport report = l.verify();
      EXPECT_FALSE(report.ok()) << what;
      if (!report.ok()) {
        EXPECT_EQ(report.describe(report.problems[0]).rfind(path_.string(), 0), 0u);
      }
    } catch (const LedgerError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(path_.string() + ": ", 0), 0u) << what << ": " << e.what();
    }
  };
  judged_bad(intact.substr(0, intact.size() / 2), "cut in half");
  judged_bad(intact.substr(0, 100), "cut inside the header");
  std::string scribbled = intact;
  for (std::size_t i = intact.size() / 2; i < intact.size() / 2 + 4096; ++i) scribbled[i] = '\x5a';
  judged_bad(scribbled, "a page overwritten");
}

}  // namespace
}  // namespace qontos::ledger
