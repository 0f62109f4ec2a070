#include "encryption/encrypt.h"

#include <cstring>

#include "driver/compile.h"
#include "ir/error.h"
#include "rknn_model_generated.h"

namespace rknn::encryption {
namespace {

namespace fb = rknn::format::fb;

std::size_t align_up(std::size_t n) {
  return (n + format::kDataAlignment - 1) / format::kDataAlignment * format::kDataAlignment;
}

// Checks that `plain` is a valid plain artifact; returns where its data
// section starts (the end of its padded flatbuffer).
std::size_t check_plain(std::span<const std::byte> plain) {
  if (is_encrypted(plain)) throw CompileError("the artifact is encrypted already");
  try {
    format::load_model(plain);
  } catch (const format::FormatError& e) {
    throw CompileError(std::string("not a valid plain artifact: ") + e.what());
  }
  flatbuffers::uoffset_t prefix = 0;
  std::memcpy(&prefix, plain.data(), sizeof prefix);
  return align_up(std::size_t{prefix} + sizeof prefix);
}

// The outer flatbuffer, padded to the data section, with a zero nonce whose
// place `nonce_at` gives.
struct Header {
  std::string bytes;
  std::size_t nonce_at = 0;
};

Header write_header(int level, const Keys& keys, std::span<const std::uint8_t> salt, std::size_t clear_size,
                    std::size_t text_size) {
  flatbuffers::FlatBufferBuilder b(1024);
  const auto version = b.CreateString(driver::compiler_version());
  const auto key_id = b.CreateString(keys.key_id);
  const auto cipher = b.CreateString(kCipher.data(), kCipher.size());
  const std::array<std::uint8_t, kNonceSize> zero{};
  const auto nonce = b.CreateVector(zero.data(), zero.size());
  flatbuffers::Offset<flatbuffers::String> kdf;
  flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>> kdf_salt;
  if (level == 3) {
    kdf = b.CreateString(kKdf.data(), kKdf.size());
    kdf_salt = b.CreateVector(salt.data(), salt.size());
  }

  fb::EncryptionBuilder e(b);
  e.add_level(level);
  e.add_key_id(key_id);
  const fb::BufferRef payload(clear_size, text_size + kTagSize);
  e.add_payload(&payload);
  e.add_cipher(cipher);
  e.add_nonce(nonce);
  e.add_plain_size(clear_size + text_size);
  const fb::BufferRef clear(0, clear_size);
  if (level == 1) e.add_clear(&clear);
  if (level == 3) {
    e.add_kdf(kdf);
    e.add_kdf_salt(kdf_salt);
    e.add_kdf_log2_n(kScrypt.log2_n);
    e.add_kdf_r(kScrypt.r);
    e.add_kdf_p(kScrypt.p);
  }
  const auto encryption = e.Finish();
  // Nothing else of the model is in clear: no graph, no inputs or outputs.
  fb::ModelBuilder m(b);
  m.add_format_version(format::kFormatVersion);
  m.add_compiler_version(version);
  m.add_encryption(encryption);
  fb::FinishSizePrefixedModelBuffer(b, m.Finish());

  const auto* base = b.GetBufferPointer();
  Header header{std::string(reinterpret_cast<const char*>(base), b.GetSize()), 0};
  header.nonce_at = static_cast<std::size_t>(fb::GetSizePrefixedModel(base)->encryption()->nonce()->Data() - base);
  header.bytes.resize(align_up(header.bytes.size()), '\0');
  return header;
}

}  // namespace

std::string encrypt_artifact(std::string_view plain_text, int level, std::span<const std::byte> secret) {
  if (level < kMinLevel || level > kMaxLevel) {
    throw CompileError("encryption level " + std::to_string(level) + ": expected 1, 2 or 3");
  }
  if (const std::string problem = secret_size_problem(level, secret.size()); !problem.empty()) {
    throw CompileError(problem);
  }
  const auto plain = std::as_bytes(std::span(plain_text));
  const std::size_t data_start = check_plain(plain);
  const std::size_t clear_size = level == 1 ? data_start : 0;
  const auto salt = salt_for(plain);  // used by level 3 only
  const Keys keys = derive_keys(level, secret, salt);
  Header header = write_header(level, keys, salt, clear_size, plain.size() - clear_size);
  const auto clear = plain.first(clear_size);
  const auto text = plain.subspan(clear_size);

  // SIV style: the nonce is a MAC of everything else in the file, so two
  // artifacts that differ anywhere never share a nonce under one key.
  const SecretBytes mac = hmac(keys.nonce.span(), {std::as_bytes(std::span(header.bytes)), clear, text});
  std::memcpy(header.bytes.data() + header.nonce_at, mac.data(), kNonceSize);

  std::string out = std::move(header.bytes);
  out.append(plain_text.substr(0, clear_size));
  const std::size_t payload_at = out.size();
  out.resize(payload_at + text.size() + kTagSize);
  const std::span<const std::uint8_t> nonce(reinterpret_cast<const std::uint8_t*>(mac.data()), kNonceSize);
  seal(keys.cipher, nonce, std::as_bytes(std::span(out)).first(payload_at), text,
       reinterpret_cast<std::byte*>(out.data() + payload_at));
  return out;
}

}  // namespace rknn::encryption
