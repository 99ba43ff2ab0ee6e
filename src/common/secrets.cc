#include "common/secrets.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cassert>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/private_files.h"
#include "common/text.h"

namespace stripeline {
namespace {

constexpr std::string_view kSealPrefix = "v1:";
constexpr std::string_view kMasterKeyFile = "master.key";
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
static_assert(kMasterKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);

void EnsureSodium() {
  // sodium_init is itself idempotent and thread-safe; the static only saves the repeated call.
  static const int kInit = sodium_init();
  assert(kInit >= 0 && "libsodium failed to initialise");
  (void)kInit;
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

std::string ToBase64(std::string_view bytes, int variant) {
  EnsureSodium();
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), Bytes(bytes), bytes.size(), variant);
  out.resize(std::strlen(out.c_str()));
  return out;
}


Status DecryptFailed(std::string message) {
  return Status::Internal(std::move(message), "secret_decrypt_failed");
}

bool IsHex(std::string_view s) {
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

Result<std::string> DecodeEnvKey(std::string_view raw) {
  const std::string_view text = Trim(raw);
  constexpr std::string_view kExpected =
      "STRIPELINE_MASTER_KEY must hold 32 bytes encoded as base64 (44 characters) or as hex "
      "(64 characters)";
  if (text.size() == kMasterKeyBytes * 2 && IsHex(text)) {
    std::string key(kMasterKeyBytes, '\0');
    size_t len = 0;
    if (sodium_hex2bin(Bytes(key), key.size(), text.data(), text.size(), nullptr, &len,
                       nullptr) == 0 &&
        len == kMasterKeyBytes) {
      return key;
    }
  }
  Result<std::string> decoded = Base64Decode(text);
  if (decoded.ok() && decoded->size() == kMasterKeyBytes) return decoded;
  std::string message(kExpected);
  if (decoded.ok()) {
    message += "; it decodes to ";
    message += std::to_string(decoded->size());
    message += " bytes";
  } else {
    message += "; got ";
    message += std::to_string(text.size());
    message += " characters that are neither";
  }
  return Status::InvalidArgument(std::move(message), "invalid_master_key");
}

Result<std::string> ReadKeyFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::Internal("Cannot read master key file " + path.string() + ": " +
                            std::strerror(errno));
  }
  std::ostringstream content;
  content << in.rdbuf();
  Result<std::string> key = Base64Decode(Trim(content.str()));
  if (!key.ok() || key->size() != kMasterKeyBytes) {
    return Status::FailedPrecondition(
        "Master key file " + path.string() +
            " is corrupt (expected 32 bytes in base64). It is not replaced automatically, because "
            "a new key would make every stored secret unreadable: restore it from a backup, or "
            "remove it and re-enter all credentials",
        "invalid_master_key");
  }
  return key;
}

}  // namespace

std::string ToHex(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), Bytes(bytes), bytes.size());
  out.pop_back();
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  return ToBase64(bytes, sodium_base64_VARIANT_ORIGINAL);
}

Result<std::string> Base64Decode(std::string_view text) {
  EnsureSodium();
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(Bytes(out), out.size(), text.data(), text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return Status::InvalidArgument("Not valid base64", "invalid_base64");
  }
  out.resize(len);
  return out;
}

SecretBox::SecretBox(std::string key_bytes) : key_(std::move(key_bytes)) {
  EnsureSodium();
  assert(key_.size() == kMasterKeyBytes && "SecretBox needs a 32-byte key");
}

SecretBox::~SecretBox() { sodium_memzero(key_.data(), key_.size()); }

Result<std::string> SecretBox::Seal(std::string_view plaintext,
                                    std::string_view associated_data) const {
  if (key_.size() != kMasterKeyBytes) return Status::Internal("SecretBox key is not 32 bytes");
  std::string blob(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  unsigned char* nonce = Bytes(blob);
  randombytes_buf(nonce, kNonceBytes);
  unsigned long long cipher_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + kNonceBytes, &cipher_len, Bytes(plaintext),
                                             plaintext.size(), Bytes(associated_data),
                                             associated_data.size(), nullptr, nonce,
                                             Bytes(key_));
  blob.resize(kNonceBytes + cipher_len);
  return std::string(kSealPrefix) + Base64Encode(blob);
}

Result<std::string> SecretBox::Open(std::string_view sealed,
                                    std::string_view associated_data) const {
  if (key_.size() != kMasterKeyBytes) return Status::Internal("SecretBox key is not 32 bytes");
  if (!sealed.starts_with(kSealPrefix)) {
    return DecryptFailed("Stored secret has an unknown format");
  }
  Result<std::string> blob = Base64Decode(sealed.substr(kSealPrefix.size()));
  if (!blob.ok() || blob->size() < kNonceBytes + kTagBytes) {
    return DecryptFailed("Stored secret is malformed");
  }
  const unsigned char* nonce = Bytes(*blob);
  std::string plaintext(blob->size() - kNonceBytes - kTagBytes, '\0');
  unsigned long long plain_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          Bytes(plaintext), &plain_len, nullptr, nonce + kNonceBytes, blob->size() - kNonceBytes,
          Bytes(associated_data), associated_data.size(), nonce, Bytes(key_)) != 0) {
    return DecryptFailed(
        "Stored secret cannot be decrypted: it was altered, belongs to another record, or the "
        "master key changed");
  }
  plaintext.resize(plain_len);
  return plaintext;
}

Result<std::string> LoadOrCreateMasterKey(const std::string& data_dir,
                                          std::optional<std::string> env_value) {
  EnsureSodium();
  if (env_value.has_value()) return DecodeEnvKey(*env_value);

  namespace fs = std::filesystem;
  const fs::path path = fs::path(data_dir) / kMasterKeyFile;
  std::error_code ec;
  if (fs::exists(path, ec)) {
    WarnIfReadableByOthers(path, "the master key, which decrypts every stored credential");
    return ReadKeyFile(path);
  }
  if (ec) return Status::Internal("Cannot check " + path.string() + ": " + ec.message());
  SL_RETURN_IF_ERROR(CreatePrivateDirectories(data_dir).WithContext("Cannot create the data directory"));
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    // Another process created it between our check and open: use theirs.
    if (errno == EEXIST) return ReadKeyFile(path);
    return Status::Internal("Cannot create master key file " + path.string() + ": " +
                            std::strerror(errno));
  }
  std::string key(kMasterKeyBytes, '\0');
  randombytes_buf(key.data(), key.size());
  const std::string text = Base64Encode(key) + "\n";
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  const bool ok = written == text.size() && ::fsync(fd) == 0;
  const int saved_errno = errno;
  ::close(fd);
  if (!ok) {
    // A half-written key file would later be refused as corrupt; nothing was sealed with it yet.
    ::unlink(path.c_str());
    sodium_memzero(key.data(), key.size());
    return Status::Internal("Cannot write master key file " + path.string() + ": " +
                            std::strerror(saved_errno));
  }
  return key;
}

Result<std::string> HashPassword(std::string_view password) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::ResourceExhausted("Not enough memory to hash the password");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  EnsureSodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string terminated(hash);  // libsodium reads a NUL-terminated string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

std::string RandomToken(std::string_view prefix, size_t random_bytes) {
  EnsureSodium();
  std::string bytes(random_bytes, '\0');
  randombytes_buf(bytes.data(), bytes.size());
  return std::string(prefix) + ToBase64(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string NewId(std::string_view prefix) {
  EnsureSodium();
  constexpr std::string_view kAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
  constexpr size_t kLength = 20;
  std::string id(prefix);
  id += '_';
  for (size_t i = 0; i < kLength; ++i) {
    id += kAlphabet[randombytes_uniform(static_cast<uint32_t>(kAlphabet.size()))];
  }
  return id;
}

std::string Sha256Hex(std::string_view data) {
  EnsureSodium();
  std::string digest(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(Bytes(digest), Bytes(data), data.size());
  return ToHex(digest);
}

std::string HmacSha256(std::string_view key,
                       std::initializer_list<std::string_view> message_parts) {
  EnsureSodium();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, Bytes(key), key.size());
  for (std::string_view part : message_parts) {
    crypto_auth_hmacsha256_update(&state, Bytes(part), part.size());
  }
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, Bytes(mac));
  sodium_memzero(&state, sizeof state);
  return mac;
}

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  return ToHex(HmacSha256(key, {message}));
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  EnsureSodium();
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace stripeline
