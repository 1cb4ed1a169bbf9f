// Resolving qontos's settings (see settings.h): the home directory, then each setting from the
// first of its flag, its environment variable, HOME/config.json and its default.
#include "common/settings.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string_view>

namespace qontos {
namespace {

namespace fs = std::filesystem;

/// An environment variable's value; unset and empty are the same (as XDG treats them).
std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

/// The user's home directory: $HOME, else the password database.
std::optional<fs::path> user_home() {
  if (auto home = env("HOME")) return fs::path(*home);
  if (const passwd* pw = ::getpwuid(::getuid()); pw != nullptr && pw->pw_dir != nullptr && *pw->pw_dir != '\0')
    return fs::path(pw->pw_dir);
  return std::nullopt;
}

fs::path qontos_home() {
  if (auto home = env("QONTOS_HOME")) return fs::path(*home);
  if (auto xdg = env("XDG_CONFIG_HOME")) return fs::path(*xdg) / "qontos";
  if (auto home = user_home()) return *home / ".config" / "qontos";
  throw SettingsError("cannot find qontos's home directory: set QONTOS_HOME (or HOME)");
}

std::string default_actor() {
  std::string user;
  if (auto name = env("USER")) {
    user = *name;
  } else if (const passwd* pw = ::getpwuid(::getuid()); pw != nullptr && pw->pw_name != nullptr) {
    user = pw->pw_name;
  } else {
    user = "uid" + std::to_string(::getuid());
  }
  std::array<char, 256> host{};
  if (::gethostname(host.data(), host.size() - 1) != 0 || host[0] == '\0') return user + "@localhost";
  return user + "@" + host.data();
}

/// One setting as its three possible sources give it (empty: not given there).
struct Sources {
  std::string flag;
  std::optional<std::string> environment;
  std::optional<std::string> config;  // already resolved against the home when it is a path
};

std::optional<std::string> first_given(const Sources& s) {
  if (!s.flag.empty()) return s.flag;
  if (s.environment) return s.environment;
  return s.config;
}

constexpr std::array<std::string_view, 6> kConfigKeys = {"signing_key", "trusted_keys", "ledger",
                                                         "policy",      "actor",        "tenant"};
constexpr std::array<std::string_view, 4> kPathKeys = {"signing_key", "trusted_keys", "ledger", "policy"};

/// config.json's settings by key; relative paths are made relative to the home.
std::map<std::string, std::string> read_config(const fs::path& home) {
  const fs::path path = home / "config.json";
  std::map<std::string, std::string> out;
  std::error_code ec;
  if (!fs::exists(path, ec)) return out;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SettingsError("cannot read '" + path.string() + "'");
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw SettingsError("'" + path.string() + "' is not valid JSON: " + e.what());
  }
  if (!doc.is_object()) throw SettingsError("'" + path.string() + "' must hold a JSON object");
  for (const auto& [key, value] : doc.items()) {
    if (std::find(kConfigKeys.begin(), kConfigKeys.end(), key) == kConfigKeys.end()) {
      std::string known;
      for (std::string_view k : kConfigKeys) known += (known.empty() ? "" : ", ") + std::string(k);
      throw SettingsError("'" + path.string() + "': unknown key '" + key + "' (known keys: " + known + ")");
    }
    if (!value.is_string() || value.get<std::string>().empty())
      throw SettingsError("'" + path.string() + "': key '" + key + "' must be a non-empty string");
    std::string setting = value.get<std::string>();
    if (std::find(kPathKeys.begin(), kPathKeys.end(), key) != kPathKeys.end() && fs::path(setting).is_relative())
      setting = (home / setting).string();
    out[key] = setting;
  }
  return out;
}

}  // namespace

Settings load_settings(const SettingsFlags& flags) {
  Settings s;
  s.home = qontos_home();
  const auto config = read_config(s.home);
  auto sources = [&](const std::string& flag, const char* variable, const char* key) {
    Sources out{flag, env(variable), std::nullopt};
    if (auto it = config.find(key); it != config.end()) out.config = it->second;
    return out;
  };

  s.signing_key = first_given(sources(flags.signing_key, "QONTOS_SIGNING_KEY", "signing_key"))
                      .value_or((s.home / "keys" / "qontos.key").string());
  s.ledger =
      first_given(sources(flags.ledger, "QONTOS_LEDGER", "ledger")).value_or((s.home / "ledger.sqlite").string());
  s.actor = first_given(sources(flags.actor, "QONTOS_ACTOR", "actor")).value_or(default_actor());
  s.tenant = first_given(sources(flags.tenant, "QONTOS_TENANT", "tenant")).value_or("default");

  // Optional files: one named anywhere is used (a missing one is then an error for its user);
  // the default only if it exists, so a fresh home needs neither.
  auto optional_file = [&](const std::string& flag, const char* variable, const char* key,
                           const char* default_name) -> std::optional<fs::path> {
    if (auto given = first_given(sources(flag, variable, key))) return fs::path(*given);
    const fs::path fallback = s.home / default_name;
    std::error_code ec;
    if (fs::exists(fallback, ec)) return fallback;
    return std::nullopt;
  };
  s.trusted_keys = optional_file(flags.trusted_keys, "QONTOS_TRUSTED_KEYS", "trusted_keys", "trusted_keys");
  s.policy = optional_file(flags.policy, "QONTOS_POLICY", "policy", "policy.json");
  return s;
}

}  // namespace qontos
