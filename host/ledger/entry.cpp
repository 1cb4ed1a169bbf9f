// Entry kinds, the leaf encoding and timestamps declared in entry.h.
#include "ledger/entry.h"

#include <sodium.h>

#include <array>
#include <ctime>

namespace qontos::ledger {
namespace {

constexpr std::array<std::string_view, 4> kKindNames = {"submission", "policy", "proof", "key"};

void put_uint(std::string& out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

void put_string(std::string& out, std::string_view s) {
  put_uint(out, s.size(), 4);
  out.append(s);
}

bool digits(std::string_view s, std::size_t at, std::size_t n, int& value) {
  value = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    value = value * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

std::string_view kind_name(EntryKind kind) {
  return kKindNames[static_cast<std::size_t>(kind)];
}

std::optional<EntryKind> parse_kind(std::string_view name) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i)
    if (kKindNames[i] == name) return static_cast<EntryKind>(i);
  return std::nullopt;
}

NewEntry NewEntry::with_payload(EntryKind kind, std::string actor, std::string payload) {
  NewEntry e;
  e.kind = kind;
  e.actor = std::move(actor);
  e.payload_hash = sha256(payload);
  e.payload = std::move(payload);
  return e;
}

NewEntry NewEntry::hash_only(EntryKind kind, std::string actor, const proof::Hash& payload_hash) {
  NewEntry e;
  e.kind = kind;
  e.actor = std::move(actor);
  e.payload_hash = payload_hash;
  return e;
}

proof::Hash sha256(std::string_view bytes) {
  proof::Hash h;
  crypto_hash_sha256(h.data(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return h;
}

std::string leaf_data(std::uint64_t index, std::string_view time, EntryKind kind, std::string_view actor,
                      const proof::Hash& payload_hash) {
  return leaf_data(index, time, kind_name(kind), actor, payload_hash);
}

std::string leaf_data(std::uint64_t index, std::string_view time, std::string_view kind, std::string_view actor,
                      const proof::Hash& payload_hash) {
  std::string out;
  out.reserve(1 + 8 + 12 + time.size() + kind.size() + actor.size() + 32);
  out += '\x01';
  put_uint(out, index, 8);
  put_string(out, time);
  put_string(out, kind);
  put_string(out, actor);
  out.append(reinterpret_cast<const char*>(payload_hash.data()), payload_hash.size());
  return out;
}

proof::Hash entry_leaf_hash(std::uint64_t index, std::string_view time, EntryKind kind, std::string_view actor,
                            const proof::Hash& payload_hash) {
  return proof::leaf_hash(leaf_data(index, time, kind, actor, payload_hash));
}

std::string utc_timestamp(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto micros = duration_cast<microseconds>(time.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
  long fraction = static_cast<long>(micros % 1000000);
  if (fraction < 0) {  // before 1970: floor, not truncate
    fraction += 1000000;
    --seconds;
  }
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];  // room for any int year, though it is always 4 digits here
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, fraction);
  return buf;
}

bool is_utc_timestamp(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS.ffffffZ
  if (s.size() != 27 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' ||
      s[26] != 'Z')
    return false;
  int year, month, day, hour, minute, second, micro;
  if (!digits(s, 0, 4, year) || !digits(s, 5, 2, month) || !digits(s, 8, 2, day) || !digits(s, 11, 2, hour) ||
      !digits(s, 14, 2, minute) || !digits(s, 17, 2, second) || !digits(s, 20, 6, micro))
    return false;
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1]) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && day == 29 && !leap) return false;
  return hour < 24 && minute < 60 && second < 60;
}

std::optional<std::string> actor_problem(std::string_view actor) {
  if (actor.empty()) return "the actor is empty";
  if (actor.size() > 1024) return "the actor is longer than 1024 bytes";
  for (char c : actor)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "the actor holds a control character";
  return std::nullopt;
}

}  // namespace qontos::ledger
