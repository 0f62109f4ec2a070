// Encrypted artifacts through the runtime, for each level: round trip with
// byte-identical outputs, deterministic bytes, wrong keys, plain rknn_init,
// and sweeps that damage every byte or cut the file anywhere (authenticated
// encryption must refuse all of them; this file also runs under ASan).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "encryption_test_util.h"
#include "ir/error.h"
#include "rknn/runtime.hpp"

namespace rknn {
namespace {

using namespace testing;

class EncryptionLevel : public ::testing::TestWithParam<int> {};

std::string message() { return rknn_last_error_message(); }

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_P(EncryptionLevel, RoundTripGivesIdenticalOutputs) {
  TempDir dir;
  const std::string plain = two_io_artifact(dir);
  const std::string encrypted = encrypt(plain, GetParam());
  EXPECT_NE(encrypted, plain);

  ContextHandle reference, ctx;
  AlignedModel model(plain);
  ASSERT_EQ(rknn_init(&reference.id, model.data(), model.size(), 0), RKNN_SUCC) << message();
  ASSERT_EQ(init_encrypted(ctx, encrypted, test_secret(GetParam())), RKNN_SUCC) << message();
  EXPECT_EQ(run_two_io(ctx.id), run_two_io(reference.id));
  rknn_custom_string custom{};
  ASSERT_EQ(rknn_query(ctx.id, RKNN_QUERY_CUSTOM_STRING, &custom, sizeof custom), RKNN_SUCC);
  EXPECT_STREQ(custom.string, "secret");
  const rknn_tensor_attr a = query_attr(ctx.id, RKNN_QUERY_INPUT_ATTR, 0);
  const rknn_tensor_attr b = query_attr(reference.id, RKNN_QUERY_INPUT_ATTR, 0);
  EXPECT_EQ(std::memcmp(&a, &b, sizeof a), 0);
}

TEST_P(EncryptionLevel, SameInputsGiveSameBytesOtherKeysOtherBytes) {
  TempDir dir;
  const std::string plain = two_io_artifact(dir);
  const std::string once = encrypt(plain, GetParam());
  const std::string other_key = encrypt(plain, GetParam(), 2);
  EXPECT_EQ(encrypt(plain, GetParam()), once);
  EXPECT_NE(other_key, once);
  const encryption::Envelope a = encryption::read_envelope(std::as_bytes(std::span(once)));
  const encryption::Envelope b = encryption::read_envelope(std::as_bytes(std::span(other_key)));
  EXPECT_EQ(a.level, GetParam());
  EXPECT_NE(a.key_id, b.key_id);
  EXPECT_NE(a.nonce, b.nonce);
  // A different model under the same key gets a different nonce.
  save_image_model(dir / "image.onnx");
  const std::string other = encrypt(make_artifact(dir / "image.onnx"), GetParam());
  EXPECT_NE(encryption::read_envelope(std::as_bytes(std::span(other))).nonce, a.nonce);
}

TEST_P(EncryptionLevel, WrongKeyIsModelInvalid) {
  TempDir dir;
  const std::string encrypted = encrypt(two_io_artifact(dir), GetParam());
  ContextHandle ctx;
  EXPECT_EQ(init_encrypted(ctx, encrypted, test_secret(GetParam(), 2)), RKNN_ERR_MODEL_INVALID);
  EXPECT_TRUE(contains(message(), "wrong key")) << message();
  EXPECT_EQ(ctx.id, 0u);
  // A key of the wrong length is a wrong key too.
  std::vector<std::byte> short_key = test_secret(GetParam());
  short_key.resize(7);
  EXPECT_EQ(init_encrypted(ctx, encrypted, short_key), RKNN_ERR_MODEL_INVALID);
  EXPECT_TRUE(contains(message(), "bytes, 7 were given")) << message();
}

TEST_P(EncryptionLevel, PlainInitSaysAKeyIsNeeded) {
  TempDir dir;
  AlignedModel model(encrypt(two_io_artifact(dir), GetParam()));
  ContextHandle ctx;
  EXPECT_EQ(rknn_init(&ctx.id, model.data(), model.size(), 0), RKNN_ERR_MODEL_INVALID);
  EXPECT_TRUE(contains(message(), "encrypted (level " + std::to_string(GetParam()))) << message();
  EXPECT_TRUE(contains(message(), "a key is needed")) << message();
}

TEST_P(EncryptionLevel, EveryCutIsRefused) {
  TempDir dir;
  const std::string encrypted = encrypt(two_io_artifact(dir), GetParam());
  const std::vector<std::byte> key = test_secret(GetParam());
  for (std::size_t n = 1; n < encrypted.size(); ++n) {
    ContextHandle ctx;
    ASSERT_EQ(init_encrypted(ctx, encrypted.substr(0, n), key), RKNN_ERR_MODEL_INVALID) << "cut at " << n;
  }
  ContextHandle ctx;
  EXPECT_EQ(init_encrypted(ctx, encrypted + std::string(64, '\0'), key), RKNN_ERR_MODEL_INVALID);
  EXPECT_TRUE(contains(message(), "does not end the file")) << message();
}

INSTANTIATE_TEST_SUITE_P(Levels, EncryptionLevel, ::testing::Values(1, 2, 3));

// Every byte damaged in turn, with all bits and with single bits flipped:
// header fields are authenticated data, so nothing may load.
void sweep_through_runtime(int level) {
  TempDir dir;
  const std::string encrypted = encrypt(two_io_artifact(dir), level);
  const std::vector<std::byte> key = test_secret(level);
  std::size_t tried = 0;
  for (unsigned mask : {0xffu, 0x01u, 0x02u, 0x04u, 0x08u, 0x10u, 0x20u, 0x40u, 0x80u}) {
    for (std::size_t i = 0; i < encrypted.size(); ++i) {
      std::string bytes = encrypted;
      bytes[i] = static_cast<char>(static_cast<unsigned char>(bytes[i]) ^ mask);
      ContextHandle ctx;
      ASSERT_EQ(init_encrypted(ctx, bytes, key), RKNN_ERR_MODEL_INVALID)
          << "byte " << i << " of " << encrypted.size() << " ^ " << mask << " was accepted";
      ++tried;
    }
  }
  std::printf("level %d: %zu damaged artifacts of %zu bytes, all refused\n", level, tried, encrypted.size());
}

TEST(EncryptionTamper, EveryByteFlipIsRefusedAtLevel1) { sweep_through_runtime(1); }
TEST(EncryptionTamper, EveryByteFlipIsRefusedAtLevel2) { sweep_through_runtime(2); }

// Level 3 runs scrypt (~70 ms) per load, too slow for thousands of loads: the
// sweep calls the decryption with a memoized KDF (same checks, same code
// path otherwise), and a few damaged files go through rknn_init as well.
TEST(EncryptionTamper, EveryByteFlipIsRefusedAtLevel3) {
  TempDir dir;
  const std::string encrypted = encrypt(two_io_artifact(dir), 3);
  const std::vector<std::byte> secret = test_secret(3);
  std::map<std::string, std::vector<std::byte>> cache;
  const encryption::DeriveKey memoized = [&cache](std::span<const std::byte> s, std::span<const std::uint8_t> salt) {
    std::string id(reinterpret_cast<const char*>(s.data()), s.size());
    id.append(reinterpret_cast<const char*>(salt.data()), salt.size());
    auto it = cache.find(id);
    if (it == cache.end()) {
      const encryption::SecretBytes key = encryption::scrypt_key(s, salt);
      it = cache.emplace(id, std::vector<std::byte>(key.span().begin(), key.span().end())).first;
    }
    return encryption::SecretBytes(std::span<const std::byte>(it->second));
  };
  ASSERT_NO_THROW(encryption::decrypt_artifact(std::as_bytes(std::span(encrypted)), secret, memoized));
  for (unsigned mask : {0xffu, 0x01u, 0x80u}) {
    for (std::size_t i = 0; i < encrypted.size(); ++i) {
      std::string bytes = encrypted;
      bytes[i] = static_cast<char>(static_cast<unsigned char>(bytes[i]) ^ mask);
      EXPECT_THROW(encryption::decrypt_artifact(std::as_bytes(std::span(bytes)), secret, memoized),
                   format::FormatError)
          << "byte " << i << " ^ " << mask;
    }
  }
  for (std::size_t i : {std::size_t{0}, std::size_t{9}, encrypted.size() / 3, encrypted.size() / 2,
                        encrypted.size() - 17, encrypted.size() - 1}) {
    std::string bytes = encrypted;
    bytes[i] = static_cast<char>(bytes[i] ^ 0x01);
    ContextHandle ctx;
    EXPECT_EQ(init_encrypted(ctx, bytes, secret), RKNN_ERR_MODEL_INVALID) << "byte " << i;
  }
}

// What each level leaves readable: level 1 shows the graph, never the weights;
// level 2 shows neither.
TEST(EncryptionLevels, Level1HidesWeightsLevel2AlsoTheGraph) {
  TempDir dir;
  const std::string plain = two_io_artifact(dir);
  std::string weights(sizeof kTwoIoWeights, '\0');
  std::memcpy(weights.data(), kTwoIoWeights, weights.size());
  ASSERT_TRUE(contains(plain, weights));
  ASSERT_TRUE(contains(plain, "conv"));
  const std::string level1 = encrypt(plain, 1);
  EXPECT_FALSE(contains(level1, weights));
  EXPECT_TRUE(contains(level1, "conv"));
  for (int level : {2, 3}) {
    const std::string hidden = encrypt(plain, level);
    EXPECT_FALSE(contains(hidden, weights));
    EXPECT_FALSE(contains(hidden, "conv"));
    EXPECT_FALSE(contains(hidden, "secret"));  // the custom string
  }
}

TEST(EncryptionLevels, SizeOverheadIsAHeaderAndATag) {
  TempDir dir;
  const std::string plain = two_io_artifact(dir);
  for (int level : {1, 2, 3}) {
    const std::size_t overhead = encrypt(plain, level).size() - plain.size();
    EXPECT_LE(overhead, 512u) << "level " << level;
    std::printf("level %d: %zu bytes -> +%zu bytes\n", level, plain.size(), overhead);
  }
}

TEST(EncryptionApi, UnalignedModelBufferLoads) {
  TempDir dir;
  const std::string encrypted = encrypt(two_io_artifact(dir), 2);
  std::vector<unsigned char> buffer(encrypted.size() + 3);
  std::memcpy(buffer.data() + 3, encrypted.data(), encrypted.size());
  const std::vector<std::byte> key = test_key();
  ContextHandle ctx;
  ASSERT_EQ(rknn_init_encrypted(&ctx.id, buffer.data() + 3, static_cast<std::uint32_t>(encrypted.size()), 0,
                                reinterpret_cast<const std::uint8_t*>(key.data()), 32),
            RKNN_SUCC)
      << message();
  run_two_io(ctx.id);
}

TEST(EncryptionApi, PlainModelWithAKeyLoads) {
  TempDir dir;
  ContextHandle ctx;
  EXPECT_EQ(init_encrypted(ctx, two_io_artifact(dir), test_key()), RKNN_SUCC) << message();
}

TEST(EncryptionApi, BadKeyArgumentsAreParamInvalid) {
  TempDir dir;
  AlignedModel model(encrypt(two_io_artifact(dir), 1));
  const std::vector<std::byte> key = test_key();
  const auto* k = reinterpret_cast<const std::uint8_t*>(key.data());
  rknn_context ctx = 7;
  EXPECT_EQ(rknn_init_encrypted(&ctx, model.data(), model.size(), 0, nullptr, 32), RKNN_ERR_PARAM_INVALID);
  EXPECT_EQ(ctx, 0u);
  EXPECT_EQ(rknn_init_encrypted(&ctx, model.data(), model.size(), 0, k, 0), RKNN_ERR_PARAM_INVALID);
  EXPECT_EQ(rknn_init_encrypted(&ctx, model.data(), model.size(), 0, k, RKNN_MAX_KEY_LEN + 1), RKNN_ERR_PARAM_INVALID);
  rknn_init_options options{};
  options.key = k;
  options.key_len = 32;
  options.key_provider = [](void*, const char*, std::int32_t, std::uint8_t*, std::uint32_t, std::uint32_t*) { return 0; };
  EXPECT_EQ(rknn_init_with_options(&ctx, model.data(), model.size(), 0, &options), RKNN_ERR_PARAM_INVALID);
  EXPECT_TRUE(contains(message(), "not both")) << message();
  // Without a key, encrypted models are refused; with NULL options too.
  EXPECT_EQ(rknn_init_with_options(&ctx, model.data(), model.size(), 0, nullptr), RKNN_ERR_MODEL_INVALID);
}

// A provider that hands out the key from "secure storage" when asked for its id.
struct Storage {
  std::string key_id;
  int level = 0;
  int calls = 0;
  std::vector<std::byte> key;
};

int provide(void* user_data, const char* key_id, std::int32_t level, std::uint8_t* key, std::uint32_t capacity,
            std::uint32_t* key_len) {
  auto& storage = *static_cast<Storage*>(user_data);
  ++storage.calls;
  storage.key_id = key_id;
  storage.level = level;
  if (storage.key.empty()) return 5;
  if (storage.key.size() > capacity) return 6;
  std::memcpy(key, storage.key.data(), storage.key.size());
  *key_len = static_cast<std::uint32_t>(storage.key.size());
  return 0;
}

TEST(EncryptionApi, KeyProviderIsAskedForTheKeyId) {
  TempDir dir;
  const std::string encrypted = encrypt(two_io_artifact(dir), 2);
  AlignedModel model(encrypted);
  Storage storage{"", 0, 0, test_key()};
  rknn_init_options options{};
  options.threads = 2;
  options.key_provider = provide;
  options.key_provider_data = &storage;
  ContextHandle ctx;
  ASSERT_EQ(rknn_init_with_options(&ctx.id, model.data(), model.size(), 0, &options), RKNN_SUCC) << message();
  EXPECT_EQ(storage.calls, 1);
  EXPECT_EQ(storage.level, 2);
  EXPECT_EQ(storage.key_id, encryption::read_envelope(std::as_bytes(std::span(encrypted))).key_id);
  run_two_io(ctx.id);

  storage.key.clear();  // the storage refuses
  ContextHandle refused;
  EXPECT_EQ(rknn_init_with_options(&refused.id, model.data(), model.size(), 0, &options), RKNN_ERR_MODEL_INVALID);
  EXPECT_TRUE(contains(message(), "key provider returned 5")) << message();

  // Not asked for a plain model.
  storage.calls = 0;
  AlignedModel plain(two_io_artifact(dir));
  ContextHandle plain_ctx;
  EXPECT_EQ(rknn_init_with_options(&plain_ctx.id, plain.data(), plain.size(), 0, &options), RKNN_SUCC);
  EXPECT_EQ(storage.calls, 0);
}

TEST(EncryptionApi, SessionTakesKeyOrProvider) {
  TempDir dir;
  const std::string plain = two_io_artifact(dir);
  AlignedModel model(encrypt(plain, 3));
  const std::vector<std::byte> secret = test_secret(3);
  Session with_key(model.span(), {.key = secret});
  EXPECT_EQ(with_key.custom_string(), "secret");

  int level = 0;
  Session with_provider(model.span(), {.key_provider = [&](const KeyRequest& request) {
                                         level = request.level;
                                         return secret;
                                       }});
  EXPECT_EQ(level, 3);
  EXPECT_EQ(run_two_io(with_provider.context()), run_two_io(with_key.context()));

  try {
    Session refused(model.span(), {.key_provider = [](const KeyRequest&) -> std::vector<std::byte> {
                                     throw std::runtime_error("no key here");
                                   }});
    ADD_FAILURE() << "a refusing provider was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), RKNN_ERR_MODEL_INVALID);
  }
  try {
    Session no_key(model.span());
    ADD_FAILURE() << "loaded without a key";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), RKNN_ERR_MODEL_INVALID);
    EXPECT_TRUE(contains(e.what(), "a key is needed")) << e.what();
  }
}

TEST(EncryptionApi, EncryptRefusesBadInputs) {
  TempDir dir;
  const std::string plain = two_io_artifact(dir);
  const std::vector<std::byte> key = test_key();
  EXPECT_THROW(encryption::encrypt_artifact(plain, 0, key), CompileError);
  EXPECT_THROW(encryption::encrypt_artifact(plain, 4, key), CompileError);
  EXPECT_THROW(encryption::encrypt_artifact(plain, 3, std::span(key).first(7)), CompileError);
  EXPECT_THROW(encryption::encrypt_artifact(plain, 1, std::span(key).first(31)), CompileError);
  EXPECT_THROW(encryption::encrypt_artifact(encrypt(plain, 1), 2, key), CompileError);  // twice
  EXPECT_THROW(encryption::encrypt_artifact(plain.substr(0, 100), 2, key), CompileError);
}

}  // namespace
}  // namespace rknn
