// C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 signatures: a text ending in a
// newline, a blank line, then one line per signature,
//   — <key name> base64(uint32 key id || 64-byte Ed25519 signature of the text)
// where the key id is the first four bytes (big-endian) of
// SHA-256(key name || 0x0A || 0x01 || 32-byte public key). Checkpoints travel in this envelope.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/base64.h"
#include "proof/keys.h"
#include "proof/signing.h"

namespace qontos::ledger {

/// A note that does not follow the format; the message names the line.
struct NoteError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct NoteSignature {
  std::string key_name;
  std::uint32_t key_id = 0;
  std::string signature;  // the bytes after the key id: 64 for Ed25519
};

struct Note {
  std::string text;  // including its final newline
  std::vector<NoteSignature> signatures;
};

/// Key names are non-empty and hold no space, no control character and no '+'.
bool is_valid_key_name(std::string_view name);

std::uint32_t note_key_id(std::string_view key_name, const proof::PublicKey& public_key);

/// Signs `text` (which must end in a newline and hold no blank line) as `key_name`.
/// Throws NoteError for a text or name the format cannot carry.
NoteSignature sign_note_text(std::string_view text, std::string_view key_name, const proof::SigningKey& key);

/// The note's wire form: text, blank line, signature lines.
std::string format_note(const Note& note);

/// Parses a note's wire form; throws NoteError (with the line number) when it is malformed.
/// Does not check any signature.
Note parse_note(std::string_view wire);

struct NoteVerification {
  bool ok = false;
  std::string key_name;  // the trusted key's name when ok
  std::string message;   // why not, when not ok
};

/// Checks a note against trusted keys as the specification asks: a signature whose (name, key id)
/// matches a trusted key must verify, or the whole note is rejected; signatures by unknown keys
/// are ignored; at least one trusted signature must verify.
NoteVerification verify_note(const Note& note, const std::vector<proof::PublicKey>& trusted_keys);

using qontos::base64_decode;
using qontos::base64_encode;

}  // namespace qontos::ledger
