// Transparency-log checkpoints (https://c2sp.org/tlog-checkpoint): the text of a signed note
// that commits to a tree head,
//   <origin>\n<tree size, decimal>\n<base64 root hash>\n[extension lines]
// The ledger signs one with Ed25519 under the key name equal to its origin.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/note.h"
#include "proof/merkle.h"

namespace qontos::ledger {

struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  proof::Hash root{};
  std::vector<std::string> extensions;  // opaque; the ledger writes none
};

/// The checkpoint's note text (ending in a newline).
std::string checkpoint_text(const Checkpoint& checkpoint);

/// Parses a note text as a checkpoint; throws NoteError naming the line when it is not one
/// (fewer than three lines, an empty origin, a size with a sign or leading zero or too large,
/// a root that is not the base64 of 32 bytes, an empty extension line).
Checkpoint parse_checkpoint(std::string_view text);

/// A checkpoint of `size` entries with root `root`, signed as a note by `key` under the key name
/// `origin` (which must be a valid key name). Returns the note's wire form.
std::string sign_checkpoint_note(const Checkpoint& checkpoint, const proof::SigningKey& key);

}  // namespace qontos::ledger
