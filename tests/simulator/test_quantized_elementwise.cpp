// Integer kernels of the element-wise, activation, softmax, concatenation,
// reduction, resize and data-movement ops (docs/quantization-elementwise.md):
// hand-computed cases with visible rounding, comparisons with the float
// kernels on dequantized values, errors, fast == reference bit for bit and
// thread independence, and golden bytes of a small quantized chain.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "rknn/sim/error.h"
#include "sim_test_util.h"

namespace rknn::sim {
namespace {

using namespace testing;

QuantParams qp(float scale, std::int32_t zero_point) { return QuantParams{{scale}, {zero_point}, -1}; }

template <class T>
Tensor codes(Shape shape, std::vector<T> values) {
  Tensor t(DTypeOf<T>::value, std::move(shape));
  EXPECT_EQ(static_cast<std::int64_t>(values.size()), t.element_count());
  std::copy(values.begin(), values.end(), t.data<T>());
  return t;
}

std::vector<std::int64_t> ints(const Tensor& t) { return t.to_int64_vector(); }

// Random codes over the whole code range of the type.
Tensor random_codes(DType dtype, Shape shape, std::uint32_t seed) {
  Tensor t(dtype, std::move(shape));
  std::mt19937 rng(seed);
  const CodeRange r = code_range(dtype);
  std::uniform_int_distribution<std::int64_t> dist(r.min, r.max);
  for (std::int64_t i = 0; i < t.element_count(); ++i) {
    const std::int64_t v = dist(rng);
    switch (dtype) {
      case DType::kUInt8:
        t.data<std::uint8_t>()[i] = static_cast<std::uint8_t>(v);
        break;
      case DType::kInt8:
        t.data<std::int8_t>()[i] = static_cast<std::int8_t>(v);
        break;
      default:
        t.data<std::int16_t>()[i] = static_cast<std::int16_t>(v);
        break;
    }
  }
  return t;
}

Tensor dequantize(const Tensor& q, const QuantParams& p) {
  Tensor f(DType::kFloat32, q.shape());
  const std::vector<std::int64_t> v = q.to_int64_vector();
  for (std::size_t i = 0; i < v.size(); ++i) {
    f.data<float>()[i] =
        static_cast<float>(static_cast<double>(p.scale[0]) * static_cast<double>(v[i] - p.zero_point[0]));
  }
  return f;
}

// Parameters covering [lo, hi] (u8: asymmetric; i8/i16: symmetric).
QuantParams params_for(DType dtype, double lo, double hi) {
  lo = std::min(lo, 0.0);
  hi = std::max(hi, 0.0);
  if (hi - lo < 1e-6) hi = lo + 1.0;
  if (dtype == DType::kUInt8) {
    const double scale = (hi - lo) / 255.0;
    return qp(static_cast<float>(scale), static_cast<std::int32_t>(std::lround(-lo / scale)));
  }
  const double scale = std::max(-lo, hi) / static_cast<double>(code_range(dtype).max);
  return qp(static_cast<float>(scale), 0);
}

// Every code of `got` must be within `tolerance` codes of the ideal
// want / scale + zero point (clamped to the code range).
void expect_within(const Tensor& got, const QuantParams& p, const Tensor& want, double tolerance,
                   const std::string& what) {
  ASSERT_EQ(got.shape(), want.shape()) << what;
  const CodeRange r = code_range(got.dtype());
  const std::vector<std::int64_t> q = got.to_int64_vector();
  int failures = 0;
  for (std::size_t i = 0; i < q.size() && failures < 5; ++i) {
    const double real = want.data<float>()[i];
    double ideal = std::isnan(real) ? static_cast<double>(p.zero_point[0])
                                    : real / static_cast<double>(p.scale[0]) + p.zero_point[0];
    ideal = std::clamp(ideal, static_cast<double>(r.min), static_cast<double>(r.max));
    if (std::fabs(static_cast<double>(q[i]) - ideal) > tolerance) {
      ADD_FAILURE() << what << " index " << i << ": code " << q[i] << ", ideal " << ideal << " (real " << real << ")";
      ++failures;
    }
  }
}

Tensor run1q(const OpNode& node, const std::vector<OpInput>& inputs, const QuantSpec& quant,
             ExecutorOptions options = {}) {
  return run_quantized_op(node, inputs, quant, options).at(0);
}

Tensor run1f(const OpNode& node, const std::vector<OpInput>& inputs) { return run_op(node, inputs).at(0); }

// Reference and fast kernels with 1, 2 and 3 threads give identical bytes.
void expect_same_bytes_everywhere(const OpNode& node, const std::vector<OpInput>& inputs, const QuantSpec& quant) {
  const std::vector<Tensor> base = run_quantized_op(node, inputs, quant, {.threads = 1, .reference = true});
  for (bool reference : {false, true}) {
    for (int threads : {1, 2, 3}) {
      const std::vector<Tensor> got =
          run_quantized_op(node, inputs, quant, {.threads = threads, .reference = reference});
      ASSERT_EQ(got.size(), base.size());
      for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_TRUE(got[i].bytes_equal(base[i]))
            << node.op << " output " << i << " reference=" << reference << " threads=" << threads;
      }
    }
  }
}

std::string error_of(const OpNode& node, const std::vector<OpInput>& inputs, const QuantSpec& quant) {
  try {
    run_quantized_op(node, inputs, quant);
  } catch (const UnsupportedError& e) {
    return std::string("unsupported: ") + e.what();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

// ---- Hand-computed cases -----------------------------------------------------

TEST(QuantizedRequantize, ConcatRescalesRoundingHalfUp) {
  // Input 0: scale 0.5, zero point 10; output scale 1, zero point 100:
  // (q - 10) * 0.5 = 0.5, 1.5, -0.5, -1.5 round half up to 1, 2, 0, -1.
  // Input 1 has the output's parameters and is copied unchanged.
  const Tensor a = codes<std::uint8_t>({1, 4}, {11, 13, 9, 7});
  const Tensor b = codes<std::uint8_t>({1, 2}, {0, 255});
  const Tensor y = run1q(make_node("Concat", attrs({{"axis", std::int64_t{1}}})), {runtime(a), runtime(b)},
                         {{qp(0.5f, 10), qp(1.0f, 100)}, {qp(1.0f, 100)}});
  EXPECT_EQ(ints(y), (std::vector<std::int64_t>{101, 102, 100, 99, 0, 255}));
}

TEST(QuantizedAdd, HandComputedWithHalfWayCases) {
  // a: scale 0.5, b: scale 0.25, output scale 1 (all int8, zero point 0).
  // 1.5 + 0.5 = 2; 0.5 + 0 = 0.5 -> 1 (half up); -0.5 + 0 -> 0; -1.5 -> -1;
  // 60 + 10 = 70; 63.5 + 31.75 = 95.25 -> 95.
  const Tensor a = codes<std::int8_t>({6}, {3, 1, -1, -3, 120, 127});
  const Tensor b = codes<std::int8_t>({6}, {2, 0, 0, 0, 40, 127});
  const QuantSpec q{{qp(0.5f, 0), qp(0.25f, 0)}, {qp(1.0f, 0)}};
  EXPECT_EQ(ints(run1q(make_node("Add"), {runtime(a), runtime(b)}, q)),
            (std::vector<std::int64_t>{2, 1, 0, -1, 70, 95}));
  // Sub: 1.5 - 0.5 = 1; 0.5 -> 1; -0.5 -> 0; -1.5 -> -1; 60 - 10 = 50; 63.5 - 31.75 = 31.75 -> 32.
  EXPECT_EQ(ints(run1q(make_node("Sub"), {runtime(a), runtime(b)}, q)),
            (std::vector<std::int64_t>{1, 1, 0, -1, 50, 32}));
}

TEST(QuantizedAdd, SaturatesAndUsesZeroPoints) {
  // u8: a scale 0.1 zp 100, b scale 0.1 zp 50, out scale 0.2 zp 10.
  // (200-100)*0.1 + (250-50)*0.1 = 30 -> 150 + 10 = 160;
  // (0-100)*0.1 + (0-50)*0.1 = -15 -> -75 + 10 -> 0 (saturated).
  const Tensor a = codes<std::uint8_t>({2}, {200, 0});
  const Tensor b = codes<std::uint8_t>({2}, {250, 0});
  EXPECT_EQ(ints(run1q(make_node("Add"), {runtime(a), runtime(b)}, {{qp(0.1f, 100), qp(0.1f, 50)}, {qp(0.2f, 10)}})),
            (std::vector<std::int64_t>{160, 0}));
}

TEST(QuantizedMul, HandComputed) {
  // a scale 0.5 zp 0, b scale 0.5 zp 0, out scale 0.5: 3*0.5 * 1*0.5 = 0.75 -> 1.5 codes -> 2;
  // -3 * 1 -> -0.75 -> -1.5 codes -> -1 (half up); 4 * 4 -> 4 -> 8.
  const Tensor a = codes<std::int8_t>({3}, {3, -3, 4});
  const Tensor b = codes<std::int8_t>({3}, {1, 1, 4});
  EXPECT_EQ(ints(run1q(make_node("Mul"), {runtime(a), runtime(b)}, {{qp(0.5f, 0), qp(0.5f, 0)}, {qp(0.5f, 0)}})),
            (std::vector<std::int64_t>{2, -1, 8}));
}

TEST(QuantizedMaxMin, CompareAfterRescaling) {
  // a scale 1 (codes 10, 2), b scale 0.1 (codes 50 = 5.0, 50 = 5.0), out scale 0.5:
  // max(10, 5) = 10 -> 20; max(2, 5) = 5 -> 10. min: 5 -> 10, 2 -> 4.
  const Tensor a = codes<std::int8_t>({2}, {10, 2});
  const Tensor b = codes<std::int8_t>({2}, {50, 50});
  const QuantSpec q{{qp(1.0f, 0), qp(0.1f, 0)}, {qp(0.5f, 0)}};
  EXPECT_EQ(ints(run1q(make_node("Max"), {runtime(a), runtime(b)}, q)), (std::vector<std::int64_t>{20, 10}));
  EXPECT_EQ(ints(run1q(make_node("Min"), {runtime(a), runtime(b)}, q)), (std::vector<std::int64_t>{10, 4}));
}

TEST(QuantizedPRelu, FloatAndQuantizedSlopes) {
  // x scale 0.5 zp 0, out scale 0.25: 2 -> 1.0 -> 4; -3 -> -1.5 * slope.
  // slope 0.25 -> -0.375 -> -1.5 codes -> -1 (half up); slope -0.5 -> 0.75 -> 3.
  const Tensor x = codes<std::int8_t>({2, 2}, {2, -3, 2, -3});
  const Tensor slope = float_tensor({2, 1}, {0.25f, -0.5f});
  const QuantSpec q{{qp(0.5f, 0)}, {qp(0.25f, 0)}};
  EXPECT_EQ(ints(run1q(make_node("PRelu"), {runtime(x), constant(slope)}, q)),
            (std::vector<std::int64_t>{4, -1, 4, 3}));
  // The same slopes as int8 codes 1 and -2 at scale 0.25.
  const QuantSpec q2{{qp(0.5f, 0), qp(0.25f, 0)}, {qp(0.25f, 0)}};
  EXPECT_EQ(ints(run1q(make_node("PRelu"), {runtime(x), constant(codes<std::int8_t>({2, 1}, {1, -2}))}, q2)),
            (std::vector<std::int64_t>{4, -1, 4, 3}));
  EXPECT_NE(error_of(make_node("PRelu"), {runtime(x), runtime(slope)}, q).find("unsupported: "), std::string::npos);
}

TEST(QuantizedReduce, MeanRoundsHalfUpAndMaxRequantizes) {
  // Mean of (1, 2) = 1.5 -> 2 and of (-1, -2) = -1.5 -> -1 (scale 1, zp 0 both sides).
  const Tensor x = codes<std::int8_t>({2, 2}, {1, 2, -1, -2});
  const QuantSpec same{{qp(1.0f, 0)}, {qp(1.0f, 0)}};
  const OpNode mean =
      make_node("ReduceMean", attrs({{"axes", std::vector<std::int64_t>{1}}, {"keepdims", std::int64_t{0}}}));
  EXPECT_EQ(ints(run1q(mean, {runtime(x)}, same)), (std::vector<std::int64_t>{2, -1}));
  // Sum (axes as input) into scale 2: 3 -> 1.5 -> 2; -3 -> -1.5 -> -1.
  const OpNode sum = make_node("ReduceSum", attrs({{"keepdims", std::int64_t{0}}}));
  EXPECT_EQ(ints(run1q(sum, {runtime(x), constant(int64_tensor({1}, {1}))}, {{qp(1.0f, 0)}, {qp(2.0f, 0)}})),
            (std::vector<std::int64_t>{2, -1}));
  // Max / Min then requantized into scale 2: 2 -> 1; -1 -> -0.5 -> 0. Min: 1 -> 0.5 -> 1; -2 -> -1.
  const OpNode max =
      make_node("ReduceMax", attrs({{"axes", std::vector<std::int64_t>{1}}, {"keepdims", std::int64_t{0}}}));
  const OpNode min =
      make_node("ReduceMin", attrs({{"axes", std::vector<std::int64_t>{1}}, {"keepdims", std::int64_t{0}}}));
  EXPECT_EQ(ints(run1q(max, {runtime(x)}, {{qp(1.0f, 0)}, {qp(2.0f, 0)}})), (std::vector<std::int64_t>{1, 0}));
  EXPECT_EQ(ints(run1q(min, {runtime(x)}, {{qp(1.0f, 0)}, {qp(2.0f, 0)}})), (std::vector<std::int64_t>{1, -1}));
}

TEST(QuantizedSoftmax, HandComputed) {
  // Equal codes: 1/2 and 1/3 of 256 (output scale 1/256, zp 0): 128, 85.33 -> 85.
  const QuantSpec q{{qp(0.1f, 128)}, {qp(1.0f / 256.0f, 0)}};
  EXPECT_EQ(ints(run1q(make_node("Softmax"), {runtime(codes<std::uint8_t>({2}, {7, 7}))}, q)),
            (std::vector<std::int64_t>{128, 128}));
  EXPECT_EQ(ints(run1q(make_node("Softmax"), {runtime(codes<std::uint8_t>({3}, {7, 7, 7}))}, q)),
            (std::vector<std::int64_t>{85, 85, 85}));
  // A dominant code: the probability 1 saturates at 255, the rest are 0.
  EXPECT_EQ(ints(run1q(make_node("Softmax"), {runtime(codes<std::uint8_t>({3}, {255, 0, 0}))}, q)),
            (std::vector<std::int64_t>{255, 0, 0}));
}

TEST(QuantizedResize, LinearQ11HandComputed) {
  // [0, 4] upscaled 4x (half_pixel): coordinates -0.375, -0.125, 0.125, ...;
  // the float values 0, 0, 0.5, 1.5, 2.5, 3.5, 4, 4 round half up.
  const OpNode node = make_node("Resize", attrs({{"mode", std::string("linear")}}));
  const Tensor x = codes<std::uint8_t>({1, 2}, {0, 4});
  const Tensor y =
      run1q(node, {runtime(x), absent(), constant(float_tensor({2}, {1, 4}))}, {{qp(1.0f, 0)}, {qp(1.0f, 0)}});
  EXPECT_EQ(ints(y), (std::vector<std::int64_t>{0, 0, 1, 2, 3, 4, 4, 4}));
  // [0, 100] upscaled 2x: 0, 25, 75, 100; into scale 2 zp 10: 10, 22.5 -> 23, 47.5 -> 48, 60.
  const Tensor x2 = codes<std::uint8_t>({1, 2}, {0, 100});
  const Tensor y2 =
      run1q(node, {runtime(x2), absent(), constant(float_tensor({2}, {1, 2}))}, {{qp(1.0f, 0)}, {qp(2.0f, 10)}});
  EXPECT_EQ(ints(y2), (std::vector<std::int64_t>{10, 23, 48, 60}));
}

TEST(QuantizedPad, ConstantIsQuantized) {
  const Tensor x = codes<std::uint8_t>({2}, {50, 60});
  const QuantSpec q{{qp(0.5f, 20)}, {qp(0.5f, 20)}};
  const Tensor pads = int64_tensor({2}, {1, 1});
  // Absent value: the zero point. 1.25 / 0.5 = 2.5 -> 2 (half to even) + 20. -100 saturates at 0.
  EXPECT_EQ(ints(run1q(make_node("Pad"), {runtime(x), constant(pads)}, q)),
            (std::vector<std::int64_t>{20, 50, 60, 20}));
  EXPECT_EQ(ints(run1q(make_node("Pad"), {runtime(x), constant(pads), constant(float_tensor({}, {1.25f}))}, q)),
            (std::vector<std::int64_t>{22, 50, 60, 22}));
  EXPECT_EQ(ints(run1q(make_node("Pad"), {runtime(x), constant(pads), constant(float_tensor({}, {-100.0f}))}, q)),
            (std::vector<std::int64_t>{0, 50, 60, 0}));
  // A plain code of the input type is used as is.
  EXPECT_EQ(ints(run1q(make_node("Pad"), {runtime(x), constant(pads), constant(codes<std::uint8_t>({}, {7}))}, q)),
            (std::vector<std::int64_t>{7, 50, 60, 7}));
}

TEST(QuantizedUnary, TableEntriesAreQuantizedFunctionValues) {
  // Relu on int8 with zero point -10 (scale 0.5): codes below -10 map to -10.
  const Tensor x = codes<std::int8_t>({4}, {-128, -11, -10, 20});
  EXPECT_EQ(ints(run1q(make_node("Relu"), {runtime(x)}, {{qp(0.5f, -10)}, {qp(0.5f, -10)}})),
            (std::vector<std::int64_t>{-10, -10, -10, 20}));
  // Log of non-positive values is the lowest code; Sigmoid(0) = 0.5 -> 128 at scale 1/256.
  const Tensor u = codes<std::uint8_t>({3}, {0, 10, 20});  // -1, 0, 1 at scale 0.1 zp 10
  EXPECT_EQ(ints(run1q(make_node("Log"), {runtime(u)}, {{qp(0.1f, 10)}, {qp(0.1f, 200)}})),
            (std::vector<std::int64_t>{0, 0, 200}));
  EXPECT_EQ(ints(run1q(make_node("Sigmoid"), {runtime(u)}, {{qp(0.1f, 10)}, {qp(1.0f / 256, 0)}}))[1], 128);
  // Clip with float bounds: [-0.5, 0.5] at scale 0.1 zp 10 -> codes 5 .. 15.
  const Tensor v = codes<std::uint8_t>({3}, {0, 12, 40});
  EXPECT_EQ(ints(run1q(make_node("Clip"),
                       {runtime(v), constant(float_tensor({}, {-0.5f})), constant(float_tensor({}, {0.5f}))},
                       {{qp(0.1f, 10)}, {qp(0.1f, 10)}})),
            (std::vector<std::int64_t>{5, 12, 15}));
}

// ---- Against the float kernels ----------------------------------------------

struct BinaryShapes {
  Shape a;
  Shape b;
};
const std::vector<BinaryShapes> kBroadcasts = {
    {{2, 3, 4}, {2, 3, 4}}, {{2, 3, 4}, {4}}, {{2, 1, 4}, {3, 1}}, {{5}, {}}, {{1, 3, 7, 7}, {1, 3, 1, 1}}};

TEST(QuantizedBinary, AddSubMulMatchRealValuesWithinHalfLsb) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> scale(0.005f, 0.2f);
  std::uniform_int_distribution<int> zp(0, 255);
  std::uint32_t seed = 100;
  for (DType dtype : {DType::kUInt8, DType::kInt8, DType::kInt16}) {
    for (const BinaryShapes& s : kBroadcasts) {
      for (const char* op : {"Add", "Sub", "Mul"}) {
        const bool u8 = dtype == DType::kUInt8;
        const float f = dtype == DType::kInt16 ? 1.0f / 256 : 1.0f;
        const QuantParams pa = qp(scale(rng) * f, u8 ? zp(rng) : 0);
        const QuantParams pb = qp(scale(rng) * f, u8 ? zp(rng) : 0);
        const QuantParams po = qp(scale(rng) * f * (std::string(op) == "Mul" ? 8.0f : 1.0f), u8 ? zp(rng) : 0);
        const Tensor a = random_codes(dtype, s.a, seed++);
        const Tensor b = random_codes(dtype, s.b, seed++);
        const Tensor got = run1q(make_node(op), {runtime(a), runtime(b)}, {{pa, pb}, {po}});
        const Tensor want = run1f(make_node(op), {runtime(dequantize(a, pa)), runtime(dequantize(b, pb))});
        expect_within(got, po, want, 0.5 + 1e-3, std::string(op) + " " + std::string(dtype_name(dtype)));
      }
    }
  }
}

TEST(QuantizedBinary, AddWithVeryDifferentScalesStaysWithinHalfLsb) {
  // int16 fixed point 2^-2 next to 2^-24: the exponents differ by more than
  // the 15-bit alignment, so the fine term is pre-rounded; still within 0.5 LSB.
  const QuantParams pa = fixed_point_params(2);
  const QuantParams pb = fixed_point_params(24);
  const QuantParams po = fixed_point_params(3);
  const Tensor a = random_codes(DType::kInt16, {64}, 1);
  const Tensor b = random_codes(DType::kInt16, {64}, 2);
  const Tensor got = run1q(make_node("Add"), {runtime(a), runtime(b)}, {{pa, pb}, {po}});
  const Tensor want = run1f(make_node("Add"), {runtime(dequantize(a, pa)), runtime(dequantize(b, pb))});
  expect_within(got, po, want, 0.5 + 1e-3, "Add");
}

TEST(QuantizedConcat, RescalesEachInputLikeTheRealValues) {
  for (DType dtype : {DType::kUInt8, DType::kInt8, DType::kInt16}) {
    const bool u8 = dtype == DType::kUInt8;
    const std::vector<QuantParams> in = {qp(0.02f, u8 ? 3 : 0), qp(0.05f, u8 ? 200 : 0), qp(0.03f, u8 ? 128 : 0)};
    const QuantParams out = qp(0.04f, u8 ? 100 : 0);
    std::vector<OpInput> inputs;
    std::vector<OpInput> reals;
    for (std::size_t i = 0; i < in.size(); ++i) {
      const Tensor t = random_codes(dtype, {2, static_cast<std::int64_t>(i) + 1, 5}, static_cast<std::uint32_t>(i + 9));
      inputs.push_back(runtime(t));
      reals.push_back(runtime(dequantize(t, in[i])));
    }
    const OpNode node = make_node("Concat", attrs({{"axis", std::int64_t{1}}}));
    const QuantSpec q{{in[0], in[1], in[2]}, {out}};
    expect_within(run1q(node, inputs, q), out, run1f(node, reals), 0.5 + 1e-3, std::string(dtype_name(dtype)));
  }
}

TEST(QuantizedVariadic, MaxMinOfThreeMatchRealValues) {
  const std::vector<QuantParams> in = {qp(0.02f, 3), qp(0.05f, 200), qp(0.03f, 128)};
  const QuantParams out = qp(0.04f, 100);
  const std::vector<Shape> shapes = {{2, 3, 4}, {3, 1}, {4}};
  for (const char* op : {"Max", "Min"}) {
    std::vector<OpInput> inputs, reals;
    for (std::size_t i = 0; i < 3; ++i) {
      const Tensor t = random_codes(DType::kUInt8, shapes[i], static_cast<std::uint32_t>(i + 40));
      inputs.push_back(runtime(t));
      reals.push_back(runtime(dequantize(t, in[i])));
    }
    expect_within(run1q(make_node(op), inputs, {{in[0], in[1], in[2]}, {out}}), out, run1f(make_node(op), reals),
                  0.5 + 1e-3, op);
  }
}

struct UnaryOpCase {
  const char* op;
  Attributes attrs;
  float lo;  // input real range
  float hi;
};

TEST(QuantizedUnary, TablesMatchFloatKernelsWithinOneLsb) {
  const std::vector<UnaryOpCase> cases = {
      {"Relu", {}, -4, 4},        {"LeakyRelu", attrs({{"alpha", 0.1f}}), -4, 4},
      {"Sigmoid", {}, -8, 8},     {"Tanh", {}, -4, 4},
      {"HardSigmoid", {}, -5, 5}, {"HardSwish", {}, -5, 5},
      {"Elu", {}, -4, 4},         {"Selu", {}, -4, 4},
      {"Softplus", {}, -6, 6},    {"Softsign", {}, -6, 6},
      {"Exp", {}, -4, 2},         {"Log", {}, 0, 8},
      {"Sqrt", {}, 0, 9},         {"Abs", {}, -3, 3},
      {"Neg", {}, -3, 3},         {"Reciprocal", {}, 0.5f, 4},
      {"Floor", {}, -8, 8},       {"Ceil", {}, -8, 8},
      {"Erf", {}, -3, 3},         {"Sin", {}, -3, 3},
      {"Cos", {}, -3, 3},         {"Clip", {}, -3, 3},
  };
  for (DType dtype : {DType::kUInt8, DType::kInt8, DType::kInt16}) {
    for (const UnaryOpCase& c : cases) {
      QuantParams in = params_for(dtype, c.lo, c.hi);
      const std::string op = c.op;
      if (op == "Floor" || op == "Ceil") {
        // Power-of-two scales: the table's double and this test's float
        // dequantization then agree exactly where the result jumps.
        in = dtype == DType::kInt16  ? fixed_point_params(12)
             : dtype == DType::kInt8 ? fixed_point_params(4)
                                     : qp(0.0625f, 128);
      }
      const Tensor x = random_codes(dtype, {3, 50}, 5);
      const OpNode node = make_node(c.op, c.attrs);
      Tensor want = run1f(node, {runtime(dequantize(x, in))});
      double lo = 0, hi = 0;
      for (float& v : want.values<float>()) {
        // The table maps log of a negative value to the lowest code, as for log(0).
        if (std::isnan(v) && std::string(c.op) == "Log") v = -std::numeric_limits<float>::infinity();
        if (!std::isfinite(v)) continue;
        lo = std::min(lo, double{v});
        hi = std::max(hi, double{v});
      }
      const QuantParams out = params_for(dtype, lo, hi);
      const Tensor got = run1q(node, {runtime(x)}, {{in}, {out}});
      expect_within(got, out, want, 1.0, std::string(c.op) + " " + std::string(dtype_name(dtype)));
    }
  }
}

TEST(QuantizedSoftmax, RowsSumToOneAndMatchFloat) {
  for (DType dtype : {DType::kUInt8, DType::kInt16}) {
    const QuantParams in = dtype == DType::kUInt8 ? qp(0.05f, 128) : fixed_point_params(10);
    const QuantParams out = dtype == DType::kUInt8 ? qp(1.0f / 256, 0) : fixed_point_params(15);
    for (std::int64_t axis : {0, 1, -1}) {
      const Tensor x = random_codes(dtype, {4, 10, 3}, static_cast<std::uint32_t>(axis + 20));
      const OpNode node = make_node("Softmax", attrs({{"axis", axis}}));
      const Tensor got = run1q(node, {runtime(x)}, {{in}, {out}});
      expect_within(got, out, run1f(node, {runtime(dequantize(x, in))}), 1.0, std::string(dtype_name(dtype)));
      // Sums along the axis: the float softmax of the outputs' reals.
      const OpNode sum = make_node("ReduceSum", attrs({{"keepdims", std::int64_t{0}}}));
      const Tensor sums = run1f(sum, {runtime(dequantize(got, out)), constant(int64_tensor({1}, {axis}))});
      const double n = static_cast<double>(x.shape()[static_cast<std::size_t>(axis < 0 ? axis + 3 : axis)]);
      for (float s : sums.to_float_vector()) EXPECT_NEAR(s, 1.0, n * 0.5 * out.scale[0] + 1e-6);
    }
  }
  const QuantSpec q{{qp(0.1f, 0)}, {qp(1.0f / 256, 0)}};
  EXPECT_NE(error_of(make_node("LogSoftmax"), {runtime(codes<std::uint8_t>({2}, {1, 2}))}, q).find("unsupported: "),
            std::string::npos);
}

TEST(QuantizedReduce, MeanSumMaxMinMatchRealValues) {
  const QuantParams in = qp(0.03f, 90);
  for (const char* op : {"ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin"}) {
    for (const std::vector<std::int64_t>& axes : {std::vector<std::int64_t>{1}, {0, 2}, {2}}) {
      const Tensor x = random_codes(DType::kUInt8, {3, 4, 5}, 77);
      const OpNode node = make_node(op, attrs({{"keepdims", std::int64_t{1}}}));
      const std::vector<OpInput> q_inputs = {runtime(x),
                                             constant(int64_tensor({static_cast<std::int64_t>(axes.size())}, axes))};
      const std::vector<OpInput> f_inputs = {runtime(dequantize(x, in)), q_inputs[1]};
      const QuantParams out = std::string(op) == "ReduceSum" ? qp(0.3f, 10) : qp(0.025f, 100);
      if (std::string(op) == "ReduceSum" || std::string(op) == "ReduceMean") {
        expect_within(run1q(node, q_inputs, {{in}, {out}}), out, run1f(node, f_inputs), 0.5 + 1e-3, op);
      } else {
        // ReduceMax/Min: attribute axes (opset 17); the input form is checked above for Sum.
        const OpNode attr_node = make_node(op, attrs({{"axes", axes}, {"keepdims", std::int64_t{1}}}));
        expect_within(run1q(attr_node, {runtime(x)}, {{in}, {out}}), out,
                      run1f(attr_node, {runtime(dequantize(x, in))}), 0.5 + 1e-3, op);
      }
    }
  }
  const OpNode prod = make_node("ReduceProd");
  EXPECT_NE(error_of(prod, {runtime(codes<std::uint8_t>({2}, {1, 2}))}, {{in}, {in}}).find("unsupported: "),
            std::string::npos);
}

TEST(QuantizedResize, LinearMatchesFloatWithinOneLsbNearestMovesCodes) {
  const QuantParams in = qp(0.04f, 30);
  const QuantParams out = qp(0.05f, 20);
  const Tensor x = random_codes(DType::kUInt8, {1, 2, 5, 6}, 3);
  for (const char* coordinates : {"half_pixel", "align_corners", "asymmetric", "pytorch_half_pixel"}) {
    const OpNode node = make_node("Resize", attrs({{"mode", std::string("linear")},
                                                   {"coordinate_transformation_mode", std::string(coordinates)}}));
    const OpInput scales = constant(float_tensor({4}, {1, 1, 1.7f, 0.6f}));
    const Tensor got = run1q(node, {runtime(x), absent(), scales}, {{in}, {out}});
    const Tensor want = run1f(node, {runtime(dequantize(x, in)), absent(), scales});
    // Q11 weights: at most 2^-12 of a neighbour difference (255 codes) per axis, plus rounding.
    expect_within(got, out, want, 0.5 + 2 * 255.0 * 0.04 / 0.05 / 4096 + 1e-3, coordinates);
  }
  const OpNode nearest = make_node("Resize");
  const OpInput sizes = constant(int64_tensor({4}, {1, 2, 10, 3}));
  const Tensor got = run1q(nearest, {runtime(x), absent(), absent(), sizes}, {{in}, {in}});
  const Tensor plain = run1f(nearest, {runtime(x), absent(), absent(), sizes});
  EXPECT_TRUE(got.bytes_equal(plain));
  const OpNode cubic = make_node("Resize", attrs({{"mode", std::string("cubic")}}));
  EXPECT_NE(error_of(cubic, {runtime(x), absent(), absent(), sizes}, {{in}, {in}}).find("unsupported: "),
            std::string::npos);
}

// ---- Data movement, errors, plain integers -------------------------------------

struct MoveCase {
  std::string op;
  Attributes attrs;
  std::vector<OpInput> extra;  // inputs after the data
  std::size_t outputs = 1;
};

std::vector<MoveCase> move_cases() {
  return {
      {"Reshape", {}, {constant(int64_tensor({2}, {8, 6}))}},
      {"Flatten", {}, {}},
      {"Squeeze", {}, {}},
      {"Unsqueeze", {}, {constant(int64_tensor({1}, {0}))}},
      {"Transpose", {}, {}},
      {"Slice",
       {},
       {constant(int64_tensor({1}, {1})), constant(int64_tensor({1}, {3})), constant(int64_tensor({1}, {1}))}},
      {"Split", attrs({{"axis", std::int64_t{2}}}), {}, 2},
      {"Tile", {}, {constant(int64_tensor({4}, {1, 2, 1, 1}))}},
      {"Expand", {}, {constant(int64_tensor({4}, {2, 1, 1, 1}))}},
      {"Gather", attrs({{"axis", std::int64_t{3}}}), {constant(int64_tensor({2}, {5, -1}))}},
      {"DepthToSpace", attrs({{"blocksize", std::int64_t{2}}}), {}},
      {"SpaceToDepth", attrs({{"blocksize", std::int64_t{2}}}), {}},
      {"Identity", {}, {}},
      {"Dropout", {}, {}},
      {"Pad", attrs({{"mode", std::string("edge")}}), {constant(int64_tensor({8}, {0, 0, 1, 0, 0, 0, 1, 2}))}},
      {"Resize", {}, {absent(), constant(float_tensor({4}, {1, 1, 2, 2}))}},
  };
}

TEST(QuantizedDataMovement, MovesCodesWithEqualParamsAndRejectsOthers) {
  const Tensor x = random_codes(DType::kInt8, {1, 4, 2, 6}, 8);
  const QuantParams p = qp(0.5f, 0);
  for (const MoveCase& c : move_cases()) {
    std::vector<OpInput> inputs = {runtime(x)};
    inputs.insert(inputs.end(), c.extra.begin(), c.extra.end());
    const OpNode node = make_node(c.op, c.attrs, c.outputs);
    // Same bytes as the plain integer op.
    const std::vector<Tensor> plain = run_op(node, inputs);
    const std::vector<Tensor> got = run_quantized_op(node, inputs, {{p}, {p, p}});
    EXPECT_TRUE(got.at(0).bytes_equal(plain.at(0))) << c.op;
    expect_same_bytes_everywhere(node, inputs, {{p}, {p, p}});
    const std::string error = error_of(node, inputs, {{p}, {qp(0.25f, 0), qp(0.25f, 0)}});
    EXPECT_NE(error.find("scale 0.5 zero point 0"), std::string::npos) << c.op << ": " << error;
    EXPECT_NE(error.find("scale 0.25 zero point 0"), std::string::npos) << c.op << ": " << error;
    EXPECT_EQ(error.find("unsupported"), std::string::npos) << c.op << ": " << error;
  }
  // Per-channel activation parameters have no integer rule here.
  const QuantParams channel{{0.5f, 0.25f}, {0, 0}, 1};
  EXPECT_NE(error_of(make_node("Identity"), {runtime(x)}, {{channel}, {channel}}).find("unsupported: "),
            std::string::npos);
}

TEST(QuantizedErrors, FloatOnlyOpsAndMissingOutputParams) {
  const Tensor a = codes<std::uint8_t>({2}, {1, 2});
  const QuantSpec q{{qp(0.1f, 0), qp(0.1f, 0)}, {qp(0.1f, 0)}};
  for (const char* op : {"Div", "Pow"}) {
    EXPECT_NE(error_of(make_node(op), {runtime(a), runtime(a)}, q).find("unsupported: "), std::string::npos) << op;
  }
  EXPECT_NE(error_of(make_node("Sum"), {runtime(a), runtime(a)}, q).find("unsupported: "), std::string::npos);
  // An input without parameters next to a quantized one, and an output without any.
  EXPECT_NE(error_of(make_node("Add"), {runtime(a), runtime(a)}, {{qp(0.1f, 0)}, {qp(0.1f, 0)}}).find("input 1"),
            std::string::npos);
  const std::string missing = error_of(make_node("Sigmoid"), {runtime(a)}, {{qp(0.1f, 0)}, {}});
  EXPECT_NE(missing.find("output 0 has no quantization parameters"), std::string::npos) << missing;
}

TEST(QuantizedErrors, PlainIntegerTensorsKeepIntegerSemantics) {
  // No quantization parameters: uint8 Add wraps, int8 Relu clamps codes at 0.
  const Tensor a = codes<std::uint8_t>({2}, {200, 3});
  const Tensor b = codes<std::uint8_t>({2}, {100, 4});
  EXPECT_EQ(ints(run1f(make_node("Add"), {runtime(a), runtime(b)})), (std::vector<std::int64_t>{44, 7}));
  EXPECT_EQ(ints(run1f(make_node("Relu"), {runtime(codes<std::int8_t>({2}, {-5, 5}))})),
            (std::vector<std::int64_t>{0, 5}));
  EXPECT_EQ(ints(run1f(make_node("Concat", attrs({{"axis", std::int64_t{0}}})), {runtime(a), runtime(b)})),
            (std::vector<std::int64_t>{200, 3, 100, 4}));
}

// ---- Fast == reference, threads ------------------------------------------------

TEST(QuantizedKernels, FastMatchesReferenceAndThreadsOnRandomShapes) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> scale(0.01f, 0.1f);
  std::uniform_int_distribution<int> zp(0, 255);
  std::uint32_t seed = 500;
  for (DType dtype : {DType::kUInt8, DType::kInt8, DType::kInt16}) {
    const bool u8 = dtype == DType::kUInt8;
    auto params = [&] { return qp(scale(rng), u8 ? zp(rng) : 0); };
    for (const BinaryShapes& s : kBroadcasts) {
      for (const char* op : {"Add", "Sub", "Mul", "Max", "Min"}) {
        const QuantSpec q{{params(), params()}, {params()}};
        expect_same_bytes_everywhere(
            make_node(op), {runtime(random_codes(dtype, s.a, seed++)), runtime(random_codes(dtype, s.b, seed++))}, q);
      }
    }
    const Shape big = {2, 3, 70, 90};  // large enough to split over threads
    const Tensor x = random_codes(dtype, big, seed++);
    expect_same_bytes_everywhere(make_node("Sigmoid"), {runtime(x)}, {{params()}, {params()}});
    expect_same_bytes_everywhere(make_node("PRelu"), {runtime(x), constant(random_tensor({3, 1, 1}, seed++))},
                                 {{params()}, {params()}});
    expect_same_bytes_everywhere(make_node("Concat", attrs({{"axis", std::int64_t{1}}})),
                                 {runtime(x), runtime(random_codes(dtype, {2, 2, 70, 90}, seed++))},
                                 {{params(), params()}, {params()}});
    for (std::int64_t axis : {1, 3}) {
      expect_same_bytes_everywhere(make_node("Softmax", attrs({{"axis", axis}})), {runtime(x)},
                                   {{params()}, {qp(1.0f / 256, u8 ? 0 : -128)}});
    }
    for (const char* op : {"ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin"}) {
      for (const std::vector<std::int64_t>& axes : {std::vector<std::int64_t>{1}, {2, 3}, {0, 2}}) {
        expect_same_bytes_everywhere(make_node(op, attrs({{"axes", axes}})), {runtime(x)}, {{params()}, {params()}});
      }
    }
    expect_same_bytes_everywhere(make_node("Resize", attrs({{"mode", std::string("linear")}})),
                                 {runtime(x), absent(), constant(float_tensor({4}, {1, 1, 1.5f, 0.7f}))},
                                 {{params()}, {params()}});
  }
}

// ---- Golden bytes -----------------------------------------------------------------

// Add(a, b) -> Sigmoid -> Concat with c, all uint8: the output bytes are
// pinned so that any change in the integer arithmetic is noticed.
TEST(QuantizedElementwiseGolden, AddSigmoidConcatChain) {
  Program p;
  const auto tensor = [&p](std::string name, Shape shape, QuantParams q) {
    p.tensors.push_back({std::move(name), {DType::kUInt8, std::move(shape)}, std::nullopt, std::move(q)});
    return static_cast<int>(p.tensors.size() - 1);
  };
  const int a = tensor("a", {1, 2, 3}, qp(0.05f, 128));
  const int b = tensor("b", {1, 1, 3}, qp(0.1f, 100));
  const int c = tensor("c", {1, 2, 2}, qp(0.02f, 10));
  const int sum = tensor("sum", {1, 2, 3}, qp(0.08f, 120));
  const int prob = tensor("prob", {1, 2, 3}, qp(1.0f / 256, 0));
  const int out = tensor("out", {1, 2, 5}, qp(1.0f / 200, 5));
  p.inputs = {a, b, c};
  p.outputs = {out};
  p.nodes.push_back({make_node("Add"), {a, b}, {sum}});
  p.nodes.push_back({make_node("Sigmoid"), {sum}, {prob}});
  p.nodes.push_back({make_node("Concat", attrs({{"axis", std::int64_t{2}}})), {prob, c}, {out}});
  const std::vector<Tensor> feeds = {codes<std::uint8_t>({1, 2, 3}, {0, 100, 128, 129, 200, 255}),
                                     codes<std::uint8_t>({1, 1, 3}, {90, 100, 111}),
                                     codes<std::uint8_t>({1, 2, 2}, {0, 10, 40, 255})};
  for (int threads : {1, 3}) {
    for (bool reference : {false, true}) {
      Executor e(p, {.threads = threads, .reference = reference});
      const std::vector<std::int64_t> got = ints(e.run(feeds).at(0));
      EXPECT_EQ(got, (std::vector<std::int64_t>{5, 43, 156, 0, 5, 60, 200, 204, 125, 255}))
          << "threads " << threads << " reference " << reference;
    }
  }
}

}  // namespace
}  // namespace rknn::sim
