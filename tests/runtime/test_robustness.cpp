// Damaged artifacts never crash the runtime (this file also runs under ASan
// and UBSan), and contexts on different threads do not interfere.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <thread>

#include "runtime_test_util.h"

namespace rknn {
namespace {

using namespace testing;

// Everything an application would do with a model that rknn_init accepted.
// Error codes are fine; only a crash or a sanitizer report is not.
void exercise(rknn_context ctx) {
  rknn_input_output_num num{};
  if (rknn_query(ctx, RKNN_QUERY_IN_OUT_NUM, &num, sizeof num) != RKNN_SUCC) return;
  for (std::uint32_t i = 0; i < num.n_input; ++i) {
    rknn_tensor_attr attr{};
    attr.index = i;
    if (rknn_query(ctx, RKNN_QUERY_INPUT_ATTR, &attr, sizeof attr) != RKNN_SUCC) return;
    if (attr.n_elems > (1u << 22)) return;
    std::vector<float> zeros(attr.n_elems, 0.25f);
    set_input(ctx, i, zeros, RKNN_TENSOR_FLOAT32);
  }
  if (rknn_run(ctx, nullptr) != RKNN_SUCC) return;
  std::vector<rknn_output> outs(num.n_output);
  for (std::uint32_t i = 0; i < num.n_output; ++i) {
    outs[i].index = i;
    outs[i].want_float = 1;
  }
  if (!outs.empty() && rknn_outputs_get(ctx, num.n_output, outs.data(), nullptr) == RKNN_SUCC) {
    EXPECT_EQ(rknn_outputs_release(ctx, num.n_output, outs.data()), RKNN_SUCC);
  }
  rknn_mem_size mem{};
  rknn_custom_string custom{};
  rknn_query(ctx, RKNN_QUERY_MEM_SIZE, &mem, sizeof mem);
  rknn_query(ctx, RKNN_QUERY_CUSTOM_STRING, &custom, sizeof custom);
}

// Loads a damaged model: refused as invalid, or accepted and usable.
bool try_model(std::vector<unsigned char>& bytes) {
  rknn_context ctx = 0;
  const int code = rknn_init(&ctx, bytes.data(), static_cast<std::uint32_t>(bytes.size()), 0);
  EXPECT_TRUE(code == RKNN_SUCC || code == RKNN_ERR_MODEL_INVALID) << code << " " << rknn_last_error_message();
  if (code != RKNN_SUCC) return false;
  exercise(ctx);
  EXPECT_EQ(rknn_destroy(ctx), RKNN_SUCC);
  return true;
}

std::string small_artifact(const TempDir& dir) {
  save_two_io_model(dir / "m.onnx");
  return make_artifact(dir / "m.onnx", {"float32", {{{0.5f, 0.5f, 0.5f}, {2.0f, 2.0f, 2.0f}, {}}}, "flip me"});
}

TEST(RuntimeRobustness, TruncatedArtifactsAreInvalid) {
  TempDir dir;
  const std::string artifact = small_artifact(dir);
  for (std::size_t n = 1; n < artifact.size(); ++n) {
    std::vector<unsigned char> prefix(artifact.begin(), artifact.begin() + static_cast<std::ptrdiff_t>(n));
    rknn_context ctx = 0;
    ASSERT_EQ(rknn_init(&ctx, prefix.data(), static_cast<std::uint32_t>(n), 0), RKNN_ERR_MODEL_INVALID)
        << "prefix of " << n << " of " << artifact.size() << " bytes";
  }
}

// Every byte of the artifact damaged in turn: all bits flipped, and each
// single bit flipped (small changes to counts, offsets, indices and dims).
TEST(RuntimeRobustness, EveryByteFlipIsRefusedOrRuns) {
  TempDir dir;
  const std::string artifact = small_artifact(dir);
  std::size_t accepted = 0, tried = 0;
  for (unsigned mask : {0xffu, 0x01u, 0x02u, 0x04u, 0x08u, 0x10u, 0x20u, 0x40u, 0x80u}) {
    for (std::size_t i = 0; i < artifact.size(); ++i) {
      std::vector<unsigned char> bytes(artifact.begin(), artifact.end());
      bytes[i] = static_cast<unsigned char>(bytes[i] ^ mask);
      accepted += try_model(bytes) ? 1 : 0;
      ++tried;
    }
  }
  std::printf("%zu of %zu damaged artifacts were accepted (weights, names, strings) and ran\n", accepted, tried);
  EXPECT_GT(accepted, 0u);  // weight bytes carry no structure
  EXPECT_LT(accepted, tried);
}

// The same for a real network (conv, pooling, flatten, gemm; float16), over
// the flatbuffer part: flipping weights only changes numbers.
TEST(RuntimeRobustness, EveryMetadataByteFlipOfTinyCnnIsRefusedOrRuns) {
  const std::string artifact = make_artifact(RKNN_TINY_CNN_ONNX, {"float16", {}, "tiny"});
  std::uint32_t prefix = 0;
  std::memcpy(&prefix, artifact.data(), sizeof prefix);  // the flatbuffer's size prefix
  const std::size_t metadata = std::min<std::size_t>(artifact.size(), prefix + sizeof prefix);
  std::size_t accepted = 0;
  for (std::size_t i = 0; i < metadata; ++i) {
    std::vector<unsigned char> bytes(artifact.begin(), artifact.end());
    bytes[i] = static_cast<unsigned char>(bytes[i] ^ 0xffu);
    accepted += try_model(bytes) ? 1 : 0;
  }
  std::printf("%zu of %zu damaged artifacts were accepted and ran\n", accepted, metadata);
}

std::vector<float> run_tiny_cnn(rknn_context ctx, int times) {
  std::vector<float> image = random_floats(3 * 32 * 32, 5, 0.0f, 1.0f);
  std::vector<float> result;
  for (int i = 0; i < times; ++i) {
    if (set_input(ctx, 0, image, RKNN_TENSOR_FLOAT32) != RKNN_SUCC || rknn_run(ctx, nullptr) != RKNN_SUCC) return {};
    std::vector<float> out = as_floats(get_output(ctx, 0, true, 10 * sizeof(float)));
    if (i > 0 && out != result) return {};
    result = out;
  }
  return result;
}

TEST(RuntimeRobustness, TwoContextsOnTwoThreadsGiveIdenticalResults) {
  AlignedModel model(make_artifact(RKNN_TINY_CNN_ONNX));
  ContextHandle reference;
  ASSERT_EQ(rknn_init(&reference.id, model.data(), model.size(), 0), RKNN_SUCC) << rknn_last_error_message();
  const std::vector<float> want = run_tiny_cnn(reference.id, 1);
  ASSERT_EQ(want.size(), 10u);

  ContextHandle a, b;
  ASSERT_EQ(rknn_init(&a.id, model.data(), model.size(), 0), RKNN_SUCC);
  ASSERT_EQ(rknn_init_with_threads(&b.id, model.data(), model.size(), 0, 2), RKNN_SUCC);
  std::vector<float> got_a, got_b;
  std::thread ta([&] { got_a = run_tiny_cnn(a.id, 20); });
  std::thread tb([&] { got_b = run_tiny_cnn(b.id, 20); });
  ta.join();
  tb.join();
  EXPECT_EQ(got_a, want);
  EXPECT_EQ(got_b, want);
}

TEST(RuntimeRobustness, ContextsCreatedAndDestroyedConcurrently) {
  TempDir dir;
  AlignedModel model(small_artifact(dir));
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (std::size_t t = 0; t < failures.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        rknn_context ctx = 0;
        if (rknn_init(&ctx, model.data(), model.size(), 0) != RKNN_SUCC || rknn_destroy(ctx) != RKNN_SUCC) ++failures[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace rknn
