// C2SP signed notes, declared in note.h.
#include "ledger/note.h"

#include <algorithm>

#include "ledger/entry.h"

namespace qontos::ledger {
namespace {

constexpr std::string_view kSignaturePrefix = "\xE2\x80\x94 ";  // U+2014 em dash, then a space
constexpr std::size_t kMaxNoteBytes = 1 << 20;
constexpr std::size_t kMaxSignatures = 100;

/// The code points of `s`, or nullopt unless it is well-formed UTF-8 (no overlong forms, no
/// surrogates, nothing past U+10FFFF).
std::optional<std::u32string> decode_utf8(std::string_view s) {
  std::u32string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 4;
    if (n == 4 || i + n >= s.size()) return std::nullopt;  // an unknown lead byte, or cut short
    char32_t cp = n == 0 ? c : n == 1 ? (c & 0x1f) : n == 2 ? (c & 0x0f) : (c & 0x07);
    for (std::size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 2) return std::nullopt;
      cp = cp << 6 | (cc & 0x3f);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff))
      return std::nullopt;
    out += cp;
    i += n + 1;
  }
  return out;
}

bool valid_utf8(std::string_view s) {
  return decode_utf8(s).has_value();
}

/// Unicode's White_Space characters.
bool is_unicode_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 || c == 0xa0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

int line_of(std::string_view wire, std::size_t offset) {
  return 1 + static_cast<int>(std::count(wire.begin(), wire.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

NoteError error_at(std::string_view wire, std::size_t offset, const std::string& message) {
  return NoteError("line " + std::to_string(line_of(wire, offset)) + ": " + message);
}

}  // namespace

bool is_valid_key_name(std::string_view name) {
  const auto code_points = decode_utf8(name);
  if (!code_points || code_points->empty()) return false;
  for (char32_t c : *code_points)
    if (c < 0x20 || c == 0x7f || c == '+' || is_unicode_space(c)) return false;
  return true;
}

std::uint32_t note_key_id(std::string_view key_name, const proof::PublicKey& public_key) {
  std::string data(key_name);
  data += '\n';
  data += '\x01';  // signature type: Ed25519
  data.append(reinterpret_cast<const char*>(public_key.data()), public_key.size());
  const proof::Hash h = sha256(data);
  return std::uint32_t{h[0]} << 24 | std::uint32_t{h[1]} << 16 | std::uint32_t{h[2]} << 8 | h[3];
}

NoteSignature sign_note_text(std::string_view text, std::string_view key_name, const proof::SigningKey& key) {
  if (text.empty() || text.back() != '\n') throw NoteError("a note's text must end in a newline");
  if (text.find("\n\n") != std::string_view::npos || text.front() == '\n')
    throw NoteError("a note's text must not hold a blank line");
  if (!valid_utf8(text)) throw NoteError("a note's text must be UTF-8");
  for (char c : text)
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n')
      throw NoteError("a note's text must not hold control characters");
  if (!is_valid_key_name(key_name))
    throw NoteError("'" + std::string(key_name) + "' is not a valid key name (non-empty, no spaces, no '+')");
  NoteSignature s;
  s.key_name = key_name;
  s.key_id = note_key_id(key_name, key.public_key);
  const auto sig = proof::sign(key, text);
  s.signature.assign(reinterpret_cast<const char*>(sig.data()), sig.size());
  return s;
}

std::string format_note(const Note& note) {
  std::string out = note.text + "\n";
  for (const NoteSignature& s : note.signatures) {
    std::string blob;
    for (int shift = 24; shift >= 0; shift -= 8) blob += static_cast<char>((s.key_id >> shift) & 0xff);
    blob += s.signature;
    out.append(kSignaturePrefix).append(s.key_name).append(" ").append(base64_encode(blob)).append("\n");
  }
  return out;
}

Note parse_note(std::string_view wire) {
  if (wire.size() > kMaxNoteBytes) throw NoteError("the note is larger than 1 MiB");
  if (!valid_utf8(wire)) throw NoteError("the note is not valid UTF-8");
  for (std::size_t i = 0; i < wire.size(); ++i)
    if (static_cast<unsigned char>(wire[i]) < 0x20 && wire[i] != '\n')
      throw error_at(wire, i, "control character (byte " + std::to_string(static_cast<int>(wire[i])) + ")");
  if (wire.empty() || wire.back() != '\n') throw NoteError("the note does not end in a newline");
  // The text ends at the last blank line; what follows are the signatures.
  const std::size_t blank = wire.rfind("\n\n");
  if (blank == std::string_view::npos) throw NoteError("no blank line separating the text from the signatures");
  Note note;
  note.text = std::string(wire.substr(0, blank + 1));
  std::size_t at = blank + 2;
  if (at >= wire.size()) throw error_at(wire, at, "no signature lines after the blank line");
  while (at < wire.size()) {
    const std::size_t end = wire.find('\n', at);
    const std::string_view line = wire.substr(at, end - at);
    if (line.substr(0, kSignaturePrefix.size()) != kSignaturePrefix)
      throw error_at(wire, at, "a signature line must start with an em dash (U+2014) and a space");
    const std::string_view rest = line.substr(kSignaturePrefix.size());
    const std::size_t space = rest.find(' ');
    if (space == std::string_view::npos) throw error_at(wire, at, "a signature line needs a key name and a signature");
    NoteSignature s;
    s.key_name = std::string(rest.substr(0, space));
    if (!is_valid_key_name(s.key_name)) throw error_at(wire, at, "invalid key name '" + s.key_name + "'");
    const auto blob = base64_decode(rest.substr(space + 1));
    if (!blob) throw error_at(wire, at, "the signature is not valid base64");
    if (blob->size() < 5) throw error_at(wire, at, "the signature is shorter than a key id and one byte");
    for (int i = 0; i < 4; ++i) s.key_id = s.key_id << 8 | static_cast<unsigned char>((*blob)[i]);
    s.signature = blob->substr(4);
    note.signatures.push_back(std::move(s));
    if (note.signatures.size() > kMaxSignatures) throw error_at(wire, at, "more than 100 signatures");
    at = end + 1;
  }
  return note;
}

NoteVerification verify_note(const Note& note, const std::vector<proof::PublicKey>& trusted_keys) {
  NoteVerification result;
  std::string signers;
  for (const NoteSignature& s : note.signatures) {
    signers += (signers.empty() ? "" : ", ") + s.key_name;
    for (const proof::PublicKey& key : trusted_keys) {
      if (note_key_id(s.key_name, key) != s.key_id) continue;
      std::array<std::uint8_t, 64> sig{};
      const bool ok =
          s.signature.size() == sig.size() && (std::copy(s.signature.begin(), s.signature.end(), sig.begin()),
                                               proof::verify_signature(key, note.text, sig));
      if (!ok) {
        // A known key's signature that fails means the text was altered: reject the whole note.
        result = {false, s.key_name, "the signature by '" + s.key_name + "' does not verify (the note was altered)"};
        return result;
      }
      if (!result.ok) result = {true, s.key_name, ""};
    }
  }
  if (!result.ok) result.message = "no signature by a trusted key (signed by: " + signers + ")";
  return result;
}

}  // namespace qontos::ledger
