// Shared pieces of the encryption tests: keys, plain and encrypted artifacts
// of small models, and running a context to compare outputs byte for byte.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "decrypt.h"
#include "encryption/encrypt.h"
#include "runtime/runtime_test_util.h"

namespace rknn::testing {

inline std::vector<std::byte> bytes_of(std::string_view text) {
  const auto span = std::as_bytes(std::span(text));
  return {span.begin(), span.end()};
}

// A fixed 32-byte key (levels 1 and 2) and a passphrase (level 3).
inline std::vector<std::byte> test_key(std::uint8_t seed = 1) {
  std::vector<std::byte> key(encryption::kKeySize);
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::byte>(seed * 37 + i * 11);
  return key;
}

inline std::vector<std::byte> test_secret(int level, std::uint8_t seed = 1) {
  if (level != 3) return test_key(seed);
  return bytes_of(seed == 1 ? "correct horse battery staple" : "incorrect horse battery staple");
}

// The two-input, two-output model of the runtime tests (weights and
// preprocessing), as a float32 artifact.
inline std::string two_io_artifact(const TempDir& dir) {
  save_two_io_model(dir / "two_io.onnx");
  return make_artifact(dir / "two_io.onnx", {"float32", {{{0.5f, 0.5f, 0.5f}, {2.0f, 2.0f, 2.0f}, {}}}, "secret"});
}

inline std::string encrypt(const std::string& plain, int level, std::uint8_t seed = 1) {
  const std::vector<std::byte> secret = test_secret(level, seed);
  return encryption::encrypt_artifact(plain, level, secret);
}

// rknn_init_encrypted on an aligned copy; returns the code.
inline int init_encrypted(ContextHandle& ctx, const std::string& bytes, const std::vector<std::byte>& key) {
  AlignedModel model(bytes);
  return rknn_init_encrypted(&ctx.id, model.data(), model.size(), 0, reinterpret_cast<const std::uint8_t*>(key.data()),
                             static_cast<std::uint32_t>(key.size()));
}

// Runs the two-io model on fixed inputs; the raw bytes of both outputs.
inline std::vector<std::byte> run_two_io(rknn_context ctx) {
  std::vector<float> x = random_floats(3 * 4 * 4, 11);
  std::vector<float> s = random_floats(2, 12);
  EXPECT_EQ(set_input(ctx, 0, x, RKNN_TENSOR_FLOAT32), RKNN_SUCC) << rknn_last_error_message();
  EXPECT_EQ(set_input(ctx, 1, s, RKNN_TENSOR_FLOAT32), RKNN_SUCC) << rknn_last_error_message();
  EXPECT_EQ(rknn_run(ctx, nullptr), RKNN_SUCC) << rknn_last_error_message();
  std::vector<std::byte> out = get_output(ctx, 0, true, 2 * 4 * 4 * sizeof(float));
  const std::vector<std::byte> m = get_output(ctx, 1, true, 2 * sizeof(float));
  out.insert(out.end(), m.begin(), m.end());
  return out;
}

}  // namespace rknn::testing
