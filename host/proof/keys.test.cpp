// Key files and trust: a written key pair reads back to the same key, the secret file is 0600
// and never overwritten, unsafe or malformed files are refused with `path:line:` messages, and
// key ids are the first 16 bytes of SHA-256(public key).
#include "proof/keys.h"

#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace qontos::proof {
namespace {

namespace fs = std::filesystem;

/// A fresh directory per test, removed afterwards.
class KeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("qontos-keys-" + std::to_string(::getpid()) + "-" + info->test_suite_name() + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& text,
                 fs::perms perms = fs::perms::owner_read | fs::perms::owner_write) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    fs::permissions(path, perms, fs::perm_options::replace);
    return path;
  }

  /// The message KeyError gives for `f`, or "" if it does not throw KeyError.
  template <typename F>
  static std::string key_error(F f) {
    try {
      f();
    } catch (const KeyError& e) {
      return e.what();
    }
    return "";
  }

  static std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  fs::path dir_;
};

SigningKey fixed_key() {
  std::array<std::uint8_t, 32> seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(i * 7 + 3);
  return key_from_seed(seed);
}

const std::string kSeedLine =
    "qontos-ed25519-secret-key/1 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60\n";
// RFC 8032 TEST 1's public key, the one kSeedLine's seed determines.
const std::string kPublicHex = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

TEST_F(KeysTest, WrittenKeyPairReadsBackToTheSameKey) {
  const SigningKey key = generate_key();
  const KeyFiles files = write_key_pair(dir_ / "keys", key);
  EXPECT_EQ(files.secret, dir_ / "keys" / "qontos.key");
  EXPECT_EQ(files.pub, dir_ / "keys" / "qontos.pub");

  const SigningKey back = read_signing_key(files.secret);
  EXPECT_EQ(back.public_key, key.public_key);
  EXPECT_EQ(back.secret_key, key.secret_key);
  EXPECT_EQ(read_public_key(files.pub), key.public_key);
  EXPECT_EQ(read(files.pub), public_key_line(key.public_key));

  // The secret file holds only the seed, in the documented one-line form.
  const std::string text = read(files.secret);
  EXPECT_EQ(text, "qontos-ed25519-secret-key/1 " + hex(back.secret_key).substr(0, 64) + "\n");

  // A signature made with the key read back verifies under the public key file's key.
  const auto sig = sign(back, "root");
  EXPECT_TRUE(verify_signature(read_public_key(files.pub), "root", sig));
}

TEST_F(KeysTest, SecretFileIsMode0600AndANewDirectoryIsPrivate) {
  const mode_t old_umask = ::umask(0);  // even a permissive umask must not widen the key file
  const KeyFiles files = write_key_pair(dir_ / "fresh", generate_key());
  ::umask(old_umask);
  struct stat st {};
  ASSERT_EQ(::stat(files.secret.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  ASSERT_EQ(::stat((dir_ / "fresh").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 077, 0u);
  ASSERT_EQ(::stat(files.pub.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
}

TEST_F(KeysTest, RefusesToOverwriteAnExistingKey) {
  const KeyFiles first = write_key_pair(dir_, fixed_key());
  const std::string secret_before = read(first.secret), pub_before = read(first.pub);

  const std::string message = key_error([&] { write_key_pair(dir_, generate_key()); });
  EXPECT_EQ(message, "key file '" + first.secret.string() + "' already exists; refusing to overwrite");
  // Neither file changed, and the key still reads back.
  EXPECT_EQ(read(first.secret), secret_before);
  EXPECT_EQ(read(first.pub), pub_before);
  EXPECT_EQ(read_signing_key(first.secret).public_key, fixed_key().public_key);
}

TEST_F(KeysTest, ReadsAHandWrittenSeedFile) {
  const SigningKey key = read_signing_key(write("k", kSeedLine));
  EXPECT_EQ(hex(key.public_key), kPublicHex);
  // A blank line after the key is allowed; so is a CRLF line end.
  EXPECT_EQ(hex(read_signing_key(write("k2", kSeedLine + "\n")).public_key), kPublicHex);
  std::string crlf = kSeedLine;
  crlf.insert(crlf.size() - 1, "\r");
  EXPECT_EQ(hex(read_signing_key(write("k3", crlf)).public_key), kPublicHex);
}

TEST_F(KeysTest, RefusesSecretKeysOthersCanRead) {
  for (const fs::perms extra : {fs::perms::group_read, fs::perms::others_read, fs::perms::group_write}) {
    const fs::path path = write("open.key", kSeedLine, fs::perms::owner_read | fs::perms::owner_write | extra);
    const std::string message = key_error([&] { read_signing_key(path); });
    EXPECT_NE(message.find("key file '" + path.string() + "' has mode 0"), std::string::npos) << message;
    EXPECT_NE(message.find("group and others must not be able to access"), std::string::npos) << message;
    EXPECT_NE(message.find("chmod 600"), std::string::npos) << message;
    fs::remove(path);
  }
  // Owner read-only is fine.
  EXPECT_EQ(hex(read_signing_key(write("ro.key", kSeedLine, fs::perms::owner_read)).public_key), kPublicHex);
}

TEST_F(KeysTest, ReportsMalformedSecretKeysWithPathAndLine) {
  struct Case {
    std::string text, expected;
  };
  const Case cases[] = {
      {"", ":1: empty key file"},
      {"qontos-ed25519-secret-key/1\n", ":1: expected 'qontos-ed25519-secret-key/1 <64 hex digits>'"},
      {"ed25519 " + kPublicHex + "\n", ":1: expected 'qontos-ed25519-secret-key/1 <64 hex digits>'"},
      {"qontos-ed25519-secret-key/2 " + kPublicHex + "\n", ":1: expected"},
      {"qontos-ed25519-secret-key/1 " + kPublicHex.substr(2) + "\n", ":1: the seed must be exactly 64 hex digits"},
      {"qontos-ed25519-secret-key/1 " + std::string(64, 'g') + "\n", ":1: the seed must be exactly 64 hex digits"},
      {"qontos-ed25519-secret-key/1 " + kPublicHex + " extra\n", ":1: expected"},
      {"\n" + kSeedLine, ":1: expected"},
      {kSeedLine + "\nsomething else\n", ":3: unexpected content after the key"},
      {kSeedLine + kSeedLine, ":2: unexpected content after the key"},
  };
  for (const Case& c : cases) {
    const fs::path path = write("bad.key", c.text);
    const std::string message = key_error([&] { read_signing_key(path); });
    EXPECT_EQ(message.rfind(path.string() + c.expected, 0), 0u) << "text: " << c.text << "\nmessage: " << message;
    fs::remove(path);
  }
  const std::string missing = key_error([&] { read_signing_key(dir_ / "none.key"); });
  EXPECT_EQ(missing, "cannot read key file '" + (dir_ / "none.key").string() + "': No such file or directory");
}

TEST_F(KeysTest, KeyIdIsTheFirst16BytesOfSha256OfThePublicKey) {
  const SigningKey key = fixed_key();
  // Recomputed another way: libsodium's multi-part SHA-256, fed in two halves, hex-encoded by
  // sodium_bin2hex rather than proof::hex.
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  crypto_hash_sha256_update(&state, key.public_key.data(), 16);
  crypto_hash_sha256_update(&state, key.public_key.data() + 16, 16);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  char expected[33];
  sodium_bin2hex(expected, sizeof expected, digest, 16);
  EXPECT_EQ(key_id(key.public_key), expected);
  EXPECT_EQ(key_id(key.public_key).size(), 32u);

  // A known answer: SHA-256 of RFC 8032 TEST 1's public key, computed with Python's hashlib.
  EXPECT_EQ(key_id(*parse_hex<32>(kPublicHex)), "21fe31dfa154a261626bf854046fd227");
  EXPECT_EQ(public_key_line(*parse_hex<32>(kPublicHex)),
            "ed25519 " + kPublicHex + " key-id:21fe31dfa154a261626bf854046fd227\n");
  EXPECT_NE(key_id(generate_key().public_key), key_id(key.public_key));
}

TEST_F(KeysTest, ReadsTrustedKeysAndSkipsCommentsAndBlankLines) {
  const SigningKey a = fixed_key(), b = generate_key();
  const fs::path path = write("trusted", "# operators\n\n" + public_key_line(a.public_key) + "   \n" + "ed25519 " +
                                             hex(b.public_key) + " alice's laptop\n" + public_key_line(a.public_key));
  const TrustedKeys keys = read_trusted_keys(path);
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys.at(key_id(a.public_key)), a.public_key);
  EXPECT_EQ(keys.at(key_id(b.public_key)), b.public_key);
  EXPECT_TRUE(read_trusted_keys(write("empty", "# nobody yet\n")).empty());
}

TEST_F(KeysTest, ReportsMalformedTrustedKeysWithPathAndLine) {
  const std::string good = public_key_line(fixed_key().public_key);
  struct Case {
    std::string text, expected;
  };
  const Case cases[] = {
      {good + "ed25519\n", ":2: expected 'ed25519 <64 hex digits> [comment]'"},
      {good + "\nrsa " + kPublicHex + "\n", ":3: expected 'ed25519 <64 hex digits> [comment]'"},
      {"ed25519 " + kPublicHex + "00\n", ":1: the public key must be exactly 64 hex digits"},
      {"ed25519 xyz\n", ":1: the public key must be exactly 64 hex digits"},
      {"ed25519 " + kPublicHex + " key-id:00000000000000000000000000000000\n",
       ":1: the comment says key-id:00000000000000000000000000000000 but this key's id is "
       "21fe31dfa154a261626bf854046fd227"},
  };
  for (const Case& c : cases) {
    const fs::path path = write("trusted", c.text);
    const std::string message = key_error([&] { read_trusted_keys(path); });
    EXPECT_EQ(message, path.string() + c.expected) << "text: " << c.text;
    fs::remove(path);
  }
  EXPECT_NE(key_error([&] { read_trusted_keys(dir_ / "missing"); }).find("cannot read key file"), std::string::npos);
}

TEST_F(KeysTest, PublicKeyFileHoldsExactlyOneKey) {
  const std::string a = public_key_line(fixed_key().public_key), b = public_key_line(generate_key().public_key);
  EXPECT_EQ(read_public_key(write("one.pub", "# mine\n" + a)), fixed_key().public_key);
  const fs::path two = write("two.pub", a + b);
  EXPECT_EQ(key_error([&] { read_public_key(two); }),
            two.string() + ":2: a public key file holds one key; this is a second");
  const fs::path none = write("none.pub", "\n# nothing\n");
  EXPECT_EQ(key_error([&] { read_public_key(none); }).rfind(none.string() + ": no public key", 0), 0u);
}

}  // namespace
}  // namespace qontos::proof
