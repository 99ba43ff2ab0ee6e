#pragma once
// Cryptographic helpers (libsodium): encryption of secrets at rest, the master key, password
// hashing, random tokens and ids, hashes and constant-time comparison. Every function here is
// thread-safe; libsodium is initialised once on first use.

#include <cstddef>
#include <optional>
#include <initializer_list>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/status.h"

namespace stripeline {

// Size in bytes of a SecretBox master key.
inline constexpr size_t kMasterKeyBytes = 32;

// Standard base64 alphabet with padding.
std::string Base64Encode(std::string_view bytes);
// Decodes standard base64 with padding; InvalidArgument on any other input (whitespace too).
Result<std::string> Base64Decode(std::string_view text);

// SecretBox: authenticated encryption of secrets at rest (XChaCha20-Poly1305-IETF) under one
// master key. The associated data binds a ciphertext to its owner (e.g. an integration id): a
// ciphertext moved to another row fails to open. The key bytes are wiped on destruction.
// Thread-safe: all methods are const and share no mutable state.
class SecretBox {
 public:
  // Precondition: key_bytes.size() == kMasterKeyBytes (checked by assert; with any other size
  // Seal and Open fail with Internal).
  explicit SecretBox(std::string key_bytes);
  ~SecretBox();
  SecretBox(const SecretBox&) = delete;
  SecretBox& operator=(const SecretBox&) = delete;

  // Encrypts with a fresh random nonce. Returns "v1:" + base64(nonce || ciphertext || tag).
  Result<std::string> Seal(std::string_view plaintext, std::string_view associated_data) const;
  // Reverses Seal. Fails with Internal, error code "secret_decrypt_failed", when the text is
  // malformed or tampered with, the associated data differs, or the key is not the one it was
  // sealed with.
  Result<std::string> Open(std::string_view sealed, std::string_view associated_data) const;

 private:
  std::string key_;
};

// Returns the 32-byte master key.
// - If env_value is set (the caller reads STRIPELINE_MASTER_KEY), it must hold 32 bytes encoded
//   as base64 or as 64 hex characters (surrounding whitespace ignored); anything else is
//   InvalidArgument. The file is then not read nor created.
// - Otherwise reads `<data_dir>/master.key` (base64 text). When missing, creates data_dir if
//   needed and the file (mode 0600, O_EXCL) holding a new random key.
// - An existing file with the wrong content is FailedPrecondition: it is never replaced, since
//   that would make every stored secret unreadable.
Result<std::string> LoadOrCreateMasterKey(const std::string& data_dir,
                                          std::optional<std::string> env_value);

// Argon2id hash in the libsodium string format (salt and parameters included), interactive
// limits. Fails (ResourceExhausted) only when memory cannot be allocated.
Result<std::string> HashPassword(std::string_view password);
// True iff `hash` is a string produced by HashPassword for `password`. False for malformed hashes.
bool VerifyPassword(std::string_view hash, std::string_view password);

// prefix + url-safe base64 without padding of `random_bytes` random bytes, e.g. "slt_3q2-...".
std::string RandomToken(std::string_view prefix, size_t random_bytes = 24);
// prefix + "_" + 20 random lowercase alphanumeric characters, e.g. NewId("int") = "int_k3...".
std::string NewId(std::string_view prefix);

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);
// The raw 32-byte HMAC-SHA-256, under a key of any length, of the concatenation of
// `message_parts` (streamed through the MAC, so no concatenated copy is built).
std::string HmacSha256(std::string_view key, std::initializer_list<std::string_view> message_parts);
// Lowercase hex HMAC-SHA-256 of `message` under a key of any length.
std::string HmacSha256Hex(std::string_view key, std::string_view message);
// Lowercase hex of `bytes`.
std::string ToHex(std::string_view bytes);
// Equality whose running time depends only on the lengths, not on where the inputs differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace stripeline
