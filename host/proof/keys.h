// Key files and trust. An Ed25519 key pair lives in two text files: `qontos.key` (the 32-byte
// seed, mode 0600, never overwritten) and `qontos.pub` (the public key). A key's id is the
// first 16 bytes of SHA-256(public key), in hex, so anyone can derive it from the public key.
// Verifiers trust the keys listed in a trusted-keys file (one public key per line).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

#include "proof/signing.h"

namespace qontos::proof {

/// A key file that cannot be read, parsed or written; the message names the file (and line).
struct KeyError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using PublicKey = std::array<std::uint8_t, 32>;

/// 32 lowercase hex digits: the first 16 bytes of SHA-256(public key).
std::string key_id(const PublicKey& public_key);

struct KeyFiles {
  std::filesystem::path secret;  // DIR/qontos.key
  std::filesystem::path pub;     // DIR/qontos.pub
};

/// Writes a new key pair into `dir` (created if missing). The secret file is created with mode
/// 0600 and O_EXCL: an existing key is never overwritten (KeyError names it).
KeyFiles write_key_pair(const std::filesystem::path& dir, const SigningKey& key);

/// Reads a secret key file written by write_key_pair. KeyError (with path and line) when it is
/// missing, malformed, or readable by group or others.
SigningKey read_signing_key(const std::filesystem::path& path);

/// Reads a public key file (`qontos.pub`) or a single trusted-keys line.
PublicKey read_public_key(const std::filesystem::path& path);

/// Trusted keys by key id. File format: one key per line, `ed25519 <64 hex digits> [comment]`;
/// blank lines and lines starting with '#' are ignored; `qontos.pub` files have this form, so
/// concatenating them builds a trusted-keys file.
using TrustedKeys = std::map<std::string, PublicKey>;
TrustedKeys read_trusted_keys(const std::filesystem::path& path);

/// The text of a public key file for `key`: `ed25519 <hex> key-id:<id>\n`.
std::string public_key_line(const PublicKey& public_key);

}  // namespace qontos::proof
