// Element-wise math, reductions and softmax: hand-computed values (several
// ported from ONNX's node test data), error cases, fast path vs reference
// bit for bit, and byte-identical results whatever the thread count.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "rknn/sim/error.h"
#include "sim_test_util.h"

namespace rknn::sim {
namespace {

// Helpers from sim_test_util.h: run_op, runtime, constant, absent, make_node, attrs, iota, ...
using namespace testing;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

template <class T>
Tensor typed_tensor(Shape shape, std::vector<T> values) {
  Tensor t(DTypeOf<T>::value, std::move(shape));
  std::copy(values.begin(), values.end(), t.data<T>());
  return t;
}

template <class T>
std::vector<T> values_of(const Tensor& t) {
  auto v = t.values<T>();
  return {v.begin(), v.end()};
}

// Checks shape and values; NaN matches NaN.
void expect_floats(const Tensor& got, const Shape& shape, const std::vector<float>& want,
                   float tolerance = 1e-6f) {
  ASSERT_EQ(got.dtype(), DType::kFloat32);
  ASSERT_EQ(got.shape(), shape);
  auto v = got.values<float>();
  ASSERT_EQ(v.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(v[i])) << "index " << i << " got " << v[i];
    } else if (std::isinf(want[i])) {
      EXPECT_EQ(v[i], want[i]) << "index " << i;
    } else {
      EXPECT_NEAR(v[i], want[i], tolerance * std::max(1.0f, std::fabs(want[i]))) << "index " << i;
    }
  }
}

Tensor run1(const OpNode& node, const std::vector<OpInput>& inputs, ExecutorOptions options = {}) {
  return run_op(node, inputs, options).at(0);
}

// Runs a node with the fast kernels and with the reference kernels, and with
// 1, 2 and 3 threads; all results must have identical bytes.
void expect_same_bytes_everywhere(const OpNode& node, const std::vector<OpInput>& inputs) {
  const Tensor base = run1(node, inputs, {.threads = 1, .reference = true});
  for (bool reference : {false, true}) {
    for (int threads : {1, 2, 3}) {
      const Tensor got = run1(node, inputs, {.threads = threads, .reference = reference});
      EXPECT_TRUE(got.bytes_equal(base)) << node.op << " reference=" << reference << " threads=" << threads;
    }
  }
}

std::string error_of(const OpNode& node, const std::vector<OpInput>& inputs) {
  try {
    run_op(node, inputs);
  } catch (const UnsupportedError& e) {
    return std::string("unsupported: ") + e.what();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

// ---- Unary -----------------------------------------------------------------

struct UnaryCase {
  std::string op;
  Attributes attrs;
  std::vector<float> in;
  std::vector<float> want;
};

TEST(Unary, FloatOpsMatchHandComputedValues) {
  const std::vector<UnaryCase> cases = {
      {"Relu", {}, {-1, 0, 2.5f, kNaN}, {0, 0, 2.5f, kNaN}},
      {"LeakyRelu", attrs({{"alpha", 0.1f}}), {-2, 3}, {-0.2f, 3}},
      {"LeakyRelu", {}, {-1}, {-0.01f}},
      {"Sigmoid", {}, {0, 1, -1, -100}, {0.5f, 0.7310585786f, 0.2689414214f, 0}},
      {"Tanh", {}, {0.5f, -0.5f}, {0.4621171573f, -0.4621171573f}},
      {"HardSigmoid", {}, {-3, 0, 1, 3}, {0, 0.5f, 0.7f, 1}},
      {"HardSigmoid", attrs({{"alpha", 0.5f}, {"beta", 0.6f}}), {-1, 0, 1}, {0.1f, 0.6f, 1}},
      {"HardSwish", {}, {-4, 1, 4}, {0, 0.6666667f, 4}},
      {"Elu", attrs({{"alpha", 2.0f}}), {-1, 2}, {-1.2642411177f, 2}},
      {"Selu", {}, {-1, 0, 2}, {-1.1113307f, 0, 2.1014020443f}},
      {"Softplus", {}, {0, 100, -20}, {0.6931471806f, 100, 2.0611536e-09f}},
      {"Softsign", {}, {3, -1}, {0.75f, -0.5f}},
      {"Exp", {}, {1, 0}, {2.718281828f, 1}},
      {"Log", {}, {1, 0, -1}, {0, -kInf, kNaN}},
      {"Sqrt", {}, {4, -1}, {2, kNaN}},
      {"Abs", {}, {-3, 2}, {3, 2}},
      {"Neg", {}, {-3, 2}, {3, -2}},
      {"Reciprocal", {}, {4, -0.5f}, {0.25f, -2}},
      {"Floor", {}, {-1.5f, 1.5f}, {-2, 1}},
      {"Ceil", {}, {-1.5f, 1.5f}, {-1, 2}},
      {"Erf", {}, {0.5f, -3}, {0.5204998778f, -0.9999779095f}},
      {"Sin", {}, {1}, {0.8414709848f}},
      {"Cos", {}, {1}, {0.5403023059f}},
  };
  for (const UnaryCase& c : cases) {
    SCOPED_TRACE(c.op);
    const auto n = static_cast<std::int64_t>(c.in.size());
    expect_floats(run1(make_node(c.op, c.attrs), {runtime(float_tensor({n}, c.in))}), {n}, c.want);
  }
}

TEST(Unary, IntegerReluAbsNegWrapLikeTwosComplement) {
  constexpr std::int32_t kMin = std::numeric_limits<std::int32_t>::min();
  const Tensor x = typed_tensor<std::int32_t>({4}, {-5, 0, 7, kMin});
  EXPECT_EQ(values_of<std::int32_t>(run1(make_node("Relu"), {runtime(x)})), (std::vector<std::int32_t>{0, 0, 7, 0}));
  EXPECT_EQ(values_of<std::int32_t>(run1(make_node("Abs"), {runtime(x)})), (std::vector<std::int32_t>{5, 0, 7, kMin}));
  EXPECT_EQ(values_of<std::int32_t>(run1(make_node("Neg"), {runtime(x)})), (std::vector<std::int32_t>{5, 0, -7, kMin}));
  const Tensor x8 = typed_tensor<std::int8_t>({2}, {-128, -3});
  EXPECT_EQ(values_of<std::int8_t>(run1(make_node("Abs"), {runtime(x8)})), (std::vector<std::int8_t>{-128, 3}));
  const Tensor x64 = int64_tensor({2}, {-9, 9});
  EXPECT_EQ(values_of<std::int64_t>(run1(make_node("Neg"), {runtime(x64)})), (std::vector<std::int64_t>{9, -9}));
}

TEST(Unary, UnsupportedElementTypesAreUnsupportedErrors) {
  const Tensor i32 = typed_tensor<std::int32_t>({1}, {1});
  EXPECT_THROW(run_op(make_node("Sigmoid"), {runtime(i32)}), UnsupportedError);
  EXPECT_THROW(run_op(make_node("Neg"), {runtime(typed_tensor<std::uint8_t>({1}, {1}))}), UnsupportedError);
  EXPECT_THROW(run_op(make_node("Exp"), {runtime(Tensor(DType::kFloat16, {2}))}), UnsupportedError);
}

TEST(Unary, ClipWithBothBoundsAbsentMinOrAbsentMax) {
  const Tensor x = float_tensor({5}, {-3, -1, 0, 1, 3});
  const Tensor lo = float_tensor({}, {-1.5f});
  const Tensor hi = float_tensor({}, {2});
  expect_floats(run1(make_node("Clip"), {runtime(x), constant(lo), constant(hi)}), {5}, {-1.5f, -1, 0, 1, 2});
  expect_floats(run1(make_node("Clip"), {runtime(x), absent(), constant(hi)}), {5}, {-3, -1, 0, 1, 2});
  expect_floats(run1(make_node("Clip"), {runtime(x), constant(lo)}), {5}, {-1.5f, -1, 0, 1, 3});
  expect_floats(run1(make_node("Clip"), {runtime(x)}), {5}, {-3, -1, 0, 1, 3});
}

TEST(Unary, ClipReadsRuntimeBoundsAndFollowsOnnxEdgeCases) {
  const Tensor x = float_tensor({4}, {-3, 0.5f, 3, kNaN});
  expect_floats(run1(make_node("Clip"), {runtime(x), runtime(float_tensor({1}, {0})), runtime(float_tensor({1}, {1}))}),
                {4}, {0, 0.5f, 1, kNaN});
  // min > max: every value becomes max (ONNX spec).
  expect_floats(run1(make_node("Clip"), {runtime(x), constant(float_tensor({}, {2})), constant(float_tensor({}, {1}))}),
                {4}, {1, 1, 1, kNaN});
}

TEST(Unary, ClipOnIntegers) {
  // From ONNX test_clip_default_int8_min: min only.
  const Tensor x = typed_tensor<std::int8_t>({4}, {-128, -1, 0, 127});
  const Tensor lo = typed_tensor<std::int8_t>({}, {0});
  const Tensor hi = typed_tensor<std::int8_t>({}, {100});
  EXPECT_EQ(values_of<std::int8_t>(run1(make_node("Clip"), {runtime(x), constant(lo)})),
            (std::vector<std::int8_t>{0, 0, 0, 127}));
  EXPECT_EQ(values_of<std::int8_t>(run1(make_node("Clip"), {runtime(x), runtime(lo), runtime(hi)})),
            (std::vector<std::int8_t>{0, 0, 0, 100}));
  const Tensor x64 = int64_tensor({3}, {-10, 5, 10});
  EXPECT_EQ(values_of<std::int64_t>(run1(make_node("Clip"), {runtime(x64), absent(), constant(int64_tensor({}, {6}))})),
            (std::vector<std::int64_t>{-10, 5, 6}));
}

TEST(Unary, ClipRejectsNonScalarOrMistypedBounds) {
  const Tensor x = float_tensor({2}, {1, 2});
  const std::string shape_error = error_of(make_node("Clip"), {runtime(x), constant(float_tensor({2}, {0, 1}))});
  EXPECT_NE(shape_error.find("scalar"), std::string::npos) << shape_error;
  const std::string type_error = error_of(make_node("Clip"), {runtime(x), constant(int64_tensor({}, {0}))});
  EXPECT_NE(type_error.find("min"), std::string::npos) << type_error;
  EXPECT_EQ(type_error.find("unsupported"), std::string::npos) << type_error;
}

TEST(Unary, SameBytesForAnyThreadCount) {
  const Tensor x = random_tensor({3, 70001}, 7, -6, 6);
  for (const char* op : {"Sigmoid", "Tanh", "Erf", "HardSwish", "Softplus"}) {
    expect_same_bytes_everywhere(make_node(op), {runtime(x)});
  }
}

// ---- Binary ----------------------------------------------------------------

TEST(Binary, AddBroadcasts234With31) {
  const Tensor a = iota({2, 3, 4});
  const Tensor b = float_tensor({3, 1}, {100, 200, 300});
  std::vector<float> want(24);
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 3; ++j) {
      for (int k = 0; k < 4; ++k) want[i * 12 + j * 4 + k] = static_cast<float>(i * 12 + j * 4 + k + 100 * (j + 1));
    }
  }
  for (bool reference : {false, true}) {
    expect_floats(run1(make_node("Add"), {runtime(a), runtime(b)}, {.reference = reference}), {2, 3, 4}, want);
    // Operands swapped: broadcasting is symmetric.
    expect_floats(run1(make_node("Add"), {runtime(b), runtime(a)}, {.reference = reference}), {2, 3, 4}, want);
  }
}

TEST(Binary, ScalarLikeOperandsBroadcast) {
  const Tensor one = float_tensor({1}, {10});
  const Tensor m = float_tensor({2, 3}, {1, 2, 3, 4, 5, 6});
  expect_floats(run1(make_node("Sub"), {runtime(one), runtime(m)}), {2, 3}, {9, 8, 7, 6, 5, 4});
  expect_floats(run1(make_node("Div"), {runtime(m), runtime(float_tensor({}, {2}))}), {2, 3}, {0.5f, 1, 1.5f, 2, 2.5f, 3});
  // Row vector times column vector: an outer product.
  expect_floats(run1(make_node("Mul"), {runtime(float_tensor({3}, {1, 2, 3})), runtime(float_tensor({2, 1}, {10, -1}))}),
                {2, 3}, {10, 20, 30, -1, -2, -3});
}

TEST(Binary, IntegerDivisionTruncatesTowardZero) {
  const Tensor a = typed_tensor<std::int32_t>({6}, {7, -7, 7, -7, 5, std::numeric_limits<std::int32_t>::min()});
  const Tensor b = typed_tensor<std::int32_t>({6}, {2, 2, -2, -2, 0, -1});
  // x / 0 is defined as 0 and MIN / -1 wraps, instead of trapping.
  EXPECT_EQ(values_of<std::int32_t>(run1(make_node("Div"), {runtime(a), runtime(b)})),
            (std::vector<std::int32_t>{3, -3, -3, 3, 0, std::numeric_limits<std::int32_t>::min()}));
  const Tensor a64 = int64_tensor({2, 2}, {9, -9, 100, -100});
  EXPECT_EQ(values_of<std::int64_t>(run1(make_node("Div"), {runtime(a64), runtime(int64_tensor({2}, {4, 3}))})),
            (std::vector<std::int64_t>{2, -3, 25, -33}));
}

TEST(Binary, IntegerArithmeticWraps) {
  // From ONNX test_add_uint8 style: uint8 sums wrap modulo 256.
  const Tensor a = typed_tensor<std::uint8_t>({3}, {250, 1, 128});
  const Tensor b = typed_tensor<std::uint8_t>({3}, {10, 2, 128});
  EXPECT_EQ(values_of<std::uint8_t>(run1(make_node("Add"), {runtime(a), runtime(b)})), (std::vector<std::uint8_t>{4, 3, 0}));
  EXPECT_EQ(values_of<std::uint8_t>(run1(make_node("Sub"), {runtime(b), runtime(a)})), (std::vector<std::uint8_t>{16, 1, 0}));
  const Tensor big = typed_tensor<std::int32_t>({1}, {std::numeric_limits<std::int32_t>::max()});
  EXPECT_EQ(values_of<std::int32_t>(run1(make_node("Add"), {runtime(big), runtime(typed_tensor<std::int32_t>({1}, {1}))})),
            (std::vector<std::int32_t>{std::numeric_limits<std::int32_t>::min()}));
  const Tensor s16 = typed_tensor<std::int16_t>({2}, {300, -7});
  EXPECT_EQ(values_of<std::int16_t>(run1(make_node("Mul"), {runtime(s16), runtime(s16)})),
            (std::vector<std::int16_t>{24464, 49}));  // 90000 mod 65536
}

TEST(Binary, PowWithFloatAndIntegerExponents) {
  // ONNX test_pow_bcast_array: [[1,2,3],[4,5,6]] ^ [[1],[2]].
  expect_floats(run1(make_node("Pow"), {runtime(float_tensor({2, 3}, {1, 2, 3, 4, 5, 6})), runtime(float_tensor({2, 1}, {1, 2}))}),
                {2, 3}, {1, 2, 3, 16, 25, 36});
  expect_floats(run1(make_node("Pow"), {runtime(float_tensor({3}, {1, 2, 4})), runtime(int64_tensor({3}, {4, 5, -1}))}),
                {3}, {1, 32, 0.25f});
  expect_floats(run1(make_node("Pow"), {runtime(float_tensor({2}, {4, -8})), runtime(float_tensor({}, {0.5f}))}),
                {2}, {2, kNaN});
  const Tensor base = int64_tensor({5}, {2, 3, -1, 2, 1});
  const Tensor exp = int64_tensor({5}, {10, 3, -3, -1, -5});
  EXPECT_EQ(values_of<std::int64_t>(run1(make_node("Pow"), {runtime(base), runtime(exp)})),
            (std::vector<std::int64_t>{1024, 27, -1, 0, 1}));
  const Tensor fbase = float_tensor({1}, {2});
  EXPECT_THROW(run_op(make_node("Pow"), {runtime(base), runtime(fbase)}), UnsupportedError);
}

TEST(Binary, NonBroadcastableShapesNameBothShapes) {
  const std::string message =
      error_of(make_node("Add"), {runtime(iota({2, 3})), runtime(iota({4}))});
  EXPECT_NE(message.find("[2,3]"), std::string::npos) << message;
  EXPECT_NE(message.find("[4]"), std::string::npos) << message;
  EXPECT_NE(message.find("test_Add"), std::string::npos) << message;
  EXPECT_EQ(message.find("unsupported"), std::string::npos) << message;
}

TEST(Binary, MixedElementTypesAreErrors) {
  const std::string message = error_of(make_node("Mul"), {runtime(float_tensor({1}, {1})), runtime(int64_tensor({1}, {1}))});
  EXPECT_NE(message.find("int64"), std::string::npos) << message;
  EXPECT_EQ(message.find("unsupported"), std::string::npos) << message;
}

// Shape pairs covering same shape, scalars, inner and outer broadcasting,
// both-sides broadcasting, size-1 axes and empty tensors.
const std::vector<std::pair<Shape, Shape>> kShapePairs = {
    {{5, 7}, {5, 7}},       {{2, 3, 4}, {3, 1}},          {{1}, {2, 3}},
    {{4, 1, 6}, {1, 5, 1}}, {{2, 3, 4, 5}, {3, 1, 1}},    {{2, 1, 3, 1}, {1, 4, 1, 5}},
    {{}, {3, 4}},           {{6, 1}, {6, 9}},             {{3, 40, 50}, {40, 1}},
    {{2, 0, 3}, {3}},       {{7, 1, 1, 33}, {7, 9, 2, 33}}, {{1, 1}, {1, 1}},
};

TEST(Binary, FastPathMatchesReferenceBitForBit) {
  std::uint32_t seed = 1;
  for (const auto& [sa, sb] : kShapePairs) {
    const Tensor a = random_tensor(sa, seed++, 0.1f, 3.0f);
    const Tensor b = random_tensor(sb, seed++, -2.0f, 2.0f);
    for (const char* op : {"Add", "Sub", "Mul", "Div", "Pow"}) {
      const Tensor fast = run1(make_node(op), {runtime(a), runtime(b)}, {.threads = 2});
      const Tensor plain = run1(make_node(op), {runtime(a), runtime(b)}, {.reference = true});
      EXPECT_EQ(fast.shape(), broadcast_shapes(sa, sb, "t"));
      EXPECT_TRUE(fast.bytes_equal(plain)) << op << " " << shape_to_string(sa) << " " << shape_to_string(sb);
    }
  }
}

TEST(Binary, FastPathMatchesReferenceOnIntegers) {
  Tensor a(DType::kInt32, {4, 1, 6});
  Tensor b(DType::kInt32, {5, 1});
  for (std::int64_t i = 0; i < a.element_count(); ++i) a.data<std::int32_t>()[i] = static_cast<std::int32_t>(i * 37 - 50);
  for (std::int64_t i = 0; i < b.element_count(); ++i) b.data<std::int32_t>()[i] = static_cast<std::int32_t>(i - 2);
  for (const char* op : {"Add", "Sub", "Mul", "Div"}) {
    const Tensor fast = run1(make_node(op), {runtime(a), runtime(b)});
    const Tensor plain = run1(make_node(op), {runtime(a), runtime(b)}, {.reference = true});
    EXPECT_TRUE(fast.bytes_equal(plain)) << op;
  }
  // Spot check one broadcast element: a[3,0,5] / b[4,0] = (23*37-50) / 2.
  const Tensor div = run1(make_node("Div"), {runtime(a), runtime(b)});
  EXPECT_EQ(div.data<std::int32_t>()[(3 * 5 + 4) * 6 + 5], (23 * 37 - 50) / 2);
}

TEST(Binary, SameBytesForAnyThreadCount) {
  const Tensor a = random_tensor({3, 128, 257}, 11);
  const Tensor b = random_tensor({128, 1}, 12);
  const Tensor c = random_tensor({3, 128, 257}, 13);
  for (const char* op : {"Add", "Mul", "Div"}) {
    expect_same_bytes_everywhere(make_node(op), {runtime(a), runtime(b)});
    expect_same_bytes_everywhere(make_node(op), {runtime(a), runtime(c)});
  }
}

// ---- Variadic and PRelu ----------------------------------------------------

TEST(Variadic, MaxMinSumMeanBroadcastThreeInputs) {
  // ONNX test_max_example / test_mean_example use the same three inputs.
  const Tensor a = float_tensor({3}, {3, 2, 1});
  const Tensor b = float_tensor({3}, {1, 4, 4});
  const Tensor c = float_tensor({3}, {2, 5, 3});
  expect_floats(run1(make_node("Max"), {runtime(a), runtime(b), runtime(c)}), {3}, {3, 5, 4});
  expect_floats(run1(make_node("Min"), {runtime(a), runtime(b), runtime(c)}), {3}, {1, 2, 1});
  expect_floats(run1(make_node("Sum"), {runtime(a), runtime(b), runtime(c)}), {3}, {6, 11, 8});
  expect_floats(run1(make_node("Mean"), {runtime(a), runtime(b), runtime(c)}), {3}, {2, 11.0f / 3, 8.0f / 3});
  // Broadcasting across inputs: [2,1] + [3] + [] -> [2,3].
  const Tensor col = float_tensor({2, 1}, {10, 20});
  const Tensor s = float_tensor({}, {0.5f});
  expect_floats(run1(make_node("Sum"), {runtime(col), runtime(a), runtime(s)}), {2, 3}, {13.5f, 12.5f, 11.5f, 23.5f, 22.5f, 21.5f});
  expect_floats(run1(make_node("Max"), {runtime(s), runtime(col), runtime(a)}), {2, 3}, {10, 10, 10, 20, 20, 20});
}

TEST(Variadic, OneInputAndNaNAndIntegers) {
  const Tensor a = float_tensor({3}, {3, kNaN, -1});
  expect_floats(run1(make_node("Mean"), {runtime(a)}), {3}, {3, kNaN, -1});
  expect_floats(run1(make_node("Max"), {runtime(float_tensor({3}, {0, 0, kNaN})), runtime(a)}), {3}, {3, kNaN, kNaN});
  const Tensor i = typed_tensor<std::int32_t>({2}, {-5, 7});
  const Tensor j = typed_tensor<std::int32_t>({1}, {0});
  EXPECT_EQ(values_of<std::int32_t>(run1(make_node("Max"), {runtime(i), runtime(j)})), (std::vector<std::int32_t>{0, 7}));
  EXPECT_EQ(values_of<std::int32_t>(run1(make_node("Min"), {runtime(i), runtime(j)})), (std::vector<std::int32_t>{-5, 0}));
  EXPECT_THROW(run_op(make_node("Sum"), {runtime(i), runtime(j)}), UnsupportedError);
  EXPECT_THROW(run_op(make_node("Max"), {runtime(float_tensor({2}, {1, 2})), runtime(float_tensor({3}, {1, 2, 3}))}), Error);
}

TEST(Variadic, FastPathMatchesReferenceAndThreads) {
  const Tensor a = random_tensor({4, 1, 50}, 21);
  const Tensor b = random_tensor({3, 1}, 22);
  const Tensor c = random_tensor({4, 3, 50}, 23);
  const Tensor d = random_tensor({50}, 24);
  for (const char* op : {"Max", "Min", "Sum", "Mean"}) {
    expect_same_bytes_everywhere(make_node(op), {runtime(a), runtime(b), runtime(c), runtime(d)});
  }
}

TEST(PRelu, SlopeBroadcastsToX) {
  // ONNX test_prelu_broadcast: slope of shape [5] against x [3,4,5].
  const Tensor x = float_tensor({2, 3}, {-1, 2, -3, -4, 5, -6});
  expect_floats(run1(make_node("PRelu"), {runtime(x), constant(float_tensor({3}, {0.1f, 0.2f, 0.3f}))}), {2, 3},
                {-0.1f, 2, -0.9f, -0.4f, 5, -1.8f});
  expect_floats(run1(make_node("PRelu"), {runtime(x), constant(float_tensor({2, 1}, {0.5f, 2}))}), {2, 3},
                {-0.5f, 2, -1.5f, -8, 5, -12});
  expect_same_bytes_everywhere(make_node("PRelu"), {runtime(random_tensor({2, 3, 40, 40}, 31)),
                                                    constant(random_tensor({3, 1, 1}, 32))});
}

TEST(PRelu, SlopeMustNotGrowX) {
  const std::string message =
      error_of(make_node("PRelu"), {runtime(float_tensor({3}, {1, 2, 3})), constant(iota({2, 3}))});
  EXPECT_NE(message.find("[2,3]"), std::string::npos) << message;
  EXPECT_EQ(message.find("unsupported"), std::string::npos) << message;
}

// ---- Reduce ----------------------------------------------------------------

OpNode reduce_node(const std::string& op, std::vector<std::int64_t> axes, std::int64_t keepdims) {
  Attributes a;
  if (!axes.empty()) a.set("axes", axes);
  a.set("keepdims", keepdims);
  return make_node(op, std::move(a));
}

TEST(Reduce, SumWithAxesInputAndKeepdims) {
  const Tensor x = iota({2, 3, 4});
  Attributes keep;
  keep.set("keepdims", std::int64_t{1});
  // Sum over axis 1: out[i,k] = sum_j (12i + 4j + k) = 36i + 12 + 3k.
  expect_floats(run1(make_node("ReduceSum", keep), {runtime(x), constant(int64_tensor({1}, {1}))}), {2, 1, 4},
                {12, 15, 18, 21, 48, 51, 54, 57});
  expect_floats(run1(make_node("ReduceSum"), {runtime(x), constant(int64_tensor({2}, {-1, 0}))}), {1, 3, 1},
                {60, 92, 124});
  Attributes drop;
  drop.set("keepdims", std::int64_t{0});
  expect_floats(run1(make_node("ReduceSum", drop), {runtime(x), constant(int64_tensor({1}, {-3}))}), {3, 4},
                {12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34});
}

TEST(Reduce, EmptyAxesReduceAllUnlessNoop) {
  const Tensor x = float_tensor({2, 2}, {1, 2, 3, 4});
  expect_floats(run1(make_node("ReduceSum"), {runtime(x)}), {1, 1}, {10});
  expect_floats(run1(make_node("ReduceSum"), {runtime(x), constant(int64_tensor({0}, {}))}), {1, 1}, {10});
  Attributes noop;
  noop.set("noop_with_empty_axes", std::int64_t{1});
  expect_floats(run1(make_node("ReduceSum", noop), {runtime(x)}), {2, 2}, {1, 2, 3, 4});
  expect_floats(run1(make_node("ReduceSum", noop), {runtime(x), constant(int64_tensor({1}, {0}))}), {1, 2}, {4, 6});
  expect_floats(run1(reduce_node("ReduceMax", {}, 0), {runtime(x)}), {}, {4});
}

TEST(Reduce, EveryReductionOnAHandExample) {
  // ONNX's *_example data: shape [3,2,2], axes [1].
  const Tensor x = float_tensor({3, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  const Shape kept{3, 1, 2};
  expect_floats(run1(reduce_node("ReduceMean", {1}, 1), {runtime(x)}), kept, {2, 3, 6, 7, 10, 11});
  expect_floats(run1(reduce_node("ReduceMax", {1}, 1), {runtime(x)}), kept, {3, 4, 7, 8, 11, 12});
  expect_floats(run1(reduce_node("ReduceMin", {1}, 1), {runtime(x)}), kept, {1, 2, 5, 6, 9, 10});
  expect_floats(run1(reduce_node("ReduceProd", {1}, 1), {runtime(x)}), kept, {3, 8, 35, 48, 99, 120});
  expect_floats(run1(reduce_node("ReduceSumSquare", {1}, 1), {runtime(x)}), kept, {10, 20, 74, 100, 202, 244});
  expect_floats(run1(reduce_node("ReduceL2", {-2}, 0), {runtime(x)}), {3, 2},
                {3.1622777f, 4.4721360f, 8.6023253f, 10, 14.2126704f, 15.6204994f});
  const Tensor neg = float_tensor({2, 2}, {-1, 2, -3, -4});
  expect_floats(run1(reduce_node("ReduceL1", {0, 1}, 0), {runtime(neg)}), {}, {10});
  expect_floats(run1(reduce_node("ReduceMean", {}, 1), {runtime(neg)}), {1, 1}, {-1.5f});
}

TEST(Reduce, IntegerSumMaxMin) {
  const Tensor x = int64_tensor({2, 3}, {1, -2, 3, 40, 50, -60});
  EXPECT_EQ(values_of<std::int64_t>(run1(make_node("ReduceSum"), {runtime(x), constant(int64_tensor({1}, {1}))})),
            (std::vector<std::int64_t>{2, 30}));
  EXPECT_EQ(values_of<std::int64_t>(run1(reduce_node("ReduceMax", {0}, 0), {runtime(x)})), (std::vector<std::int64_t>{40, 50, 3}));
  const Tensor y = typed_tensor<std::int32_t>({3}, {7, -1, 4});
  EXPECT_EQ(values_of<std::int32_t>(run1(reduce_node("ReduceMin", {0}, 1), {runtime(y)})), (std::vector<std::int32_t>{-1}));
  EXPECT_THROW(run_op(reduce_node("ReduceMean", {0}, 1), {runtime(y)}), UnsupportedError);
}

TEST(Reduce, BadAxesAreErrors) {
  const Tensor x = iota({2, 3});
  const std::string range = error_of(reduce_node("ReduceMean", {2}, 1), {runtime(x)});
  EXPECT_NE(range.find("out of range"), std::string::npos) << range;
  EXPECT_EQ(range.find("unsupported"), std::string::npos) << range;
  EXPECT_THROW(run_op(reduce_node("ReduceMax", {1, -1}, 1), {runtime(x)}), Error);
  // Axes only known at run time would give a dynamic output shape.
  EXPECT_THROW(run_op(make_node("ReduceSum"), {runtime(x), runtime(int64_tensor({1}, {0}))}), UnsupportedError);
}

TEST(Reduce, FastPathMatchesReferenceAndThreads) {
  const Tensor x = random_tensor({3, 5, 64, 33}, 41);
  const std::vector<std::vector<std::int64_t>> axes_sets = {{1}, {0}, {2, 3}, {1, 3}, {0, 2}, {}, {3}};
  for (const char* op : {"ReduceMean", "ReduceSum", "ReduceMax", "ReduceL2", "ReduceProd"}) {
    for (const auto& axes : axes_sets) {
      OpNode node = reduce_node(op, axes, 1);
      std::vector<OpInput> inputs = {runtime(x)};
      if (node.op == "ReduceSum") {
        node.attrs.erase("axes");
        inputs.push_back(constant(int64_tensor({static_cast<std::int64_t>(axes.size())}, axes)));
      }
      expect_same_bytes_everywhere(node, inputs);
    }
  }
}

// ---- Softmax ---------------------------------------------------------------

TEST(Softmax, LastAxisByDefault) {
  // ONNX test_softmax_example: [-1, 0, 1] -> exp(x) / sum(exp(x)).
  const Tensor x = float_tensor({1, 3}, {-1, 0, 1});
  expect_floats(run1(make_node("Softmax"), {runtime(x)}), {1, 3}, {0.09003057f, 0.24472847f, 0.66524096f});
  expect_floats(run1(make_node("LogSoftmax"), {runtime(x)}), {1, 3}, {-2.40760596f, -1.40760596f, -0.40760596f});
}

TEST(Softmax, ExplicitAndNegativeAxis) {
  const Tensor x = float_tensor({2, 2}, {0, 1, 2, 3});
  Attributes axis0;
  axis0.set("axis", std::int64_t{0});
  // Along axis 0 each column is (a, a+2): softmax = (1/(1+e^2), e^2/(1+e^2)).
  expect_floats(run1(make_node("Softmax", axis0), {runtime(x)}), {2, 2}, {0.11920292f, 0.11920292f, 0.88079708f, 0.88079708f});
  Attributes axis_neg;
  axis_neg.set("axis", std::int64_t{-2});
  expect_floats(run1(make_node("Softmax", axis_neg), {runtime(x)}), {2, 2}, {0.11920292f, 0.11920292f, 0.88079708f, 0.88079708f});
}

TEST(Softmax, LargeValuesStayFinite) {
  // ONNX test_logsoftmax_large_number.
  const Tensor x = float_tensor({2, 4}, {0, 1, 2, 3, 10000, 10001, 10002, 10003});
  const std::vector<float> logs = {-3.4401896f, -2.4401896f, -1.4401897f, -0.4401897f};
  std::vector<float> want = logs;
  want.insert(want.end(), logs.begin(), logs.end());
  expect_floats(run1(make_node("LogSoftmax"), {runtime(x)}), {2, 4}, want);
  std::vector<float> probs;
  for (float l : want) probs.push_back(std::exp(l));
  expect_floats(run1(make_node("Softmax"), {runtime(x)}), {2, 4}, probs);
}

TEST(Softmax, BadAxisAndTypeAreRejected) {
  Attributes axis;
  axis.set("axis", std::int64_t{2});
  const std::string message = error_of(make_node("Softmax", axis), {runtime(iota({2, 2}))});
  EXPECT_NE(message.find("out of range"), std::string::npos) << message;
  EXPECT_THROW(run_op(make_node("Softmax"), {runtime(int64_tensor({2}, {1, 2}))}), UnsupportedError);
}

TEST(Softmax, FastPathMatchesReferenceAndThreads) {
  const Tensor x = random_tensor({2, 5, 60, 123}, 51, -20, 20);
  for (std::int64_t axis : {0, 1, 2, 3, -1}) {
    Attributes a;
    a.set("axis", axis);
    expect_same_bytes_everywhere(make_node("Softmax", a), {runtime(x)});
    expect_same_bytes_everywhere(make_node("LogSoftmax", a), {runtime(x)});
  }
  // Each softmax column sums to 1.
  Attributes a;
  a.set("axis", std::int64_t{1});
  const Tensor y = run1(make_node("Softmax", a), {runtime(x)});
  double sum = 0;
  for (int c = 0; c < 5; ++c) sum += y.data<float>()[c * 60 * 123 + 7];
  EXPECT_NEAR(sum, 1.0, 1e-6);
}

}  // namespace
}  // namespace rknn::sim
