// Ed25519 signatures (libsodium) over a proof's root: the signer's key pair, detached
// signatures, and their verification. Keys and signatures travel as lowercase hex.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace qontos::proof {

struct SigningKey {
  std::array<std::uint8_t, 32> public_key{};
  std::array<std::uint8_t, 64> secret_key{};  // libsodium's form: seed followed by public key
};

/// A fresh key pair from the operating system's randomness.
SigningKey generate_key();
/// The key pair determined by a 32-byte seed (for reproducible tests and for keys kept as seeds).
SigningKey key_from_seed(const std::array<std::uint8_t, 32>& seed);

/// The 64-byte detached signature of `message`.
std::array<std::uint8_t, 64> sign(const SigningKey& key, std::string_view message);
bool verify_signature(const std::array<std::uint8_t, 32>& public_key, std::string_view message,
                      const std::array<std::uint8_t, 64>& signature);

/// Lowercase hex of any byte array, and its reverse (nullopt unless exactly 2*N hex digits).
template <std::size_t N>
std::string hex(const std::array<std::uint8_t, N>& bytes);
template <std::size_t N>
std::optional<std::array<std::uint8_t, N>> parse_hex(std::string_view text);

}  // namespace qontos::proof
