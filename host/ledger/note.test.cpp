// C2SP signed notes: the published example of Go's sumdb/note package (golang.org/x/mod) as an
// interoperability vector (same key, same text, byte-identical signature line), then the rules a
// verifier must follow and the malformed notes a parser must refuse.
#include "ledger/note.h"

#include <gtest/gtest.h>

namespace qontos::ledger {
namespace {

// golang.org/x/mod/sumdb/note's documented example: the signer key
// "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz" holds the seed
// below after the algorithm byte 0x01; its verifier key holds the public key.
constexpr const char* kSeedHex = "810a1402d5146c8d84f2443330f54080ebf98ee17d9c74f6252fc5d5c7283173";
constexpr const char* kPublicKeyHex = "1a5cd907143c384c41e830c5bce12aa8817ec5649aaabf2c31388b35b2d744d6";
constexpr const char* kText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr const char* kSignedNote =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

proof::SigningKey peter() {
  return proof::key_from_seed(*proof::parse_hex<32>(kSeedHex));
}

TEST(Note, SignsExactlyAsGoSumdbNote) {
  const proof::SigningKey key = peter();
  EXPECT_EQ(proof::hex(key.public_key), kPublicKeyHex);
  EXPECT_EQ(note_key_id("PeterNeumann", key.public_key), 0xc74f20a3u);
  Note note{kText, {sign_note_text(kText, "PeterNeumann", key)}};
  EXPECT_EQ(format_note(note), kSignedNote);
}

TEST(Note, ParsesAndVerifiesTheGoExample) {
  const Note note = parse_note(kSignedNote);
  EXPECT_EQ(note.text, kText);
  ASSERT_EQ(note.signatures.size(), 1u);
  EXPECT_EQ(note.signatures[0].key_name, "PeterNeumann");
  EXPECT_EQ(note.signatures[0].key_id, 0xc74f20a3u);
  EXPECT_EQ(note.signatures[0].signature.size(), 64u);
  const NoteVerification v = verify_note(note, {peter().public_key});
  EXPECT_TRUE(v.ok) << v.message;
  EXPECT_EQ(v.key_name, "PeterNeumann");
}

TEST(Note, AnAlteredTextFailsAndIsRejected) {
  std::string altered = kSignedNote;
  altered.replace(altered.find("cryptography"), 12, "cryptographY");
  const NoteVerification v = verify_note(parse_note(altered), {peter().public_key});
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.message.find("does not verify"), std::string::npos) << v.message;
}

TEST(Note, UnknownKeysAreIgnoredButOneTrustedSignatureIsNeeded) {
  const proof::SigningKey other = proof::key_from_seed(*proof::parse_hex<32>(std::string(64, '7')));
  Note note{kText, {sign_note_text(kText, "someone-else", other), sign_note_text(kText, "PeterNeumann", peter())}};
  const Note parsed = parse_note(format_note(note));
  EXPECT_TRUE(verify_note(parsed, {peter().public_key}).ok);  // the unknown signer is skipped
  const NoteVerification none = verify_note(parsed, {});
  EXPECT_FALSE(none.ok);
  EXPECT_NE(none.message.find("no signature by a trusted key"), std::string::npos);
  // Same key under another name is a different (unknown) key: its id differs.
  Note renamed{kText, {sign_note_text(kText, "PeterNeumann2", peter())}};
  renamed.signatures[0].key_name = "PeterNeumann";
  EXPECT_FALSE(verify_note(parse_note(format_note(renamed)), {peter().public_key}).ok);
}

TEST(Note, MalformedNotesAreRefusedWithTheLine) {
  auto refuse = [](const std::string& wire, const std::string& fragment) {
    try {
      parse_note(wire);
      ADD_FAILURE() << "accepted: " << wire;
    } catch (const NoteError& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  const std::string sig =
      "\xE2\x80\x94 PeterNeumann "
      "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
  refuse(std::string(kText) + sig, "no blank line");
  refuse(std::string(kText) + "\n", "no signature lines");
  refuse(std::string(kText) + "\n- PeterNeumann AAAA\n", "line 4: a signature line must start with an em dash");
  refuse(std::string(kText) + "\n" + sig.substr(0, sig.size() - 1), "does not end in a newline");
  refuse(std::string(kText) + "\n\xE2\x80\x94 PeterNeumann not*base64\n", "not valid base64");
  refuse(std::string(kText) + "\n\xE2\x80\x94 PeterNeumann AAAA\n", "shorter than a key id");
  refuse(std::string(kText) +
             "\n\xE2\x80\x94 Peter+Neumann "
             "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
         "invalid key name");
  refuse("text\twith tab\n\n" + sig, "line 1: control character");
  refuse("bad \xC3\x28 utf8\n\n" + sig, "not valid UTF-8");
}

TEST(Note, SigningRefusesTextsTheFormatCannotCarry) {
  EXPECT_THROW(sign_note_text("no newline", "k", peter()), NoteError);
  EXPECT_THROW(sign_note_text("a\n\nb\n", "k", peter()), NoteError);
  EXPECT_THROW(sign_note_text("a\n", "has space", peter()), NoteError);
  EXPECT_THROW(sign_note_text("a\n", "", peter()), NoteError);
  EXPECT_THROW(sign_note_text("a\n", "no\xE3\x80\x80wide-space", peter()), NoteError);
  EXPECT_NO_THROW(sign_note_text("a\n", "example.com/log", peter()));
}

TEST(Note, Base64IsStrictStandardWithPadding) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_decode("Zm9vYg=="), "foob");
  EXPECT_FALSE(base64_decode("Zm9vYg"));    // no padding
  EXPECT_FALSE(base64_decode("Zm9vYh=="));  // non-zero unused bits
  EXPECT_FALSE(base64_decode("Zm9v_g=="));  // URL alphabet
  EXPECT_FALSE(base64_decode("Zm9v Yg=="));
}

}  // namespace
}  // namespace qontos::ledger
