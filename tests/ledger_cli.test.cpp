// `qontos ledger` end to end, as a user runs it, with a private QONTOS_HOME per test: `show` lists
// what submissions recorded (text, JSON, slices); `prove` and `consistency` print proofs that check
// independently (RFC 9162 verification against roots recomputed here from the entries' fields);
// `checkpoint` writes a C2SP note whose lines and signature are checked here byte for byte, and
// `verify` passes, with or without trusted keys; tampering with the SQLite file directly (an edit, a
// deletion, a swap, an insertion, a consistent rewrite below a checkpoint) makes `verify` exit 1
// naming the entry, without `verify` changing a byte of the file; and bad input (a missing ledger,
// a file that is not a ledger, a bad flag) exits 2 naming the file and leaves it as it was.
#include <gtest/gtest.h>
#include <sodium.h>
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "proof/keys.h"
#include "proof/merkle.h"
#include "support/cli_runner.h"

namespace qontos {
namespace {

namespace fs = std::filesystem;
using ledger::EntryKind;
using ledger::Ledger;
using ledger::NewEntry;
using nlohmann::json;

const char* kBell =
    "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n";
const char* kActor = "ledger-tester";

// ---- Independent reimplementations of what docs/formats/ledger.md specifies ----

std::string bytes_of(const proof::Hash& h) {
  return std::string(reinterpret_cast<const char*>(h.data()), h.size());
}

proof::Hash sha256(std::string_view data) {
  proof::Hash h;
  crypto_hash_sha256(h.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return h;
}

std::string big_endian(std::uint64_t v, int bytes) {
  std::string out;
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xff);
  return out;
}

std::string str_field(std::string_view s) {
  return big_endian(s.size(), 4) + std::string(s);
}

/// An entry's leaf hash from its fields, per the table in "Leaves".
proof::Hash doc_leaf_hash(std::uint64_t index, std::string_view time, std::string_view kind, std::string_view actor,
                          std::string_view payload_hash) {
  return proof::leaf_hash(std::string(1, '\x01') + big_endian(index, 8) + str_field(time) + str_field(kind) +
                          str_field(actor) + std::string(payload_hash));
}

std::string base64(std::string_view in) {
  static const char* digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    std::uint32_t n = static_cast<std::uint8_t>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<std::uint8_t>(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= static_cast<std::uint8_t>(in[i + 2]);
    out += digits[(n >> 18) & 63];
    out += digits[(n >> 12) & 63];
    out += i + 1 < in.size() ? digits[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? digits[n & 63] : '=';
  }
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<proof::Hash> hashes_of(const json& array) {
  std::vector<proof::Hash> out;
  for (const auto& h : array) out.push_back(*proof::from_hex(h.get<std::string>()));
  return out;
}

/// The ledger file and its write-ahead log, journal and shared-memory index, as bytes (absent
/// files are absent from the map): what a read-only command must leave exactly as it was.
std::map<std::string, std::string> snapshot(const fs::path& file) {
  std::map<std::string, std::string> out;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const fs::path p = file.string() + suffix;
    if (fs::exists(p)) out[suffix] = testing::slurp(p);
  }
  return out;
}

/// A row of the entries table as stored.
struct Row {
  std::int64_t idx = 0;
  std::string time, kind, actor, payload_hash;
  std::optional<std::string> payload;
  std::string leaf_hash, subtree_hashes;
};

/// Direct SQL on the ledger file, as anyone with write access has it: the append-only triggers
/// are dropped first and, unless told otherwise, put back when done.
class Tamper {
 public:
  explicit Tamper(const fs::path& path, bool restore_triggers = true) : restore_(restore_triggers) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + path.string());
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db_, "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'", -1, &s, nullptr);
    while (sqlite3_step(s) == SQLITE_ROW)
      triggers_.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)),
                             reinterpret_cast<const char*>(sqlite3_column_text(s, 1)));
    sqlite3_finalize(s);
    if (triggers_.size() != 4) throw std::runtime_error("expected the 4 append-only triggers");
    for (const auto& t : triggers_) exec("DROP TRIGGER " + t.first);
  }
  ~Tamper() {
    if (restore_)
      for (const auto& t : triggers_) sqlite3_exec(db_, t.second.c_str(), nullptr, nullptr, nullptr);
    sqlite3_close(db_);
  }
  Tamper(const Tamper&) = delete;
  Tamper& operator=(const Tamper&) = delete;

  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error ? error : "?";
      sqlite3_free(error);
      throw std::runtime_error(sql + ": " + message);
    }
  }

  std::vector<Row> rows() {
    std::vector<Row> out;
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db_,
                       "SELECT idx, time, kind, actor, payload_hash, payload, leaf_hash, subtree_hashes FROM entries "
                       "ORDER BY idx",
                       -1, &s, nullptr);
    auto blob = [&](int c) {
      const void* p = sqlite3_column_blob(s, c);
      return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s, c)))
               : std::string();
    };
    while (sqlite3_step(s) == SQLITE_ROW) {
      Row r;
      r.idx = sqlite3_column_int64(s, 0);
      r.time = reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
      r.kind = reinterpret_cast<const char*>(sqlite3_column_text(s, 2));
      r.actor = reinterpret_cast<const char*>(sqlite3_column_text(s, 3));
      r.payload_hash = blob(4);
      if (sqlite3_column_type(s, 5) != SQLITE_NULL) r.payload = blob(5);
      r.leaf_hash = blob(6);
      r.subtree_hashes = blob(7);
      out.push_back(std::move(r));
    }
    sqlite3_finalize(s);
    return out;
  }

  /// Replaces the entries with `rows` renumbered 0, 1, ... and every payload hash, leaf hash and
  /// subtree hash recomputed (from the format's definition, not the library): a rewrite that is
  /// consistent in itself, the best an attacker without the signing key can do.
  void rewrite_consistently(std::vector<Row> rows) {
    std::vector<proof::Hash> leaves;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      Row& r = rows[i];
      r.idx = static_cast<std::int64_t>(i);
      if (r.payload) r.payload_hash = bytes_of(sha256(*r.payload));
      leaves.push_back(doc_leaf_hash(i, r.time, r.kind, r.actor, r.payload_hash));
      r.leaf_hash = bytes_of(leaves.back());
      // The roots of the perfect subtrees entry i completes: one per trailing one bit of i.
      r.subtree_hashes.clear();
      for (unsigned level = 1; (i >> (level - 1)) & 1; ++level) {
        const std::size_t first = i + 1 - (std::size_t{1} << level);
        r.subtree_hashes += bytes_of(proof::tree_hash({leaves.begin() + static_cast<std::ptrdiff_t>(first),
                                                       leaves.begin() + static_cast<std::ptrdiff_t>(i + 1)}));
      }
    }
    exec("BEGIN; DELETE FROM entries");
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db_, "INSERT INTO entries VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1, &s, nullptr);
    for (const Row& r : rows) {
      sqlite3_bind_int64(s, 1, r.idx);
      sqlite3_bind_text(s, 2, r.time.data(), static_cast<int>(r.time.size()), SQLITE_TRANSIENT);
      sqlite3_bind_text(s, 3, r.kind.data(), static_cast<int>(r.kind.size()), SQLITE_TRANSIENT);
      sqlite3_bind_text(s, 4, r.actor.data(), static_cast<int>(r.actor.size()), SQLITE_TRANSIENT);
      sqlite3_bind_blob(s, 5, r.payload_hash.data(), static_cast<int>(r.payload_hash.size()), SQLITE_TRANSIENT);
      if (r.payload)
        sqlite3_bind_blob(s, 6, r.payload->data(), static_cast<int>(r.payload->size()), SQLITE_TRANSIENT);
      else
        sqlite3_bind_null(s, 6);
      sqlite3_bind_blob(s, 7, r.leaf_hash.data(), static_cast<int>(r.leaf_hash.size()), SQLITE_TRANSIENT);
      sqlite3_bind_blob(s, 8, r.subtree_hashes.data(), static_cast<int>(r.subtree_hashes.size()), SQLITE_TRANSIENT);
      if (sqlite3_step(s) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db_));
      sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    exec("COMMIT");
  }

 private:
  sqlite3* db_ = nullptr;
  bool restore_;
  std::vector<std::pair<std::string, std::string>> triggers_;
};

class LedgerCli : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = testing::scratch() /
            ("ledger-cli-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(home_);
    fs::create_directories(home_);
    ::setenv("QONTOS_HOME", home_.c_str(), 1);
    ::setenv("QONTOS_ACTOR", kActor, 1);
    for (const char* v : {"QONTOS_LEDGER", "QONTOS_TRUSTED_KEYS", "QONTOS_SIGNING_KEY"}) ::unsetenv(v);
    path_ = home_ / "ledger.sqlite";
    p_ = path_.string();
  }
  void TearDown() override {
    ::unsetenv("QONTOS_HOME");
    ::unsetenv("QONTOS_ACTOR");
  }

  static testing::CliRun ledger(const std::string& args) { return testing::qontos("ledger " + args); }

  /// Appends `n` entries in one batch: kinds in turn, three actors, one payload kept as a hash
  /// only and one that is not UTF-8 text.
  void fill(int n) {
    Ledger l = Ledger::open(path_);
    const auto first = static_cast<int>(l.size());
    std::vector<NewEntry> batch;
    for (int i = first; i < first + n; ++i) {
      const auto kind = static_cast<EntryKind>(i % 4);
      const std::string actor = "actor-" + std::to_string(i % 3);
      if (i == 5)
        batch.push_back(NewEntry::hash_only(kind, actor, sha256("kept elsewhere")));
      else if (i == 6)
        batch.push_back(NewEntry::with_payload(kind, actor, std::string("\xff\xfe\x00\x01 binary", 11)));
      else
        batch.push_back(NewEntry::with_payload(kind, actor, "payload " + std::to_string(i)));
    }
    l.append_batch(batch);
  }

  std::vector<ledger::Entry> entries() const {
    const Ledger l = Ledger::open(path_, Ledger::Mode::kOpenExisting);
    std::vector<ledger::Entry> out;
    l.for_each_entry(0, l.size(), [&](const ledger::Entry& e) { out.push_back(e); });
    return out;
  }

  /// Every entry's leaf hash recomputed from its fields (not the stored leaf hash).
  std::vector<proof::Hash> recomputed_leaves() const {
    std::vector<proof::Hash> out;
    for (const ledger::Entry& e : entries())
      out.push_back(doc_leaf_hash(e.index, e.time, ledger::kind_name(e.kind), e.actor, bytes_of(e.payload_hash)));
    return out;
  }

  proof::Hash library_root(std::uint64_t size) const {
    return Ledger::open(path_, Ledger::Mode::kOpenExisting).root(size);
  }

  std::size_t stored_checkpoints() const {
    return Ledger::open(path_, Ledger::Mode::kOpenExisting).checkpoints().size();
  }

  /// Runs `ledger verify` (text and JSON) on a tampered ledger: both exit 1 and change nothing in
  /// the file; the JSON names `first_bad` as the first bad entry. Returns the text run's stderr.
  std::string verify_fails(std::optional<std::uint64_t> first_bad, const std::string& extra = "") {
    const auto before = snapshot(path_);
    const auto r = ledger("verify " + extra);
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(snapshot(path_), before) << "ledger verify changed the file";
    const auto j = ledger("verify --json " + extra);
    EXPECT_EQ(j.code, 1) << j.out << j.err;
    EXPECT_EQ(snapshot(path_), before) << "ledger verify --json changed the file";
    const json doc = json::parse(j.out);
    EXPECT_EQ(doc["ok"], false);
    if (first_bad) {
      EXPECT_EQ(doc["first_bad_entry"], *first_bad) << j.out;
    } else {
      EXPECT_TRUE(doc["first_bad_entry"].is_null()) << j.out;
    }
    const std::string summary = lines_of(r.err).empty() ? "" : lines_of(r.err).back();
    if (first_bad) {
      EXPECT_TRUE(summary.ends_with("; first bad entry " + std::to_string(*first_bad))) << r.err;
    } else {
      EXPECT_EQ(summary.find("first bad entry"), std::string::npos) << r.err;
    }
    EXPECT_EQ(summary.rfind(p_ + ": verification FAILED: ", 0), 0u) << r.err;
    return r.err;
  }

  fs::path home_, path_;
  std::string p_;  // path_ as printed
};

// ---- 1. show ----

TEST_F(LedgerCli, ShowListsWhatSubmissionsRecorded) {
  const fs::path circuit = testing::write("bell-ledger.qasm", kBell);
  // The first run signs a proof, so it creates the signing key (a key entry) and records the proof.
  auto r = testing::qontos("submit " + circuit.string() + " --no-progress --shots 10 --proof " +
                           (home_ / "run.qproof").string());
  ASSERT_EQ(r.code, 0) << r.err;
  r = testing::qontos("submit " + circuit.string() + " --no-progress --no-proof --shots 20 --purpose second");
  ASSERT_EQ(r.code, 0) << r.err;
  {  // And two entries a user cannot make through submit: a payload kept elsewhere, and bytes.
    Ledger l = Ledger::open(path_);
    l.append(NewEntry::hash_only(EntryKind::kProof, "auditor", sha256("elsewhere")));
    l.append(EntryKind::kKey, "auditor", std::string("\x00\xff\x80", 3));
  }
  const auto es = entries();
  ASSERT_EQ(es.size(), 8u);
  std::vector<std::string> kinds;
  for (const auto& e : es) kinds.emplace_back(ledger::kind_name(e.kind));
  EXPECT_EQ(kinds,
            (std::vector<std::string>{"key", "submission", "policy", "proof", "submission", "policy", "proof", "key"}));
  auto line = [](const ledger::Entry& e) {
    return std::to_string(e.index) + "  " + e.time + "  " + std::string(ledger::kind_name(e.kind)) + "  " + e.actor +
           "  sha256:" + proof::to_hex(e.payload_hash) + "  " +
           (e.payload ? std::to_string(e.payload->size()) + " bytes" : "(payload not kept)") + "\n";
  };
  auto lines = [&](std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to; ++i) out += line(es[i]);
    return out;
  };
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(es[i].actor, kActor);
  EXPECT_EQ(es[6].actor, "auditor");
  EXPECT_FALSE(es[6].payload);
  for (const auto& e : es) {
    if (e.payload) {
      EXPECT_EQ(e.payload_hash, sha256(*e.payload)) << e.index;
    }
  }

  r = ledger("show");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, lines(0, 8));
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("6  " + es[6].time + "  proof  auditor  sha256:" + proof::to_hex(sha256("elsewhere")) +
                       "  (payload not kept)\n"),
            std::string::npos);
  EXPECT_EQ(ledger("show --from 2 --count 3").out, lines(2, 5));
  EXPECT_EQ(ledger("show --from 5").out, lines(5, 8));
  EXPECT_EQ(ledger("show --from 7 --count 100").out, lines(7, 8));
  EXPECT_EQ(ledger("show --ledger " + p_ + " --count 2").out, lines(0, 2));
  r = ledger("show --count 0");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "");

  r = ledger("show --json");
  ASSERT_EQ(r.code, 0) << r.err;
  const json doc = json::parse(r.out);
  EXPECT_EQ(doc["ledger"], p_);
  EXPECT_EQ(doc["size"], 8);
  ASSERT_EQ(doc["entries"].size(), 8u);
  for (std::size_t i = 0; i < 8; ++i) {
    const json& j = doc["entries"][i];
    EXPECT_EQ(j["index"], i);
    EXPECT_EQ(j["time"], es[i].time);
    EXPECT_EQ(j["kind"], kinds[i]);
    EXPECT_EQ(j["actor"], es[i].actor);
    EXPECT_EQ(j["payload_sha256"], proof::to_hex(es[i].payload_hash));
    EXPECT_EQ(j["leaf_hash"], proof::to_hex(es[i].leaf_hash));
    EXPECT_EQ(j["leaf_hash"],
              proof::to_hex(doc_leaf_hash(i, es[i].time, kinds[i], es[i].actor, bytes_of(es[i].payload_hash))));
  }
  // Text payloads as text, bytes as base64, none when only the hash is kept.
  const json submission = json::parse(doc["entries"][4]["payload"].get<std::string>());
  EXPECT_EQ(submission["purpose"], "second");
  EXPECT_EQ(submission["shots"], 20);
  EXPECT_EQ(doc["entries"][4]["payload_size"], es[4].payload->size());
  EXPECT_FALSE(doc["entries"][6].contains("payload"));
  EXPECT_FALSE(doc["entries"][6].contains("payload_base64"));
  EXPECT_FALSE(doc["entries"][6].contains("payload_size"));
  EXPECT_FALSE(doc["entries"][7].contains("payload"));
  EXPECT_EQ(doc["entries"][7]["payload_base64"], base64(std::string("\x00\xff\x80", 3)));
  EXPECT_EQ(doc["entries"][7]["payload_size"], 3);

  r = ledger("show --json --from 1 --count 2");
  ASSERT_EQ(r.code, 0) << r.err;
  const json slice = json::parse(r.out);
  EXPECT_EQ(slice["size"], 8);
  ASSERT_EQ(slice["entries"].size(), 2u);
  EXPECT_EQ(slice["entries"][0], doc["entries"][1]);
  EXPECT_EQ(slice["entries"][1], doc["entries"][2]);

  // Past the end: refused with the valid range, nothing printed.
  r = ledger("show --from 8");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "qontos: error: " + p_ + ": entry 8: --from is out of range: the ledger has 8 entries (0 to 7)\n");

  // The key the first run created signs a checkpoint that its public half authenticates.
  r = ledger("checkpoint");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(lines_of(r.out).at(1), "8");
  r = ledger("verify --trusted-keys " + (home_ / "keys" / "qontos.pub").string());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, p_ + ": ok: 8 entries, root " + proof::to_hex(proof::tree_hash(recomputed_leaves())) +
                       "; 1 checkpoint consistent (signatures checked against the trusted keys)\n");
}

TEST_F(LedgerCli, AnEmptyLedgerShowsNothingAndVerifies) {
  Ledger::open(path_);  // created, no entries
  auto r = ledger("show");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  r = ledger("verify");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, p_ + ": ok: 0 entries, root " + proof::to_hex(sha256("")) +
                       "; 0 checkpoints consistent (sign one: qontos ledger checkpoint)\n");
  r = ledger("prove --index 0");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "qontos: error: " + p_ + ": entry 0: --index is out of range: the ledger has 0 entries\n");
}

// ---- 2. prove and consistency ----

TEST_F(LedgerCli, InclusionProofsCheckIndependently) {
  fill(7);
  const auto leaves = recomputed_leaves();
  ASSERT_EQ(leaves.size(), 7u);
  struct Case {
    std::uint64_t index, size;
  };
  const Case cases[] = {{0, 7}, {3, 7}, {4, 7}, {6, 7}, {0, 1}, {3, 4}, {4, 5}, {2, 6}};
  for (const Case& c : cases) {
    SCOPED_TRACE("index " + std::to_string(c.index) + " size " + std::to_string(c.size));
    const std::string size_flag = c.size == 7 ? "" : " --size " + std::to_string(c.size);
    const auto r = ledger("prove --json --index " + std::to_string(c.index) + size_flag);
    ASSERT_EQ(r.code, 0) << r.err;
    const json j = json::parse(r.out);
    EXPECT_EQ(j["ledger"], p_);
    EXPECT_EQ(j["index"], c.index);
    EXPECT_EQ(j["size"], c.size);
    const proof::Hash leaf = *proof::from_hex(j["leaf_hash"].get<std::string>());
    const proof::Hash root = *proof::from_hex(j["root"].get<std::string>());
    const std::vector<proof::Hash> path = hashes_of(j["proof"]);
    // The printed leaf and root are the entry's and the tree's, computed here and by the library.
    EXPECT_EQ(leaf, leaves[c.index]);
    EXPECT_EQ(root, library_root(c.size));
    EXPECT_EQ(root, proof::tree_hash({leaves.begin(), leaves.begin() + static_cast<std::ptrdiff_t>(c.size)}));
    EXPECT_TRUE(proof::verify_inclusion(leaf, c.index, c.size, path, root));
    // The path is the RFC 9162 one, and it proves nothing else.
    EXPECT_EQ(path,
              proof::inclusion_proof({leaves.begin(), leaves.begin() + static_cast<std::ptrdiff_t>(c.size)}, c.index));
    if (c.size > 1) {
      EXPECT_FALSE(proof::verify_inclusion(leaves[(c.index + 1) % c.size], c.index, c.size, path, root));
      std::vector<proof::Hash> bent = path;
      bent[0][0] ^= 1;
      EXPECT_FALSE(proof::verify_inclusion(leaf, c.index, c.size, bent, root));
    }
  }
  // The text form carries the same proof.
  const auto t = ledger("prove --index 3");
  ASSERT_EQ(t.code, 0) << t.err;
  const auto path = proof::inclusion_proof(leaves, 3);
  std::string expected = "index 3\nsize 7\nleaf " + proof::to_hex(leaves[3]) + "\nroot " +
                         proof::to_hex(proof::tree_hash(leaves)) + "\nproof " + std::to_string(path.size()) + "\n";
  for (const auto& h : path) expected += proof::to_hex(h) + "\n";
  EXPECT_EQ(t.out, expected);
  EXPECT_EQ(path.size(), 3u);
}

TEST_F(LedgerCli, ConsistencyProofsCheckIndependently) {
  fill(7);
  const auto leaves = recomputed_leaves();
  auto root_of = [&](std::uint64_t n) {
    return proof::tree_hash({leaves.begin(), leaves.begin() + static_cast<std::ptrdiff_t>(n)});
  };
  struct Case {
    std::uint64_t from, to;
  };
  const Case cases[] = {{1, 7}, {3, 7}, {4, 7}, {7, 7}, {2, 5}, {3, 6}};
  for (const Case& c : cases) {
    SCOPED_TRACE("from " + std::to_string(c.from) + " to " + std::to_string(c.to));
    const std::string to_flag = c.to == 7 ? "" : " --to " + std::to_string(c.to);
    const auto r = ledger("consistency --json --from " + std::to_string(c.from) + to_flag);
    ASSERT_EQ(r.code, 0) << r.err;
    const json j = json::parse(r.out);
    EXPECT_EQ(j["from"], c.from);
    EXPECT_EQ(j["to"], c.to);
    const proof::Hash from_root = *proof::from_hex(j["from_root"].get<std::string>());
    const proof::Hash to_root = *proof::from_hex(j["to_root"].get<std::string>());
    const std::vector<proof::Hash> path = hashes_of(j["proof"]);
    EXPECT_EQ(from_root, root_of(c.from));
    EXPECT_EQ(to_root, root_of(c.to));
    EXPECT_EQ(from_root, library_root(c.from));
    EXPECT_EQ(to_root, library_root(c.to));
    EXPECT_TRUE(proof::verify_consistency(c.from, c.to, from_root, to_root, path));
    if (c.from != c.to) {
      // Not a proof for another old tree.
      EXPECT_FALSE(
          proof::verify_consistency(c.from, c.to, root_of(c.from - 1 ? c.from - 1 : c.from + 1), to_root, path));
    } else {
      EXPECT_TRUE(path.empty());
    }
  }
  const auto t = ledger("consistency --from 3 --to 6");
  ASSERT_EQ(t.code, 0) << t.err;
  const auto path = proof::consistency_proof({leaves.begin(), leaves.begin() + 6}, 3);
  std::string expected = "from 3\nto 6\nfrom_root " + proof::to_hex(root_of(3)) + "\nto_root " +
                         proof::to_hex(root_of(6)) + "\nproof " + std::to_string(path.size()) + "\n";
  for (const auto& h : path) expected += proof::to_hex(h) + "\n";
  EXPECT_EQ(t.out, expected);
}

TEST_F(LedgerCli, ProofRangesAreRefusedWithTheValidRange) {
  fill(7);
  const std::string e = "qontos: error: " + p_ + ": ";
  const std::pair<std::string, std::string> cases[] = {
      {"prove --index 7", e + "entry 7: --index is out of range: the ledger has 7 entries (0 to 6)\n"},
      {"prove --index 5 --size 5", e + "entry 5: --index is out of range: the tree has 5 entries (0 to 4)\n"},
      {"prove --index 0 --size 8", e + "--size 8 is larger than the ledger (7 entries)\n"},
      {"consistency --from 0", e + "--from 0 must be from 1 to 7 (the size of the larger tree)\n"},
      {"consistency --from 6 --to 5", e + "--from 6 must be from 1 to 5 (the size of the larger tree)\n"},
      {"consistency --from 1 --to 8", e + "--to 8 is larger than the ledger (7 entries)\n"},
      {"consistency --from 8", e + "--from 8 must be from 1 to 7 (the size of the larger tree)\n"},
  };
  const auto before = snapshot(path_);
  for (const auto& [args, message] : cases) {
    const auto r = ledger(args + " --json");
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_EQ(r.out, "") << args;
    EXPECT_EQ(r.err, message) << args;
  }
  EXPECT_EQ(snapshot(path_), before);
}

// ---- 3. checkpoint and verify ----

TEST_F(LedgerCli, CheckpointWritesASignedNoteThatVerifies) {
  auto r = testing::qontos("keygen");  // the default signing key, HOME/keys/qontos.key
  ASSERT_EQ(r.code, 0) << r.err;
  const fs::path pub = home_ / "keys" / "qontos.pub";
  const proof::SigningKey key = proof::read_signing_key(home_ / "keys" / "qontos.key");
  fill(5);
  const std::string origin = Ledger::open(path_).origin();
  EXPECT_EQ(origin.rfind("qontos/ledger/", 0), 0u);
  EXPECT_EQ(origin.size(), 14u + 16u);

  const fs::path note_file = home_ / "cp5.txt";
  r = ledger("checkpoint -o " + note_file.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(testing::slurp(note_file), r.out);
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 5u) << r.out;
  EXPECT_EQ(lines[0], origin);
  EXPECT_EQ(lines[1], "5");
  EXPECT_EQ(lines[2], base64(bytes_of(library_root(5))));
  EXPECT_EQ(lines[2], base64(bytes_of(proof::tree_hash(recomputed_leaves()))));
  EXPECT_EQ(lines[3], "");
  // The signature line, rebuilt here: key id = SHA-256(name || \n || 0x01 || key)[0..4], then the
  // Ed25519 signature (deterministic) of the text with its final newline.
  const std::string text = lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n";
  const std::string key_bytes(reinterpret_cast<const char*>(key.public_key.data()), 32);
  const std::string key_id = bytes_of(sha256(origin + "\n\x01" + key_bytes)).substr(0, 4);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                       key.secret_key.data());
  EXPECT_EQ(lines[4], "\u2014 " + origin + " " + base64(key_id + std::string(reinterpret_cast<char*>(sig), 64)));
  EXPECT_EQ(r.out, text + "\n" + lines[4] + "\n");
  {
    const auto stored = Ledger::open(path_).checkpoints();
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0].id, 1);
    EXPECT_EQ(stored[0].tree_size, 5u);
    EXPECT_EQ(stored[0].note, r.out);
  }

  // verify: the stored checkpoint, then also an external one, then authenticated.
  const std::string root5 = proof::to_hex(library_root(5));
  const auto before = snapshot(path_);
  r = ledger("verify");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, p_ + ": ok: 5 entries, root " + root5 +
                       "; 1 checkpoint consistent (signatures checked only against the keys stored with them; give "
                       "--trusted-keys to authenticate them)\n");
  EXPECT_EQ(r.err, "");
  r = ledger("verify --checkpoint " + note_file.string());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("; 2 checkpoints consistent (signatures checked only"), std::string::npos) << r.out;
  r = ledger("verify --trusted-keys " + pub.string());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, p_ + ": ok: 5 entries, root " + root5 +
                       "; 1 checkpoint consistent (signatures checked against the trusted keys)\n");
  r = ledger("verify --json --trusted-keys " + pub.string());
  EXPECT_EQ(r.code, 0) << r.err;
  const json v = json::parse(r.out);
  EXPECT_EQ(v["ok"], true);
  EXPECT_EQ(v["entries"], 5);
  EXPECT_EQ(v["root"], root5);
  EXPECT_EQ(v["checkpoints_checked"], 1);
  EXPECT_EQ(v["signatures_authenticated"], true);
  EXPECT_TRUE(v["first_bad_entry"].is_null());
  EXPECT_TRUE(v["problems"].empty());
  EXPECT_EQ(snapshot(path_), before) << "ledger verify changed the file";

  // Another key is not the signer: the stored checkpoint fails, naming it but no entry.
  r = testing::qontos("keygen --out " + (home_ / "other").string());
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string err = verify_fails(std::nullopt, "--trusted-keys " + (home_ / "other" / "qontos.pub").string());
  EXPECT_EQ(err.rfind(p_ + ": checkpoint #1: no signature by a trusted key", 0), 0u) << err;
  EXPECT_NE(err.find(p_ + ": verification FAILED: 1 problem\n"), std::string::npos) << err;
  // ...and so is a trusted-keys file in the settings' place, HOME/trusted_keys.
  fs::copy_file(home_ / "other" / "qontos.pub", home_ / "trusted_keys");
  verify_fails(std::nullopt);
  fs::remove(home_ / "trusted_keys");

  // A second checkpoint, as JSON, after more entries.
  fill(3);
  r = ledger("checkpoint --json");
  ASSERT_EQ(r.code, 0) << r.err;
  const json c = json::parse(r.out);
  EXPECT_EQ(c["ledger"], p_);
  EXPECT_EQ(c["id"], 2);
  EXPECT_EQ(c["origin"], origin);
  EXPECT_EQ(c["size"], 8);
  EXPECT_EQ(c["root"], proof::to_hex(library_root(8)));
  EXPECT_EQ(c["key_id"], proof::key_id(key.public_key));
  EXPECT_EQ(c["note"].get<std::string>().rfind(origin + "\n8\n" + base64(bytes_of(library_root(8))) + "\n\n", 0), 0u);
  r = ledger("verify --trusted-keys " + pub.string() + " --checkpoint " + note_file.string());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(": ok: 8 entries, root " + proof::to_hex(library_root(8)) + "; 3 checkpoints consistent"),
            std::string::npos)
      << r.out;
}

TEST_F(LedgerCli, CheckpointWithoutAKeyChangesNothing) {
  fill(3);
  const auto before = snapshot(path_);
  const auto r = ledger("checkpoint -o " + (home_ / "cp.txt").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find((home_ / "keys" / "qontos.key").string()), std::string::npos) << r.err;
  EXPECT_EQ(snapshot(path_), before);
  EXPECT_FALSE(fs::exists(home_ / "cp.txt"));
  EXPECT_EQ(stored_checkpoints(), 0u);
}

TEST_F(LedgerCli, CheckpointToAnUnwritableFileStoresNothing) {
  fill(3);
  ASSERT_EQ(testing::qontos("keygen").code, 0);
  const auto before = snapshot(path_);
  const auto r = ledger("checkpoint -o " + (home_ / "no-such-dir" / "cp.txt").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("cannot write"), std::string::npos) << r.err;
  EXPECT_EQ(snapshot(path_), before);
  EXPECT_EQ(stored_checkpoints(), 0u);
}

// ---- 4. tampering ----

TEST_F(LedgerCli, AnEditedActorIsNamed) {
  fill(8);
  Tamper(path_).exec("UPDATE entries SET actor = 'mallory' WHERE idx = 2");
  const std::string err = verify_fails(2);
  EXPECT_EQ(err, p_ + ": entry 2: its fields do not match its leaf hash (the entry was edited or moved)\n" + p_ +
                     ": verification FAILED: 1 problem; first bad entry 2\n");
}

TEST_F(LedgerCli, AnEditedPayloadIsNamed) {
  fill(8);
  Tamper(path_).exec("UPDATE entries SET payload = CAST('payload 99' AS BLOB) WHERE idx = 4");
  const std::string err = verify_fails(4);
  EXPECT_EQ(err, p_ + ": entry 4: its payload does not match its payload hash (the payload was edited)\n" + p_ +
                     ": verification FAILED: 1 problem; first bad entry 4\n");
}

TEST_F(LedgerCli, ADeletedMiddleRowIsNamed) {
  fill(8);
  Tamper(path_).exec("DELETE FROM entries WHERE idx = 3");
  const std::string err = verify_fails(3);
  EXPECT_EQ(err, p_ + ": entry 3: missing (deleted)\n" + p_ + ": verification FAILED: 1 problem; first bad entry 3\n");
  // The reading commands name it too rather than listing around the gap.
  const auto r = ledger("show");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find(p_ + ": entry 3: missing"), std::string::npos) << r.err;
}

TEST_F(LedgerCli, SwappedRowsAreNamed) {
  fill(8);
  Tamper(path_).exec(
      "UPDATE entries SET idx = 1000000 WHERE idx = 1; UPDATE entries SET idx = 1 WHERE idx = 4;"
      "UPDATE entries SET idx = 4 WHERE idx = 1000000");
  const std::string err = verify_fails(1);
  EXPECT_EQ(err.rfind(p_ + ": entry 1: its fields do not match its leaf hash", 0), 0u) << err;
  EXPECT_NE(err.find(p_ + ": entry 4: its fields do not match its leaf hash"), std::string::npos) << err;
}

TEST_F(LedgerCli, AnInsertedRowIsNamed) {
  fill(8);
  {
    Tamper t(path_);
    t.exec("UPDATE entries SET idx = idx + 1000000 WHERE idx >= 3");
    t.exec("UPDATE entries SET idx = idx - 1000000 + 1 WHERE idx >= 1000000");
    t.exec(
        "INSERT INTO entries SELECT 3, time, kind, 'mallory', payload_hash, payload, leaf_hash, subtree_hashes "
        "FROM entries WHERE idx = 2");
  }
  EXPECT_EQ(entries().size(), 9u);
  const std::string err = verify_fails(3);
  EXPECT_EQ(err.rfind(p_ + ": entry 3: its fields do not match its leaf hash", 0), 0u) << err;
  // Every entry moved up by one no longer matches its leaf either.
  for (int i = 4; i <= 8; ++i)
    EXPECT_NE(err.find(p_ + ": entry " + std::to_string(i) + ": its fields do not match"), std::string::npos) << err;
}

TEST_F(LedgerCli, RemovedTriggersAreReportedWithoutAnEntry) {
  fill(4);
  Tamper(path_, /*restore_triggers=*/false);
  const std::string err = verify_fails(std::nullopt);
  for (const char* t : {"entries_append_only_update", "entries_append_only_delete", "checkpoints_append_only_update",
                        "checkpoints_append_only_delete"}) {
    EXPECT_NE(err.find(p_ + ": the append-only trigger '" + std::string(t) + "' has been removed\n"), std::string::npos)
        << err;
  }
  EXPECT_NE(err.find(p_ + ": verification FAILED: 4 problems\n"), std::string::npos) << err;
}

TEST_F(LedgerCli, AConsistentRewriteBelowACheckpointIsCaught) {
  ASSERT_EQ(testing::qontos("keygen").code, 0);
  const std::string pub = (home_ / "keys" / "qontos.pub").string();
  const fs::path cp4 = home_ / "cp4.txt", cp8 = home_ / "cp8.txt";
  fill(4);
  ASSERT_EQ(ledger("checkpoint -o " + cp4.string()).code, 0);
  fill(4);
  ASSERT_EQ(ledger("checkpoint -o " + cp8.string()).code, 0);
  fill(2);
  const proof::Hash signed_root = library_root(8);
  ASSERT_EQ(ledger("verify --trusted-keys " + pub).code, 0);

  {
    Tamper t(path_);
    auto rows = t.rows();
    ASSERT_EQ(rows.size(), 10u);
    rows[5].actor = "mallory";
    t.rewrite_consistently(rows);
  }
  // Consistent in itself: only the checkpoint of 8 entries sees it, and the one of 4 bounds it.
  const proof::Hash rewritten_root = library_root(8);
  ASSERT_NE(rewritten_root, signed_root);
  std::string err = verify_fails(4);
  EXPECT_EQ(err, p_ + ": checkpoint #2: the ledger contradicts it: the first 8 entries hash to " +
                     proof::to_hex(rewritten_root) + ", it signed " + proof::to_hex(signed_root) +
                     "; an entry from 4 to 7 was changed, inserted, removed or reordered after it was signed\n" + p_ +
                     ": verification FAILED: 1 problem; first bad entry 4\n");
  const json j = json::parse(ledger("verify --json").out);
  ASSERT_EQ(j["problems"].size(), 1u) << j.dump();
  EXPECT_EQ(j["problems"][0]["checkpoint"], 2);
  EXPECT_EQ(j["problems"][0]["entry"], 4);
  EXPECT_EQ(j["problems"][0]["entry_end"], 8);

  // Nor will it sign the rewritten tree.
  auto before = snapshot(path_);
  auto r = ledger("checkpoint");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("refusing to sign a checkpoint: checkpoint #2: the ledger contradicts it"), std::string::npos)
      << r.err;
  EXPECT_EQ(snapshot(path_), before);

  // Remove the stored checkpoints too: the file alone now verifies (docs: what it cannot detect)...
  Tamper(path_).exec("DELETE FROM checkpoints");
  before = snapshot(path_);
  r = ledger("verify");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(": ok: 10 entries"), std::string::npos) << r.out;
  // ...but not against the checkpoints kept outside it, read with the trusted key.
  err = verify_fails(0, "--trusted-keys " + pub + " --checkpoint " + cp8.string());
  EXPECT_EQ(err.rfind(cp8.string() + ": the ledger contradicts it: the first 8 entries hash to " +
                          proof::to_hex(rewritten_root) + ", it signed " + proof::to_hex(signed_root) +
                          "; an entry from 0 to 7 was changed",
                      0),
            0u)
      << err;
  err = verify_fails(4, "--trusted-keys " + pub + " --checkpoint " + cp4.string() + " --checkpoint " + cp8.string());
  EXPECT_NE(err.find("an entry from 4 to 7 was changed"), std::string::npos) << err;
  // The rewrite is above the checkpoint of 4 entries, which still holds.
  r = ledger("verify --trusted-keys " + pub + " --checkpoint " + cp4.string());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("; 1 checkpoint consistent (signatures checked against the trusted keys)"), std::string::npos)
      << r.out;
  // Without a key to check it by, an external checkpoint proves nothing, and the output says so.
  err = verify_fails(std::nullopt, "--checkpoint " + cp8.string());
  EXPECT_EQ(err.rfind(cp8.string() + ": cannot check its signature: no public key (give trusted keys)\n", 0), 0u)
      << err;
  EXPECT_EQ(snapshot(path_), before);
}

TEST_F(LedgerCli, EntriesDeletedFromTheEndBelowACheckpointAreNamed) {
  ASSERT_EQ(testing::qontos("keygen").code, 0);
  fill(8);
  ASSERT_EQ(ledger("checkpoint").code, 0);
  fill(2);
  Tamper(path_).exec("DELETE FROM entries WHERE idx >= 6");
  const std::string err = verify_fails(6);
  EXPECT_EQ(err, p_ + ": checkpoint #1: it signs 8 entries but the ledger has 6: entries 6 to 7 were deleted\n" + p_ +
                     ": verification FAILED: 1 problem; first bad entry 6\n");
}

// ---- 5. bad input ----

TEST_F(LedgerCli, AMissingLedgerIsNamedAndNotCreated) {
  const std::string e = "qontos: error: " + p_ + ": no ledger here (the file does not exist)\n";
  for (const char* args : {"verify", "verify --json", "show", "prove --index 0", "consistency --from 1"}) {
    const auto r = ledger(args);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_EQ(r.out, "") << args;
    EXPECT_EQ(r.err, e) << args;
  }
  const fs::path elsewhere = home_ / "nowhere" / "ledger.sqlite";
  const auto r = ledger("show --ledger " + elsewhere.string());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "qontos: error: " + elsewhere.string() + ": no ledger here (the file does not exist)\n");
  // And a checkpoint, with a key, refuses it too.
  ASSERT_EQ(testing::qontos("keygen").code, 0);
  const auto c = ledger("checkpoint");
  EXPECT_EQ(c.code, 2);
  EXPECT_EQ(c.err, e);
  EXPECT_FALSE(fs::exists(path_));
  EXPECT_FALSE(fs::exists(p_ + "-wal"));
  EXPECT_FALSE(fs::exists(home_ / "nowhere"));
}

TEST_F(LedgerCli, FilesThatAreNotLedgersAreRefusedUntouched) {
  const fs::path text = home_ / "notes.txt";
  std::ofstream(text) << "this is not a ledger\n";
  const fs::path empty = home_ / "empty.sqlite";
  std::ofstream(empty).flush();
  const fs::path other = home_ / "other.sqlite";
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(other.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1)", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  // A ledger of a newer schema version.
  fill(2);
  const fs::path newer = home_ / "newer.sqlite";
  fs::copy_file(path_, newer);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(newer.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 2", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  ASSERT_FALSE(fs::exists(newer.string() + "-wal"));
  const std::pair<fs::path, std::string> cases[] = {
      {text, "not a qontos ledger (not an SQLite database)"},
      {empty, "not a qontos ledger (an empty database)"},
      {other, "not a qontos ledger (an SQLite database with application_id 0x00000000)"},
      {newer, "ledger schema version 2 (this qontos reads version 1)"},
  };
  ASSERT_EQ(testing::qontos("keygen").code, 0);
  for (const auto& [file, message] : cases) {
    const auto before = snapshot(file);
    ASSERT_EQ(before.size(), 1u);
    for (const char* args : {"verify", "show", "prove --index 0", "checkpoint"}) {
      const auto r = ledger(std::string(args) + " --ledger " + file.string());
      EXPECT_EQ(r.code, 2) << args << " " << file;
      EXPECT_EQ(r.out, "") << args << " " << file;
      EXPECT_EQ(r.err, "qontos: error: " + file.string() + ": " + message + "\n") << args;
      EXPECT_EQ(snapshot(file), before) << args << " changed " << file;
    }
  }
  // A directory is not a ledger file either.
  const auto r = ledger("verify --ledger " + (home_ / "keys").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "qontos: error: " + (home_ / "keys").string() + ": a directory, not a ledger file\n");
}

TEST_F(LedgerCli, UsageErrorsExit2) {
  fill(2);
  const auto before = snapshot(path_);
  for (const char* args : {"verify --bogus", "show --frm 1", "frobnicate", "", "prove", "prove --index -1",
                           "show --count many", "consistency", "consistency --from 1 --to"}) {
    const auto r = ledger(args);
    EXPECT_EQ(r.code, 2) << "ledger " << args;
    EXPECT_EQ(r.out, "") << "ledger " << args;
    EXPECT_EQ(r.err.rfind("qontos: error: ", 0), 0u) << "ledger " << args << ": " << r.err;
  }
  EXPECT_NE(ledger("verify --bogus").err.find("--bogus"), std::string::npos);
  EXPECT_EQ(snapshot(path_), before);
}

}  // namespace
}  // namespace qontos
