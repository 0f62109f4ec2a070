#include "decrypt.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <stdexcept>

#include "rknn_model_generated.h"

namespace rknn::encryption {
namespace {

namespace fb = rknn::format::fb;

// OpenSSL takes int lengths: feed large models in pieces.
constexpr std::size_t kChunk = std::size_t{1} << 30;

constexpr std::string_view kCipherKeyLabel = "rknn-build v1 cipher key";
constexpr std::string_view kNonceKeyLabel = "rknn-build v1 nonce key";
constexpr std::string_view kKeyIdLabel = "rknn-build v1 key id";
constexpr std::string_view kSaltLabel = "rknn-build v1 scrypt salt";

[[noreturn]] void fail(const std::string& what) { throw format::FormatError("invalid model: " + what); }

// OpenSSL itself failed (out of memory, missing algorithm): not the model's fault.
[[noreturn]] void crypto_failure(const char* what) {
  throw std::runtime_error(std::string("OpenSSL failed in ") + what);
}

const unsigned char* uc(const std::byte* p) { return reinterpret_cast<const unsigned char*>(p); }
unsigned char* uc(std::byte* p) { return reinterpret_cast<unsigned char*>(p); }

std::span<const std::byte> as_bytes(std::string_view text) { return std::as_bytes(std::span(text)); }

std::size_t align_up(std::size_t n) {
  return (n + format::kDataAlignment - 1) / format::kDataAlignment * format::kDataAlignment;
}

std::string hex(std::span<const std::byte> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::byte b : bytes) {
    out += kDigits[std::to_integer<unsigned>(b) >> 4];
    out += kDigits[std::to_integer<unsigned>(b) & 15];
  }
  return out;
}

struct CipherFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
struct MacFree {
  void operator()(EVP_MAC* m) const { EVP_MAC_free(m); }
};
struct MacCtxFree {
  void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherFree>;

// A GCM context keyed with `key` and `nonce`, for encryption or decryption.
CipherCtx gcm(const SecretBytes& key, std::span<const std::uint8_t> nonce, bool encrypt) {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx || key.size() != kKeySize || nonce.size() != kNonceSize ||
      EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr, encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceSize), nullptr) != 1 ||
      EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, uc(key.data()), nonce.data(), encrypt ? 1 : 0) != 1) {
    crypto_failure("AES-256-GCM setup");
  }
  return ctx;
}

void gcm_aad(EVP_CIPHER_CTX* ctx, std::span<const std::byte> aad) {
  for (std::size_t at = 0; at < aad.size(); at += kChunk) {
    int n = 0;
    const auto len = static_cast<int>(std::min(kChunk, aad.size() - at));
    if (EVP_CipherUpdate(ctx, nullptr, &n, uc(aad.data() + at), len) != 1) crypto_failure("AES-256-GCM");
  }
}

void gcm_update(EVP_CIPHER_CTX* ctx, std::span<const std::byte> in, std::byte* out) {
  for (std::size_t at = 0; at < in.size(); at += kChunk) {
    int n = 0;
    const auto len = static_cast<int>(std::min(kChunk, in.size() - at));
    if (EVP_CipherUpdate(ctx, uc(out + at), &n, uc(in.data() + at), len) != 1) crypto_failure("AES-256-GCM");
  }
}

// 64-byte aligned memory that is wiped before it is freed.
std::shared_ptr<std::byte> wiped_buffer(std::size_t size) {
  auto* p = static_cast<std::byte*>(::operator new[](size, std::align_val_t{format::kDataAlignment}));
  return {p, [size](std::byte* q) {
            OPENSSL_cleanse(q, size);
            ::operator delete[](q, std::align_val_t{format::kDataAlignment});
          }};
}

// The outer flatbuffer, copied so that its scalars are aligned whatever the
// caller's buffer is (the verifier checks alignment relative to the start).
class Header {
 public:
  explicit Header(std::span<const std::byte> bytes) {
    if (!format::looks_like_model(bytes)) fail("not an rknn-build artifact (identifier RKNB)");
    flatbuffers::uoffset_t prefix = 0;
    std::memcpy(&prefix, bytes.data(), sizeof prefix);
    size_ = std::size_t{prefix} + sizeof prefix;
    if (size_ > bytes.size()) fail("truncated (the header says " + std::to_string(size_) + " bytes)");
    copy_.resize((size_ + sizeof(std::uint64_t) - 1) / sizeof(std::uint64_t));
    std::memcpy(copy_.data(), bytes.data(), size_);
    const auto* base = reinterpret_cast<const std::uint8_t*>(copy_.data());
    flatbuffers::Verifier verifier(base, size_);
    if (!fb::VerifySizePrefixedModelBuffer(verifier)) fail("the flatbuffer fails verification (corrupted)");
    model_ = fb::GetSizePrefixedModel(base);
  }
  const fb::Model* model() const { return model_; }
  std::size_t size() const { return size_; }

 private:
  std::vector<std::uint64_t> copy_;
  std::size_t size_ = 0;
  const fb::Model* model_ = nullptr;
};

template <std::size_t N>
std::array<std::uint8_t, N> fixed_bytes(const flatbuffers::Vector<std::uint8_t>* v, const char* what) {
  if (!v || v->size() != N) fail(std::string("the encryption ") + what + " is not " + std::to_string(N) + " bytes");
  std::array<std::uint8_t, N> out{};
  std::copy(v->begin(), v->end(), out.begin());
  return out;
}

bool is_key_id(const flatbuffers::String* s) {
  return s && s->size() == 2 * kKeyIdSize &&
         std::all_of(s->begin(), s->end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Level 3 names its KDF; only this version's parameters are accepted, so a
// damaged header cannot ask for an expensive derivation.
void check_kdf(const fb::Encryption& e, int level, Envelope& out) {
  if (level != 3) {
    if (e.kdf() || e.kdf_salt()) fail("a level " + std::to_string(level) + " model has KDF parameters");
    return;
  }
  if (!e.kdf() || e.kdf()->string_view() != kKdf) fail("level 3 names an unknown KDF");
  if (e.kdf_log2_n() != kScrypt.log2_n || e.kdf_r() != kScrypt.r || e.kdf_p() != kScrypt.p) {
    fail("unsupported scrypt parameters");
  }
  out.salt = fixed_bytes<kSaltSize>(e.kdf_salt(), "salt");
}

// Where the clear part and the payload lie; the payload must end the file.
void check_ranges(const fb::Encryption& e, std::size_t data_start, std::size_t file_size, Envelope& out) {
  const fb::BufferRef* payload = e.payload();
  if (!payload) fail("the encryption envelope has no payload");
  if (data_start > file_size || payload->offset() % format::kDataAlignment != 0 ||
      payload->offset() > file_size - data_start || payload->size() != file_size - data_start - payload->offset()) {
    fail("truncated or damaged: the encrypted payload does not end the file");
  }
  if (payload->size() < kTagSize) fail("the encrypted payload is shorter than its tag");
  out.payload_offset = data_start + static_cast<std::size_t>(payload->offset());
  out.payload_size = static_cast<std::size_t>(payload->size());
  const fb::BufferRef* clear = e.clear();
  if ((out.level == 1) != (clear != nullptr)) fail("a clear part belongs to level 1 models only");
  if (clear) {
    if (clear->offset() != 0 || clear->size() == 0 || clear->size() != payload->offset()) {
      fail("the clear part does not precede the payload");
    }
    out.clear_offset = data_start;
    out.clear_size = static_cast<std::size_t>(clear->size());
  } else if (payload->offset() != 0) {
    fail("the payload does not start the data section");
  }
  if (e.plain_size() != out.clear_size + out.payload_size - kTagSize) fail("the plain size does not add up");
  out.plain_size = static_cast<std::size_t>(e.plain_size());
}

// Asks the application's provider for the key of `envelope`.
SecretBytes key_from_provider(const KeySource& source, const Envelope& envelope) {
  SecretBytes key(kMaxSecretSize);
  std::uint32_t length = 0;
  const int status = source.provider(source.user_data, envelope.key_id.c_str(), envelope.level,
                                     reinterpret_cast<std::uint8_t*>(key.data()),
                                     static_cast<std::uint32_t>(key.size()), &length);
  if (status != 0) {
    fail("the key provider returned " + std::to_string(status) + " for key id " + envelope.key_id);
  }
  if (length > key.size()) fail("the key provider returned a key longer than its buffer");
  key.truncate(length);
  return key;
}

}  // namespace

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    wipe();
    bytes_ = std::move(other.bytes_);
    other.bytes_.clear();
  }
  return *this;
}

void SecretBytes::wipe() {
  if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

void SecretBytes::truncate(std::size_t size) {
  if (size >= bytes_.size()) return;
  OPENSSL_cleanse(bytes_.data() + size, bytes_.size() - size);
  bytes_.resize(size);  // shrinking never reallocates
}

std::string secret_size_problem(int level, std::size_t size) {
  if (level < 3 && size != kKeySize) {
    return "a level " + std::to_string(level) + " key is " + std::to_string(kKeySize) + " bytes, " +
           std::to_string(size) + " were given";
  }
  if (level == 3 && (size < kMinSecretSize || size > kMaxSecretSize)) {
    return "a level 3 secret is " + std::to_string(kMinSecretSize) + " to " + std::to_string(kMaxSecretSize) +
           " bytes, " + std::to_string(size) + " were given";
  }
  return "";
}

const char* level_name(int level) {
  switch (level) {
    case 1: return "weights";
    case 2: return "graph and weights";
    case 3: return "graph and weights, scrypt key";
    default: return "unknown";
  }
}

bool is_encrypted(std::span<const std::byte> bytes) noexcept {
  try {
    return Header(bytes).model()->encryption() != nullptr;
  } catch (...) {
    return false;
  }
}

Envelope read_envelope(std::span<const std::byte> bytes) {
  const Header header(bytes);
  const fb::Model* model = header.model();
  const fb::Encryption* e = model->encryption();
  if (!e) fail("the model is not encrypted");
  // The envelope's layout is the same in every version the reader reads.
  if (model->format_version() < format::kOldestFormatVersion || model->format_version() > format::kFormatVersion) {
    fail("format version " + std::to_string(model->format_version()) + ", this runtime reads versions " +
         std::to_string(format::kOldestFormatVersion) + " to " + std::to_string(format::kFormatVersion));
  }
  if (model->graph()) fail("an encrypted model carries a graph in clear");
  Envelope out;
  out.level = e->level();
  if (out.level < kMinLevel || out.level > kMaxLevel) fail("unknown encryption level " + std::to_string(out.level));
  if (!e->cipher() || e->cipher()->string_view() != kCipher) fail("unknown cipher (this runtime reads AES-256-GCM)");
  if (!is_key_id(e->key_id())) fail("the key id is not 16 hex digits");
  out.key_id = e->key_id()->str();
  out.nonce = fixed_bytes<kNonceSize>(e->nonce(), "nonce");
  check_kdf(*e, out.level, out);
  check_ranges(*e, align_up(header.size()), bytes.size(), out);
  return out;
}

SecretBytes hmac(std::span<const std::byte> key, std::initializer_list<std::span<const std::byte>> parts) {
  std::unique_ptr<EVP_MAC, MacFree> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx(mac ? EVP_MAC_CTX_new(mac.get()) : nullptr);
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  if (!ctx || EVP_MAC_init(ctx.get(), uc(key.data()), key.size(), params) != 1) crypto_failure("HMAC setup");
  for (const auto& part : parts) {
    for (std::size_t at = 0; at < part.size(); at += kChunk) {
      if (EVP_MAC_update(ctx.get(), uc(part.data() + at), std::min(kChunk, part.size() - at)) != 1) {
        crypto_failure("HMAC");
      }
    }
  }
  SecretBytes out(32);
  std::size_t length = 0;
  if (EVP_MAC_final(ctx.get(), uc(out.data()), &length, out.size()) != 1 || length != out.size()) {
    crypto_failure("HMAC");
  }
  return out;
}

SecretBytes scrypt_key(std::span<const std::byte> secret, std::span<const std::uint8_t> salt) {
  SecretBytes key(kKeySize);
  const std::uint64_t n = std::uint64_t{1} << kScrypt.log2_n;
  const std::uint64_t max_memory = 2 * 128 * std::uint64_t{kScrypt.r} * n;
  if (EVP_PBE_scrypt(reinterpret_cast<const char*>(secret.data()), secret.size(), salt.data(), salt.size(), n,
                     kScrypt.r, kScrypt.p, max_memory, uc(key.data()), key.size()) != 1) {
    crypto_failure("scrypt");
  }
  return key;
}

Keys derive_keys(int level, std::span<const std::byte> secret, std::span<const std::uint8_t> salt,
                 const DeriveKey& kdf) {
  if (const std::string problem = secret_size_problem(level, secret.size()); !problem.empty()) fail(problem);
  // Levels 1 and 2 use the key as given; level 3 stretches the secret first.
  const SecretBytes master = level == 3 ? kdf(secret, salt) : SecretBytes(secret);
  // Separate keys for AES, the nonce MAC and the key id: one key, one purpose.
  Keys keys{hmac(master.span(), {as_bytes(kCipherKeyLabel)}), hmac(master.span(), {as_bytes(kNonceKeyLabel)}), ""};
  const SecretBytes id = hmac(master.span(), {as_bytes(kKeyIdLabel)});
  keys.key_id = hex(id.span().first(kKeyIdSize));
  return keys;
}

std::array<std::uint8_t, kSaltSize> salt_for(std::span<const std::byte> plain) {
  std::array<std::uint8_t, kSaltSize> salt{};
  std::array<unsigned char, 32> digest{};
  unsigned int length = 0;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  bool ok = ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1 &&
            EVP_DigestUpdate(ctx.get(), kSaltLabel.data(), kSaltLabel.size()) == 1;
  for (std::size_t at = 0; ok && at < plain.size(); at += kChunk) {
    ok = EVP_DigestUpdate(ctx.get(), plain.data() + at, std::min(kChunk, plain.size() - at)) == 1;
  }
  if (!ok || EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1) crypto_failure("SHA-256");
  std::copy_n(digest.begin(), salt.size(), salt.begin());
  return salt;
}

void seal(const SecretBytes& key, std::span<const std::uint8_t> nonce, std::span<const std::byte> aad,
          std::span<const std::byte> plain, std::byte* out) {
  const CipherCtx ctx = gcm(key, nonce, true);
  gcm_aad(ctx.get(), aad);
  gcm_update(ctx.get(), plain, out);
  int n = 0;
  if (EVP_EncryptFinal_ex(ctx.get(), uc(out + plain.size()), &n) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize), out + plain.size()) != 1) {
    crypto_failure("AES-256-GCM");
  }
}

Decrypted decrypt_artifact(std::span<const std::byte> bytes, std::span<const std::byte> secret, const DeriveKey& kdf) {
  const Envelope envelope = read_envelope(bytes);
  const Keys keys = derive_keys(envelope.level, secret, envelope.salt, kdf);
  if (keys.key_id != envelope.key_id) {
    fail("wrong key: the model (level " + std::to_string(envelope.level) + ") was encrypted with key id " +
         envelope.key_id + ", the key given has id " + keys.key_id);
  }
  const std::size_t text_size = envelope.payload_size - kTagSize;
  std::shared_ptr<std::byte> plain = wiped_buffer(std::max<std::size_t>(envelope.plain_size, 1));
  const CipherCtx ctx = gcm(keys.cipher, envelope.nonce, false);
  gcm_aad(ctx.get(), bytes.first(envelope.payload_offset));
  gcm_update(ctx.get(), bytes.subspan(envelope.payload_offset, text_size), plain.get() + envelope.clear_size);
  std::array<std::byte, kTagSize> tag{};
  std::memcpy(tag.data(), bytes.data() + envelope.payload_offset + text_size, kTagSize);
  std::array<unsigned char, kTagSize> unused{};  // GCM's final step writes nothing
  int n = 0;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize), tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), unused.data(), &n) != 1) {
    // `plain` is wiped as it goes away: unauthenticated plaintext never escapes.
    fail("authentication failed: the encrypted model was modified or damaged");
  }
  std::memcpy(plain.get(), bytes.data() + envelope.clear_offset, envelope.clear_size);
  return {std::const_pointer_cast<const std::byte>(plain), envelope.plain_size};
}

Decrypted decrypt_artifact(std::span<const std::byte> bytes, const KeySource& source) {
  if (!source.provider) return decrypt_artifact(bytes, source.key);
  const SecretBytes key = key_from_provider(source, read_envelope(bytes));
  return decrypt_artifact(bytes, key.span());
}

}  // namespace rknn::encryption
