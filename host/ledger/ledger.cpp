// The audit ledger declared in ledger.h: group commit, the compact range appends extend, and
// reads, proofs and checkpoints over the stored hashes.
#include "ledger/ledger.h"

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "ledger/tree_proofs.h"

namespace qontos::ledger {
namespace {

std::string hash_bytes(const proof::Hash& h) {
  return std::string(reinterpret_cast<const char*>(h.data()), h.size());
}

/// One caller's entries waiting for the next group commit.
struct PendingAppend {
  const NewEntry* entries = nullptr;
  std::size_t count = 0;
  std::uint64_t first_index = 0;
  std::exception_ptr error;
  bool done = false;
};

}  // namespace

struct Ledger::Impl {
  Impl(const std::filesystem::path& path, bool create) : store(path, create) {}

  // Guards the connection and everything below it.
  std::mutex db_mutex;
  LedgerStore store;
  std::optional<CompactRange> range;  // the committed tree as this process last saw it
  std::string last_time;              // the newest entry's time: times never go back

  // The group-commit queue: the first waiting caller commits everything queued.
  std::mutex queue_mutex;
  std::condition_variable queue_cv;
  std::vector<PendingAppend*> queue;
  bool committing = false;

  std::uint64_t submit(PendingAppend& pending);
  void commit_group(const std::vector<PendingAppend*>& group);
  void sync_range();
  SubtreeLookup lookup() {
    return [this](const PerfectSubtree& t) { return store.subtree(t); };
  }
  Entry to_entry(const StoredRow& row);
  void check_tree_size(std::uint64_t tree_size);
};

std::uint64_t Ledger::Impl::submit(PendingAppend& pending) {
  std::unique_lock lock(queue_mutex);
  queue.push_back(&pending);
  while (!pending.done) {
    if (committing) {
      queue_cv.wait(lock);
      continue;
    }
    // Lead: take everything queued so far (this caller's entries among them) into one commit.
    committing = true;
    std::vector<PendingAppend*> group;
    group.swap(queue);
    lock.unlock();
    commit_group(group);
    lock.lock();
    committing = false;
    for (PendingAppend* p : group) p->done = true;
    queue_cv.notify_all();
  }
  if (pending.error) std::rethrow_exception(pending.error);
  return pending.first_index;
}

void Ledger::Impl::sync_range() {
  const std::uint64_t n = store.size();
  if (range && range->size() == n) return;
  // First append, or another process appended since: take the right edge from the file.
  range = store.compact_range(n);
  last_time.clear();
  if (n > 0) {
    const auto last = store.row(n - 1);
    if (!last) throw LedgerError(store.path(), "missing (deleted?); run 'qontos ledger verify'", n - 1);
    last_time = last->time;
  }
}

void Ledger::Impl::commit_group(const std::vector<PendingAppend*>& group) {
  std::lock_guard db_lock(db_mutex);
  try {
    LedgerStore::Transaction transaction(store, true);
    sync_range();
    // One time for the whole group, never earlier than the last entry's (the clock may step back).
    const std::string time = std::max(utc_timestamp(std::chrono::system_clock::now()), last_time);
    std::vector<proof::Hash> completed;
    StoredRow row;
    for (PendingAppend* p : group) {
      p->first_index = range->size();
      for (std::size_t i = 0; i < p->count; ++i) {
        const NewEntry& e = p->entries[i];
        row.index = range->size();
        row.time = time;
        row.kind = kind_name(e.kind);
        row.actor = e.actor;
        row.payload_hash = hash_bytes(e.payload_hash);
        row.payload = e.payload;
        const proof::Hash leaf = entry_leaf_hash(row.index, time, e.kind, e.actor, e.payload_hash);
        row.leaf_hash = hash_bytes(leaf);
        range->append(leaf, completed);
        row.subtree_hashes.clear();
        for (const proof::Hash& h : completed) row.subtree_hashes += hash_bytes(h);
        store.insert(row);
      }
    }
    transaction.commit();
    last_time = time;
  } catch (...) {
    range.reset();  // the in-memory edge may hold rows that were rolled back: reread it next time
    for (PendingAppend* p : group) p->error = std::current_exception();
  }
}

Entry Ledger::Impl::to_entry(const StoredRow& r) {
  Entry e;
  e.index = r.index;
  e.time = r.time;
  const auto kind = parse_kind(r.kind);
  if (!kind) throw LedgerError(store.path(), "unknown kind '" + r.kind + "'; run 'qontos ledger verify'", r.index);
  e.kind = *kind;
  e.actor = r.actor;
  if (r.payload_hash.size() != 32 || r.leaf_hash.size() != 32)
    throw LedgerError(store.path(), "its stored hashes are damaged; run 'qontos ledger verify'", r.index);
  std::copy(r.payload_hash.begin(), r.payload_hash.end(), e.payload_hash.begin());
  std::copy(r.leaf_hash.begin(), r.leaf_hash.end(), e.leaf_hash.begin());
  e.payload = r.payload;
  return e;
}

void Ledger::Impl::check_tree_size(std::uint64_t tree_size) {
  const std::uint64_t n = store.size();
  if (tree_size > n)
    throw LedgerError(store.path(), "there is no tree of " + std::to_string(tree_size) + " entries: the ledger has " +
                                        std::to_string(n));
}

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Ledger::Ledger(Ledger&&) noexcept = default;
Ledger& Ledger::operator=(Ledger&&) noexcept = default;
Ledger::~Ledger() = default;

Ledger Ledger::open(const std::filesystem::path& path, Mode mode) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  if (!exists && mode == Mode::kOpenExisting) throw LedgerError(path, "no ledger here (the file does not exist)");
  if (std::filesystem::is_directory(path, ec)) throw LedgerError(path, "a directory, not a ledger file");
  if (!exists && path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  return Ledger(std::make_unique<Impl>(path, mode == Mode::kCreateIfMissing));
}

const std::filesystem::path& Ledger::path() const {
  return impl_->store.path();
}

std::string Ledger::origin() const {
  std::lock_guard lock(impl_->db_mutex);
  return impl_->store.meta("origin");
}

std::uint64_t Ledger::append(EntryKind kind, std::string_view actor, std::string_view payload) {
  return append(NewEntry::with_payload(kind, std::string(actor), std::string(payload)));
}

std::uint64_t Ledger::append(const NewEntry& entry) {
  return append_batch(std::vector<NewEntry>{entry});
}

std::uint64_t Ledger::append_batch(const std::vector<NewEntry>& entries) {
  // Refuse a bad entry here, in its caller's thread, so it cannot fail other callers' group.
  for (const NewEntry& e : entries) {
    if (const auto why = actor_problem(e.actor)) throw std::invalid_argument("cannot append to the ledger: " + *why);
    if (static_cast<std::size_t>(e.kind) > static_cast<std::size_t>(EntryKind::kKey))
      throw std::invalid_argument("cannot append to the ledger: unknown entry kind");
  }
  if (entries.empty()) return size();
  PendingAppend pending;
  pending.entries = entries.data();
  pending.count = entries.size();
  return impl_->submit(pending);
}

std::uint64_t Ledger::size() const {
  std::lock_guard lock(impl_->db_mutex);
  return impl_->store.size();
}

Entry Ledger::entry(std::uint64_t index) const {
  std::lock_guard lock(impl_->db_mutex);
  const auto row = impl_->store.row(index);
  if (!row) {
    const std::uint64_t n = impl_->store.size();
    if (index < n) throw LedgerError(path(), "missing (deleted?); run 'qontos ledger verify'", index);
    throw LedgerError(path(),
                      "no such entry: the ledger has " + std::to_string(n) + " entries" +
                          (n ? " (0 to " + std::to_string(n - 1) + ")" : std::string()),
                      index);
  }
  return impl_->to_entry(*row);
}

void Ledger::for_each_entry(std::uint64_t from, std::uint64_t count,
                            const std::function<void(const Entry&)>& visit) const {
  // In chunks, so `visit` runs without the lock and may itself use the ledger.
  constexpr std::uint64_t kChunk = 1024;
  std::uint64_t next = from, left = count;
  while (left > 0) {
    std::vector<Entry> chunk;
    {
      std::lock_guard lock(impl_->db_mutex);
      impl_->store.scan(next, [&](const StoredRow& r) {
        if (r.index != next) throw LedgerError(path(), "missing (deleted?); run 'qontos ledger verify'", next);
        chunk.push_back(impl_->to_entry(r));
        ++next;
        return chunk.size() < std::min(left, kChunk);
      });
    }
    if (chunk.empty()) return;
    left -= chunk.size();
    for (const Entry& e : chunk) visit(e);
  }
}

proof::Hash Ledger::leaf_hash(std::uint64_t index) const {
  return entry(index).leaf_hash;
}

proof::Hash Ledger::root() const {
  std::lock_guard lock(impl_->db_mutex);
  return tree_root(impl_->lookup(), impl_->store.size());
}

proof::Hash Ledger::root(std::uint64_t tree_size) const {
  std::lock_guard lock(impl_->db_mutex);
  impl_->check_tree_size(tree_size);
  return tree_root(impl_->lookup(), tree_size);
}

std::vector<proof::Hash> Ledger::inclusion_proof(std::uint64_t index, std::uint64_t tree_size) const {
  std::lock_guard lock(impl_->db_mutex);
  impl_->check_tree_size(tree_size);
  if (index >= tree_size)
    throw LedgerError(path(), "not in the tree of the first " + std::to_string(tree_size) + " entries", index);
  return inclusion_path(impl_->lookup(), index, tree_size);
}

std::vector<proof::Hash> Ledger::consistency_proof(std::uint64_t old_size, std::uint64_t new_size) const {
  std::lock_guard lock(impl_->db_mutex);
  impl_->check_tree_size(new_size);
  if (old_size == 0 || old_size > new_size)
    throw LedgerError(path(), "no consistency proof from " + std::to_string(old_size) + " to " +
                                  std::to_string(new_size) + " entries (need 0 < from <= to)");
  return consistency_path(impl_->lookup(), old_size, new_size);
}

Ledger::SignedCheckpoint Ledger::sign_checkpoint(const proof::SigningKey& key, const std::string& origin) {
  std::lock_guard lock(impl_->db_mutex);
  LedgerStore& store = impl_->store;
  Checkpoint checkpoint;
  checkpoint.origin = origin.empty() ? store.meta("origin") : origin;
  if (!is_valid_key_name(checkpoint.origin))
    throw std::invalid_argument("'" + checkpoint.origin + "' cannot be a checkpoint origin (it must be non-empty, " +
                                "without spaces or '+')");
  // Entries up to the largest checkpoint the stored tree still matches were verified when it was
  // signed; verify the rest (and every stored checkpoint against the tree) before signing more.
  VerifyOptions options;
  const std::uint64_t n = store.size();
  for (const StoredCheckpoint& c : store.checkpoints()) {
    try {
      const Checkpoint signed_one = parse_checkpoint(parse_note(c.note).text);
      if (signed_one.size <= n && signed_one.size > options.from &&
          tree_root(impl_->lookup(), signed_one.size) == signed_one.root)
        options.from = signed_one.size;
    } catch (const std::exception&) {
      // A damaged checkpoint or tree: the verification below names it.
    }
  }
  const VerifyReport report = verify_store(store, options);
  if (!report.ok())
    throw LedgerError(path(), "refusing to sign a checkpoint: " + report.describe_in_file(report.problems.front()) +
                                  " (run 'qontos ledger verify')");
  checkpoint.size = report.size;
  checkpoint.root = report.root;
  SignedCheckpoint out;
  out.checkpoint = checkpoint;
  out.note = sign_checkpoint_note(checkpoint, key);
  StoredCheckpoint stored;
  stored.tree_size = checkpoint.size;
  stored.time = utc_timestamp(std::chrono::system_clock::now());
  stored.public_key.assign(reinterpret_cast<const char*>(key.public_key.data()), key.public_key.size());
  stored.note = out.note;
  LedgerStore::Transaction transaction(store, true);
  out.id = store.insert_checkpoint(stored);
  transaction.commit();
  return out;
}

std::vector<StoredCheckpoint> Ledger::checkpoints() const {
  std::lock_guard lock(impl_->db_mutex);
  return impl_->store.checkpoints();
}

VerifyReport Ledger::verify(const VerifyOptions& options) const {
  std::lock_guard lock(impl_->db_mutex);
  return verify_store(impl_->store, options);
}

}  // namespace qontos::ledger
