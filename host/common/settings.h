// Where qontos keeps its state, and which signing key, trusted keys and ledger a command uses.
//
// The home directory is $QONTOS_HOME, else $XDG_CONFIG_HOME/qontos, else ~/.config/qontos. It may
// hold `config.json` with any of {"signing_key", "trusted_keys", "ledger", "policy", "actor",
// "tenant"} (relative paths are relative to the home). Each setting is resolved in this order: the
// command-line flag, the environment variable (QONTOS_SIGNING_KEY, QONTOS_TRUSTED_KEYS,
// QONTOS_LEDGER, QONTOS_POLICY, QONTOS_ACTOR, QONTOS_TENANT), config.json, then the default.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace qontos {

/// config.json is unreadable or malformed (the message names the file and the key).
struct SettingsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Settings {
  std::filesystem::path home;
  std::filesystem::path signing_key;                 // default: HOME/keys/qontos.key
  std::optional<std::filesystem::path> trusted_keys;  // default: HOME/trusted_keys if it exists
  std::filesystem::path ledger;                      // default: HOME/ledger.sqlite
  std::optional<std::filesystem::path> policy;        // default: HOME/policy.json if it exists
  std::string actor;                                 // default: $USER@hostname
  std::string tenant;                                // default: "default"
};

/// Flags override; an empty flag means "not given".
struct SettingsFlags {
  std::string signing_key;
  std::string trusted_keys;
  std::string ledger;
  std::string policy;
  std::string actor;
  std::string tenant;
};

Settings load_settings(const SettingsFlags& flags = {});

}  // namespace qontos
