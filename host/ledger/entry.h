// What one ledger entry records (kind, actor, UTC time, the SHA-256 of its payload and, when kept,
// the payload itself) and the stable byte encoding of an entry that becomes its RFC 9162 Merkle
// leaf. The encoding is version 1 of docs/formats/ledger.md; changing it changes every leaf.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "proof/merkle.h"

namespace qontos::ledger {

/// What an entry is about. The names are stored and hashed; never rename one.
enum class EntryKind { kSubmission, kPolicy, kProof, kKey };

std::string_view kind_name(EntryKind kind);  // "submission", "policy", "proof", "key"
std::optional<EntryKind> parse_kind(std::string_view name);

/// An entry to append. The ledger assigns its index and time.
struct NewEntry {
  EntryKind kind = EntryKind::kSubmission;
  std::string actor;
  proof::Hash payload_hash{};
  std::optional<std::string> payload;  // kept in the ledger when set

  /// An entry keeping `payload` and its hash.
  static NewEntry with_payload(EntryKind kind, std::string actor, std::string payload);
  /// An entry recording only the hash of a payload kept elsewhere.
  static NewEntry hash_only(EntryKind kind, std::string actor, const proof::Hash& payload_hash);
};

/// An entry as stored.
struct Entry {
  std::uint64_t index = 0;
  std::string time;  // RFC 3339 UTC with microseconds, e.g. 2025-01-31T12:00:00.000001Z
  EntryKind kind = EntryKind::kSubmission;
  std::string actor;
  proof::Hash payload_hash{};
  std::optional<std::string> payload;
  proof::Hash leaf_hash{};
};

proof::Hash sha256(std::string_view bytes);

/// The leaf data of an entry (hashed as RFC 9162 leaf_hash = SHA-256(0x00 || leaf data)):
///   0x01 (encoding version) || uint64 index || str(time) || str(kind name) || str(actor) ||
///   payload hash (32 bytes), where integers are big-endian and str(s) = uint32 length || bytes.
/// Every field is length-prefixed, so no two different entries encode to the same bytes.
std::string leaf_data(std::uint64_t index, std::string_view time, EntryKind kind, std::string_view actor,
                      const proof::Hash& payload_hash);
/// The same with the kind as stored text (verification recomputes leaves of rows whatever kind
/// they claim).
std::string leaf_data(std::uint64_t index, std::string_view time, std::string_view kind, std::string_view actor,
                      const proof::Hash& payload_hash);
proof::Hash entry_leaf_hash(std::uint64_t index, std::string_view time, EntryKind kind, std::string_view actor,
                            const proof::Hash& payload_hash);

/// `time` as fixed-width RFC 3339 UTC with microseconds (27 characters), so the stored times
/// sort as text in time order.
std::string utc_timestamp(std::chrono::system_clock::time_point time);
/// Whether `text` is a timestamp as utc_timestamp writes it (a real date and time).
bool is_utc_timestamp(std::string_view text);

/// Why `actor` cannot be recorded (empty, longer than 1024 bytes, or holding control characters),
/// or nullopt when it can.
std::optional<std::string> actor_problem(std::string_view actor);

}  // namespace qontos::ledger
