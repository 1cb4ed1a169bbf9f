// Checkpoint bodies (c2sp.org/tlog-checkpoint): the exact text, round trips, the malformed bodies
// a verifier must refuse, and a signed checkpoint that verifies only with its own key.
#include "ledger/checkpoint.h"

#include <gtest/gtest.h>

namespace qontos::ledger {
namespace {

proof::Hash root_of(std::string_view s) {
  return proof::leaf_hash(s);
}

TEST(Checkpoint, TextIsOriginSizeAndBase64Root) {
  Checkpoint c{"example.com/log", 20852163, *proof::from_hex(std::string(64, '0')), {}};
  EXPECT_EQ(checkpoint_text(c), "example.com/log\n20852163\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
  c.extensions = {"ext one"};
  EXPECT_EQ(checkpoint_text(c), "example.com/log\n20852163\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\next one\n");
}

TEST(Checkpoint, ParsesTheC2spExample) {
  const Checkpoint c =
      parse_checkpoint("example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  EXPECT_EQ(c.origin, "example.com/behind-the-sofa");
  EXPECT_EQ(c.size, 20852163u);
  EXPECT_EQ(proof::to_hex(c.root), "0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62");
  EXPECT_TRUE(c.extensions.empty());
}

TEST(Checkpoint, RoundTrips) {
  const Checkpoint c{"qontos/ledger/abc", 0, root_of("x"), {"a", "b"}};
  const Checkpoint back = parse_checkpoint(checkpoint_text(c));
  EXPECT_EQ(back.origin, c.origin);
  EXPECT_EQ(back.size, 0u);
  EXPECT_EQ(back.root, c.root);
  EXPECT_EQ(back.extensions, c.extensions);
}

TEST(Checkpoint, MalformedBodiesAreRefusedWithTheLine) {
  const std::string root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
  auto refuse = [](const std::string& text, const std::string& fragment) {
    try {
      parse_checkpoint(text);
      ADD_FAILURE() << "accepted: " << text;
    } catch (const NoteError& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  refuse("o\n12\n", "three lines");
  refuse("\n12\n" + root + "\n", "line 1");
  refuse("o\n012\n" + root + "\n", "line 2");
  refuse("o\n-1\n" + root + "\n", "line 2");
  refuse("o\n18446744073709551616\n" + root + "\n", "too large");
  refuse("o\n12\nAAAA\n", "line 3");
  refuse("o\n12\n" + root + "\n\nx\n", "line 4");
  refuse("o\n12\n" + root, "end in a newline");
  EXPECT_EQ(parse_checkpoint("o\n18446744073709551615\n" + root + "\n").size, UINT64_MAX);
}

TEST(Checkpoint, SignedCheckpointVerifiesWithItsKeyOnly) {
  const proof::SigningKey key = proof::key_from_seed(*proof::parse_hex<32>(std::string(64, '1')));
  const proof::SigningKey other = proof::key_from_seed(*proof::parse_hex<32>(std::string(64, '2')));
  const Checkpoint c{"qontos/ledger/test", 42, root_of("r"), {}};
  const std::string wire = sign_checkpoint_note(c, key);
  EXPECT_EQ(wire.rfind(checkpoint_text(c) + "\n\xE2\x80\x94 qontos/ledger/test ", 0), 0u) << wire;
  const Note note = parse_note(wire);
  EXPECT_TRUE(verify_note(note, {key.public_key}).ok);
  EXPECT_FALSE(verify_note(note, {other.public_key}).ok);
  EXPECT_EQ(parse_checkpoint(note.text).size, 42u);
  EXPECT_THROW(sign_checkpoint_note({"bad origin", 1, root_of("r"), {}}, key), NoteError);
}

}  // namespace
}  // namespace qontos::ledger
