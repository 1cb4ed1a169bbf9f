// Settings resolution: the home directory's own order ($QONTOS_HOME, $XDG_CONFIG_HOME/qontos,
// ~/.config/qontos), then flag > environment > config.json > default for every setting, with
// config.json's relative paths taken relative to the home and its unknown keys refused.
#include "common/settings.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>

namespace qontos {
namespace {

namespace fs = std::filesystem;

const char* const kVariables[] = {"QONTOS_HOME",        "XDG_CONFIG_HOME",     "HOME",          "USER",
                                  "QONTOS_SIGNING_KEY", "QONTOS_TRUSTED_KEYS", "QONTOS_LEDGER", "QONTOS_POLICY",
                                  "QONTOS_ACTOR",       "QONTOS_TENANT"};

/// Saves every variable settings read, clears the QONTOS_ ones and points QONTOS_HOME at a fresh
/// directory; restores them all afterwards, so tests neither see nor change the caller's setup.
class SettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : kVariables) {
      if (const char* value = std::getenv(name)) saved_[name] = value;
      if (std::string(name).rfind("QONTOS_", 0) == 0) ::unsetenv(name);
    }
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() / ("qontos-settings-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(root_);
    home_ = root_ / "home";
    fs::create_directories(home_);
    ::setenv("QONTOS_HOME", home_.c_str(), 1);
  }
  void TearDown() override {
    for (const char* name : kVariables) {
      if (auto it = saved_.find(name); it != saved_.end())
        ::setenv(name, it->second.c_str(), 1);
      else
        ::unsetenv(name);
    }
    fs::remove_all(root_);
  }

  void config(const std::string& json) { std::ofstream(home_ / "config.json") << json; }

  static std::string settings_error(const SettingsFlags& flags = {}) {
    try {
      load_settings(flags);
    } catch (const SettingsError& e) {
      return e.what();
    }
    return "";
  }

  std::map<std::string, std::string> saved_;
  fs::path root_, home_;
};

// Paths are compared as strings, which GoogleTest prints readably.
std::string str(const fs::path& p) {
  return p.string();
}
std::string str(const std::optional<fs::path>& p) {
  return p ? p->string() : "(none)";
}

TEST_F(SettingsTest, DefaultsLiveInTheHome) {
  ::setenv("USER", "ada", 1);
  const Settings s = load_settings();
  EXPECT_EQ(str(s.home), str(home_));
  EXPECT_EQ(str(s.signing_key), str(home_ / "keys" / "qontos.key"));
  EXPECT_EQ(str(s.ledger), str(home_ / "ledger.sqlite"));
  EXPECT_FALSE(s.trusted_keys);  // optional files count only when they exist
  EXPECT_FALSE(s.policy);
  EXPECT_EQ(s.tenant, "default");
  char host[256] = {};
  ASSERT_EQ(::gethostname(host, sizeof host - 1), 0);
  EXPECT_EQ(s.actor, std::string("ada@") + host);
}

TEST_F(SettingsTest, OptionalFilesAreUsedWhenTheyExist) {
  std::ofstream(home_ / "trusted_keys") << "";
  std::ofstream(home_ / "policy.json") << "{}";
  const Settings s = load_settings();
  EXPECT_EQ(str(s.trusted_keys), str(home_ / "trusted_keys"));
  EXPECT_EQ(str(s.policy), str(home_ / "policy.json"));
}

TEST_F(SettingsTest, HomeComesFromQontosHomeThenXdgThenHome) {
  ::setenv("XDG_CONFIG_HOME", (root_ / "xdg").c_str(), 1);
  ::setenv("HOME", (root_ / "user").c_str(), 1);
  EXPECT_EQ(str(load_settings().home), str(home_));
  ::unsetenv("QONTOS_HOME");
  EXPECT_EQ(str(load_settings().home), str(root_ / "xdg" / "qontos"));
  ::setenv("XDG_CONFIG_HOME", "", 1);  // empty counts as unset
  EXPECT_EQ(str(load_settings().home), str(root_ / "user" / ".config" / "qontos"));
  EXPECT_EQ(str(load_settings().signing_key), str(root_ / "user" / ".config" / "qontos" / "keys" / "qontos.key"));
}

TEST_F(SettingsTest, FlagBeatsEnvironmentBeatsConfigBeatsDefault) {
  config(R"({"signing_key": "/config/key", "trusted_keys": "/config/trusted", "ledger": "/config/ledger",
             "policy": "/config/policy", "actor": "config-actor", "tenant": "config-tenant"})");
  Settings s = load_settings();
  EXPECT_EQ(str(s.signing_key), "/config/key");
  EXPECT_EQ(str(s.trusted_keys), "/config/trusted");  // named, so used even though missing
  EXPECT_EQ(str(s.ledger), "/config/ledger");
  EXPECT_EQ(str(s.policy), "/config/policy");
  EXPECT_EQ(s.actor, "config-actor");
  EXPECT_EQ(s.tenant, "config-tenant");

  ::setenv("QONTOS_SIGNING_KEY", "/env/key", 1);
  ::setenv("QONTOS_TRUSTED_KEYS", "/env/trusted", 1);
  ::setenv("QONTOS_LEDGER", "/env/ledger", 1);
  ::setenv("QONTOS_POLICY", "/env/policy", 1);
  ::setenv("QONTOS_ACTOR", "env-actor", 1);
  ::setenv("QONTOS_TENANT", "env-tenant", 1);
  s = load_settings();
  EXPECT_EQ(str(s.signing_key), "/env/key");
  EXPECT_EQ(str(s.trusted_keys), "/env/trusted");
  EXPECT_EQ(str(s.ledger), "/env/ledger");
  EXPECT_EQ(str(s.policy), "/env/policy");
  EXPECT_EQ(s.actor, "env-actor");
  EXPECT_EQ(s.tenant, "env-tenant");

  SettingsFlags flags;
  flags.signing_key = "/flag/key";
  flags.trusted_keys = "/flag/trusted";
  flags.ledger = "/flag/ledger";
  flags.policy = "/flag/policy";
  flags.actor = "flag-actor";
  flags.tenant = "flag-tenant";
  s = load_settings(flags);
  EXPECT_EQ(str(s.signing_key), "/flag/key");
  EXPECT_EQ(str(s.trusted_keys), "/flag/trusted");
  EXPECT_EQ(str(s.ledger), "/flag/ledger");
  EXPECT_EQ(str(s.policy), "/flag/policy");
  EXPECT_EQ(s.actor, "flag-actor");
  EXPECT_EQ(s.tenant, "flag-tenant");

  // An empty flag or variable is "not given": the next source decides.
  ::setenv("QONTOS_TENANT", "", 1);
  flags.tenant.clear();
  EXPECT_EQ(load_settings(flags).tenant, "config-tenant");
}

TEST_F(SettingsTest, ConfigPathsAreRelativeToTheHome) {
  config(R"({"signing_key": "mine/signer.key", "ledger": "/abs/ledger.sqlite", "trusted_keys": "trust",
             "actor": "relative/not/a/path"})");
  const Settings s = load_settings();
  EXPECT_EQ(str(s.signing_key), str(home_ / "mine" / "signer.key"));
  EXPECT_EQ(str(s.ledger), "/abs/ledger.sqlite");
  EXPECT_EQ(str(s.trusted_keys), str(home_ / "trust"));
  EXPECT_EQ(s.actor, "relative/not/a/path");  // not a path: left alone
}

TEST_F(SettingsTest, RejectsUnknownKeysNamingFileAndKey) {
  config(R"({"ledger": "l.sqlite", "signing-key": "k"})");
  const std::string message = settings_error();
  EXPECT_NE(message.find("'" + (home_ / "config.json").string() + "'"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown key 'signing-key'"), std::string::npos) << message;
}

TEST_F(SettingsTest, RejectsMalformedConfig) {
  const std::string file = "'" + (home_ / "config.json").string() + "'";
  config("{\"ledger\": ");
  EXPECT_EQ(settings_error().rfind(file + " is not valid JSON", 0), 0u) << settings_error();
  config("[\"ledger\"]");
  EXPECT_EQ(settings_error(), file + " must hold a JSON object");
  config(R"({"tenant": 7})");
  EXPECT_EQ(settings_error(), file + ": key 'tenant' must be a non-empty string");
  config(R"({"signing_key": ""})");
  EXPECT_EQ(settings_error(), file + ": key 'signing_key' must be a non-empty string");
  // config.json is read even when flags give every setting: a broken file is never silently ignored.
  config("not json");
  SettingsFlags flags;
  flags.tenant = "t";
  EXPECT_NE(settings_error(flags), "");
}

}  // namespace
}  // namespace qontos
