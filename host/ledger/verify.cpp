// Ledger verification, declared in verify.h.
#include "ledger/verify.h"

#include <algorithm>
#include <map>

#include "ledger/checkpoint.h"
#include "ledger/entry.h"
#include "ledger/store.h"
#include "ledger/tree_proofs.h"

namespace qontos::ledger {
namespace {

std::string hash_bytes(const proof::Hash& h) {
  return std::string(reinterpret_cast<const char*>(h.data()), h.size());
}

/// A checkpoint to hold the ledger to, parsed and with its signature already judged.
struct Claim {
  std::optional<std::int64_t> id;  // stored checkpoint
  std::string label;               // external checkpoint
  Checkpoint checkpoint;
};

class Verifier {
 public:
  Verifier(LedgerStore& store, const VerifyOptions& options) : store_(store), options_(options) {
    report_.file = store.path();
    report_.from = options.from;
    report_.signatures_authenticated = !options.trusted_keys.empty();
  }

  VerifyReport run() {
    LedgerStore::Transaction snapshot(store_, false);
    // A damaged file is a finding, not a reason to stop: each part reports what it cannot read.
    guarded("cannot run SQLite's quick_check", [&] {
      for (const std::string& m : store_.storage_problems()) add({.message = m});
    });
    guarded("cannot read the checkpoints", [&] { read_claims(); });
    scan_entries();
    guarded("cannot compare the checkpoints with the tree", [&] { check_claims(); });
    // The snapshot only read: ending it by rolling back is the same as committing, and cannot
    // fail where SQLite already ended it after finding damage.
    return std::move(report_);
  }

 private:
  template <typename Body>
  void guarded(const char* what, const Body& body) {
    try {
      body();
    } catch (const LedgerError& e) {
      add({.entry = e.entry, .message = std::string(what) + ": " + e.reason});
    }
  }

  void add(VerifyProblem p) {
    if (report_.problems.size() < options_.max_problems)
      report_.problems.push_back(std::move(p));
    else
      ++report_.unlisted_problems;
  }

  /// The signature check of one note; adds a problem and returns false when it fails.
  bool signature_ok(const Note& note, const std::vector<proof::PublicKey>& keys, const VerifyProblem& where) {
    if (keys.empty()) {
      VerifyProblem p = where;
      p.message = "cannot check its signature: no public key (give trusted keys)";
      add(std::move(p));
      return false;
    }
    const NoteVerification v = verify_note(note, keys);
    if (!v.ok) {
      VerifyProblem p = where;
      p.message = v.message;
      add(std::move(p));
    }
    return v.ok;
  }

  void read_claims() {
    const std::vector<StoredCheckpoint> stored = store_.checkpoints();
    std::vector<proof::PublicKey> stored_keys;
    origins_.push_back(store_.meta("origin"));
    for (const StoredCheckpoint& s : stored) {
      const VerifyProblem where{.checkpoint = s.id};
      try {
        const Note note = parse_note(s.note);
        Claim claim{s.id, "", parse_checkpoint(note.text)};
        ++report_.checkpoints_checked;
        origins_.push_back(claim.checkpoint.origin);
        std::vector<proof::PublicKey> keys = options_.trusted_keys;
        if (keys.empty() && s.public_key.size() == 32) {
          proof::PublicKey k;
          std::copy(s.public_key.begin(), s.public_key.end(), k.begin());
          keys.push_back(k);
          stored_keys.push_back(k);
        }
        if (claim.checkpoint.size != s.tree_size) {
          VerifyProblem p = where;
          p.message = "its row says " + std::to_string(s.tree_size) + " entries but its note signs " +
                      std::to_string(claim.checkpoint.size);
          add(std::move(p));
        }
        if (signature_ok(note, keys, where)) claims_.push_back(std::move(claim));
      } catch (const NoteError& e) {
        VerifyProblem p = where;
        p.message = std::string("its note is malformed: ") + e.what();
        add(std::move(p));
      }
    }
    for (const ExternalCheckpoint& x : options_.external_checkpoints) {
      const VerifyProblem where{.external = x.label};
      try {
        const Note note = parse_note(x.note);
        Claim claim{std::nullopt, x.label, parse_checkpoint(note.text)};
        ++report_.checkpoints_checked;
        if (std::find(origins_.begin(), origins_.end(), claim.checkpoint.origin) == origins_.end()) {
          VerifyProblem p = where;
          p.message = "it is a checkpoint of the log '" + claim.checkpoint.origin + "', not of this ledger ('" +
                      origins_.front() + "')";
          add(std::move(p));
          continue;
        }
        if (signature_ok(note, options_.trusted_keys.empty() ? stored_keys : options_.trusted_keys, where))
          claims_.push_back(std::move(claim));
      } catch (const NoteError& e) {
        VerifyProblem p = where;
        p.message = std::string("not a checkpoint note: ") + e.what();
        add(std::move(p));
      }
    }
    for (const Claim& c : claims_) claimed_sizes_.insert({c.checkpoint.size, {}});
  }

  void scan_entries() {
    CompactRange tree;
    std::string previous_time;
    std::uint64_t expected = options_.from;
    if (options_.from > 0) {
      tree = store_.compact_range(options_.from);
      if (const auto before = store_.row(options_.from - 1)) previous_time = before->time;
    }
    record_root(tree);
    bool diverged = false;  // after the first broken link, later subtree mismatches are its echoes
    std::vector<proof::Hash> completed;
    try {
      store_.scan(options_.from, [&](const StoredRow& r) {
        if (r.index != expected) {
          add({.entry = expected,
               .message = r.index == expected + 1
                              ? "missing (deleted)"
                              : "missing, with the entries up to " + std::to_string(r.index - 1) + " (deleted)"});
          diverged = true;
          expected = r.index;
        }
        const proof::Hash leaf = check_row(r, previous_time);
        tree.append(leaf, completed);
        if (!diverged) {
          std::string recomputed;
          for (const proof::Hash& h : completed) recomputed += hash_bytes(h);
          if (recomputed != r.subtree_hashes) {
            add({.entry = r.index,
                 .message = "its stored subtree hashes do not match the tree recomputed from the entries up to it "
                            "(an entry was edited, inserted, removed or moved)"});
            diverged = true;
          }
        }
        ++expected;
        record_root(tree);
        return true;
      });
    } catch (const LedgerError& e) {
      add({.entry = expected, .message = "cannot be read: " + e.reason});
      scan_complete_ = false;
    }
    report_.size = expected;
    report_.root = tree.root();
  }

  /// Checks one row on its own; returns the leaf hash to build the tree with.
  proof::Hash check_row(const StoredRow& r, std::string& previous_time) {
    auto problem = [&](const std::string& message) { add({.entry = r.index, .message = message}); };
    if (!is_utc_timestamp(r.time))
      problem("its time '" + r.time + "' is not an RFC 3339 UTC timestamp");
    else if (!previous_time.empty() && r.time < previous_time)
      problem("its time " + r.time + " is before the previous entry's " + previous_time + " (moved or edited)");
    previous_time = r.time;
    const auto kind = parse_kind(r.kind);
    if (!kind) problem("unknown kind '" + r.kind + "'");
    if (const auto why = actor_problem(r.actor)) problem("invalid actor: " + *why);
    if (r.payload_hash.size() != 32) {
      problem("its payload hash is " + std::to_string(r.payload_hash.size()) + " bytes, not 32");
    } else if (r.payload && hash_bytes(sha256(*r.payload)) != r.payload_hash) {
      problem("its payload does not match its payload hash (the payload was edited)");
    }
    if (r.leaf_hash.size() != 32) problem("its leaf hash is " + std::to_string(r.leaf_hash.size()) + " bytes, not 32");
    proof::Hash payload_hash{};
    std::copy_n(r.payload_hash.begin(), std::min<std::size_t>(32, r.payload_hash.size()), payload_hash.begin());
    const proof::Hash leaf = proof::leaf_hash(leaf_data(r.index, r.time, r.kind, r.actor, payload_hash));
    if (r.leaf_hash.size() == 32 && hash_bytes(leaf) != r.leaf_hash) {
      problem("its fields do not match its leaf hash (the entry was edited or moved)");
      // Go on with the stored leaf: the tree above it was built from that one, so this edit is
      // reported once here rather than again at every subtree and checkpoint above it.
      proof::Hash stored;
      std::copy(r.leaf_hash.begin(), r.leaf_hash.end(), stored.begin());
      return stored;
    }
    return leaf;
  }

  void record_root(const CompactRange& tree) {
    if (auto it = claimed_sizes_.find(tree.size()); it != claimed_sizes_.end()) it->second = tree.root();
  }

  void check_claims() {
    std::stable_sort(claims_.begin(), claims_.end(),
                     [](const Claim& a, const Claim& b) { return a.checkpoint.size < b.checkpoint.size; });
    std::uint64_t last_matching = 0;  // the largest checkpointed size the ledger agrees with
    for (const Claim& c : claims_) {
      const std::uint64_t size = c.checkpoint.size;
      VerifyProblem p{.checkpoint = c.id, .external = c.label};
      if (size > report_.size) {
        p.entry = report_.size;
        p.message = "it signs " + std::to_string(size) + " entries but the ledger has " + std::to_string(report_.size) +
                    ": entries " + std::to_string(report_.size) + " to " + std::to_string(size - 1) + " were deleted";
        if (!scan_complete_)
          p.message = "it signs " + std::to_string(size) + " entries but only " + std::to_string(report_.size) +
                      " could be read";
        add(std::move(p));
        continue;
      }
      proof::Hash root;
      if (size < options_.from) {
        root = tree_root([&](const PerfectSubtree& t) { return store_.subtree(t); }, size);
      } else {
        root = *claimed_sizes_.at(size);
      }
      if (root == c.checkpoint.root) {
        last_matching = std::max(last_matching, size);
        continue;
      }
      p.entry = last_matching;
      p.entry_end = size;
      p.message = "the ledger contradicts it: the first " + std::to_string(size) + " entries hash to " +
                  proof::to_hex(root) + ", it signed " + proof::to_hex(c.checkpoint.root) + "; an entry from " +
                  std::to_string(last_matching) + " to " + std::to_string(size - 1) +
                  " was changed, inserted, removed or reordered after it was signed";
      add(std::move(p));
    }
  }

  LedgerStore& store_;
  const VerifyOptions& options_;
  VerifyReport report_;
  std::vector<Claim> claims_;
  std::vector<std::string> origins_;
  std::map<std::uint64_t, std::optional<proof::Hash>> claimed_sizes_;
  bool scan_complete_ = true;  // false when the entries could not all be read
};

}  // namespace

std::optional<std::uint64_t> VerifyReport::first_bad_entry() const {
  std::optional<std::uint64_t> exact, bound;
  for (const VerifyProblem& p : problems) {
    std::optional<std::uint64_t>& first = p.entry_end ? bound : exact;
    if (p.entry && (!first || *p.entry < *first)) first = p.entry;
  }
  return exact ? exact : bound;
}

std::string VerifyReport::describe_in_file(const VerifyProblem& p) const {
  if (p.checkpoint) return "checkpoint #" + std::to_string(*p.checkpoint) + ": " + p.message;
  if (p.entry && p.external.empty()) return "entry " + std::to_string(*p.entry) + ": " + p.message;
  return p.message;
}

std::string VerifyReport::describe(const VerifyProblem& p) const {
  return (p.external.empty() ? file.string() : p.external) + ": " + describe_in_file(p);
}

VerifyReport verify_store(LedgerStore& store, const VerifyOptions& options) {
  return Verifier(store, options).run();
}

}  // namespace qontos::ledger
