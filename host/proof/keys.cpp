// Key files and trust (see keys.h): writing a new key pair without ever replacing one, reading
// the secret seed back only from a file nobody else can read, and parsing public keys and
// trusted-keys files with `path:line:` diagnostics.
#include "proof/keys.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

namespace qontos::proof {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSecretKeyTag = "qontos-ed25519-secret-key/1";
constexpr std::string_view kPublicKeyTag = "ed25519";

std::string quoted(const fs::path& path) {
  return "'" + path.string() + "'";
}

std::string location(const fs::path& path, std::size_t line) {
  return path.string() + ":" + std::to_string(line);
}

/// Closes a file descriptor on every path out of a function.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  /// Closes now, so that a failing close (a late write error) can be reported.
  bool close() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

/// Zeroes a buffer that held secret material however its scope ends (a parse error included).
class Wiped {
 public:
  explicit Wiped(std::string& text) : text_(text) {}
  Wiped(const Wiped&) = delete;
  Wiped& operator=(const Wiped&) = delete;
  ~Wiped() { sodium_memzero(text_.data(), text_.size()); }

 private:
  std::string& text_;
};

bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::string read_all(int fd, const fs::path& path) {
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw KeyError("cannot read key file " + quoted(path) + ": " + std::strerror(errno));
    if (n == 0) return out;
    out.append(buf, static_cast<std::size_t>(n));
  }
}

std::string read_text_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw KeyError("cannot read key file " + quoted(path) + ": " + std::strerror(errno));
  Fd file(fd);
  return read_all(file.get(), path);
}

/// The file's lines without their line ends (a final line end does not start another line).
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // tolerate CRLF files
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) words.push_back(line.substr(start, i - start));
  }
  return words;
}

bool ignorable(std::string_view line) {
  const auto words = split_words(line);
  return words.empty() || words.front().front() == '#';
}

/// One `ed25519 <64 hex digits> [comment]` line. A `key-id:<id>` word in the comment (as
/// public_key_line writes it) must name this key, which catches a key pasted beside another's id.
PublicKey parse_public_key_line(std::string_view line, const fs::path& path, std::size_t line_number) {
  const auto words = split_words(line);
  const std::string where = location(path, line_number);
  if (words.size() < 2 || words[0] != kPublicKeyTag)
    throw KeyError(where + ": expected 'ed25519 <64 hex digits> [comment]'");
  const auto key = parse_hex<32>(words[1]);
  if (!key) throw KeyError(where + ": the public key must be exactly 64 hex digits");
  constexpr std::string_view kIdPrefix = "key-id:";
  for (std::size_t i = 2; i < words.size(); ++i) {
    if (words[i].substr(0, kIdPrefix.size()) != kIdPrefix) continue;
    const std::string_view claimed = words[i].substr(kIdPrefix.size());
    const std::string actual = key_id(*key);
    if (claimed != actual)
      throw KeyError(where + ": the comment says key-id:" + std::string(claimed) + " but this key's id is " + actual);
  }
  return *key;
}

/// Writes `text` to `path` through a temporary file and a rename, so a reader never sees half a file.
void replace_file(const fs::path& path, std::string_view text, mode_t mode) {
  const fs::path tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, mode);
  if (fd < 0) throw KeyError("cannot write " + quoted(tmp) + ": " + std::strerror(errno));
  Fd file(fd);
  const bool ok = write_all(file.get(), text) && ::fsync(file.get()) == 0 && file.close() &&
                  std::rename(tmp.c_str(), path.c_str()) == 0;
  if (!ok) {
    const std::string reason = std::strerror(errno);
    std::remove(tmp.c_str());
    throw KeyError("cannot write " + quoted(path) + ": " + reason);
  }
}

/// Makes the directory entries just written durable (a crash must not lose a key that was reported).
void sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // best effort: the files themselves were synced
  Fd d(fd);
  ::fsync(d.get());
}

}  // namespace

std::string key_id(const PublicKey& public_key) {
  std::array<std::uint8_t, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), public_key.data(), public_key.size());
  return hex(digest).substr(0, 32);  // the first 16 bytes
}

std::string public_key_line(const PublicKey& public_key) {
  return std::string(kPublicKeyTag) + " " + hex(public_key) + " key-id:" + key_id(public_key) + "\n";
}

KeyFiles write_key_pair(const fs::path& dir, const SigningKey& key) {
  const KeyFiles files{dir / "qontos.key", dir / "qontos.pub"};
  std::error_code ec;
  if (fs::create_directories(dir, ec)) {
    // A directory made for keys is private, like ~/.ssh.
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  } else if (ec) {
    throw KeyError("cannot create key directory " + quoted(dir) + ": " + ec.message());
  }

  // O_EXCL makes the existence check and the creation one step: two concurrent keygens cannot
  // both succeed, and an existing key is never truncated.
  const int fd = ::open(files.secret.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) throw KeyError("key file " + quoted(files.secret) + " already exists; refusing to overwrite");
    throw KeyError("cannot create key file " + quoted(files.secret) + ": " + std::strerror(errno));
  }
  Fd secret(fd);
  // libsodium's secret key is the seed followed by the public key; only the seed is stored.
  std::array<std::uint8_t, 32> seed{};
  std::copy_n(key.secret_key.begin(), seed.size(), seed.begin());
  std::string line = std::string(kSecretKeyTag) + " " + hex(seed) + "\n";
  const bool written = ::fchmod(secret.get(), 0600) == 0 && write_all(secret.get(), line) &&
                       ::fsync(secret.get()) == 0 && secret.close();
  const int saved_errno = errno;
  sodium_memzero(seed.data(), seed.size());
  sodium_memzero(line.data(), line.size());
  if (!written) {
    std::remove(files.secret.c_str());  // a partial key file would only fail later, less clearly
    throw KeyError("cannot write key file " + quoted(files.secret) + ": " + std::strerror(saved_errno));
  }

  // The public file follows the secret: replacing a stale qontos.pub is right, because the
  // secret it belonged to is gone (otherwise the O_EXCL above would have stopped us).
  replace_file(files.pub, public_key_line(key.public_key), 0644);
  sync_directory(dir);
  return files;
}

SigningKey read_signing_key(const fs::path& path) {
  // O_NONBLOCK: a FIFO planted in the key's place must not hang the command (regular files ignore it).
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw KeyError("cannot read key file " + quoted(path) + ": " + std::strerror(errno));
  Fd file(fd);
  // fstat on the open descriptor checks the very file that is read.
  struct stat st {};
  if (::fstat(file.get(), &st) != 0)
    throw KeyError("cannot read key file " + quoted(path) + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw KeyError("key file " + quoted(path) + " is not a regular file");
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    throw KeyError("key file " + quoted(path) + " has mode " + mode +
                   ": group and others must not be able to access a secret key (run: chmod 600 " + quoted(path) + ")");
  }
  std::string text = read_all(file.get(), path);
  const Wiped wiped(text);
  const auto lines = split_lines(text);
  std::optional<SigningKey> key;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (key) {
      if (!split_words(lines[i]).empty()) throw KeyError(location(path, i + 1) + ": unexpected content after the key");
      continue;
    }
    const auto words = split_words(lines[i]);
    if (words.size() != 2 || words[0] != kSecretKeyTag)
      throw KeyError(location(path, i + 1) + ": expected '" + std::string(kSecretKeyTag) + " <64 hex digits>'");
    auto seed = parse_hex<32>(words[1]);
    if (!seed) throw KeyError(location(path, i + 1) + ": the seed must be exactly 64 hex digits");
    key = key_from_seed(*seed);
    sodium_memzero(seed->data(), seed->size());
  }
  if (!key) throw KeyError(location(path, 1) + ": empty key file");
  return *key;
}

PublicKey read_public_key(const fs::path& path) {
  const std::string text = read_text_file(path);
  const auto lines = split_lines(text);
  std::optional<PublicKey> key;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (ignorable(lines[i])) continue;
    if (key) throw KeyError(location(path, i + 1) + ": a public key file holds one key; this is a second");
    key = parse_public_key_line(lines[i], path, i + 1);
  }
  if (!key) throw KeyError(path.string() + ": no public key (expected 'ed25519 <64 hex digits> [comment]')");
  return *key;
}

TrustedKeys read_trusted_keys(const fs::path& path) {
  const std::string text = read_text_file(path);
  const auto lines = split_lines(text);
  TrustedKeys keys;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (ignorable(lines[i])) continue;
    const PublicKey key = parse_public_key_line(lines[i], path, i + 1);
    keys.emplace(key_id(key), key);  // listing a key twice is harmless
  }
  return keys;
}

}  // namespace qontos::proof
