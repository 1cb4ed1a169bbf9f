// Tampering with a ledger file the way someone with write access could, and what verification
// names: an edited, deleted, moved or inserted row (the index), an edited payload or stored hash,
// a forged checkpoint, and consistent rewrites (every hash recomputed, no key) that only a signed
// checkpoint, stored or kept outside, can expose. The tests also pin what cannot be detected.
#include "ledger/verify.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <functional>

#include "ledger/ledger.h"

namespace qontos::ledger {
namespace {

namespace fs = std::filesystem;

/// Direct SQL on the file, as an attacker with write access has it: the append-only triggers are
/// dropped first and put back afterwards.
class Tamper {
 public:
  explicit Tamper(const fs::path& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("cannot open");
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db_, "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'", -1, &s, nullptr);
    while (sqlite3_step(s) == SQLITE_ROW) {
      triggers_.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)),
                             reinterpret_cast<const char*>(sqlite3_column_text(s, 1)));
    }
    sqlite3_finalize(s);
    for (const auto& t : triggers_) exec("DROP TRIGGER " + t.first);
  }
  ~Tamper() {
    for (const auto& t : triggers_) sqlite3_exec(db_, t.second.c_str(), nullptr, nullptr, nullptr);
    sqlite3_close(db_);
  }
  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error ? error : "?";
      sqlite3_free(error);
      throw std::runtime_error(sql + ": " + message);
    }
  }

 private:
  sqlite3* db_ = nullptr;
  std::vector<std::pair<std::string, std::string>> triggers_;
};

std::string bytes(const proof::Hash& h) {
  return std::string(reinterpret_cast<const char*>(h.data()), h.size());
}

/// Rewrites the whole entries table after `change`, recomputing every payload hash, leaf hash and
/// subtree hash, so every row is consistent with the tree: the best an attacker without the
/// signing key can do.
void rewrite_consistently(const fs::path& path, const std::function<void(std::vector<StoredRow>&)>& change) {
  std::vector<StoredRow> rows;
  {
    LedgerStore store(path, false);
    store.scan(0, [&](const StoredRow& r) {
      rows.push_back(r);
      return true;
    });
  }
  change(rows);
  CompactRange tree;
  std::vector<proof::Hash> completed;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    StoredRow& r = rows[i];
    r.index = i;
    if (r.payload) r.payload_hash = bytes(sha256(*r.payload));
    proof::Hash payload_hash;
    std::copy(r.payload_hash.begin(), r.payload_hash.end(), payload_hash.begin());
    const proof::Hash leaf = proof::leaf_hash(leaf_data(r.index, r.time, r.kind, r.actor, payload_hash));
    r.leaf_hash = bytes(leaf);
    tree.append(leaf, completed);
    r.subtree_hashes.clear();
    for (const proof::Hash& h : completed) r.subtree_hashes += bytes(h);
  }
  Tamper(path).exec("DELETE FROM entries");
  LedgerStore store(path, false);
  LedgerStore::Transaction t(store, true);
  for (const StoredRow& r : rows) store.insert(r);
  t.commit();
}

proof::SigningKey log_key() {
  return proof::key_from_seed(*proof::parse_hex<32>(std::string(64, 'a')));
}

/// A ledger of 40 entries with checkpoints signed at 10 and 20 entries.
class VerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("qontos-verify-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(dir_);
    path_ = dir_ / "ledger.sqlite";
    Ledger l = Ledger::open(path_);
    auto entry = [](int i) {
      return NewEntry::with_payload(static_cast<EntryKind>(i % 4), "actor-" + std::to_string(i % 3),
                                    "payload " + std::to_string(i));
    };
    std::vector<NewEntry> batch;
    for (int i = 0; i < 10; ++i) batch.push_back(entry(i));
    l.append_batch(batch);
    note_at_10_ = l.sign_checkpoint(log_key()).note;
    for (int i = 10; i < 20; ++i) l.append(entry(i));
    note_at_20_ = l.sign_checkpoint(log_key()).note;
    batch.clear();
    for (int i = 20; i < 40; ++i) batch.push_back(entry(i));
    l.append_batch(batch);
    root_ = l.root();
  }
  void TearDown() override { fs::remove_all(dir_); }

  VerifyReport verify(const VerifyOptions& options = {}) {
    return Ledger::open(path_, Ledger::Mode::kOpenExisting).verify(options);
  }

  static std::string all(const VerifyReport& r) {
    std::string out;
    for (const VerifyProblem& p : r.problems) out += r.describe(p) + "\n";
    return out;
  }

  fs::path dir_, path_;
  std::string note_at_10_, note_at_20_;
  proof::Hash root_{};
};

TEST_F(VerifyTest, AnUntouchedLedgerVerifies) {
  const VerifyReport r = verify();
  EXPECT_TRUE(r.ok()) << all(r);
  EXPECT_EQ(r.size, 40u);
  EXPECT_EQ(r.root, root_);
  EXPECT_EQ(r.checkpoints_checked, 2u);
  EXPECT_FALSE(r.signatures_authenticated);
  VerifyOptions trusted;
  trusted.trusted_keys = {log_key().public_key};
  EXPECT_TRUE(verify(trusted).ok());
  // Checkpoints signed by a key that is not trusted are reported.
  trusted.trusted_keys = {proof::key_from_seed(*proof::parse_hex<32>(std::string(64, 'b'))).public_key};
  const VerifyReport untrusted = verify(trusted);
  ASSERT_EQ(untrusted.problems.size(), 2u) << all(untrusted);
  EXPECT_EQ(untrusted.problems[0].checkpoint, 1);
  EXPECT_NE(untrusted.problems[0].message.find("no signature by a trusted key"), std::string::npos);
}

TEST_F(VerifyTest, AnEditedFieldNamesItsEntry) {
  Tamper(path_).exec("UPDATE entries SET actor = 'mallory' WHERE idx = 7");
  const VerifyReport r = verify();
  ASSERT_EQ(r.problems.size(), 1u) << all(r);
  EXPECT_EQ(r.first_bad_entry(), 7u);
  EXPECT_EQ(r.describe(r.problems[0]),
            path_.string() + ": entry 7: its fields do not match its leaf hash (the entry was edited or moved)");
}

TEST_F(VerifyTest, AnEditedPayloadIsCaughtByItsHash) {
  Tamper(path_).exec("UPDATE entries SET payload = CAST('payload 999' AS BLOB) WHERE idx = 9");
  const VerifyReport r = verify();
  ASSERT_EQ(r.problems.size(), 1u) << all(r);
  EXPECT_EQ(r.first_bad_entry(), 9u);
  EXPECT_NE(r.problems[0].message.find("payload does not match"), std::string::npos);
  // Editing the payload hash too moves the mismatch to the leaf.
  Tamper(path_).exec("UPDATE entries SET payload_hash = X'" + proof::to_hex(sha256("payload 999")) + "' WHERE idx = 9");
  const VerifyReport again = verify();
  ASSERT_EQ(again.problems.size(), 1u) << all(again);
  EXPECT_EQ(again.first_bad_entry(), 9u);
  EXPECT_NE(again.problems[0].message.find("fields do not match its leaf hash"), std::string::npos);
}

TEST_F(VerifyTest, ADeletedRowLeavesAGap) {
  Tamper(path_).exec("DELETE FROM entries WHERE idx = 15");
  const VerifyReport r = verify();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.first_bad_entry(), 15u);
  EXPECT_EQ(r.describe(r.problems[0]), path_.string() + ": entry 15: missing (deleted)");
}

TEST_F(VerifyTest, DeletingTheNewestEntriesIsCaughtOnlyBelowACheckpoint) {
  // Entries after the last checkpoint are vouched for by nothing: removing them is undetectable.
  Tamper(path_).exec("DELETE FROM entries WHERE idx >= 35");
  const VerifyReport tail = verify();
  EXPECT_TRUE(tail.ok()) << all(tail);
  EXPECT_EQ(tail.size, 35u);
  // Below the checkpoint of 20 entries it is.
  Tamper(path_).exec("DELETE FROM entries WHERE idx >= 15");
  const VerifyReport r = verify();
  ASSERT_EQ(r.problems.size(), 1u) << all(r);
  EXPECT_EQ(r.problems[0].checkpoint, 2);
  EXPECT_EQ(r.first_bad_entry(), 15u);
  EXPECT_NE(r.problems[0].message.find("it signs 20 entries but the ledger has 15: entries 15 to 19 were deleted"),
            std::string::npos)
      << all(r);
}

TEST_F(VerifyTest, SwappedRowsAreCaughtByTheIndexInTheLeaf) {
  Tamper(path_).exec(
      "UPDATE entries SET idx = 1000000 WHERE idx = 5; UPDATE entries SET idx = 5 WHERE idx = 6;"
      "UPDATE entries SET idx = 6 WHERE idx = 1000000");
  const VerifyReport r = verify();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.first_bad_entry(), 5u);
  EXPECT_EQ(r.problems[0].entry, 5u);
  EXPECT_NE(r.problems[0].message.find("fields do not match its leaf hash"), std::string::npos) << all(r);
  EXPECT_NE(all(r).find("entry 6: its fields do not match its leaf hash"), std::string::npos) << all(r);
  // The tree of the moved leaves is not the one signed at 10 and 20 entries either.
  EXPECT_NE(all(r).find("checkpoint #1: the ledger contradicts it"), std::string::npos) << all(r);
}

TEST_F(VerifyTest, AnInsertedRowIsCaughtWhereItWasInserted) {
  {
    Tamper t(path_);
    t.exec("UPDATE entries SET idx = idx + 1000000 WHERE idx >= 12");
    t.exec("UPDATE entries SET idx = idx - 1000000 + 1 WHERE idx >= 1000000");
    t.exec(
        "INSERT INTO entries SELECT 12, time, kind, 'mallory', payload_hash, payload, leaf_hash, subtree_hashes "
        "FROM entries WHERE idx = 11");
  }
  const VerifyReport r = verify();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.first_bad_entry(), 12u) << all(r);
  EXPECT_EQ(r.problems[0].entry, 12u);
}

TEST_F(VerifyTest, ARecomputedStoredSubtreeHashIsCaught) {
  Tamper(path_).exec("UPDATE entries SET subtree_hashes = zeroblob(128) WHERE idx = 15");
  const VerifyReport r = verify();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.problems[0].entry, 15u) << all(r);
  EXPECT_NE(r.problems[0].message.find("subtree hashes do not match"), std::string::npos);
}

TEST_F(VerifyTest, AConsistentRewriteContradictsTheCheckpointAndIsBoundedByTheEarlierOne) {
  rewrite_consistently(path_, [](std::vector<StoredRow>& rows) { rows[12].actor = "mallory"; });
  const VerifyReport r = verify();
  ASSERT_EQ(r.problems.size(), 1u) << all(r);
  const VerifyProblem& p = r.problems[0];
  EXPECT_EQ(p.checkpoint, 2);
  EXPECT_EQ(p.entry, 10u);  // the checkpoint of 10 entries still matches: the change is in 10..19
  EXPECT_EQ(p.entry_end, 20u);
  EXPECT_EQ(r.first_bad_entry(), 10u);
  EXPECT_NE(p.message.find("the ledger contradicts it"), std::string::npos);
  EXPECT_NE(p.message.find("an entry from 10 to 19 was changed"), std::string::npos) << p.message;
}

TEST_F(VerifyTest, AConsistentInsertionContradictsTheCheckpoints) {
  rewrite_consistently(path_, [](std::vector<StoredRow>& rows) {
    StoredRow extra = rows[4];
    extra.actor = "mallory";
    extra.payload = "inserted";
    rows.insert(rows.begin() + 5, extra);
  });
  const VerifyReport r = verify();
  ASSERT_EQ(r.problems.size(), 2u) << all(r);
  EXPECT_EQ(r.problems[0].checkpoint, 1);
  EXPECT_EQ(r.problems[0].entry, 0u);
  EXPECT_EQ(r.problems[1].checkpoint, 2);
}

TEST_F(VerifyTest, RewritingTimesBackwardsIsCaught) {
  rewrite_consistently(path_, [](std::vector<StoredRow>& rows) { rows[25].time = "2000-01-01T00:00:00.000000Z"; });
  const VerifyReport r = verify();
  ASSERT_EQ(r.problems.size(), 1u) << all(r);
  EXPECT_EQ(r.problems[0].entry, 25u);
  EXPECT_NE(r.problems[0].message.find("is before the previous entry's"), std::string::npos);
}

TEST_F(VerifyTest, ACheckpointKeptElsewhereCatchesARewriteThatRemovedTheStoredOnes) {
  // The attacker deletes the stored checkpoints and rewrites history consistently: the file alone
  // now looks sound...
  Tamper(path_).exec("DELETE FROM checkpoints");
  rewrite_consistently(path_, [](std::vector<StoredRow>& rows) { rows[3].payload = "rewritten"; });
  EXPECT_TRUE(verify().ok());
  // ...but not against the checkpoint its owner kept.
  VerifyOptions options;
  options.trusted_keys = {log_key().public_key};
  options.external_checkpoints = {{"saved/checkpoint-20.txt", note_at_20_}};
  const VerifyReport r = verify(options);
  ASSERT_EQ(r.problems.size(), 1u) << all(r);
  EXPECT_EQ(r.problems[0].external, "saved/checkpoint-20.txt");
  EXPECT_EQ(r.first_bad_entry(), 0u);
  EXPECT_EQ(r.describe(r.problems[0]).rfind("saved/checkpoint-20.txt: the ledger contradicts it", 0), 0u) << all(r);
}

TEST_F(VerifyTest, AnExternalCheckpointMustBeSignedAndForThisLog) {
  VerifyOptions options;
  options.trusted_keys = {log_key().public_key};
  options.external_checkpoints = {{"good", note_at_10_}};
  EXPECT_TRUE(verify(options).ok());
  std::string forged = note_at_10_;
  forged.replace(forged.find("\n10\n"), 4, "\n11\n");
  const Checkpoint other_log{"example.com/another-log", 10, root_, {}};
  options.external_checkpoints = {
      {"forged", forged}, {"other-log", sign_checkpoint_note(other_log, log_key())}, {"garbage", "not a note"}};
  const VerifyReport r = verify(options);
  ASSERT_EQ(r.problems.size(), 3u) << all(r);
  EXPECT_NE(r.describe(r.problems[0]).find("forged: the signature by"), std::string::npos) << all(r);
  EXPECT_NE(r.describe(r.problems[1]).find("other-log: it is a checkpoint of the log 'example.com/another-log'"),
            std::string::npos);
  EXPECT_NE(r.describe(r.problems[2]).find("garbage: not a checkpoint note"), std::string::npos);
}

TEST_F(VerifyTest, AnEditedStoredCheckpointFailsItsSignature) {
  Tamper(path_).exec(
      "UPDATE checkpoints SET note = replace(note, char(10) || '20' || char(10), char(10) || '21' || char(10)), "
      "tree_size = 21 WHERE id = 2");
  const VerifyReport r = verify();
  ASSERT_EQ(r.problems.size(), 1u) << all(r);
  EXPECT_EQ(r.problems[0].checkpoint, 2);
  EXPECT_NE(r.problems[0].message.find("does not verify"), std::string::npos);
}

TEST_F(VerifyTest, RemovedTriggersAreReported) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "DROP TRIGGER entries_append_only_delete", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  const VerifyReport r = verify();
  ASSERT_EQ(r.problems.size(), 1u) << all(r);
  EXPECT_FALSE(r.first_bad_entry());
  EXPECT_NE(r.problems[0].message.find("entries_append_only_delete' has been removed"), std::string::npos);
}

TEST_F(VerifyTest, ManyProblemsAreCappedAndCounted) {
  Tamper(path_).exec("UPDATE entries SET actor = 'mallory'");
  VerifyOptions options;
  options.max_problems = 5;
  const VerifyReport r = verify(options);
  EXPECT_EQ(r.problems.size(), 5u);
  EXPECT_EQ(r.unlisted_problems, 35u);
  EXPECT_EQ(r.first_bad_entry(), 0u);
}

}  // namespace
}  // namespace qontos::ledger
