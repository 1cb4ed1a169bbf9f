// Transparency-log checkpoints, declared in checkpoint.h.
#include "ledger/checkpoint.h"

#include <algorithm>

namespace qontos::ledger {

std::string checkpoint_text(const Checkpoint& c) {
  std::string text = c.origin + "\n" + std::to_string(c.size) + "\n" +
                     base64_encode(std::string_view(reinterpret_cast<const char*>(c.root.data()), c.root.size())) +
                     "\n";
  for (const std::string& line : c.extensions) text += line + "\n";
  return text;
}

Checkpoint parse_checkpoint(std::string_view text) {
  if (text.empty() || text.back() != '\n') throw NoteError("a checkpoint's text must end in a newline");
  std::vector<std::string_view> lines;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = text.find('\n', at);
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  if (lines.size() < 3) throw NoteError("a checkpoint needs three lines (origin, tree size, root hash)");
  Checkpoint c;
  if (lines[0].empty()) throw NoteError("line 1: the origin is empty");
  c.origin = std::string(lines[0]);
  const std::string_view size = lines[1];
  const bool decimal =
      !size.empty() && std::all_of(size.begin(), size.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  if (!decimal || (size.size() > 1 && size[0] == '0'))
    throw NoteError("line 2: the tree size '" + std::string(size) + "' is not a decimal number without leading zeros");
  for (char ch : size) {
    const std::uint64_t digit = static_cast<std::uint64_t>(ch - '0');
    if (c.size > (UINT64_MAX - digit) / 10) throw NoteError("line 2: the tree size is too large");
    c.size = c.size * 10 + digit;
  }
  const auto root = base64_decode(lines[2]);
  if (!root || root->size() != c.root.size()) throw NoteError("line 3: the root hash is not the base64 of 32 bytes");
  std::copy(root->begin(), root->end(), c.root.begin());
  for (std::size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) throw NoteError("line " + std::to_string(i + 1) + ": an empty extension line");
    c.extensions.emplace_back(lines[i]);
  }
  return c;
}

std::string sign_checkpoint_note(const Checkpoint& checkpoint, const proof::SigningKey& key) {
  Note note;
  note.text = checkpoint_text(checkpoint);
  note.signatures.push_back(sign_note_text(note.text, checkpoint.origin, key));
  return format_note(note);
}

}  // namespace qontos::ledger
