// Integer (quantized) kernels of the neural-network ops: Conv, ConvTranspose,
// Gemm, MatMul, the pools, BatchNormalization, QuantizeLinear and
// DequantizeLinear. Hand-computed cases make each rule of
// docs/quantization-nn.md visible (requantization rounding half up, clamps,
// padding with a non-zero zero point, average rounding half away from zero);
// sweeps check that the fast kernels give the reference's bytes at 1, 2 and
// 3 threads; golden bytes pin the arithmetic.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "rknn/sim/error.h"
#include "sim_test_util.h"

namespace rknn::sim {
namespace {

using namespace testing;

using Ints = std::vector<std::int64_t>;
using OptQuant = std::optional<QuantParams>;

// ---- helpers ----

QuantParams per_tensor(float scale, std::int32_t zero_point) {
  return QuantParams{{scale}, {zero_point}, -1};
}

QuantParams per_channel(std::vector<float> scale, std::vector<std::int32_t> zero_point, int axis) {
  return QuantParams{std::move(scale), std::move(zero_point), axis};
}

template <class T>
Tensor codes(Shape shape, const Ints& values) {
  Tensor t(DTypeOf<T>::value, std::move(shape));
  auto v = t.values<T>();
  EXPECT_EQ(v.size(), values.size());
  for (std::size_t i = 0; i < v.size() && i < values.size(); ++i) v[i] = static_cast<T>(values[i]);
  return t;
}

Tensor codes_of(DType type, Shape shape, const Ints& values) {
  switch (type) {
    case DType::kUInt8: return codes<std::uint8_t>(std::move(shape), values);
    case DType::kInt8: return codes<std::int8_t>(std::move(shape), values);
    case DType::kInt16: return codes<std::int16_t>(std::move(shape), values);
    default: return codes<std::int32_t>(std::move(shape), values);
  }
}

Tensor int32s(Shape shape, const Ints& values) { return codes<std::int32_t>(std::move(shape), values); }

// Runs with the reference kernels on one thread.
Tensor run_reference(const OpNode& node, const std::vector<OpInput>& inputs, const QuantSpec& q) {
  return run_quantized_op(node, inputs, q, {.threads = 1, .reference = true}).at(0);
}

// Runs the reference once and the fast kernels at 1, 2 and 3 threads; every
// run must give the same bytes. Returns the reference output.
Tensor run_all(const OpNode& node, const std::vector<OpInput>& inputs, const QuantSpec& q,
               const std::string& what = "") {
  Tensor ref = run_reference(node, inputs, q);
  for (int threads : {1, 2, 3}) {
    const Tensor fast = run_quantized_op(node, inputs, q, {.threads = threads}).at(0);
    EXPECT_TRUE(fast.bytes_equal(ref)) << what << ": fast kernels at " << threads
                                       << " threads differ from the reference";
  }
  return ref;
}

void expect_codes(const Tensor& t, const Shape& shape, const Ints& expected) {
  EXPECT_EQ(t.shape(), shape);
  EXPECT_EQ(t.to_int64_vector(), expected);
}

template <class E>
void expect_throw_mentioning(const OpNode& node, const std::vector<OpInput>& inputs,
                             const QuantSpec& q, const std::string& needle) {
  try {
    run_quantized_op(node, inputs, q);
    FAIL() << "expected an error mentioning '" << needle << "'";
  } catch (const UnsupportedError& e) {
    EXPECT_TRUE((std::is_same_v<E, UnsupportedError>)) << "unexpected UnsupportedError: " << e.what();
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  } catch (const Error& e) {
    EXPECT_TRUE((std::is_same_v<E, Error>)) << "expected UnsupportedError, got: " << e.what();
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

// round(v) with halves toward +infinity, for exact (power-of-two) expectations.
std::int64_t round_half_up(double v) { return static_cast<std::int64_t>(std::floor(v + 0.5)); }

// ---- Conv: hand-computed cases ----

// A 1x1 conv with M = 0.5 * 0.25 / 1 = 1/8: acc = 4 * (x - 10), so
// acc * M runs through halves, which round up (toward +infinity).
TEST(QuantizedConv, RequantizationRoundsHalfUp) {
  const Tensor x = codes<std::uint8_t>({1, 1, 1, 7}, {10, 11, 12, 13, 9, 7, 14});
  const Tensor w = codes<std::uint8_t>({1, 1, 1, 1}, {6});
  const QuantSpec q{{per_tensor(0.5f, 10), per_tensor(0.25f, 2)}, {per_tensor(1.0f, 5)}};
  // acc * M = 0, 0.5, 1, 1.5, -0.5, -1.5, 2
  const Tensor y = run_all(make_node("Conv"), {runtime(x), constant(w)}, q);
  expect_codes(y, {1, 1, 1, 7}, {5, 6, 6, 7, 5, 4, 7});
  EXPECT_EQ(y.dtype(), DType::kUInt8);
}

// The int32 bias is added to the accumulator before requantizing.
TEST(QuantizedConv, Int32BiasInAccumulatorUnits) {
  const Tensor x = codes<std::uint8_t>({1, 1, 1, 3}, {10, 11, 12});
  const Tensor w = codes<std::uint8_t>({1, 1, 1, 1}, {6});
  const Tensor b = int32s({1}, {3});  // real 3 * 0.5 * 0.25
  const QuantSpec q{{per_tensor(0.5f, 10), per_tensor(0.25f, 2), per_tensor(0.125f, 0)},
                    {per_tensor(1.0f, 5)}};
  // (acc + 3) / 8 = 3/8, 7/8, 11/8
  expect_codes(run_all(make_node("Conv"), {runtime(x), constant(w), constant(b)}, q), {1, 1, 1, 3},
               {5, 6, 6});
}

// Per-channel weights: channel 0 holds 2 at scale 0.5, channel 1 holds 4 at
// scale 0.25 (both real 1.0), which equals per-layer codes 2, 2 at scale 0.5.
TEST(QuantizedConv, PerChannelWeightsMatchPerLayer) {
  const Tensor x = codes<std::int8_t>({1, 1, 2, 2}, {-3, 0, 5, 127});
  const QuantParams xq = per_tensor(1.0f, 0), yq = per_tensor(1.0f, 0);
  const Tensor w_channel = codes<std::int8_t>({2, 1, 1, 1}, {2, 4});
  const Tensor w_layer = codes<std::int8_t>({2, 1, 1, 1}, {2, 2});
  const Tensor a = run_all(make_node("Conv"), {runtime(x), constant(w_channel)},
                           {{xq, per_channel({0.5f, 0.25f}, {0, 0}, 0)}, {yq}});
  const Tensor b = run_all(make_node("Conv"), {runtime(x), constant(w_layer)},
                           {{xq, per_tensor(0.5f, 0)}, {yq}});
  expect_codes(a, {1, 2, 2, 2}, {-3, 0, 5, 127, -3, 0, 5, 127});
  EXPECT_TRUE(a.bytes_equal(b));
}

// Per-channel weight zero points: each channel subtracts its own.
TEST(QuantizedConv, PerChannelZeroPoints) {
  const Tensor x = codes<std::uint8_t>({1, 2, 1, 1}, {12, 7});  // offsets 2, -3
  const Tensor w = codes<std::uint8_t>({2, 2, 1, 1}, {101, 102, 53, 49});
  const QuantSpec q{{per_tensor(1.0f, 10), per_channel({1.0f, 1.0f}, {100, 50}, 0)},
                    {per_tensor(1.0f, 100)}};
  // channel 0: 2*1 + -3*2 = -4; channel 1: 2*3 + -3*-1 = 9
  expect_codes(run_all(make_node("Conv"), {runtime(x), constant(w)}, q), {1, 2, 1, 1}, {96, 109});
}

// x real = (x - 128) / 2, w real 1.0, y = 4 * real + 100, so y = 2 * (x - 128) + 100.
struct ActivationCase {
  Tensor x = codes<std::uint8_t>({1, 1, 1, 6}, {118, 123, 128, 130, 140, 200});
  Tensor w = codes<std::uint8_t>({1, 1, 1, 1}, {130});
  QuantSpec q{{per_tensor(0.5f, 128), per_tensor(0.5f, 128)}, {per_tensor(0.25f, 100)}};

  Tensor run(Attributes a) const {
    return run_all(make_node("Conv", std::move(a)), {runtime(x), constant(w)}, q);
  }
};

TEST(QuantizedConv, FusedActivationsAreClamps) {
  const ActivationCase c;
  const Shape s{1, 1, 1, 6};
  expect_codes(c.run({}), s, {80, 90, 100, 104, 124, 244});
  // Relu: max(q, zero point)
  expect_codes(c.run(attrs({{"activation", std::string("Relu")}})), s,
               {100, 100, 100, 104, 124, 244});
  // Clip(-1, 2): codes quantize_value(-1) = 96 and quantize_value(2) = 108
  expect_codes(c.run(attrs({{"activation", std::string("Clip")},
                            {"activation_min", -1.0f},
                            {"activation_max", 2.0f}})),
               s, {96, 96, 100, 104, 108, 108});
  // LeakyRelu(0.1): negative accumulators -20, -10 use M * 0.1: round(-2.0), round(-1.0)
  expect_codes(c.run(attrs({{"activation", std::string("LeakyRelu")}, {"activation_alpha", 0.1f}})),
               s, {98, 99, 100, 104, 124, 244});
  // LeakyRelu(-0.5): -20 * -0.5 = 10, -10 * -0.5 = 5
  expect_codes(c.run(attrs({{"activation", std::string("LeakyRelu")}, {"activation_alpha", -0.5f}})),
               s, {110, 105, 100, 104, 124, 244});
  // LeakyRelu(0) is Relu
  expect_codes(c.run(attrs({{"activation", std::string("LeakyRelu")}, {"activation_alpha", 0.0f}})),
               s, {100, 100, 100, 104, 124, 244});
}

// Padded taps hold real 0, i.e. the code zx = 100: they add nothing even
// though the code is far from 0. Two input channels take the GEMM path, one
// the depthwise path.
TEST(QuantizedConv, PaddingWithNonZeroZeroPoint) {
  const OpNode node = make_node("Conv", attrs({{"pads", Ints{1, 1, 1, 1}}}));
  const Tensor w1 = codes<std::uint8_t>({1, 1, 3, 3}, Ints(9, 51));  // real 1
  const QuantSpec q{{per_tensor(1.0f, 100), per_tensor(1.0f, 50)}, {per_tensor(1.0f, 0)}};
  const Tensor x1 = codes<std::uint8_t>({1, 1, 2, 2}, {101, 102, 103, 104});  // 1, 2, 3, 4
  expect_codes(run_all(node, {runtime(x1), constant(w1)}, q), {1, 1, 2, 2}, {10, 10, 10, 10});
  const Tensor w2 = codes<std::uint8_t>({1, 2, 3, 3}, Ints(18, 51));
  const Tensor x2 = codes<std::uint8_t>({1, 2, 2, 2}, {101, 102, 103, 104, 100, 100, 100, 110});
  expect_codes(run_all(node, {runtime(x2), constant(w2)}, q), {1, 1, 2, 2}, {20, 20, 20, 20});
}

// int16 codes near the top of the range over 576 taps: sums near 2^39, far
// beyond int32, requantized by M = 2^-24 (exact, so the expectation is too).
TEST(QuantizedConv, Int16LargeAccumulators) {
  const std::int64_t c = 64;
  Ints xv(static_cast<std::size_t>(c * 9)), wv(static_cast<std::size_t>(c * 9));
  std::int64_t acc = 0;
  for (std::size_t i = 0; i < xv.size(); ++i) {
    xv[i] = 32000 - static_cast<std::int64_t>(i % 7) * 13;
    wv[i] = (i % 5 == 0 ? -1 : 1) * (31000 + static_cast<std::int64_t>(i % 3) * 17);
    acc += xv[i] * wv[i];
  }
  ASSERT_GT(acc, std::int64_t{1} << 38);
  const Tensor x = codes<std::int16_t>({1, c, 3, 3}, xv);
  const Tensor w = codes<std::int16_t>({1, c, 3, 3}, wv);
  const QuantSpec q{{fixed_point_params(8), fixed_point_params(8)}, {fixed_point_params(-8)}};
  const Tensor y = run_all(make_node("Conv"), {runtime(x), constant(w)}, q);
  expect_codes(y, {1, 1, 1, 1}, {round_half_up(static_cast<double>(acc) / 16777216.0)});
}

// Saturation: the int8 code range is -127..127 (docs/quantization.md).
TEST(QuantizedConv, SaturatesToTheCodeRange) {
  const Tensor x = codes<std::int8_t>({1, 1, 1, 2}, {100, -100});
  const Tensor w = codes<std::int8_t>({1, 1, 1, 1}, {100});
  const QuantSpec q{{per_tensor(1.0f, 0), per_tensor(1.0f, 0)}, {per_tensor(1.0f, 0)}};
  expect_codes(run_all(make_node("Conv"), {runtime(x), constant(w)}, q), {1, 1, 1, 2}, {127, -127});
}

TEST(QuantizedConv, Errors) {
  const OpNode node = make_node("Conv");
  const Tensor x = codes<std::uint8_t>({1, 2, 2, 2}, Ints(8, 1));
  const Tensor w = codes<std::uint8_t>({3, 2, 1, 1}, Ints(6, 1));
  const QuantParams t = per_tensor(1.0f, 0);
  const std::vector<OpInput> in{runtime(x), constant(w)};
  expect_throw_mentioning<UnsupportedError>(node, in, {{std::nullopt, t}, {t}}, "X");
  expect_throw_mentioning<UnsupportedError>(node, in, {{t, std::nullopt}, {t}}, "W");
  expect_throw_mentioning<UnsupportedError>(node, in, {{t, t}, {}}, "output 0");
  expect_throw_mentioning<Error>(node, in, {{t, per_channel({1, 1}, {0, 0}, 0)}, {t}}, "axis 0");
  expect_throw_mentioning<Error>(node, in, {{t, per_channel({1, 1, 1}, {0, 0, 0}, 1)}, {t}}, "axis 0");
  expect_throw_mentioning<Error>(node, in, {{per_channel({1, 1}, {0, 0}, 1), t}, {t}}, "per tensor");
  expect_throw_mentioning<Error>(node, in, {{per_tensor(-1.0f, 0), t}, {t}}, "positive");
  expect_throw_mentioning<Error>(node, in, {{per_tensor(1.0f, 300), t}, {t}}, "zero point");
  const Tensor w8 = codes<std::int8_t>({3, 2, 1, 1}, Ints(6, 1));
  expect_throw_mentioning<UnsupportedError>(node, {runtime(x), constant(w8)}, {{t, t}, {t}},
                                            "same type");
  const std::vector<OpInput> with_bias{runtime(x), constant(w), constant(int32s({3}, {0, 0, 0}))};
  expect_throw_mentioning<Error>(node, with_bias, {{per_tensor(0.5f, 0), t, t}, {t}}, "expected scale");
  expect_throw_mentioning<UnsupportedError>(
      node, {runtime(x), constant(w), constant(float_tensor({3}, {0, 0, 0}))}, {{t, t}, {t}}, "int32");
}

// ---- ConvTranspose ----

// Stride 2, kernel 2: every output is one tap; per-channel weights along axis 1.
TEST(QuantizedConvTranspose, HandComputed) {
  const OpNode node = make_node("ConvTranspose", attrs({{"strides", Ints{2, 2}}}));
  const Tensor x = codes<std::uint8_t>({1, 1, 1, 2}, {12, 8});  // offsets 2, -2
  const Tensor w = codes<std::uint8_t>({1, 2, 1, 2}, {3, 5, 3, 5});  // channel 0 offsets 1, 3
  const QuantSpec q{{per_tensor(1.0f, 10), per_channel({1.0f, 0.5f}, {2, 2}, 1)},
                    {per_tensor(1.0f, 50)}};
  // channel 0: 2, 6, -2, -6; channel 1 (scale 0.5): 1, 3, -1, -3
  expect_codes(run_all(node, {runtime(x), constant(w)}, q), {1, 2, 1, 4},
               {52, 56, 48, 44, 51, 53, 49, 47});
}

// ---- Gemm and MatMul ----

// acc = [11, 18]; C = [1, -1] in accumulator units; alpha 0.5 folded into M:
// (11 + 1) / 2 = 6, (18 - 1) / 2 = 8.5 -> 9.
TEST(QuantizedGemm, HandComputedWithBiasAndAlpha) {
  const Tensor a = codes<std::uint8_t>({1, 2}, {3, 5});
  const Tensor b = codes<std::uint8_t>({2, 2}, {2, 1, 1, 3});
  const OpNode node = make_node("Gemm", attrs({{"alpha", 0.5f}}));
  const QuantParams one = per_tensor(1.0f, 0);
  expect_codes(run_all(node, {runtime(a), constant(b), constant(int32s({2}, {1, -1}))},
                       {{one, one, per_tensor(0.5f, 0)}, {one}}),
               {1, 2}, {6, 9});
  // A scalar C adds to every column; without C, 5.5 -> 6 and 9.
  expect_codes(run_all(node, {runtime(a), constant(b), constant(int32s({}, {3}))}, {{one, one}, {one}}),
               {1, 2}, {7, 11});
  expect_codes(run_all(node, {runtime(a), constant(b)}, {{one, one}, {one}}), {1, 2}, {6, 9});
}

// transB with B quantized per output column (axis 0 of the transposed B).
TEST(QuantizedGemm, PerColumnWeightsTransposed) {
  const Tensor a = codes<std::int8_t>({2, 3}, {1, 2, 3, -1, -2, -3});
  const Tensor b = codes<std::int8_t>({2, 3}, {2, 2, 2, 4, 4, 4});  // both real 1.0
  const OpNode node = make_node("Gemm", attrs({{"transB", std::int64_t{1}}}));
  const QuantParams one = per_tensor(1.0f, 0);
  expect_codes(run_all(node, {runtime(a), constant(b)},
                       {{one, per_channel({0.5f, 0.25f}, {0, 0}, 0)}, {one}}),
               {2, 2}, {6, 6, -6, -6});
  expect_throw_mentioning<Error>(node, {runtime(a), constant(b)},
                                 {{one, per_channel({0.5f, 0.25f}, {0, 0}, 1)}, {one}}, "axis 0");
}

// 40000 products of 255 * 255 sum to 2.6e9 > 2^31: the fast kernels must
// switch to int64 accumulators for these 8-bit codes. M = 2^-24.
TEST(QuantizedGemm, EightBitSumsBeyondInt32) {
  const std::int64_t k = 40000;
  Ints bv;
  for (std::int64_t i = 0; i < k; ++i) bv.insert(bv.end(), {255, i % 2 ? 255 : 0});
  const Tensor a = codes<std::uint8_t>({1, k}, Ints(static_cast<std::size_t>(k), 255));
  const Tensor b = codes<std::uint8_t>({k, 2}, bv);
  const QuantSpec q{{fixed_point_params(12), fixed_point_params(12)}, {fixed_point_params(0)}};
  const double acc = 255.0 * 255.0 * static_cast<double>(k);
  expect_codes(run_all(make_node("Gemm"), {runtime(a), constant(b)}, q), {1, 2},
               {round_half_up(acc / 16777216.0), round_half_up(acc / 2 / 16777216.0)});
}

TEST(QuantizedGemm, Errors) {
  const Tensor a = codes<std::uint8_t>({2, 2}, {1, 2, 3, 4});
  const Tensor b = codes<std::uint8_t>({2, 2}, {1, 2, 3, 4});
  const QuantParams one = per_tensor(1.0f, 0);
  const OpNode node = make_node("Gemm");
  expect_throw_mentioning<UnsupportedError>(
      node, {runtime(a), constant(b), constant(int32s({2, 2}, {0, 0, 0, 0}))}, {{one, one}, {one}},
      "shape [N]");
  expect_throw_mentioning<UnsupportedError>(make_node("Gemm", attrs({{"alpha", -1.0f}})),
                                            {runtime(a), constant(b)}, {{one, one}, {one}}, "alpha");
  // C's scale must be alpha * a_scale * b_scale / beta = 2 here.
  expect_throw_mentioning<Error>(make_node("Gemm", attrs({{"beta", 0.5f}})),
                                 {runtime(a), constant(b), constant(int32s({2}, {0, 0}))},
                                 {{one, one, one}, {one}}, "expected scale");
}

TEST(QuantizedMatMul, HandComputedAndBroadcast) {
  const Tensor a = codes<std::uint8_t>({2, 1, 2}, {130, 126, 128, 132});  // offsets 2,-2 / 0,4
  const Tensor b = codes<std::uint8_t>({2, 2}, {1, 2, 3, 4});
  const QuantSpec q{{per_tensor(0.5f, 128), per_tensor(1.0f, 0)}, {per_tensor(1.0f, 10)}};
  // batch 0: (2*1 - 2*3, 2*2 - 2*4) / 2 = -2, -2; batch 1: (4*3, 4*4) / 2 = 6, 8
  expect_codes(run_all(make_node("MatMul"), {runtime(a), runtime(b)}, q), {2, 1, 2}, {8, 8, 16, 18});
  expect_throw_mentioning<Error>(make_node("MatMul"), {runtime(a), runtime(b)},
                                 {{per_tensor(0.5f, 128), per_channel({1, 1}, {0, 0}, 1)},
                                  {per_tensor(1.0f, 10)}},
                                 "per tensor");
}

// ---- Pools ----

TEST(QuantizedPool, AveragePoolRoundsHalfAwayFromZero) {
  const OpNode node = make_node("AveragePool", attrs({{"kernel_shape", Ints{1, 4}}, {"strides", Ints{1, 4}}}));
  // offsets from 10: (0, 1, 1, 0) -> 0.5 -> 1; (-1, -1, 0, 0) -> -0.5 -> -1; (3, 0, 0, 0) -> 0.75 -> 1
  const Tensor x = codes<std::uint8_t>({1, 1, 1, 12}, {10, 11, 11, 10, 9, 9, 10, 10, 13, 10, 10, 10});
  const QuantParams xq = per_tensor(1.0f, 10);
  expect_codes(run_all(node, {runtime(x)}, {{xq}, {xq}}), {1, 1, 1, 3}, {11, 9, 11});
  // Output scale 2, zero point 0: means 1, -1, 1 at M = 0.5 -> 0.5 -> 1, -0.5 -> 0, 1
  expect_codes(run_all(node, {runtime(x)}, {{xq}, {per_tensor(2.0f, 0)}}), {1, 1, 1, 3}, {1, 0, 1});
}

// Padding holds real 0 (code 10); count_include_pad only changes the divisor.
TEST(QuantizedPool, AveragePoolCountIncludePad) {
  const Tensor x = codes<std::uint8_t>({1, 1, 1, 4}, {13, 10, 10, 12});
  const QuantParams xq = per_tensor(1.0f, 10);
  auto node = [](std::int64_t include) {
    return make_node("AveragePool", attrs({{"kernel_shape", Ints{1, 3}},
                                           {"strides", Ints{1, 3}},
                                           {"pads", Ints{0, 1, 0, 1}},
                                           {"count_include_pad", include}}));
  };
  // windows (pad, 3, 0) and (0, 2, pad): excluded 3/2 -> 2, 2/2 -> 1; included 3/3, 2/3 -> 1, 1
  expect_codes(run_all(node(0), {runtime(x)}, {{xq}, {xq}}), {1, 1, 1, 2}, {12, 11});
  expect_codes(run_all(node(1), {runtime(x)}, {{xq}, {xq}}), {1, 1, 1, 2}, {11, 11});
}

TEST(QuantizedPool, GlobalAveragePool) {
  // plane offsets sum 2, -2, -6 over 4 values: 0.5 -> 1, -0.5 -> -1, -1.5 -> -2
  const Tensor x = codes<std::int8_t>({1, 3, 2, 2}, {1, 1, 0, 0, -1, -1, 0, 0, -3, -3, 0, 0});
  const QuantParams q = per_tensor(0.5f, 0);
  expect_codes(run_all(make_node("GlobalAveragePool"), {runtime(x)}, {{q}, {q}}), {1, 3, 1, 1},
               {1, -1, -2});
}

TEST(QuantizedPool, MaxPoolsCompareCodes) {
  const Tensor x = codes<std::int8_t>({1, 1, 2, 4}, {-128, -5, 3, 7, -100, -6, 2, 9});
  const QuantParams q = per_tensor(0.5f, -3);
  const OpNode node = make_node("MaxPool", attrs({{"kernel_shape", Ints{2, 2}}, {"strides", Ints{2, 2}}}));
  expect_codes(run_all(node, {runtime(x)}, {{q}, {q}}), {1, 1, 1, 2}, {-5, 9});
  expect_codes(run_all(make_node("GlobalMaxPool"), {runtime(x)}, {{q}, {q}}), {1, 1, 1, 1}, {9});
  // ONNX integer MaxPool without parameters compares the same codes.
  expect_codes(run_all(node, {runtime(x)}, {}), {1, 1, 1, 2}, {-5, 9});
  expect_throw_mentioning<Error>(node, {runtime(x)}, {{q}, {per_tensor(1.0f, -3)}}, "must equal");
  expect_throw_mentioning<UnsupportedError>(make_node("AveragePool", attrs({{"kernel_shape", Ints{2, 2}}})),
                                            {runtime(x)}, {{q}, {}}, "output 0");
}

// ---- BatchNormalization ----

// a = scale / sqrt(var + 0) = (2, -1); y = 2x + 1 and -x at y zero point 128.
TEST(QuantizedBatchNorm, PerChannelRule) {
  const Tensor x = codes<std::uint8_t>({1, 2, 1, 2}, {1, 2, 3, 4});
  const OpNode node = make_node("BatchNormalization", attrs({{"epsilon", 0.0f}}));
  std::vector<OpInput> in{runtime(x), constant(float_tensor({2}, {2, -1})),
                          constant(float_tensor({2}, {1, 0})), constant(float_tensor({2}, {0, 0})),
                          constant(float_tensor({2}, {1, 1}))};
  const QuantSpec q{{per_tensor(1.0f, 0)}, {per_tensor(1.0f, 128)}};
  expect_codes(run_all(node, in, q), {1, 2, 1, 2}, {131, 133, 125, 124});
  // y scale 4: 2x * 1/4 rounds half up (0.5 -> 1, 1 -> 1), offset round(1/4) = 0
  const QuantSpec q4{{per_tensor(1.0f, 0)}, {per_tensor(4.0f, 128)}};
  expect_codes(run_all(node, in, q4), {1, 2, 1, 2}, {129, 129, 127, 127});
  in[1] = runtime(float_tensor({2}, {2, -1}));
  expect_throw_mentioning<UnsupportedError>(node, in, q, "must be a constant");
}

// ---- QuantizeLinear / DequantizeLinear: ONNX test data ----

TEST(QuantizeLinear, OnnxTestData) {
  // test_quantizelinear
  const Tensor y = run_all(make_node("QuantizeLinear"),
                           {runtime(float_tensor({6}, {0, 2, 3, 1000, -254, -1000})),
                            runtime(float_tensor({}, {2})), runtime(codes<std::uint8_t>({}, {128}))},
                           {});
  expect_codes(y, {6}, {128, 129, 130, 255, 1, 0});
  EXPECT_EQ(y.dtype(), DType::kUInt8);
  // test_quantizelinear_axis
  const Tensor ya = run_all(
      make_node("QuantizeLinear"),
      {runtime(float_tensor({1, 3, 3, 2}, {-162, 10, -100, 232, -20, -50, -76, 0, 0, 252, 32, -44,
                                           245, -485, -960, -270, -375, -470})),
       runtime(float_tensor({3}, {2, 4, 5})), runtime(codes<std::uint8_t>({3}, {84, 24, 196}))},
      {});
  expect_codes(ya, {1, 3, 3, 2}, {3, 89, 34, 200, 74, 59, 5, 24, 24, 87, 32, 13, 245, 99, 4, 142, 121, 102});
}

TEST(DequantizeLinear, OnnxTestData) {
  const Tensor y = run_all(make_node("DequantizeLinear"),
                           {runtime(codes<std::uint8_t>({4}, {0, 3, 128, 255})),
                            runtime(float_tensor({}, {2})), runtime(codes<std::uint8_t>({}, {128}))},
                           {});
  EXPECT_EQ(y.to_float_vector(), (std::vector<float>{-256, -250, 0, 254}));
  const Tensor ya = run_all(
      make_node("DequantizeLinear"),
      {runtime(codes<std::uint8_t>({1, 3, 3, 2}, {3, 89, 34, 200, 74, 59, 5, 24, 24, 87, 32, 13, 245,
                                                  99, 4, 142, 121, 102})),
       runtime(float_tensor({3}, {2, 4, 5})), runtime(codes<std::uint8_t>({3}, {84, 24, 196}))},
      {});
  EXPECT_EQ(ya.to_float_vector(),
            (std::vector<float>{-162, 10, -100, 232, -20, -50, -76, 0, 0, 252, 32, -44, 245, -485,
                                -960, -270, -375, -470}));
}

// Half to even, ONNX's full int8 range (-128), int16, a negative axis, no zero point.
TEST(QuantizeLinear, RoundingRangesAndAxis) {
  const Tensor x = float_tensor({2, 4}, {2.5f, 3.5f, -2.5f, -1000.0f, 0.5f, 1.5f, 1e9f, -0.5f});
  expect_codes(run_all(make_node("QuantizeLinear"),
                       {runtime(x), constant(float_tensor({}, {1})), constant(codes<std::int8_t>({}, {0}))}, {}),
               {2, 4}, {2, 4, -2, -128, 0, 2, 127, 0});
  expect_codes(run_all(make_node("QuantizeLinear"),
                       {runtime(x), constant(float_tensor({}, {0.5f})), constant(codes<std::int16_t>({}, {-7}))},
                       {}),
               {2, 4}, {-2, 0, -12, -2007, -6, -4, 32767, -8});
  const Tensor u = run_all(make_node("QuantizeLinear", attrs({{"axis", std::int64_t{-2}}})),
                           {runtime(x), constant(float_tensor({2}, {1, 0.25f}))}, {});
  EXPECT_EQ(u.dtype(), DType::kUInt8);  // no zero point: uint8, zero point 0
  expect_codes(u, {2, 4}, {2, 4, 0, 0, 2, 6, 255, 0});
  const Tensor d = run_all(make_node("DequantizeLinear", attrs({{"axis", std::int64_t{0}}})),
                           {runtime(codes<std::int8_t>({2, 2}, {-128, 127, 3, -3})),
                            constant(float_tensor({2}, {0.5f, 2.0f})),
                            constant(codes<std::int8_t>({2}, {0, 1}))},
                           {});
  EXPECT_EQ(d.to_float_vector(), (std::vector<float>{-64, 63.5f, 4, -8}));
  expect_throw_mentioning<Error>(make_node("QuantizeLinear"),
                                 {runtime(x), constant(float_tensor({3}, {1, 1, 1}))}, {}, "axis 1");
}

// ---- Agreement with float ----

// Quantizes a float tensor with min/max parameters of the given type.
struct Quantized {
  Tensor codes;
  QuantParams params;
};

Quantized quantize(const Tensor& t, DType type) {
  float lo = 0.0f, hi = 0.0f;
  for (float v : t.values<float>()) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  QuantParams p;
  if (type == DType::kUInt8) {
    const float scale = (hi - lo) / 255.0f;
    p = per_tensor(scale, static_cast<std::int32_t>(std::lround(-lo / scale)));
  } else {
    const float limit = type == DType::kInt8 ? 127.0f : 32767.0f;
    p = per_tensor(std::max(hi, -lo) / limit, 0);
  }
  Ints values;
  for (float v : t.values<float>()) values.push_back(quantize_value(v, p.scale[0], p.zero_point[0], type));
  return {codes_of(type, t.shape(), values), p};
}

Tensor dequantize(const Tensor& codes, const QuantParams& p) {
  Tensor out(DType::kFloat32, codes.shape());
  const Ints v = codes.to_int64_vector();
  for (std::size_t i = 0; i < v.size(); ++i) {
    out.values<float>()[i] = p.scale[0] * static_cast<float>(v[i] - p.zero_point[0]);
  }
  return out;
}

// A quantized conv, dequantized, is the float conv of its dequantized inputs
// up to the output rounding (half a step) and the multiplier's 2^-31 error.
TEST(QuantizedConv, CloseToFloatConv) {
  for (DType type : {DType::kUInt8, DType::kInt8, DType::kInt16}) {
    const Tensor xf = random_tensor({1, 8, 9, 9}, 11, -1.0f, 3.0f);
    const Tensor wf = random_tensor({6, 8, 3, 3}, 12, -0.5f, 0.5f);
    const Quantized xq = quantize(xf, type);
    const Quantized wq = quantize(wf, type);
    const OpNode node = make_node("Conv", attrs({{"pads", Ints{1, 1, 1, 1}}}));
    const Tensor yf = run_op(node, {runtime(dequantize(xq.codes, xq.params)),
                                    constant(dequantize(wq.codes, wq.params))})
                          .at(0);
    float lo = 0, hi = 0;
    for (float v : yf.values<float>()) lo = std::min(lo, v), hi = std::max(hi, v);
    const Quantized yq = quantize(yf, type);
    const Tensor y = run_all(node, {runtime(xq.codes), constant(wq.codes)},
                             {{xq.params, wq.params}, {yq.params}});
    const Tensor back = dequantize(y, yq.params);
    const float step = yq.params.scale[0];
    for (std::size_t i = 0; i < static_cast<std::size_t>(y.element_count()); ++i) {
      ASSERT_NEAR(back.values<float>()[i], yf.values<float>()[i], step + 1e-5f * (hi - lo))
          << dtype_name(type) << " at " << i;
    }
  }
}

// ---- Fast == reference sweeps ----

struct Rng {
  std::mt19937 gen;
  explicit Rng(std::uint32_t seed) : gen(seed) {}
  std::int64_t range(std::int64_t lo, std::int64_t hi) {  // inclusive
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(gen);
  }
  float real(float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(gen); }
  bool coin() { return range(0, 1) == 1; }
};

std::int64_t type_min(DType t) { return t == DType::kUInt8 ? 0 : (t == DType::kInt8 ? -128 : -32768); }
std::int64_t type_max(DType t) { return t == DType::kUInt8 ? 255 : (t == DType::kInt8 ? 127 : 32767); }

Tensor random_codes(Rng& rng, DType type, Shape shape) {
  Ints v(static_cast<std::size_t>(element_count(shape)));
  for (auto& x : v) x = rng.range(type_min(type), type_max(type));
  return codes_of(type, std::move(shape), v);
}

std::int32_t random_zero_point(Rng& rng, DType type) {
  if (type == DType::kInt16) return static_cast<std::int32_t>(rng.range(-100, 100));
  return static_cast<std::int32_t>(rng.range(type_min(type), type_max(type)));
}

QuantParams random_params(Rng& rng, DType type, std::int64_t channels, int axis) {
  if (channels <= 1) return per_tensor(rng.real(0.001f, 0.1f), random_zero_point(rng, type));
  QuantParams p{{}, {}, axis};
  for (std::int64_t c = 0; c < channels; ++c) {
    p.scale.push_back(rng.real(0.001f, 0.1f));
    p.zero_point.push_back(random_zero_point(rng, type));
  }
  return p;
}

Attributes random_activation(Rng& rng) {
  switch (rng.range(0, 4)) {
    case 1: return attrs({{"activation", std::string("Relu")}});
    case 2:
      return attrs({{"activation", std::string("Clip")}, {"activation_min", -0.5f}, {"activation_max", 0.7f}});
    case 3: return attrs({{"activation", std::string("LeakyRelu")}, {"activation_alpha", rng.real(-0.3f, 0.3f)}});
    default: return {};
  }
}

const DType kTypes[] = {DType::kUInt8, DType::kInt8, DType::kInt16};

TEST(QuantizedSweep, ConvFastMatchesReference) {
  Rng rng(2024);
  for (int iter = 0; iter < 60; ++iter) {
    const DType type = kTypes[iter % 3];
    const bool one_d = iter % 7 == 3;
    const std::int64_t group = rng.coin() ? 1 : rng.range(2, 3);
    const bool depthwise = iter % 5 == 1;
    const std::int64_t cg = depthwise ? 1 : rng.range(1, 5), c = cg * group;
    const std::int64_t m = group * (depthwise ? rng.range(1, 2) : rng.range(1, 6));
    const std::int64_t kh = one_d ? 1 : rng.range(1, 3), kw = rng.range(1, 3);
    const std::int64_t h = one_d ? 1 : rng.range(kh, 12), w = rng.range(kw, 19);
    Attributes a = random_activation(rng);
    a.set("group", group);
    const std::int64_t s = rng.range(1, 2), d = rng.range(1, 2), p = rng.range(0, 1);
    a.set("strides", one_d ? Ints{s} : Ints{s, rng.range(1, 2)});
    a.set("dilations", one_d ? Ints{d} : Ints{d, 1});
    a.set("pads", one_d ? Ints{p, p} : Ints{p, 0, p, 1});
    Shape xs = one_d ? Shape{rng.range(1, 2), c, w} : Shape{rng.range(1, 2), c, h, w};
    Shape ws = one_d ? Shape{m, cg, kw} : Shape{m, cg, kh, kw};
    const bool channel = rng.coin();
    QuantSpec q{{random_params(rng, type, 1, -1), random_params(rng, type, channel ? m : 1, 0),
                 std::nullopt},
                {random_params(rng, type, 1, -1)}};
    std::vector<OpInput> in{runtime(random_codes(rng, type, xs)), constant(random_codes(rng, type, ws))};
    if (rng.coin()) {
      Ints bias;
      for (std::int64_t i = 0; i < m; ++i) bias.push_back(rng.range(-5000, 5000));
      in.push_back(constant(int32s({m}, bias)));
    }
    if (iter % 4 == 0) in[1].constant = false;  // weights known only at run time
    try {
      run_all(make_node("Conv", a), in, q, "conv sweep " + std::to_string(iter));
    } catch (const Error& e) {
      // The dilated kernel may not fit the input: skip such draws.
      EXPECT_NE(std::string(e.what()).find("kernel"), std::string::npos) << e.what();
    }
  }
}

TEST(QuantizedSweep, ConvTransposeFastMatchesReference) {
  Rng rng(77);
  for (int iter = 0; iter < 12; ++iter) {
    const DType type = kTypes[iter % 3];
    const std::int64_t group = rng.range(1, 2), c = group * rng.range(1, 3), mg = rng.range(1, 3);
    Attributes a = random_activation(rng);
    a.set("group", group);
    a.set("strides", Ints{rng.range(1, 2), rng.range(1, 3)});
    a.set("pads", Ints{rng.range(0, 1), 0, 0, rng.range(0, 1)});
    QuantSpec q{{random_params(rng, type, 1, -1), random_params(rng, type, rng.coin() ? mg : 1, 1)},
                {random_params(rng, type, 1, -1)}};
    const std::vector<OpInput> in{runtime(random_codes(rng, type, {1, c, rng.range(1, 5), rng.range(1, 6)})),
                                  constant(random_codes(rng, type, {c, mg, 3, 2}))};
    run_all(make_node("ConvTranspose", a), in, q, "conv transpose sweep " + std::to_string(iter));
  }
}

TEST(QuantizedSweep, GemmFastMatchesReference) {
  Rng rng(99);
  for (int iter = 0; iter < 40; ++iter) {
    const DType type = kTypes[iter % 3];
    const std::int64_t m = rng.range(1, 70), n = rng.range(1, 150), k = rng.range(1, 600);
    const bool ta = rng.coin(), tb = rng.coin();
    Attributes a = random_activation(rng);
    a.set("transA", std::int64_t{ta});
    a.set("transB", std::int64_t{tb});
    if (rng.coin()) a.set("alpha", rng.real(0.5f, 2.0f));
    const bool channel = rng.coin();
    const QuantParams aq = random_params(rng, type, 1, -1);
    const QuantParams bq = random_params(rng, type, channel ? n : 1, tb ? 0 : 1);
    std::vector<OpInput> in{runtime(random_codes(rng, type, ta ? Shape{k, m} : Shape{m, k})),
                            constant(random_codes(rng, type, tb ? Shape{n, k} : Shape{k, n}))};
    if (rng.coin()) in[0].constant = true;
    if (rng.coin()) in[1].constant = false;
    if (rng.coin()) {
      Ints bias;
      for (std::int64_t i = 0; i < n; ++i) bias.push_back(rng.range(-100000, 100000));
      in.push_back(constant(int32s({n}, bias)));
    }
    run_all(make_node("Gemm", a), in, {{aq, bq}, {random_params(rng, type, 1, -1)}},
            "gemm sweep " + std::to_string(iter));
  }
}

TEST(QuantizedSweep, MatMulFastMatchesReference) {
  Rng rng(5);
  const std::vector<std::pair<Shape, Shape>> shapes = {
      {{3, 17}, {17, 9}}, {{2, 5, 33}, {33, 20}}, {{7, 40}, {3, 40, 6}},
      {{2, 1, 4, 9}, {3, 9, 5}}, {{64}, {64, 3}}, {{5, 70}, {70}}};
  int iter = 0;
  for (const auto& [as, bs] : shapes) {
    for (DType type : kTypes) {
      const QuantSpec q{{random_params(rng, type, 1, -1), random_params(rng, type, 1, -1)},
                        {random_params(rng, type, 1, -1)}};
      run_all(make_node("MatMul"), {runtime(random_codes(rng, type, as)), runtime(random_codes(rng, type, bs))},
              q, "matmul sweep " + std::to_string(iter++));
    }
  }
}

TEST(QuantizedSweep, PoolsAreThreadDeterministic) {
  Rng rng(8);
  for (int iter = 0; iter < 12; ++iter) {
    const DType type = kTypes[iter % 3];
    const QuantSpec q{{random_params(rng, type, 1, -1)}, {random_params(rng, type, 1, -1)}};
    const Tensor x = random_codes(rng, type, {2, 3, rng.range(3, 9), rng.range(3, 9)});
    const Attributes a = attrs({{"kernel_shape", Ints{3, 2}},
                                {"strides", Ints{2, 1}},
                                {"pads", Ints{1, 0, 1, 1}},
                                {"count_include_pad", std::int64_t{iter % 2}},
                                {"ceil_mode", std::int64_t{iter % 3 == 0}}});
    run_all(make_node("AveragePool", a), {runtime(x)}, q, "average pool");
    run_all(make_node("GlobalAveragePool"), {runtime(x)}, q, "global average pool");
    run_all(make_node("MaxPool", a), {runtime(x)}, {{q.inputs[0]}, {q.inputs[0]}}, "max pool");
  }
}

// ---- Fast == reference sweeps of the fast paths' corners ----
// (docs/quantization-nn.md, "Fast kernels"): depthwise planes split by stride
// phase, the int16 split form (zero points 0), SSE2 requantization rows (8
// outputs at a time, then a scalar tail), GEMM blocks, depth blocks and
// 64-pair partial sums.

// int16 codes drawn for the split form: zero points 0 and codes that
// include the storage extremes.
QuantParams zero_point_zero(Rng& rng, std::int64_t channels, int axis) {
  QuantParams p{{}, {}, channels > 1 ? axis : -1};
  for (std::int64_t c = 0; c < std::max<std::int64_t>(channels, 1); ++c) {
    p.scale.push_back(rng.real(0.001f, 0.1f));
    p.zero_point.push_back(0);
  }
  return p;
}

Tensor extreme_codes(Rng& rng, DType type, Shape shape) {
  Ints v(static_cast<std::size_t>(element_count(shape)));
  for (auto& x : v) {
    x = rng.range(0, 4) == 0 ? (rng.coin() ? type_min(type) : type_max(type)) : rng.range(type_min(type), type_max(type));
  }
  return codes_of(type, std::move(shape), v);
}

struct ConvCase {
  DType type = DType::kUInt8;
  Shape xs, ws;
  Attributes attributes;
  bool zero_points_zero = false;
  bool per_channel = false;
  bool constant_weights = true;
  std::int64_t bias_magnitude = 0;  // 0: no bias
};

void run_conv_case(Rng& rng, const ConvCase& c, const std::string& what) {
  const std::int64_t m = c.ws[0];
  const QuantParams wq = c.zero_points_zero ? zero_point_zero(rng, c.per_channel ? m : 1, 0)
                                            : random_params(rng, c.type, c.per_channel ? m : 1, 0);
  const QuantParams xq = c.zero_points_zero ? zero_point_zero(rng, 1, -1) : random_params(rng, c.type, 1, -1);
  QuantSpec q{{xq, wq, std::nullopt}, {random_params(rng, c.type, 1, -1)}};
  std::vector<OpInput> in{runtime(extreme_codes(rng, c.type, c.xs)), constant(extreme_codes(rng, c.type, c.ws))};
  in[1].constant = c.constant_weights;
  if (c.bias_magnitude > 0) {
    Ints bias;
    for (std::int64_t i = 0; i < m; ++i) bias.push_back(rng.range(-c.bias_magnitude, c.bias_magnitude));
    in.push_back(constant(int32s({m}, bias)));
  }
  run_all(make_node("Conv", c.attributes), in, q, what);
}

TEST(QuantizedSweep, DepthwiseFastMatchesReference) {
  Rng rng(4242);
  for (int iter = 0; iter < 36; ++iter) {
    ConvCase c;
    c.type = kTypes[iter % 3];
    const std::int64_t channels = rng.range(1, 4), multiplier = rng.range(1, 2);
    const std::int64_t kh = rng.range(1, 5), kw = rng.range(1, 5), dilation = rng.range(1, 2);
    const std::int64_t h = rng.range(kh * dilation, 21), w = rng.range(kw * dilation, 40);
    c.attributes = random_activation(rng);
    c.attributes.set("group", channels);
    c.attributes.set("strides", Ints{rng.range(1, 3), rng.range(1, 3)});
    c.attributes.set("dilations", Ints{dilation, rng.range(1, 2)});
    c.attributes.set("pads", Ints{rng.range(0, 2), rng.range(0, 2), rng.range(0, 2), rng.range(0, 2)});
    c.xs = {rng.range(1, 2), channels, h, w};
    c.ws = {channels * multiplier, 1, kh, kw};
    c.zero_points_zero = c.type == DType::kInt16 && rng.coin();
    c.per_channel = rng.coin();
    c.constant_weights = iter % 4 != 0;
    c.bias_magnitude = rng.coin() ? 5000 : (rng.coin() ? 0 : 2000000000);
    try {
      run_conv_case(rng, c, "depthwise sweep " + std::to_string(iter));
    } catch (const Error& e) {
      // The dilated kernel may not fit the input: skip such draws.
      EXPECT_NE(std::string(e.what()).find("kernel"), std::string::npos) << e.what();
    }
  }
}

TEST(QuantizedSweep, LargeConvFastMatchesReference) {
  Rng rng(777);
  for (int iter = 0; iter < 12; ++iter) {
    ConvCase c;
    c.type = kTypes[iter % 3];
    const bool pointwise = iter % 2 == 0;
    // Pointwise: depth beyond one 512 block and many pixels; 3x3: depth 9 * cg.
    const std::int64_t cg = pointwise ? rng.range(100, 600) : rng.range(8, 60);
    const std::int64_t m = rng.range(1, 80), h = rng.range(3, 14), w = rng.range(3, 20);
    c.attributes = random_activation(rng);
    if (!pointwise) {
      c.attributes.set("pads", Ints{1, 1, 1, 1});
      c.attributes.set("strides", Ints{rng.range(1, 2), 1});
    }
    c.xs = {1, cg, h, w};
    c.ws = {m, cg, pointwise ? 1 : 3, pointwise ? 1 : 3};
    c.zero_points_zero = c.type == DType::kInt16 && iter % 4 < 2;
    c.per_channel = rng.coin();
    c.constant_weights = iter % 3 != 0;
    c.bias_magnitude = rng.coin() ? 100000 : 0;
    run_conv_case(rng, c, "large conv sweep " + std::to_string(iter));
  }
}

// int16 Gemm with zero points 0: the split form with A either side (runtime
// activations, constant weights) and extreme codes.
TEST(QuantizedSweep, Int16GemmSplitFormMatchesReference) {
  Rng rng(31);
  for (int iter = 0; iter < 10; ++iter) {
    const DType type = DType::kInt16;
    const std::int64_t m = rng.range(1, 40), n = rng.range(1, 200), k = rng.range(1, 700);
    const bool tb = rng.coin();
    Attributes a = random_activation(rng);
    a.set("transB", std::int64_t{tb});
    const QuantParams aq = zero_point_zero(rng, 1, -1);
    const QuantParams bq = zero_point_zero(rng, rng.coin() ? n : 1, tb ? 0 : 1);
    std::vector<OpInput> in{runtime(extreme_codes(rng, type, {m, k})),
                            constant(extreme_codes(rng, type, tb ? Shape{n, k} : Shape{k, n}))};
    if (rng.coin()) in[1].constant = false;
    run_all(make_node("Gemm", a), in, {{aq, bq}, {random_params(rng, type, 1, -1)}},
            "int16 gemm sweep " + std::to_string(iter));
  }
}

// ---- Golden bytes ----

std::uint64_t fnv1a(const Tensor& t) {
  std::uint64_t h = 14695981039346656037ull;
  for (std::size_t i = 0; i < t.byte_size(); ++i) {
    h = (h ^ static_cast<std::uint8_t>(t.raw()[i])) * 1099511628211ull;
  }
  return h;
}

// A small uint8 conv (per-channel weights, bias, padding, fused Relu)
// followed by an average pool. The bytes are pinned: any change in the
// arithmetic (rounding, multipliers, accumulation) shows up here.
TEST(QuantizedGolden, ConvThenPoolBytes) {
  // Raw mt19937 output is specified by the standard (distributions are not).
  std::mt19937 gen(31337);
  auto draw = [&gen](Shape shape, std::uint32_t modulo, std::int64_t offset) {
    Ints v(static_cast<std::size_t>(element_count(shape)));
    for (auto& e : v) e = static_cast<std::int64_t>(gen() % modulo) + offset;
    return v;
  };
  const Tensor x = codes<std::uint8_t>({1, 3, 6, 6}, draw({1, 3, 6, 6}, 256, 0));
  const Tensor w = codes<std::uint8_t>({4, 3, 3, 3}, draw({4, 3, 3, 3}, 256, 0));
  const Ints bias = draw({4}, 6001, -3000);
  const QuantParams xq = per_tensor(0.02f, 120);
  const QuantParams wq = per_channel({0.004f, 0.003f, 0.005f, 0.0045f}, {130, 125, 128, 120}, 0);
  const QuantParams yq = per_tensor(0.05f, 40);
  const OpNode conv = make_node("Conv", attrs({{"pads", Ints{1, 1, 1, 1}},
                                               {"strides", Ints{1, 1}},
                                               {"activation", std::string("Relu")}}));
  const Tensor y = run_all(conv, {runtime(x), constant(w), constant(int32s({4}, bias))},
                           {{xq, wq, std::nullopt}, {yq}});
  const OpNode pool = make_node("AveragePool", attrs({{"kernel_shape", Ints{2, 2}}, {"strides", Ints{2, 2}}}));
  const Tensor p = run_all(pool, {runtime(y)}, {{yq}, {per_tensor(0.1f, 10)}});
  const Ints golden_conv_head = {79, 58, 40, 47, 40, 40, 40, 40, 74, 72, 40, 74,
                                 40, 41, 40, 73, 67, 40, 64, 40, 95, 40, 40, 40};
  const Ints golden_pool = {17, 19, 15, 13, 21, 14, 14, 18, 18, 13, 22, 16, 14, 13, 12, 17, 12, 13,
                            39, 25, 15, 10, 20, 26, 25, 13, 21, 26, 18, 23, 16, 30, 21, 24, 14, 22};
  const Ints yv = y.to_int64_vector();
  EXPECT_EQ(Ints(yv.begin(), yv.begin() + 24), golden_conv_head);
  EXPECT_EQ(fnv1a(y), 16862531606211580804ull) << "conv bytes";
  EXPECT_EQ(p.to_int64_vector(), golden_pool);
}

// ---- Speed (not run by default) ----

double seconds(const OpNode& node, const std::vector<OpInput>& in, const QuantSpec& q,
               ExecutorOptions options, int repeats) {
  run_quantized_op(node, in, q, options);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < repeats; ++i) run_quantized_op(node, in, q, options);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / repeats;
}

TEST(QuantizedSpeed, DISABLED_FastVersusReference) {
  Rng rng(1);
  for (DType type : kTypes) {
    const Tensor x = random_codes(rng, type, {1, 64, 56, 56});
    const Tensor w = random_codes(rng, type, {64, 64, 3, 3});
    const QuantSpec q{{per_tensor(0.02f, 0), per_tensor(0.01f, 0)}, {per_tensor(0.5f, 0)}};
    const OpNode node = make_node("Conv", attrs({{"pads", Ints{1, 1, 1, 1}}}));
    const std::vector<OpInput> in{runtime(x), constant(w)};
    const double ref = seconds(node, in, q, {.threads = 1, .reference = true}, 1);
    const double fast1 = seconds(node, in, q, {.threads = 1}, 5);
    const double fast2 = seconds(node, in, q, {.threads = 2}, 5);
    std::cout << dtype_name(type) << " conv 64x56x56 3x3x64: reference " << ref * 1e3
              << " ms, fast " << fast1 * 1e3 << " ms (1 thread), " << fast2 * 1e3
              << " ms (2 threads)\n";
    const Tensor dx = random_codes(rng, type, {1, 128, 56, 56});
    const Tensor dw = random_codes(rng, type, {128, 1, 3, 3});
    const OpNode dnode = make_node("Conv", attrs({{"pads", Ints{1, 1, 1, 1}}, {"group", std::int64_t{128}}}));
    const std::vector<OpInput> din{runtime(dx), constant(dw)};
    std::cout << dtype_name(type) << " depthwise 128x56x56 3x3: reference "
              << seconds(dnode, din, q, {.threads = 1, .reference = true}, 3) * 1e3 << " ms, fast "
              << seconds(dnode, din, q, {.threads = 1}, 10) * 1e3 << " ms (1 thread)\n";
    const Tensor a = random_codes(rng, type, {64, 1024});
    const Tensor b = random_codes(rng, type, {1024, 1000});
    const std::vector<OpInput> gin{runtime(a), constant(b)};
    std::cout << dtype_name(type) << " gemm 64x1024x1000: reference "
              << seconds(make_node("Gemm"), gin, q, {.threads = 1, .reference = true}, 1) * 1e3
              << " ms, fast " << seconds(make_node("Gemm"), gin, q, {.threads = 1}, 5) * 1e3
              << " ms (1 thread)\n";
  }
}

}  // namespace
}  // namespace rknn::sim
