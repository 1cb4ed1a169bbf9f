// Standard base64 (RFC 4648 §4, with padding), as proofs' DSSE envelopes and the ledger's signed
// notes carry hashes and signatures. Decoding accepts only the canonical spelling, so one byte
// string has one encoding (a signed text cannot be respelled).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace qontos {

std::string base64_encode(std::string_view bytes);
/// Nullopt unless `text` is canonical standard base64 with padding.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace qontos
