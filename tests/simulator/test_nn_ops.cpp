// Neural-network ops: Conv, ConvTranspose, Gemm, MatMul, pools, norms, LRN.
// Small cases with hand-computed (or ONNX test-data) values for each mode,
// error cases, fast-vs-reference sweeps and thread-count determinism.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "rknn/sim/error.h"
#include "sim_test_util.h"

namespace rknn::sim {
namespace {

// Helpers from sim_test_util.h: run_op, runtime, constant, absent, make_node, attrs, iota, ...
using namespace testing;

using Ints = std::vector<std::int64_t>;

Tensor filled(Shape shape, float value) {
  Tensor t(DType::kFloat32, std::move(shape));
  for (float& x : t.values<float>()) x = value;
  return t;
}

// Runs the node in both modes; checks they agree and returns the first output.
Tensor run1(const OpNode& node, const std::vector<OpInput>& inputs) {
  Tensor fast = run_op(node, inputs, {.threads = 2}).at(0);
  Tensor ref = run_op(node, inputs, {.threads = 1, .reference = true}).at(0);
  EXPECT_EQ(fast.shape(), ref.shape());
  if (fast.shape() == ref.shape()) {
    auto f = fast.values<float>();
    auto r = ref.values<float>();
    for (std::size_t i = 0; i < f.size(); ++i) {
      EXPECT_NEAR(f[i], r[i], 1e-5 * std::max(1.0f, std::abs(r[i])))
          << "fast vs reference at " << i;
    }
  }
  return fast;
}

void expect_values(const Tensor& t, const Shape& shape, const std::vector<float>& expected,
                   float tolerance = 1e-5f) {
  ASSERT_EQ(t.shape(), shape);
  auto v = t.values<float>();
  ASSERT_EQ(v.size(), expected.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    EXPECT_NEAR(v[i], expected[i], tolerance * std::max(1.0f, std::abs(expected[i]))) << "at " << i;
  }
}

// Expects prepare to throw exactly E (Error but not UnsupportedError, or
// UnsupportedError) with a message that names the problem.
template <class E>
void expect_throw_mentioning(const OpNode& node, const std::vector<OpInput>& inputs,
                             const std::string& needle) {
  try {
    run_op(node, inputs);
    FAIL() << "expected an error mentioning '" << needle << "'";
  } catch (const UnsupportedError& e) {
    EXPECT_TRUE((std::is_same_v<E, UnsupportedError>))
        << "unexpected UnsupportedError: " << e.what();
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  } catch (const Error& e) {
    EXPECT_TRUE((std::is_same_v<E, Error>)) << "expected UnsupportedError, got: " << e.what();
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

// Fast (2 threads) against reference within ~1e-5 relative.
void expect_fast_matches_reference(const OpNode& node, const std::vector<OpInput>& inputs,
                                   const std::string& what) {
  const std::vector<Tensor> fast = run_op(node, inputs, {.threads = 2});
  const std::vector<Tensor> ref = run_op(node, inputs, {.threads = 1, .reference = true});
  ASSERT_EQ(fast.size(), ref.size()) << what;
  ASSERT_EQ(fast[0].shape(), ref[0].shape()) << what;
  auto f = fast[0].values<float>();
  auto r = ref[0].values<float>();
  for (std::size_t i = 0; i < f.size(); ++i) {
    ASSERT_NEAR(f[i], r[i], 1e-5 * std::max(1.0f, std::abs(r[i]))) << what << " at " << i;
  }
}

// The fast path gives the same bytes for 1, 2 and 3 threads, in every output.
void expect_thread_independent(const OpNode& node, const std::vector<OpInput>& inputs,
                               const std::string& what) {
  const std::vector<Tensor> one = run_op(node, inputs, {.threads = 1});
  for (int threads : {2, 3}) {
    const std::vector<Tensor> many = run_op(node, inputs, {.threads = threads});
    ASSERT_EQ(one.size(), many.size());
    for (std::size_t i = 0; i < one.size(); ++i) {
      EXPECT_TRUE(one[i].bytes_equal(many[i]))
          << what << ": output " << i << " differs with " << threads << " threads";
    }
  }
}

// ---------------------------------------------------------------- Conv

TEST(Conv, BasicWithAndWithoutPadding) {  // ONNX test_basic_conv_with(out)_padding
  const Tensor x = iota({1, 1, 5, 5});
  const Tensor w = filled({1, 1, 3, 3}, 1.0f);
  expect_values(
      run1(make_node("Conv", attrs({{"kernel_shape", Ints{3, 3}}, {"pads", Ints{1, 1, 1, 1}}})),
           {runtime(x), constant(w)}),
      {1, 1, 5, 5}, {12,  21, 27, 33,  24,  33,  54,  63, 72,  51,  63,  99, 108,
                     117, 81, 93, 144, 153, 162, 111, 72, 111, 117, 123, 84});
  expect_values(run1(make_node("Conv"), {runtime(x), constant(w)}), {1, 1, 3, 3},
                {54, 63, 72, 99, 108, 117, 144, 153, 162});
}

TEST(Conv, StridesAndAsymmetricPads) {  // ONNX test_conv_with_strides_and_asymmetric_padding
  const OpNode node =
      make_node("Conv", attrs({{"strides", Ints{2, 2}}, {"pads", Ints{1, 0, 1, 0}}}));
  expect_values(run1(node, {runtime(iota({1, 1, 7, 5})), constant(filled({1, 1, 3, 3}, 1.0f))}),
                {1, 1, 4, 2}, {21, 33, 99, 117, 189, 207, 171, 183});
}

TEST(Conv, AutoPadSameLowerAndUpper) {
  const Tensor x = iota({1, 1, 5, 5});
  const Tensor w = filled({1, 1, 3, 3}, 1.0f);
  // ONNX test_conv_with_autopad_same: stride 2, total pad 2 split evenly.
  expect_values(run1(make_node("Conv", attrs({{"auto_pad", std::string("SAME_LOWER")},
                                              {"strides", Ints{2, 2}}})),
                     {runtime(x), constant(w)}),
                {1, 1, 3, 3}, {12, 27, 24, 63, 108, 81, 72, 117, 84});
  // Kernel 2, stride 1: one pad, at the end (UPPER) or the beginning (LOWER).
  const Tensor w2 = filled({1, 1, 2, 2}, 1.0f);
  const Tensor x2 = iota({1, 1, 2, 2}, 1.0f);  // 1 2 / 3 4
  expect_values(run1(make_node("Conv", attrs({{"auto_pad", std::string("SAME_UPPER")}})),
                     {runtime(x2), constant(w2)}),
                {1, 1, 2, 2}, {10, 6, 7, 4});
  expect_values(run1(make_node("Conv", attrs({{"auto_pad", std::string("SAME_LOWER")}})),
                     {runtime(x2), constant(w2)}),
                {1, 1, 2, 2}, {1, 3, 4, 10});
  expect_values(run1(make_node("Conv", attrs({{"auto_pad", std::string("VALID")},
                                              {"pads", Ints{1, 1, 1, 1}}})),
                     {runtime(x2), constant(w2)}),
                {1, 1, 1, 1}, {10});
}

TEST(Conv, Dilations) {
  const OpNode node = make_node("Conv", attrs({{"dilations", Ints{2, 2}}}));
  // Taps x[h][w], x[h][w+2], x[h+2][w], x[h+2][w+2] of 0..15 in 4x4.
  expect_values(run1(node, {runtime(iota({1, 1, 4, 4})), constant(filled({1, 1, 2, 2}, 1.0f))}),
                {1, 1, 2, 2}, {20, 24, 36, 40});
}

TEST(Conv, GroupsWithBias) {
  const OpNode node = make_node("Conv", attrs({{"group", std::int64_t{2}}}));
  const Tensor x = iota({1, 2, 2, 2}, 1.0f);  // channel 0: 1..4, channel 1: 5..8
  const Tensor w = float_tensor({2, 1, 1, 1}, {2, 3});
  const Tensor b = float_tensor({2}, {1, -1});
  expect_values(run1(node, {runtime(x), constant(w), constant(b)}), {1, 2, 2, 2},
                {3, 5, 7, 9, 14, 17, 20, 23});
  // Grouped but not depthwise: 4 input channels in 2 groups of 2, 2 outputs.
  const Tensor x4 = float_tensor({1, 4, 1, 1}, {1, 2, 3, 4});
  const Tensor w4 = float_tensor({2, 2, 1, 1}, {1, 10, 100, 1000});
  expect_values(run1(node, {runtime(x4), constant(w4)}), {1, 2, 1, 1}, {21, 4300});
}

TEST(Conv, DepthwiseWithMultiplierStridesAndPads) {
  // 2 channels, 2 outputs per channel, 3x3 kernels, stride 2, pad 1.
  const OpNode node = make_node(
      "Conv",
      attrs({{"group", std::int64_t{2}}, {"strides", Ints{2, 2}}, {"pads", Ints{1, 1, 1, 1}}}));
  const Tensor x = iota({1, 2, 3, 3});
  Tensor w = filled({4, 1, 3, 3}, 0.0f);
  float* wv = w.data<float>();
  wv[0 * 9 + 4] = 1.0f;                              // output 0 = channel 0 (center tap)
  wv[1 * 9 + 0] = 1.0f;                              // output 1 = channel 0 shifted by (-1, -1)
  wv[2 * 9 + 8] = 2.0f;                              // output 2 = 2 * channel 1 shifted by (+1, +1)
  for (int i = 0; i < 9; ++i) wv[3 * 9 + i] = 1.0f;  // output 3 = 3x3 box sum of channel 1
  expect_values(run1(node, {runtime(x), constant(w)}), {1, 4, 2, 2},
                {0, 2, 6, 8,   // x0 at (0,0),(0,2),(2,0),(2,2)
                 0, 0, 0, 4,   // x0 at (-1,-1),(-1,1),(1,-1),(1,1)
                 26, 0, 0, 0,  // 2 * x1 at (1,1), then three taps in the padding
                 9 + 10 + 12 + 13, 10 + 11 + 13 + 14, 12 + 13 + 15 + 16, 13 + 14 + 16 + 17});
}

TEST(Conv, OneDimensionalInfersKernelAndFusesActivation) {
  const Tensor x = float_tensor({1, 1, 5}, {1, 2, 3, 4, 5});
  const Tensor w = float_tensor({1, 1, 3}, {1, 0, -1});
  expect_values(run1(make_node("Conv", attrs({{"pads", Ints{1, 1}}})), {runtime(x), constant(w)}),
                {1, 1, 5}, {-2, -2, -2, -2, 4});
  expect_values(
      run1(make_node("Conv", attrs({{"pads", Ints{1, 1}}, {"activation", std::string("Relu")}})),
           {runtime(x), constant(w)}),
      {1, 1, 5}, {0, 0, 0, 0, 4});
  expect_values(run1(make_node("Conv", attrs({{"pads", Ints{1, 1}},
                                              {"activation", std::string("Clip")},
                                              {"activation_min", -1.0f},
                                              {"activation_max", 3.0f}})),
                     {runtime(x), constant(w)}),
                {1, 1, 5}, {-1, -1, -1, -1, 3});
  // Activation after the bias: -2 + 1.5 = -0.5 -> 0.1 * -0.5.
  expect_values(run1(make_node("Conv", attrs({{"pads", Ints{1, 1}},
                                              {"activation", std::string("LeakyRelu")},
                                              {"activation_alpha", 0.1f}})),
                     {runtime(x), constant(w), constant(float_tensor({1}, {1.5f}))}),
                {1, 1, 5}, {-0.05f, -0.05f, -0.05f, -0.05f, 5.5f});
}

TEST(Conv, RuntimeWeightsAndBatch) {
  const Tensor x = iota({2, 1, 3, 3});
  const Tensor w = float_tensor({1, 1, 2, 2}, {1, 0, 0, 1});  // x[h][w] + x[h+1][w+1]
  expect_values(run1(make_node("Conv"), {runtime(x), runtime(w)}), {2, 1, 2, 2},
                {4, 6, 10, 12, 22, 24, 28, 30});
}

TEST(Conv, RejectsInvalidInputs) {
  const Tensor x = random_tensor({1, 3, 5, 5}, 1);
  expect_throw_mentioning<Error>(make_node("Conv"),
                                 {runtime(x), constant(random_tensor({2, 2, 3, 3}, 2))},
                                 "input channels per group");
  expect_throw_mentioning<Error>(make_node("Conv", attrs({{"kernel_shape", Ints{2, 2}}})),
                                 {runtime(x), constant(random_tensor({2, 3, 3, 3}, 2))},
                                 "kernel_shape");
  expect_throw_mentioning<Error>(make_node("Conv", attrs({{"strides", Ints{1}}})),
                                 {runtime(x), constant(random_tensor({2, 3, 3, 3}, 2))}, "strides");
  expect_throw_mentioning<Error>(make_node("Conv", attrs({{"group", std::int64_t{2}}})),
                                 {runtime(x), constant(random_tensor({2, 1, 3, 3}, 2))}, "group");
  expect_throw_mentioning<Error>(make_node("Conv"),
                                 {runtime(x), constant(random_tensor({2, 3, 7, 7}, 2))}, "exceeds");
  expect_throw_mentioning<Error>(
      make_node("Conv"),
      {runtime(x), constant(random_tensor({2, 3, 3, 3}, 2)), constant(random_tensor({3}, 3))},
      "one value per output channel");
  expect_throw_mentioning<UnsupportedError>(
      make_node("Conv"),
      {runtime(random_tensor({1, 1, 3, 3, 3}, 1)), constant(random_tensor({1, 1, 2, 2, 2}, 2))},
      "3-D");
  expect_throw_mentioning<UnsupportedError>(
      make_node("Conv"),
      {runtime(Tensor(DType::kFloat16, {1, 3, 5, 5})), constant(random_tensor({2, 3, 3, 3}, 2))},
      "float16");
}

// ------------------------------------------------------- ConvTranspose

TEST(ConvTranspose, Basic2DAnd1D) {  // ONNX test_convtranspose, test_convtranspose_1d
  const std::vector<float> plane{0,  1,  3, 3,  2,  3,  8,  15, 12, 7,  9,  21, 36,
                                 27, 15, 9, 20, 33, 24, 13, 6,  13, 21, 15, 8};
  std::vector<float> two = plane;
  two.insert(two.end(), plane.begin(), plane.end());
  expect_values(run1(make_node("ConvTranspose"),
                     {runtime(iota({1, 1, 3, 3})), constant(filled({1, 2, 3, 3}, 1.0f))}),
                {1, 2, 5, 5}, two);
  expect_values(run1(make_node("ConvTranspose"),
                     {runtime(iota({1, 1, 3})), constant(filled({1, 2, 3}, 1.0f))}),
                {1, 2, 5}, {0, 1, 3, 3, 2, 0, 1, 3, 3, 2});
}

TEST(ConvTranspose, StridesAndPads) {  // ONNX test_convtranspose_pads
  const OpNode node =
      make_node("ConvTranspose", attrs({{"strides", Ints{3, 2}}, {"pads", Ints{1, 2, 1, 2}}}));
  const std::vector<float> plane{1, 1, 3, 1, 1, 3, 7, 4, 9, 7, 4, 9, 7, 4, 9, 13, 7, 15, 13, 7, 15};
  std::vector<float> two = plane;
  two.insert(two.end(), plane.begin(), plane.end());
  expect_values(run1(node, {runtime(iota({1, 1, 3, 3})), constant(filled({1, 2, 3, 3}, 1.0f))}),
                {1, 2, 7, 3}, two);
}

TEST(ConvTranspose, OutputShapeAndOutputPadding) {  // ONNX test_convtranspose_output_shape / _pad
  const std::vector<float> plane{0,  0, 1, 1, 3, 2, 2,  0, 0,  0, 1,  1, 3,  2, 2, 0, 0, 0, 1,  1,
                                 3,  2, 2, 0, 3, 3, 7,  4, 9,  5, 5,  0, 3,  3, 7, 4, 9, 5, 5,  0,
                                 3,  3, 7, 4, 9, 5, 5,  0, 6,  6, 13, 7, 15, 8, 8, 0, 6, 6, 13, 7,
                                 15, 8, 8, 0, 6, 6, 13, 7, 15, 8, 8,  0, 0,  0, 0, 0, 0, 0, 0,  0};
  std::vector<float> two = plane;
  two.insert(two.end(), plane.begin(), plane.end());
  const std::vector<OpInput> in{runtime(iota({1, 1, 3, 3})), constant(filled({1, 2, 3, 3}, 1.0f))};
  expect_values(run1(make_node("ConvTranspose",
                               attrs({{"strides", Ints{3, 2}}, {"output_shape", Ints{10, 8}}})),
                     in),
                {1, 2, 10, 8}, two);
  expect_values(run1(make_node("ConvTranspose",
                               attrs({{"strides", Ints{3, 2}}, {"output_padding", Ints{1, 1}}})),
                     in),
                {1, 2, 10, 8}, two);
  // output_shape written with N and C in front is accepted too.
  expect_values(run1(make_node("ConvTranspose", attrs({{"strides", Ints{3, 2}},
                                                       {"output_shape", Ints{1, 2, 10, 8}}})),
                     in),
                {1, 2, 10, 8}, two);
}

TEST(ConvTranspose, AutoPadSameUpper) {  // ONNX test_convtranspose_autopad_same
  const std::vector<float> plane{0, 0, 1, 1, 3, 2, 0, 0, 1,  1,  3,  2,  3, 3, 8,  5, 12, 7,
                                 3, 3, 7, 4, 9, 5, 9, 9, 20, 11, 24, 13, 6, 6, 13, 7, 15, 8};
  std::vector<float> two = plane;
  two.insert(two.end(), plane.begin(), plane.end());
  const OpNode node = make_node(
      "ConvTranspose", attrs({{"auto_pad", std::string("SAME_UPPER")}, {"strides", Ints{2, 2}}}));
  expect_values(run1(node, {runtime(iota({1, 1, 3, 3})), constant(filled({1, 2, 3, 3}, 1.0f))}),
                {1, 2, 6, 6}, two);
}

TEST(ConvTranspose, Dilations) {  // ONNX test_convtranspose_dilations
  const OpNode node = make_node("ConvTranspose", attrs({{"dilations", Ints{2, 2}}}));
  const Tensor x = float_tensor({1, 1, 3, 3}, {3, 8, 1, 9, 5, 7, 3, 2, 6});
  const Tensor w = float_tensor({1, 1, 2, 2}, {7, 2, 1, 9});
  expect_values(run1(node, {runtime(x), constant(w)}), {1, 1, 5, 5},
                {21, 56, 13, 16, 2,  63, 35, 67, 10, 14, 24, 22, 76,
                 76, 21, 9,  5,  88, 45, 63, 3,  2,  33, 18, 54});
}

TEST(ConvTranspose, GroupsBiasAndRuntimeWeights) {
  const OpNode node = make_node("ConvTranspose", attrs({{"group", std::int64_t{2}}}));
  const Tensor x = float_tensor({1, 2, 1, 1}, {1, 2});
  Tensor w = filled({2, 1, 2, 2}, 1.0f);
  for (int i = 4; i < 8; ++i) w.data<float>()[i] = 10.0f;
  const Tensor b = float_tensor({2}, {0.5f, -0.5f});
  const std::vector<float> expected{1.5f, 1.5f, 1.5f, 1.5f, 19.5f, 19.5f, 19.5f, 19.5f};
  expect_values(run1(node, {runtime(x), constant(w), constant(b)}), {1, 2, 2, 2}, expected);
  expect_values(run1(node, {runtime(x), runtime(w), runtime(b)}), {1, 2, 2, 2}, expected);
}

TEST(ConvTranspose, RejectsInvalidInputs) {
  const Tensor x = random_tensor({1, 3, 4, 4}, 1);
  expect_throw_mentioning<Error>(make_node("ConvTranspose"),
                                 {runtime(x), constant(random_tensor({2, 2, 3, 3}, 2))},
                                 "input channels");
  expect_throw_mentioning<Error>(make_node("ConvTranspose", attrs({{"kernel_shape", Ints{2, 2}}})),
                                 {runtime(x), constant(random_tensor({3, 2, 3, 3}, 2))},
                                 "kernel_shape");
  expect_throw_mentioning<Error>(make_node("ConvTranspose", attrs({{"pads", Ints{4, 4, 4, 4}}})),
                                 {runtime(x), constant(random_tensor({3, 2, 3, 3}, 2))},
                                 "output size");
  expect_throw_mentioning<UnsupportedError>(
      make_node("ConvTranspose"),
      {runtime(random_tensor({1, 1, 2, 2, 2}, 1)), constant(random_tensor({1, 1, 2, 2, 2}, 2))},
      "3-D");
}

// ---------------------------------------------------------------- Gemm

const Tensor kA = float_tensor({2, 3}, {1, 2, 3, 4, 5, 6});
const Tensor kB = float_tensor({3, 2}, {1, 0, 0, 1, 1, 1});

TEST(Gemm, PlainAndTransposed) {
  const std::vector<float> ab{4, 5, 10, 11};
  expect_values(run1(make_node("Gemm"), {runtime(kA), runtime(kB)}), {2, 2}, ab);
  expect_values(run1(make_node("Gemm"), {runtime(kA), constant(kB)}), {2, 2}, ab);
  const Tensor at = float_tensor({3, 2}, {1, 4, 2, 5, 3, 6});
  const Tensor bt = float_tensor({2, 3}, {1, 0, 1, 0, 1, 1});
  expect_values(
      run1(make_node("Gemm", attrs({{"transA", std::int64_t{1}}})), {runtime(at), runtime(kB)}),
      {2, 2}, ab);
  expect_values(
      run1(make_node("Gemm", attrs({{"transB", std::int64_t{1}}})), {runtime(kA), constant(bt)}),
      {2, 2}, ab);
  expect_values(
      run1(make_node("Gemm", attrs({{"transA", std::int64_t{1}}, {"transB", std::int64_t{1}}})),
           {constant(at), constant(bt)}),
      {2, 2}, ab);
}

TEST(Gemm, AlphaBetaAndBroadcastC) {
  const OpNode node = make_node("Gemm", attrs({{"alpha", 2.0f}, {"beta", 0.5f}}));
  // 2 * [4 5; 10 11] + 0.5 * C
  expect_values(run1(node, {runtime(kA), constant(kB), constant(float_tensor({2}, {1, 2}))}),
                {2, 2}, {8.5f, 11, 20.5f, 23});
  expect_values(run1(node, {runtime(kA), constant(kB), runtime(float_tensor({2, 1}, {2, 4}))}),
                {2, 2}, {9, 11, 22, 24});
  expect_values(run1(node, {runtime(kA), constant(kB), constant(float_tensor({}, {4}))}), {2, 2},
                {10, 12, 22, 24});
  expect_values(run1(node, {runtime(kA), constant(kB), constant(float_tensor({1}, {4}))}), {2, 2},
                {10, 12, 22, 24});
  expect_values(
      run1(node, {runtime(kA), constant(kB), constant(float_tensor({2, 2}, {2, 4, 6, 8}))}), {2, 2},
      {9, 12, 23, 26});
  expect_values(run1(node, {runtime(kA), constant(kB), absent()}), {2, 2}, {8, 10, 20, 22});
}

TEST(Gemm, FusedActivation) {
  const OpNode node = make_node("Gemm", attrs({{"activation", std::string("Relu")}}));
  expect_values(run1(node, {runtime(kA), constant(kB), constant(float_tensor({2}, {-5, -20}))}),
                {2, 2}, {0, 0, 5, 0});
}

TEST(Gemm, RejectsInvalidInputs) {
  expect_throw_mentioning<Error>(make_node("Gemm"), {runtime(kA), runtime(kA)}, "inner dimensions");
  expect_throw_mentioning<Error>(make_node("Gemm"),
                                 {runtime(kA), runtime(kB), constant(float_tensor({3}, {1, 2, 3}))},
                                 "broadcast");
  expect_throw_mentioning<Error>(
      make_node("Gemm"), {runtime(float_tensor({6}, {1, 2, 3, 4, 5, 6})), runtime(kB)}, "rank 2");
}

// -------------------------------------------------------------- MatMul

TEST(MatMul, MatricesAndVectors) {
  expect_values(run1(make_node("MatMul"), {runtime(kA), runtime(kB)}), {2, 2}, {4, 5, 10, 11});
  expect_values(run1(make_node("MatMul"), {runtime(float_tensor({3}, {1, 2, 3})), constant(kB)}),
                {2}, {4, 5});
  expect_values(run1(make_node("MatMul"), {runtime(kA), runtime(float_tensor({3}, {1, 1, 1}))}),
                {2}, {6, 15});
  expect_values(run1(make_node("MatMul"), {runtime(float_tensor({3}, {1, 2, 3})),
                                           runtime(float_tensor({3}, {4, 5, 6}))}),
                {}, {32});
}

TEST(MatMul, BatchBroadcasting) {
  // A: [2, 2, 2] = identity and 2 * identity; B: one [2, 2] shared by both.
  const Tensor a = float_tensor({2, 2, 2}, {1, 0, 0, 1, 2, 0, 0, 2});
  const Tensor b = float_tensor({2, 2}, {1, 2, 3, 4});
  expect_values(run1(make_node("MatMul"), {runtime(a), constant(b)}), {2, 2, 2},
                {1, 2, 3, 4, 2, 4, 6, 8});
  // A [2, 1, 1, 2] against B [3, 2, 1] -> [2, 3, 1, 1].
  const Tensor a4 = float_tensor({2, 1, 1, 2}, {1, 2, 10, 20});
  const Tensor b3 = float_tensor({3, 2, 1}, {1, 1, 1, 0, 0, 1});
  expect_values(run1(make_node("MatMul"), {runtime(a4), runtime(b3)}), {2, 3, 1, 1},
                {3, 1, 2, 30, 10, 20});
  // 1-D A against a batch of B: [2] x [2, 2, 3] -> [2, 3].
  const Tensor b23 = iota({2, 2, 3});
  expect_values(run1(make_node("MatMul"), {runtime(float_tensor({2}, {1, 1})), constant(b23)}),
                {2, 3}, {3, 5, 7, 15, 17, 19});
}

TEST(MatMul, RejectsInvalidInputs) {
  expect_throw_mentioning<Error>(make_node("MatMul"), {runtime(kA), runtime(kA)},
                                 "inner dimensions");
  expect_throw_mentioning<Error>(
      make_node("MatMul"),
      {runtime(random_tensor({2, 2, 3}, 1)), runtime(random_tensor({3, 3, 2}, 2))}, "batch");
  expect_throw_mentioning<UnsupportedError>(
      make_node("MatMul"),
      {runtime(Tensor(DType::kInt32, {2, 2})), runtime(Tensor(DType::kInt32, {2, 2}))}, "int32");
}

// ---------------------------------------------------------------- Pools

TEST(MaxPool, DefaultWithIndicesInBothStorageOrders) {
  const Tensor x = iota({1, 2, 4, 4});
  const std::vector<Tensor> row =
      run_op(make_node("MaxPool", attrs({{"kernel_shape", Ints{2, 2}}, {"strides", Ints{2, 2}}})),
             {runtime(x)});
  expect_values(row.at(0), {1, 2, 2, 2}, {5, 7, 13, 15, 21, 23, 29, 31});
  ASSERT_EQ(row.at(1).dtype(), DType::kInt64);
  EXPECT_TRUE(row.at(1).bytes_equal(int64_tensor({1, 2, 2, 2}, {5, 7, 13, 15, 21, 23, 29, 31})));
  const std::vector<Tensor> col =
      run_op(make_node("MaxPool", attrs({{"kernel_shape", Ints{2, 2}},
                                         {"strides", Ints{2, 2}},
                                         {"storage_order", std::int64_t{1}}})),
             {runtime(x)});
  EXPECT_TRUE(col.at(1).bytes_equal(int64_tensor({1, 2, 2, 2}, {5, 13, 7, 15, 21, 29, 23, 31})));
}

TEST(MaxPool, PadsCeilDilationsAndFirstMaximumWins) {
  const Tensor x = iota({1, 1, 4, 4}, 1.0f);
  // ONNX test_maxpool_2d_ceil and test_maxpool_2d_dilations.
  expect_values(run1(make_node("MaxPool", attrs({{"kernel_shape", Ints{3, 3}},
                                                 {"strides", Ints{2, 2}},
                                                 {"ceil_mode", std::int64_t{1}}})),
                     {runtime(x)}),
                {1, 1, 2, 2}, {11, 12, 15, 16});
  expect_values(
      run1(make_node("MaxPool", attrs({{"kernel_shape", Ints{3, 3}}, {"strides", Ints{2, 2}}})),
           {runtime(x)}),
      {1, 1, 1, 1}, {11});
  expect_values(
      run1(make_node("MaxPool", attrs({{"kernel_shape", Ints{2, 2}}, {"dilations", Ints{2, 2}}})),
           {runtime(x)}),
      {1, 1, 2, 2}, {11, 12, 15, 16});
  // Padding never wins, even over negative values.
  const Tensor neg = float_tensor({1, 1, 3}, {-3, -1, -2});
  expect_values(run1(make_node("MaxPool", attrs({{"kernel_shape", Ints{2}}, {"pads", Ints{1, 1}}})),
                     {runtime(neg)}),
                {1, 1, 4}, {-3, -1, -1, -2});
  const std::vector<Tensor> ties = run_op(make_node("MaxPool", attrs({{"kernel_shape", Ints{3}}})),
                                          {runtime(float_tensor({1, 1, 3}, {7, 7, 7}))});
  EXPECT_TRUE(ties.at(1).bytes_equal(int64_tensor({1, 1, 1}, {0})));
}

TEST(AveragePool, CountIncludePadBothWays) {
  const Tensor x = float_tensor({1, 1, 2, 2}, {1, 2, 3, 4});
  const Attributes base = attrs({{"kernel_shape", Ints{2, 2}}, {"pads", Ints{1, 1, 1, 1}}});
  expect_values(run1(make_node("AveragePool", base), {runtime(x)}), {1, 1, 3, 3},
                {1, 1.5f, 2, 2, 2.5f, 3, 3, 3.5f, 4});
  Attributes include = base;
  include.set("count_include_pad", std::int64_t{1});
  expect_values(run1(make_node("AveragePool", include), {runtime(x)}), {1, 1, 3, 3},
                {0.25f, 0.75f, 0.5f, 1, 2.5f, 1.5f, 0.75f, 1.75f, 1});
}

TEST(AveragePool, CeilModeClipsAndDropsWindows) {
  // ONNX test_averagepool_2d_ceil.
  expect_values(run1(make_node("AveragePool", attrs({{"kernel_shape", Ints{3, 3}},
                                                     {"strides", Ints{2, 2}},
                                                     {"ceil_mode", std::int64_t{1}}})),
                     {runtime(iota({1, 1, 4, 4}, 1.0f))}),
                {1, 1, 2, 2}, {6, 7.5f, 12, 13.5f});
  // 1-D, kernel 3, stride 2, pads 1/1, ceil: the last window reaches past the
  // end padding; with count_include_pad it divides by the 2 taps inside the padded input.
  const Tensor x = float_tensor({1, 1, 4}, {1, 2, 3, 4});
  Attributes a = attrs({{"kernel_shape", Ints{3}},
                        {"strides", Ints{2}},
                        {"pads", Ints{1, 1}},
                        {"ceil_mode", std::int64_t{1}}});
  expect_values(run1(make_node("AveragePool", a), {runtime(x)}), {1, 1, 3}, {1.5f, 3, 4});
  a.set("count_include_pad", std::int64_t{1});
  expect_values(run1(make_node("AveragePool", a), {runtime(x)}), {1, 1, 3}, {1, 3, 2});
  // A window that would start in the end padding is dropped: 1 output, not 2.
  expect_values(run1(make_node("AveragePool", attrs({{"kernel_shape", Ints{2}},
                                                     {"strides", Ints{2}},
                                                     {"pads", Ints{0, 1}},
                                                     {"ceil_mode", std::int64_t{1}}})),
                     {runtime(float_tensor({1, 1, 2}, {1, 2}))}),
                {1, 1, 1}, {1.5f});
}

TEST(AveragePool, AutoPadSameUpperAndLower) {
  const Tensor x = iota({1, 1, 3, 3}, 1.0f);
  expect_values(run1(make_node("AveragePool", attrs({{"kernel_shape", Ints{2, 2}},
                                                     {"auto_pad", std::string("SAME_UPPER")}})),
                     {runtime(x)}),
                {1, 1, 3, 3}, {3, 4, 4.5f, 6, 7, 7.5f, 7.5f, 8.5f, 9});
  expect_values(run1(make_node("AveragePool", attrs({{"kernel_shape", Ints{2, 2}},
                                                     {"auto_pad", std::string("SAME_LOWER")}})),
                     {runtime(x)}),
                {1, 1, 3, 3}, {1, 1.5f, 2.5f, 2.5f, 3, 4, 5.5f, 6, 7});
}

TEST(GlobalPool, AnyRankFromThree) {
  const Tensor x = iota({1, 2, 2, 2}, 1.0f);
  expect_values(run1(make_node("GlobalAveragePool"), {runtime(x)}), {1, 2, 1, 1}, {2.5f, 6.5f});
  expect_values(run1(make_node("GlobalMaxPool"), {runtime(x)}), {1, 2, 1, 1}, {4, 8});
  expect_values(run1(make_node("GlobalAveragePool"), {runtime(iota({2, 1, 3}))}), {2, 1, 1},
                {1, 4});
  expect_values(run1(make_node("GlobalMaxPool"), {runtime(iota({1, 1, 2, 2, 2}))}), {1, 1, 1, 1, 1},
                {7});
  expect_throw_mentioning<Error>(make_node("GlobalMaxPool"), {runtime(iota({2, 3}))}, "rank");
}

TEST(Pool, RejectsInvalidInputs) {
  const Tensor x = random_tensor({1, 1, 4, 4}, 1);
  expect_throw_mentioning<Error>(make_node("MaxPool"), {runtime(x)}, "kernel_shape");
  expect_throw_mentioning<Error>(make_node("AveragePool", attrs({{"kernel_shape", Ints{5, 5}}})),
                                 {runtime(x)}, "exceeds");
  expect_throw_mentioning<Error>(
      make_node("AveragePool",
                attrs({{"kernel_shape", Ints{2, 2}}, {"auto_pad", std::string("SAME")}})),
      {runtime(x)}, "auto_pad");
  expect_throw_mentioning<Error>(
      make_node("MaxPool", attrs({{"kernel_shape", Ints{2, 2}}, {"pads", Ints{1, 1}}})),
      {runtime(x)}, "pads");
  expect_throw_mentioning<UnsupportedError>(
      make_node("MaxPool", attrs({{"kernel_shape", Ints{2, 2, 2}}})),
      {runtime(random_tensor({1, 1, 2, 2, 2}, 1))}, "3-D");
}

// ---------------------------------------------------------------- Norms

TEST(BatchNorm, PerChannelAffine) {
  const OpNode node = make_node("BatchNormalization", attrs({{"epsilon", 0.0f}}));
  const Tensor x = float_tensor({1, 2, 1, 2}, {1, 2, 3, 4});
  const std::vector<OpInput> in{
      runtime(x), constant(float_tensor({2}, {1, 2})), constant(float_tensor({2}, {0, 1})),
      constant(float_tensor({2}, {1, 3})), constant(float_tensor({2}, {4, 0.25f}))};
  // (x - mean) / sqrt(var) * scale + B
  expect_values(run1(node, in), {1, 2, 1, 2}, {0, 0.5f, 1, 5});
  // Rank 2 [N, C] and the default epsilon.
  expect_values(run1(make_node("BatchNormalization"),
                     {runtime(float_tensor({1, 2}, {3, 3})), constant(float_tensor({2}, {1, 1})),
                      constant(float_tensor({2}, {0, 0})), constant(float_tensor({2}, {1, 1})),
                      constant(float_tensor({2}, {1, 3}))}),
                {1, 2}, {2 / std::sqrt(1.00001f), 2 / std::sqrt(3.00001f)});
}

TEST(BatchNorm, RejectsTrainingModeAndBadShapes) {
  const Tensor c2 = float_tensor({2}, {1, 1});
  const Tensor x = random_tensor({1, 2, 2, 2}, 1);
  expect_throw_mentioning<UnsupportedError>(
      make_node("BatchNormalization", attrs({{"training_mode", std::int64_t{1}}})),
      {runtime(x), constant(c2), constant(c2), constant(c2), constant(c2)}, "training_mode");
  expect_throw_mentioning<Error>(make_node("BatchNormalization"),
                                 {runtime(x), constant(float_tensor({3}, {1, 1, 1})), constant(c2),
                                  constant(c2), constant(c2)},
                                 "scale");
}

TEST(InstanceNorm, NormalizesEachPlane) {
  const OpNode node = make_node("InstanceNormalization", attrs({{"epsilon", 0.0f}}));
  const Tensor x = float_tensor({1, 2, 4}, {1, 2, 3, 4, 10, 10, 12, 12});
  // Channel 0: mean 2.5, variance 1.25; channel 1: mean 11, variance 1.
  const float sd = std::sqrt(1.25f);
  expect_values(run1(node, {runtime(x), constant(float_tensor({2}, {2, 1})),
                            constant(float_tensor({2}, {1, 7}))}),
                {1, 2, 4}, {1 - 3 / sd, 1 - 1 / sd, 1 + 1 / sd, 1 + 3 / sd, 6, 6, 8, 8});
  expect_throw_mentioning<Error>(
      node, {runtime(x), constant(float_tensor({1}, {1})), constant(float_tensor({2}, {1, 7}))},
      "scale");
}

TEST(LRN, SumsSquaresOverTheChannelWindow) {
  const Tensor x = float_tensor({1, 3, 1, 1}, {1, 2, 3});
  // size 2: channels [c, c + 1]; alpha / size = 1, bias 1, beta 1 -> x / (1 + sq).
  expect_values(
      run1(make_node(
               "LRN",
               attrs({{"size", std::int64_t{2}}, {"alpha", 2.0f}, {"beta", 1.0f}, {"bias", 1.0f}})),
           {runtime(x)}),
      {1, 3, 1, 1}, {1.0f / 6, 2.0f / 14, 3.0f / 10});
  // size 3: channels [c - 1, c + 1]; x / sqrt(2 + sq).
  expect_values(
      run1(make_node(
               "LRN",
               attrs({{"size", std::int64_t{3}}, {"alpha", 3.0f}, {"beta", 0.5f}, {"bias", 2.0f}})),
           {runtime(x)}),
      {1, 3, 1, 1}, {1 / std::sqrt(7.0f), 2 / std::sqrt(16.0f), 3 / std::sqrt(15.0f)});
  expect_throw_mentioning<Error>(make_node("LRN"), {runtime(x)}, "size");
}

// ------------------------------------------- fast vs reference, threads

struct ConvCase {
  Shape x, w;
  Attributes attrs;
  bool bias;
  bool constant_w;
  std::string describe;
};

// Random Conv configurations covering the depthwise, pointwise, im2col and
// grouped paths, edge tiles and more than one GEMM block in every direction.
std::vector<ConvCase> conv_cases() {
  std::vector<ConvCase> cases;
  std::mt19937 rng(42);
  auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  const char* pads_modes[] = {"NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"};
  const char* activations[] = {"", "Relu", "Clip", "LeakyRelu"};
  for (int i = 0; i < 48; ++i) {
    const bool one_d = i % 5 == 4;
    const bool depthwise = i % 4 == 1;
    const bool pointwise =
        !one_d && !depthwise && i % 7 == 3;  // 1x1, stride 1, no pads: direct GEMM
    const std::int64_t groups = depthwise ? pick(1, 8) : (i % 3 == 0 ? pick(1, 3) : 1);
    const std::int64_t cg = depthwise ? 1 : pick(1, 6);
    const std::int64_t mg = depthwise ? pick(1, 2) : pick(1, 9);
    const std::int64_t kh = one_d || pointwise ? 1 : pick(1, 3), kw = pointwise ? 1 : pick(1, 4);
    const std::int64_t dh = pick(1, 2), dw = pick(1, 2);
    const std::int64_t h = one_d ? 1 : pick((kh - 1) * dh + 1, 14), w = pick((kw - 1) * dw + 1, 17);
    Attributes a;
    a.set("group", groups);
    const std::string mode = pointwise ? "NOTSET" : pads_modes[pick(0, 3)];
    if (one_d) {
      a.set("strides", Ints{pick(1, 3)});
      a.set("dilations", Ints{dw});
      if (mode == "NOTSET") a.set("pads", Ints{pick(0, 2), pick(0, 2)});
    } else if (!pointwise) {
      a.set("strides", Ints{pick(1, 2), pick(1, 3)});
      a.set("dilations", Ints{dh, dw});
      if (mode == "NOTSET") a.set("pads", Ints{pick(0, 2), pick(0, 1), pick(0, 1), pick(0, 2)});
    }
    a.set("auto_pad", mode);
    const std::string act = activations[pick(0, 3)];
    if (!act.empty()) {
      a.set("activation", act);
      a.set("activation_min", -0.5f);
      a.set("activation_max", 0.5f);
    }
    const std::int64_t n = pick(1, 2);
    Shape xs = one_d ? Shape{n, cg * groups, w} : Shape{n, cg * groups, h, w};
    Shape ws = one_d ? Shape{mg * groups, cg, kw} : Shape{mg * groups, cg, kh, kw};
    cases.push_back({xs, ws, a, i % 2 == 0, i % 6 != 5,
                     "case " + std::to_string(i) + " x" + shape_to_string(xs) + " w" +
                         shape_to_string(ws) + " group " + std::to_string(groups) + " " + mode +
                         " " + act});
  }
  // Pointwise, and large enough for several row, column and depth blocks.
  cases.push_back({{1, 40, 9, 9}, {150, 40, 1, 1}, {}, true, true, "pointwise 150x40"});
  cases.push_back({{1, 32, 12, 13},
                   {130, 32, 3, 3},
                   attrs({{"pads", Ints{1, 1, 1, 1}}}),
                   true,
                   true,
                   "blocks"});
  cases.push_back({{1, 32, 12, 13},
                   {130, 32, 3, 3},
                   attrs({{"pads", Ints{1, 1, 1, 1}}}),
                   false,
                   false,
                   "blocks runtime w"});
  cases.push_back(
      {{1, 16, 20, 21},
       {16, 1, 3, 3},
       attrs({{"group", std::int64_t{16}}, {"strides", Ints{2, 2}}, {"pads", Ints{1, 1, 1, 1}}}),
       true,
       true,
       "depthwise stride 2"});
  return cases;
}

TEST(Conv, FastMatchesReferenceOverRandomShapes) {
  std::uint32_t seed = 100;
  for (const ConvCase& c : conv_cases()) {
    std::vector<OpInput> in{
        runtime(random_tensor(c.x, seed++)),
        c.constant_w ? constant(random_tensor(c.w, seed++)) : runtime(random_tensor(c.w, seed++))};
    if (c.bias) in.push_back(constant(random_tensor({c.w[0]}, seed++)));
    expect_fast_matches_reference(make_node("Conv", c.attrs), in, c.describe);
  }
}

TEST(Conv, FastIsByteIdenticalForOneTwoThreeThreads) {
  std::uint32_t seed = 500;
  const std::vector<ConvCase> cases = conv_cases();
  for (std::size_t i = 0; i < cases.size(); i += 3) {
    const ConvCase& c = cases[i];
    expect_thread_independent(
        make_node("Conv", c.attrs),
        {runtime(random_tensor(c.x, seed++)), constant(random_tensor(c.w, seed++)),
         constant(random_tensor({c.w[0]}, seed++))},
        c.describe);
  }
  const ConvCase& big = cases[cases.size() - 3];
  expect_thread_independent(make_node("Conv", big.attrs),
                            {runtime(random_tensor(big.x, 7)), runtime(random_tensor(big.w, 8))},
                            big.describe);
}

TEST(ConvTranspose, FastMatchesReferenceAndIsThreadIndependent) {
  std::mt19937 rng(7);
  auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  std::uint32_t seed = 900;
  for (int i = 0; i < 30; ++i) {
    const bool one_d = i % 4 == 3;
    const std::int64_t group = pick(1, 3), cg = pick(1, 5), mg = pick(1, 5);
    const std::int64_t kh = one_d ? 1 : pick(1, 4), kw = pick(1, 4);
    const std::int64_t sh = one_d ? 1 : pick(1, 3), sw = pick(1, 3);
    Attributes a;
    a.set("group", group);
    if (one_d) {
      a.set("strides", Ints{sw});
      a.set("dilations", Ints{pick(1, 2)});
      a.set("pads", Ints{pick(0, (kw - 1) / 2), pick(0, (kw - 1) / 2)});
      a.set("output_padding", Ints{pick(0, sw - 1)});
    } else if (i % 5 == 0) {
      a.set("strides", Ints{sh, sw});
      a.set("auto_pad", std::string(i % 2 ? "SAME_UPPER" : "SAME_LOWER"));
    } else {
      a.set("strides", Ints{sh, sw});
      a.set("dilations", Ints{pick(1, 2), pick(1, 2)});
      a.set("pads", Ints{pick(0, (kh - 1) / 2), pick(0, (kw - 1) / 2), pick(0, (kh - 1) / 2),
                         pick(0, (kw - 1) / 2)});
      a.set("output_padding", Ints{pick(0, sh - 1), pick(0, sw - 1)});
    }
    const std::int64_t n = pick(1, 2), h = pick(1, 7), w = pick(1, 9);
    const Shape xs = one_d ? Shape{n, cg * group, w} : Shape{n, cg * group, h, w};
    const Shape ws = one_d ? Shape{cg * group, mg, kw} : Shape{cg * group, mg, kh, kw};
    const std::string what =
        "case " + std::to_string(i) + " x" + shape_to_string(xs) + " w" + shape_to_string(ws);
    const std::vector<OpInput> in{
        runtime(random_tensor(xs, seed++)),
        i % 3 ? constant(random_tensor(ws, seed++)) : runtime(random_tensor(ws, seed++)),
        constant(random_tensor({mg * group}, seed++))};
    expect_fast_matches_reference(make_node("ConvTranspose", a), in, what);
    if (i % 4 == 0) expect_thread_independent(make_node("ConvTranspose", a), in, what);
  }
}

TEST(Gemm, FastMatchesReferenceAndIsThreadIndependent) {
  std::mt19937 rng(11);
  auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  std::uint32_t seed = 1300;
  for (int i = 0; i < 30; ++i) {
    const std::int64_t m = i < 3 ? 130 + i : pick(1, 40), n = i < 3 ? 70 : pick(1, 40),
                       k = i < 3 ? 300 : pick(0, 40);
    const bool ta = pick(0, 1), tb = pick(0, 1);
    Attributes a = attrs({{"transA", std::int64_t{ta}},
                          {"transB", std::int64_t{tb}},
                          {"alpha", 0.5f + static_cast<float>(i % 3)},
                          {"beta", 1.5f - static_cast<float>(i % 2)}});
    if (i % 4 == 1) a.set("activation", std::string("Relu"));
    const Shape c_shapes[] = {{m, n}, {n}, {m, 1}, {1}, {}};
    std::vector<OpInput> in{i % 2 ? constant(random_tensor(ta ? Shape{k, m} : Shape{m, k}, seed++))
                                  : runtime(random_tensor(ta ? Shape{k, m} : Shape{m, k}, seed++)),
                            i % 3 ? constant(random_tensor(tb ? Shape{n, k} : Shape{k, n}, seed++))
                                  : runtime(random_tensor(tb ? Shape{n, k} : Shape{k, n}, seed++))};
    if (i % 6 != 5) in.push_back(runtime(random_tensor(c_shapes[i % 5], seed++)));
    const std::string what = "case " + std::to_string(i) + " m" + std::to_string(m) + " n" +
                             std::to_string(n) + " k" + std::to_string(k);
    expect_fast_matches_reference(make_node("Gemm", a), in, what);
    if (i % 5 == 0) expect_thread_independent(make_node("Gemm", a), in, what);
  }
}

TEST(MatMul, FastMatchesReferenceAndIsThreadIndependent) {
  struct Case {
    Shape a, b;
    bool constant_b;
  };
  const Case cases[] = {{{7, 300}, {300, 70}, true},    {{3, 33, 20}, {20, 17}, true},
                        {{3, 33, 20}, {20, 17}, false}, {{2, 1, 5, 9}, {3, 9, 4}, false},
                        {{4, 5, 6}, {4, 6, 7}, true},   {{9}, {2, 9, 5}, true},
                        {{2, 3, 9}, {9}, false},        {{1, 5, 9}, {6, 9, 2}, false},
                        {{131, 10}, {10, 1}, true},     {{6, 1, 2, 3}, {1, 5, 3, 4}, false}};
  std::uint32_t seed = 1700;
  for (const Case& c : cases) {
    const std::vector<OpInput> in{
        runtime(random_tensor(c.a, seed++)),
        c.constant_b ? constant(random_tensor(c.b, seed++)) : runtime(random_tensor(c.b, seed++))};
    std::string what = "a";  // built by appending: GCC 12's -Wrestrict misfires on "a" + string
    what += shape_to_string(c.a) + " b" + shape_to_string(c.b);
    expect_fast_matches_reference(make_node("MatMul"), in, what);
    expect_thread_independent(make_node("MatMul"), in, what);
  }
}

TEST(Pool, ThreadIndependentAndModesAgree) {
  const std::vector<OpInput> in{runtime(random_tensor({2, 5, 11, 13}, 3))};
  const Attributes window = attrs({{"kernel_shape", Ints{3, 2}},
                                   {"strides", Ints{2, 2}},
                                   {"pads", Ints{1, 0, 1, 1}},
                                   {"ceil_mode", std::int64_t{1}},
                                   {"count_include_pad", std::int64_t{1}}});
  for (const char* op : {"MaxPool", "AveragePool"}) {
    expect_thread_independent(make_node(op, window), in, op);
    expect_fast_matches_reference(make_node(op, window), in, op);
  }
  for (const char* op : {"GlobalAveragePool", "GlobalMaxPool", "LRN"}) {
    expect_thread_independent(make_node(op, attrs({{"size", std::int64_t{3}}})), in, op);
  }
  const Tensor scale = random_tensor({5}, 4), bias = random_tensor({5}, 5);
  const Tensor var = random_tensor({5}, 6, 0.5f, 2.0f);
  expect_thread_independent(make_node("BatchNormalization"),
                            {in[0], constant(scale), constant(bias), constant(bias), constant(var)},
                            "BatchNorm");
  expect_thread_independent(make_node("InstanceNormalization"),
                            {in[0], constant(scale), constant(bias)}, "InstanceNorm");
}

}  // namespace
}  // namespace rknn::sim
