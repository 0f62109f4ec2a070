// Shared pieces of the runtime tests: small ONNX models, 64-byte aligned
// model buffers, an owning context handle and typed input/output helpers.
#pragma once

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "aligned_model.h"
#include "artifact_maker.h"
#include "compiler/onnx_builder.h"
#include "rknn/rknn_api_ext.h"
#include "rknn_api.h"

namespace rknn::testing {

inline sim::Tensor float_tensor(std::vector<float> values, sim::Shape shape) {
  return sim::make_float_tensor(values, std::move(shape));
}

// x [1,3,4,4] and s [1,2,1,1] -> y = Relu(Conv1x1(x) + s) [1,2,4,4] and
// m = GlobalAveragePool(y) [1,2,1,1]. Two inputs and two outputs, so every
// index is exercised.
inline constexpr float kTwoIoWeights[2][3] = {{0.5f, -0.25f, 1.0f}, {-1.0f, 0.75f, 0.125f}};
inline constexpr float kTwoIoBias[2] = {0.1f, -0.2f};

inline void save_two_io_model(const std::filesystem::path& path) {
  OnnxBuilder b;
  b.input("x", {1, 3, 4, 4}).input("s", {1, 2, 1, 1}).output("y", {1, 2, 4, 4}).output("m", {1, 2, 1, 1});
  std::vector<float> w;
  for (const auto& row : kTwoIoWeights) w.insert(w.end(), std::begin(row), std::end(row));
  b.initializer("w", float_tensor(w, {2, 3, 1, 1}));
  b.initializer("b", float_tensor({kTwoIoBias[0], kTwoIoBias[1]}, {2}));
  b.node("Conv", {"x", "w", "b"}, {"c"}, "conv");
  b.node("Add", {"c", "s"}, {"a"}, "add");
  b.node("Relu", {"a"}, {"y"}, "relu");
  b.node("GlobalAveragePool", {"y"}, {"m"}, "gap");
  b.save(path);
}

// x [1,3,4,5] -> 3x3 Conv (pad 1) to 2 channels -> y [1,2,4,5]. H != W and
// every input channel has its own weights, so a wrong transpose or channel
// order changes the result.
inline void save_image_model(const std::filesystem::path& path) {
  OnnxBuilder b;
  b.input("x", {1, 3, 4, 5}).output("y", {1, 2, 4, 5});
  std::vector<float> w(2 * 3 * 3 * 3);
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>((static_cast<int>(i * 7) % 11) - 5) * 0.125f;
  b.initializer("w", float_tensor(w, {2, 3, 3, 3}));
  auto& conv = b.node("Conv", {"x", "w"}, {"y"}, "conv");
  set_ints(conv, "pads", {1, 1, 1, 1});
  b.save(path);
}

// x [1,4] -> Relu -> y [1,4], for integer input/output types.
inline void save_relu_model(const std::filesystem::path& path) {
  OnnxBuilder b;
  b.input("x", {1, 4}).output("y", {1, 4});
  b.node("Relu", {"x"}, {"y"}, "relu");
  b.save(path);
}

// Destroys the context when the test ends, whatever happened.
struct ContextHandle {
  rknn_context id = 0;
  ContextHandle() = default;
  ContextHandle(const ContextHandle&) = delete;
  ContextHandle& operator=(const ContextHandle&) = delete;
  ~ContextHandle() {
    if (id) rknn_destroy(id);
  }
};

inline std::vector<float> random_floats(std::size_t n, std::uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

template <class T>
int set_input(rknn_context ctx, std::uint32_t index, std::vector<T>& data, rknn_tensor_type type,
              rknn_tensor_format fmt = RKNN_TENSOR_NCHW, bool pass_through = false) {
  rknn_input input{};
  input.index = index;
  input.buf = data.data();
  input.size = static_cast<std::uint32_t>(data.size() * sizeof(T));
  input.pass_through = pass_through ? 1 : 0;
  input.type = type;
  input.fmt = fmt;
  return rknn_inputs_set(ctx, 1, &input);
}

// Output `index` as bytes (prealloc), failing the test on an error code.
inline std::vector<std::byte> get_output(rknn_context ctx, std::uint32_t index, bool want_float,
                                         std::size_t bytes) {
  std::vector<std::byte> out(bytes);
  rknn_output o{};
  o.want_float = want_float ? 1 : 0;
  o.is_prealloc = 1;
  o.index = index;
  o.buf = out.data();
  o.size = static_cast<std::uint32_t>(out.size());
  EXPECT_EQ(rknn_outputs_get(ctx, 1, &o, nullptr), RKNN_SUCC) << rknn_last_error_message();
  EXPECT_EQ(o.size, bytes);
  return out;
}

inline std::vector<float> as_floats(const std::vector<std::byte>& bytes) {
  std::vector<float> v(bytes.size() / sizeof(float));
  std::memcpy(v.data(), bytes.data(), v.size() * sizeof(float));
  return v;
}

inline rknn_tensor_attr query_attr(rknn_context ctx, rknn_query_cmd cmd, std::uint32_t index) {
  rknn_tensor_attr attr{};
  attr.index = index;
  EXPECT_EQ(rknn_query(ctx, cmd, &attr, sizeof attr), RKNN_SUCC) << rknn_last_error_message();
  return attr;
}

}  // namespace rknn::testing
