// The one error type of the audit ledger: what went wrong, in which file, and at which entry
// when there is one, so a command can print `FILE: entry I: message` and stop without writing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace qontos::ledger {

struct LedgerError : std::runtime_error {
  LedgerError(const std::filesystem::path& ledger_file, const std::string& message,
              std::optional<std::uint64_t> entry_index = std::nullopt)
      : std::runtime_error(ledger_file.string() + ": " +
                           (entry_index ? "entry " + std::to_string(*entry_index) + ": " : "") + message),
        file(ledger_file),
        entry(entry_index),
        reason(message) {}

  std::filesystem::path file;
  std::optional<std::uint64_t> entry;
  std::string reason;  // the message without the file and entry
};

}  // namespace qontos::ledger
