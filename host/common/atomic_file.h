// Replacing a file whole: the bytes go to PATH.tmp, which is then renamed over PATH, so a reader
// (or a crash) never sees a truncated or half-old file. Used for results, proofs and caches.
#pragma once

#include <filesystem>
#include <string_view>

namespace qontos {

/// Writes `bytes` to `path` through a temporary file and a rename. Returns false (leaving any
/// existing `path` untouched and no temporary behind) when it cannot.
bool write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace qontos
