// Encrypted artifacts (docs/encryption.md). An encrypted .rknn is a Model
// flatbuffer without a graph whose Encryption table describes the payload:
//
//   [outer flatbuffer][pad to 64][level 1: the plain flatbuffer][ciphertext][tag]
//
// AES-256-GCM; every byte before the ciphertext is authenticated data, the
// ciphertext ends the file. Decryption rebuilds the plain artifact as
// clear part + plaintext. The runtime decrypts here; compiler/encryption/
// encrypts with the same primitives, so both sides share one definition.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rknn/model_format.h"
#include "rknn/rknn_api_ext.h"

namespace rknn::encryption {

inline constexpr int kMinLevel = 1;
inline constexpr int kMaxLevel = 3;
inline constexpr std::size_t kKeySize = 32;          // AES-256: the key of levels 1 and 2
inline constexpr std::size_t kMinSecretSize = 8;     // the secret of level 3
inline constexpr std::size_t kMaxSecretSize = RKNN_MAX_KEY_LEN;
inline constexpr std::size_t kNonceSize = 12;
inline constexpr std::size_t kTagSize = 16;
inline constexpr std::size_t kSaltSize = 16;
inline constexpr std::size_t kKeyIdSize = 8;         // bytes; printed as 16 hex digits
inline constexpr std::string_view kCipher = "AES-256-GCM";
inline constexpr std::string_view kKdf = "scrypt";

// Level 3's KDF cost: 2^15 * 8 * 128 bytes = 32 MiB of memory per derivation.
struct ScryptParams {
  std::uint32_t log2_n = 15;
  std::uint32_t r = 8;
  std::uint32_t p = 1;
};
inline constexpr ScryptParams kScrypt{};

// Key material that is wiped (OPENSSL_cleanse) when it goes away. Move only;
// its buffer never reallocates, so no copy is left behind.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t size) : bytes_(size) {}
  explicit SecretBytes(std::span<const std::byte> bytes) : bytes_(bytes.begin(), bytes.end()) {}
  ~SecretBytes() { wipe(); }
  SecretBytes(SecretBytes&& other) noexcept = default;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  std::byte* data() { return bytes_.data(); }
  const std::byte* data() const { return bytes_.data(); }
  std::size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  std::span<const std::byte> span() const { return bytes_; }
  // Keeps the first `size` bytes; the rest is wiped first.
  void truncate(std::size_t size);

 private:
  void wipe();
  std::vector<std::byte> bytes_;
};

// The clear envelope as read and checked; nothing in it is authenticated
// until the payload decrypts.
struct Envelope {
  int level = 0;
  std::string key_id;
  std::array<std::uint8_t, kNonceSize> nonce{};
  std::array<std::uint8_t, kSaltSize> salt{};  // level 3
  std::size_t clear_offset = 0;    // from the file start; level 1 only
  std::size_t clear_size = 0;
  std::size_t payload_offset = 0;  // from the file start: authenticated data is everything before it
  std::size_t payload_size = 0;    // ciphertext + tag, up to the end of the file
  std::size_t plain_size = 0;
};

// "weights", "graph and weights", "graph and weights, scrypt key".
const char* level_name(int level);

// True when `bytes` hold a well-formed outer flatbuffer with an Encryption table.
bool is_encrypted(std::span<const std::byte> bytes) noexcept;
// Throws format::FormatError naming what is wrong.
Envelope read_envelope(std::span<const std::byte> bytes);

// The AES and nonce keys of one artifact and its key id.
struct Keys {
  SecretBytes cipher;
  SecretBytes nonce;
  std::string key_id;
};

// Level 3's key derivation; replaceable so tests can memoize it.
using DeriveKey = std::function<SecretBytes(std::span<const std::byte> secret, std::span<const std::uint8_t> salt)>;
SecretBytes scrypt_key(std::span<const std::byte> secret, std::span<const std::uint8_t> salt);

// What is wrong with a secret of `size` bytes for `level` ("" when nothing):
// levels 1 and 2 take a 32-byte key, level 3 a secret of 8 to 1024 bytes.
std::string secret_size_problem(int level, std::size_t size);

// Derives the keys; throws format::FormatError for a secret of a bad size.
Keys derive_keys(int level, std::span<const std::byte> secret, std::span<const std::uint8_t> salt,
                 const DeriveKey& kdf = scrypt_key);

// Level 3's salt: a digest of the plain artifact, so output stays deterministic.
std::array<std::uint8_t, kSaltSize> salt_for(std::span<const std::byte> plain);

// HMAC-SHA256 of the concatenated parts.
SecretBytes hmac(std::span<const std::byte> key, std::initializer_list<std::span<const std::byte>> parts);

// AES-256-GCM; `out` receives the ciphertext followed by the tag.
void seal(const SecretBytes& key, std::span<const std::uint8_t> nonce, std::span<const std::byte> aad,
          std::span<const std::byte> plain, std::byte* out);

// The plain artifact, in 64-byte aligned memory that is wiped when freed.
struct Decrypted {
  std::shared_ptr<const std::byte> bytes;
  std::size_t size = 0;
  std::span<const std::byte> span() const { return {bytes.get(), size}; }
};

// Authenticates and decrypts. Throws format::FormatError for a wrong key, a
// damaged artifact or a bad key size.
Decrypted decrypt_artifact(std::span<const std::byte> bytes, std::span<const std::byte> secret,
                           const DeriveKey& kdf = scrypt_key);

// How an application supplies the key to rknn_init: bytes, or a provider
// asked for the key id it needs.
struct KeySource {
  std::span<const std::byte> key;
  rknn_key_provider provider = nullptr;
  void* user_data = nullptr;
  bool empty() const { return key.empty() && provider == nullptr; }
};

Decrypted decrypt_artifact(std::span<const std::byte> bytes, const KeySource& source);

}  // namespace rknn::encryption
