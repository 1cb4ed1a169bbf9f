// The entry encoding is a compatibility promise: a golden leaf, every field changing the leaf,
// length prefixes keeping fields apart, timestamps that sort as text, and actor rules.
#include "ledger/entry.h"

#include <gtest/gtest.h>

namespace qontos::ledger {
namespace {

proof::Hash hash_of(char c) {
  proof::Hash h;
  h.fill(static_cast<std::uint8_t>(c));
  return h;
}

TEST(Entry, KindNamesRoundTrip) {
  for (EntryKind k : {EntryKind::kSubmission, EntryKind::kPolicy, EntryKind::kProof, EntryKind::kKey})
    EXPECT_EQ(parse_kind(kind_name(k)), k);
  EXPECT_EQ(kind_name(EntryKind::kSubmission), "submission");
  EXPECT_EQ(kind_name(EntryKind::kKey), "key");
  EXPECT_FALSE(parse_kind("Submission"));
  EXPECT_FALSE(parse_kind(""));
}

TEST(Entry, LeafDataIsTheDocumentedEncoding) {
  const std::string data = leaf_data(258, "2025-01-02T03:04:05.000006Z", EntryKind::kProof, "ann", hash_of('\x11'));
  std::string expected("\x01", 1);
  expected += std::string("\x00\x00\x00\x00\x00\x00\x01\x02", 8);
  expected += std::string("\x00\x00\x00\x1b", 4) + "2025-01-02T03:04:05.000006Z";
  expected += std::string("\x00\x00\x00\x05", 4) + "proof";
  expected += std::string("\x00\x00\x00\x03", 4) + "ann";
  expected += std::string(32, '\x11');
  EXPECT_EQ(data, expected);
  EXPECT_EQ(entry_leaf_hash(258, "2025-01-02T03:04:05.000006Z", EntryKind::kProof, "ann", hash_of('\x11')),
            proof::leaf_hash(expected));
  // Pinned (computed independently with Python's hashlib): a change to the encoding must be
  // deliberate, since it changes every ledger's leaves.
  EXPECT_EQ(proof::to_hex(proof::leaf_hash(data)), "3b8db7cd0c1feb20142a5cae6dcdcf105de868d6e209d2610b0eeedf78dc1d66");
}

TEST(Entry, EveryFieldChangesTheLeaf) {
  const std::string t = "2025-01-02T03:04:05.000006Z";
  const proof::Hash base = entry_leaf_hash(7, t, EntryKind::kPolicy, "bob", hash_of('a'));
  EXPECT_NE(base, entry_leaf_hash(8, t, EntryKind::kPolicy, "bob", hash_of('a')));
  EXPECT_NE(base, entry_leaf_hash(7, "2025-01-02T03:04:05.000007Z", EntryKind::kPolicy, "bob", hash_of('a')));
  EXPECT_NE(base, entry_leaf_hash(7, t, EntryKind::kKey, "bob", hash_of('a')));
  EXPECT_NE(base, entry_leaf_hash(7, t, EntryKind::kPolicy, "bob2", hash_of('a')));
  EXPECT_NE(base, entry_leaf_hash(7, t, EntryKind::kPolicy, "bob", hash_of('b')));
  // Length prefixes: moving bytes between the kind and the actor gives a different leaf.
  EXPECT_NE(leaf_data(7, t, std::string_view("keyx"), "y", hash_of('a')),
            leaf_data(7, t, std::string_view("key"), "xy", hash_of('a')));
}

TEST(Entry, TimestampsAreFixedWidthUtcAndSortAsText) {
  using namespace std::chrono;
  const system_clock::time_point t0{seconds{1735786800} + microseconds{42}};  // 2025-01-02T03:00:00
  EXPECT_EQ(utc_timestamp(t0), "2025-01-02T03:00:00.000042Z");
  EXPECT_EQ(utc_timestamp(system_clock::time_point{}), "1970-01-01T00:00:00.000000Z");
  EXPECT_LT(utc_timestamp(t0), utc_timestamp(t0 + microseconds{1}));
  EXPECT_LT(utc_timestamp(t0 + seconds{9}), utc_timestamp(t0 + seconds{10}));
  EXPECT_TRUE(is_utc_timestamp(utc_timestamp(system_clock::now())));
  for (const char* bad : {"2025-01-02T03:00:00Z", "2025-13-02T03:00:00.000000Z", "2025-02-30T03:00:00.000000Z",
                          "2023-02-29T03:00:00.000000Z", "2025-01-02 03:00:00.000000Z", "2025-01-02T24:00:00.000000Z",
                          "2025-01-02T03:00:00.00000xZ", ""})
    EXPECT_FALSE(is_utc_timestamp(bad)) << bad;
  EXPECT_TRUE(is_utc_timestamp("2024-02-29T23:59:59.999999Z"));
}

TEST(Entry, ActorsAreNonEmptyPrintableAndBounded) {
  EXPECT_FALSE(actor_problem("alice@lab-host"));
  EXPECT_FALSE(actor_problem("José"));
  EXPECT_TRUE(actor_problem(""));
  EXPECT_TRUE(actor_problem("a\nb"));
  EXPECT_TRUE(actor_problem(std::string(1025, 'a')));
}

TEST(Entry, NewEntryHashesItsPayload) {
  const NewEntry e = NewEntry::with_payload(EntryKind::kSubmission, "alice", "payload");
  EXPECT_EQ(e.payload_hash, sha256("payload"));
  EXPECT_EQ(proof::to_hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const NewEntry h = NewEntry::hash_only(EntryKind::kProof, "bob", hash_of('z'));
  EXPECT_FALSE(h.payload);
  EXPECT_EQ(h.payload_hash, hash_of('z'));
}

}  // namespace
}  // namespace qontos::ledger
