#include "proof/signing.h"

#include <sodium.h>

#include <stdexcept>

namespace qontos::proof {
namespace {
void ensure_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}
}  // namespace

SigningKey generate_key() {
  ensure_sodium();
  SigningKey k;
  crypto_sign_keypair(k.public_key.data(), k.secret_key.data());
  return k;
}

SigningKey key_from_seed(const std::array<std::uint8_t, 32>& seed) {
  ensure_sodium();
  SigningKey k;
  crypto_sign_seed_keypair(k.public_key.data(), k.secret_key.data(), seed.data());
  return k;
}

std::array<std::uint8_t, 64> sign(const SigningKey& key, std::string_view message) {
  ensure_sodium();
  std::array<std::uint8_t, 64> sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       key.secret_key.data());
  return sig;
}

bool verify_signature(const std::array<std::uint8_t, 32>& public_key, std::string_view message,
                      const std::array<std::uint8_t, 64>& signature) {
  ensure_sodium();
  return crypto_sign_verify_detached(signature.data(), reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), public_key.data()) == 0;
}

template <std::size_t N>
std::string hex(const std::array<std::uint8_t, N>& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  s.reserve(2 * N);
  for (std::uint8_t b : bytes) {
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

template <std::size_t N>
std::optional<std::array<std::uint8_t, N>> parse_hex(std::string_view text) {
  if (text.size() != 2 * N) return std::nullopt;
  auto value = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::array<std::uint8_t, N> out{};
  for (std::size_t i = 0; i < N; ++i) {
    const int hi = value(text[2 * i]), lo = value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return out;
}

template std::string hex<32>(const std::array<std::uint8_t, 32>&);
template std::string hex<64>(const std::array<std::uint8_t, 64>&);
template std::optional<std::array<std::uint8_t, 32>> parse_hex<32>(std::string_view);
template std::optional<std::array<std::uint8_t, 64>> parse_hex<64>(std::string_view);

}  // namespace qontos::proof
