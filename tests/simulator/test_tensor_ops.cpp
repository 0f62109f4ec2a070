// Data-movement and shape ops. Expected values are worked out by hand (the
// comments show how); the Resize and Slice cases also match ONNX's own
// operator test data.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "rknn/sim/error.h"
#include "rknn/sim/half.h"
#include "sim_test_util.h"

namespace rknn::sim {
namespace {

// Helpers from sim_test_util.h: run_op, runtime, constant, absent, make_node, attrs, iota, ...
using namespace testing;

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();

// A tensor of any dtype from values of its storage type (bool: uint8, float16: uint16 bits).
template <class T>
Tensor typed_tensor(DType dtype, Shape shape, std::vector<T> values) {
  Tensor t(dtype, std::move(shape));
  EXPECT_EQ(t.byte_size(), values.size() * sizeof(T));
  std::memcpy(t.raw(), values.data(), t.byte_size());
  return t;
}

template <class T>
std::vector<T> stored(const Tensor& t) {
  std::vector<T> v(t.byte_size() / sizeof(T));
  std::memcpy(v.data(), t.raw(), t.byte_size());
  return v;
}

std::vector<float> floats(const Tensor& t) { return stored<float>(t); }
std::vector<std::int64_t> ints(const Tensor& t) { return stored<std::int64_t>(t); }

Tensor iota_int64(Shape shape, std::int64_t start = 0) {
  Tensor t(DType::kInt64, std::move(shape));
  std::int64_t v = start;
  for (std::int64_t& x : t.values<std::int64_t>()) x = v++;
  return t;
}

OpNode node_with(std::string op, std::initializer_list<std::pair<std::string, AttrValue>> list) {
  return make_node(std::move(op), attrs(list));
}

void expect_floats_near(const Tensor& t, Shape shape, const std::vector<float>& expected,
                        float tolerance = 1e-5f) {
  ASSERT_EQ(t.dtype(), DType::kFloat32);
  ASSERT_EQ(t.shape(), shape);
  const std::vector<float> got = floats(t);
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], expected[i], tolerance) << "element " << i;
}

// ---- Concat -------------------------------------------------------------

TEST(Concat, JoinsAlongANegativeAxis) {
  const auto out =
      run_op(node_with("Concat", {{"axis", std::int64_t{-1}}}),
             {runtime(float_tensor({2, 2}, {1, 2, 3, 4})), runtime(float_tensor({2, 1}, {5, 6}))});
  expect_floats_near(out[0], {2, 3}, {1, 2, 5, 3, 4, 6});
}

TEST(Concat, JoinsInt64AndUInt8AlongAxis0) {
  const auto wide = run_op(node_with("Concat", {{"axis", std::int64_t{0}}}),
                           {runtime(int64_tensor({1, 2}, {1, 2})),
                            runtime(int64_tensor({2, 2}, {3, 4, 5, 6})), constant(int64_tensor({0, 2}, {}))});
  EXPECT_EQ(wide[0].shape(), (Shape{3, 2}));
  EXPECT_EQ(ints(wide[0]), (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}));
  const auto bytes = run_op(node_with("Concat", {{"axis", std::int64_t{1}}}),
                            {runtime(typed_tensor<std::uint8_t>(DType::kUInt8, {2, 1}, {1, 2})),
                             runtime(typed_tensor<std::uint8_t>(DType::kUInt8, {2, 2}, {3, 4, 5, 6}))});
  EXPECT_EQ(stored<std::uint8_t>(bytes[0]), (std::vector<std::uint8_t>{1, 3, 4, 2, 5, 6}));
}

TEST(Concat, MismatchedInputsAreAnError) {
  EXPECT_THROW(run_op(node_with("Concat", {{"axis", std::int64_t{1}}}),
                      {runtime(float_tensor({2, 2}, {1, 2, 3, 4})), runtime(float_tensor({1, 2}, {5, 6}))}),
               Error);
  EXPECT_THROW(
      run_op(node_with("Concat", {{"axis", std::int64_t{2}}}), {runtime(float_tensor({2, 2}, {1, 2, 3, 4}))}),
      Error);
}

// ---- Reshape, Flatten, Squeeze, Unsqueeze -------------------------------

TEST(Reshape, CopiesZeroDimsAndInfersMinusOne) {
  const Tensor in = iota({2, 3, 4});
  const auto out = run_op(make_node("Reshape"), {runtime(in), constant(int64_tensor({2}, {0, -1}))});
  EXPECT_EQ(out[0].shape(), (Shape{2, 12}));
  EXPECT_EQ(floats(out[0]), floats(in));
  const auto moved =
      run_op(make_node("Reshape"), {runtime(iota_int64({6})), constant(int64_tensor({3}, {-1, 1, 2}))});
  EXPECT_EQ(moved[0].shape(), (Shape{3, 1, 2}));
  EXPECT_EQ(ints(moved[0]), (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5}));
}

TEST(Reshape, AllowZeroKeepsALiteralZero) {
  const auto out = run_op(node_with("Reshape", {{"allowzero", std::int64_t{1}}}),
                          {runtime(Tensor(DType::kFloat32, {0, 4})), constant(int64_tensor({2}, {4, 0}))});
  EXPECT_EQ(out[0].shape(), (Shape{4, 0}));
  // Without allowzero the 0 copies input dim 1 (4): 16 elements from 0.
  EXPECT_THROW(run_op(make_node("Reshape"),
                      {runtime(Tensor(DType::kFloat32, {0, 4})), constant(int64_tensor({2}, {4, 0}))}),
               Error);
}

TEST(Reshape, ImpossibleShapesAreAnError) {
  const Tensor in = iota({2, 3});
  for (const std::vector<std::int64_t>& shape :
       {std::vector<std::int64_t>{4, -1}, {5}, {-1, -1}, {2, -2}, {0, 0, 0}}) {
    EXPECT_THROW(
        run_op(make_node("Reshape"),
               {runtime(in), constant(int64_tensor({static_cast<std::int64_t>(shape.size())}, shape))}),
        Error)
        << shape_to_string(shape);
  }
}

TEST(Reshape, RuntimeShapeIsUnsupported) {
  EXPECT_THROW(run_op(make_node("Reshape"), {runtime(iota({2, 3})), runtime(int64_tensor({1}, {6}))}),
               UnsupportedError);
}

TEST(Flatten, SplitsTheShapeAtTheAxis) {
  const Tensor in = iota({2, 3, 4});
  EXPECT_EQ(run_op(node_with("Flatten", {{"axis", std::int64_t{0}}}), {runtime(in)})[0].shape(),
            (Shape{1, 24}));
  EXPECT_EQ(run_op(make_node("Flatten"), {runtime(in)})[0].shape(), (Shape{2, 12}));
  const auto out = run_op(node_with("Flatten", {{"axis", std::int64_t{-1}}}), {runtime(in)});
  EXPECT_EQ(out[0].shape(), (Shape{6, 4}));
  EXPECT_EQ(floats(out[0]), floats(in));
  EXPECT_THROW(run_op(node_with("Flatten", {{"axis", std::int64_t{4}}}), {runtime(in)}), Error);
}

TEST(Squeeze, RemovesGivenOrAllUnitAxes) {
  const Tensor in = iota_int64({1, 3, 1, 2});
  const auto given = run_op(make_node("Squeeze"), {runtime(in), constant(int64_tensor({1}, {-2}))});
  EXPECT_EQ(given[0].shape(), (Shape{1, 3, 2}));
  EXPECT_EQ(ints(given[0]), ints(in));
  EXPECT_EQ(run_op(make_node("Squeeze"), {runtime(in)})[0].shape(), (Shape{3, 2}));
  EXPECT_EQ(run_op(make_node("Squeeze"), {runtime(in), absent()})[0].shape(), (Shape{3, 2}));
}

TEST(Squeeze, NonUnitAxisIsAnError) {
  EXPECT_THROW(run_op(make_node("Squeeze"), {runtime(iota_int64({1, 3})), constant(int64_tensor({1}, {1}))}),
               Error);
}

TEST(Unsqueeze, InsertsAxesCountedInTheOutputRank) {
  const Tensor in = iota({2, 3});
  // Output rank 4: -1 is axis 3.
  const auto out = run_op(make_node("Unsqueeze"), {runtime(in), constant(int64_tensor({2}, {-1, 0}))});
  EXPECT_EQ(out[0].shape(), (Shape{1, 2, 3, 1}));
  EXPECT_EQ(floats(out[0]), floats(in));
  EXPECT_EQ(run_op(make_node("Unsqueeze"), {runtime(in), constant(int64_tensor({2}, {3, 1}))})[0].shape(),
            (Shape{2, 1, 3, 1}));
  EXPECT_THROW(run_op(make_node("Unsqueeze"), {runtime(in), constant(int64_tensor({2}, {0, -4}))}), Error);
  EXPECT_THROW(run_op(make_node("Unsqueeze"), {runtime(in), runtime(int64_tensor({1}, {0}))}),
               UnsupportedError);
}

// ---- Transpose ----------------------------------------------------------

TEST(Transpose, DefaultPermReversesTheAxes) {
  const auto out = run_op(make_node("Transpose"), {runtime(float_tensor({2, 3}, {1, 2, 3, 4, 5, 6}))});
  expect_floats_near(out[0], {3, 2}, {1, 4, 2, 5, 3, 6});
}

TEST(Transpose, NchwToNhwcForInt64AndUInt8) {
  // in[c][h][w] = 100c + 10h + w with C=3, H=W=2; out[h][w][c].
  Tensor in(DType::kInt64, {1, 3, 2, 2});
  std::vector<std::int64_t> expected;
  for (std::int64_t c = 0; c < 3; ++c)
    for (std::int64_t h = 0; h < 2; ++h)
      for (std::int64_t w = 0; w < 2; ++w) in.data<std::int64_t>()[c * 4 + h * 2 + w] = 100 * c + 10 * h + w;
  for (std::int64_t h = 0; h < 2; ++h)
    for (std::int64_t w = 0; w < 2; ++w)
      for (std::int64_t c = 0; c < 3; ++c) expected.push_back(100 * c + 10 * h + w);
  const OpNode node = node_with("Transpose", {{"perm", std::vector<std::int64_t>{0, 2, 3, 1}}});
  const auto out = run_op(node, {runtime(in)});
  EXPECT_EQ(out[0].shape(), (Shape{1, 2, 2, 3}));
  EXPECT_EQ(ints(out[0]), expected);
  std::vector<std::uint8_t> bytes(12), expected_bytes;
  for (std::size_t i = 0; i < 12; ++i) bytes[i] = static_cast<std::uint8_t>(ints(in)[i]);
  for (std::int64_t v : expected) expected_bytes.push_back(static_cast<std::uint8_t>(v));
  const auto small = run_op(node, {runtime(typed_tensor(DType::kUInt8, {1, 3, 2, 2}, bytes))});
  EXPECT_EQ(stored<std::uint8_t>(small[0]), expected_bytes);
}

TEST(Transpose, LargeTensorMatchesNaiveIndexingOnAnyThreadCount) {
  const Shape shape{3, 17, 33, 9};
  const Tensor in = random_tensor(shape, 7);
  const std::vector<std::int64_t> perm{2, 0, 3, 1};
  const std::vector<std::int64_t> s = strides_of(shape);
  std::vector<float> expected;
  for (std::int64_t a = 0; a < shape[2]; ++a)
    for (std::int64_t b = 0; b < shape[0]; ++b)
      for (std::int64_t c = 0; c < shape[3]; ++c)
        for (std::int64_t d = 0; d < shape[1]; ++d)
          expected.push_back(in.data<float>()[a * s[2] + b * s[0] + c * s[3] + d * s[1]]);
  for (int threads : {1, 4}) {
    const auto out = run_op(node_with("Transpose", {{"perm", perm}}), {runtime(in)}, {.threads = threads});
    EXPECT_EQ(out[0].shape(), (Shape{33, 3, 9, 17}));
    EXPECT_EQ(floats(out[0]), expected) << threads << " threads";
  }
}

TEST(Transpose, InvalidPermIsAnError) {
  EXPECT_THROW(run_op(node_with("Transpose", {{"perm", std::vector<std::int64_t>{0, 0}}}),
                      {runtime(iota({2, 2}))}),
               Error);
  EXPECT_THROW(run_op(node_with("Transpose", {{"perm", std::vector<std::int64_t>{1, 0, 2}}}),
                      {runtime(iota({2, 2}))}),
               Error);
}

// ---- Slice --------------------------------------------------------------

std::vector<OpInput> slice_inputs(Tensor data, std::vector<std::int64_t> starts,
                                  std::vector<std::int64_t> ends, std::vector<std::int64_t> axes,
                                  std::vector<std::int64_t> steps) {
  const auto n = static_cast<std::int64_t>(starts.size());
  return {runtime(std::move(data)), constant(int64_tensor({n}, starts)), constant(int64_tensor({n}, ends)),
          constant(int64_tensor({n}, axes)), constant(int64_tensor({n}, steps))};
}

TEST(Slice, NegativeStepsWalkBackwardsWithClampedEnds) {
  // From the last element down past the front: INT64_MIN clamps to -1.
  const auto reversed =
      run_op(make_node("Slice"), slice_inputs(iota_int64({10}), {-1}, {kInt64Min}, {0}, {-1}));
  EXPECT_EQ(ints(reversed[0]), (std::vector<std::int64_t>{9, 8, 7, 6, 5, 4, 3, 2, 1, 0}));
  // 8, 5, 2 (1 is the excluded end).
  const auto stepped = run_op(make_node("Slice"), slice_inputs(iota_int64({10}), {8}, {1}, {0}, {-3}));
  EXPECT_EQ(ints(stepped[0]), (std::vector<std::int64_t>{8, 5, 2}));
  // A start beyond the end clamps to dim - 1 for negative steps.
  const auto from_far = run_op(make_node("Slice"), slice_inputs(iota_int64({5}), {100}, {-4}, {0}, {-2}));
  EXPECT_EQ(ints(from_far[0]), (std::vector<std::int64_t>{4, 2}));
}

TEST(Slice, TwoAxesWithNegativeAxisAndStep) {
  // data 3x4 = 0..11; rows 0, 2 (step 2, end INT64_MAX); columns 3, 2, 1 (axis -1, step -1).
  const auto out =
      run_op(make_node("Slice"), slice_inputs(iota({3, 4}), {0, 3}, {kInt64Max, 0}, {0, -1}, {2, -1}));
  expect_floats_near(out[0], {2, 3}, {3, 2, 1, 11, 10, 9});
}

TEST(Slice, DefaultAxesAndStepsAndOutOfRangeStarts) {
  // ONNX test_slice_start_out_of_bounds: start 1000 on a dim of 10 gives nothing.
  const auto empty = run_op(
      make_node("Slice"), {runtime(iota({20, 10, 5})), constant(int64_tensor({1}, {1000})),
                           constant(int64_tensor({1}, {1000})), constant(int64_tensor({1}, {1})), absent()});
  EXPECT_EQ(empty[0].shape(), (Shape{20, 0, 5}));
  // starts [-100, 1], ends [100, -1] on axes 0, 1 by default: all rows, columns 1..2.
  const auto out =
      run_op(make_node("Slice"), {runtime(iota({2, 4})), constant(int64_tensor({2}, {-100, 1})),
                                  constant(int64_tensor({2}, {100, -1}))});
  expect_floats_near(out[0], {2, 2}, {1, 2, 5, 6});
}

TEST(Slice, ZeroStepAndRuntimeStartsAreRejected) {
  EXPECT_THROW(run_op(make_node("Slice"), slice_inputs(iota({4}), {0}, {4}, {0}, {0})), Error);
  EXPECT_THROW(run_op(make_node("Slice"), slice_inputs(iota({4}), {0, 0}, {4, 4}, {0, 0}, {1, 1})),
               Error);
  EXPECT_THROW(run_op(make_node("Slice"), {runtime(iota({4})), runtime(int64_tensor({1}, {0})),
                                           constant(int64_tensor({1}, {2}))}),
               UnsupportedError);
}

// ---- Split --------------------------------------------------------------

TEST(Split, VariableSizesAlongAxis1) {
  const auto out = run_op(node_with("Split", {{"axis", std::int64_t{1}}}),
                          {runtime(iota({2, 5})), constant(int64_tensor({2}, {2, 3}))});
  ASSERT_EQ(out.size(), 2u);
  expect_floats_near(out[0], {2, 2}, {0, 1, 5, 6});
  expect_floats_near(out[1], {2, 3}, {2, 3, 4, 7, 8, 9});
}

TEST(Split, EqualPartsFromNumOutputs) {
  const auto out = run_op(node_with("Split", {{"axis", std::int64_t{-1}}, {"num_outputs", std::int64_t{3}}}),
                          {runtime(iota_int64({6}))});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(ints(out[2]), (std::vector<std::int64_t>{4, 5}));
  EXPECT_EQ(out[1].shape(), (Shape{2}));
}

TEST(Split, UnevenOrMismatchedSplitsAreAnError) {
  EXPECT_THROW(run_op(node_with("Split", {{"num_outputs", std::int64_t{2}}}), {runtime(iota({5}))}),
               Error);
  EXPECT_THROW(run_op(make_node("Split"), {runtime(iota({5})), constant(int64_tensor({2}, {2, 2}))}),
               Error);
  EXPECT_THROW(run_op(make_node("Split", {}, 2), {runtime(iota({5}))}), Error);  // 5 into 2 outputs
}

TEST(Split, EqualPartsFromTheNodesOutputCount) {
  const auto out = run_op(make_node("Split", {}, 3), {runtime(iota_int64({6}))});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(ints(out[1]), (std::vector<std::int64_t>{2, 3}));
}

// ---- Pad ----------------------------------------------------------------

TEST(Pad, ConstantWithRunTimeValue) {
  // pads [x1_begin=0, x2_begin=1, x1_end=1, x2_end=0].
  const auto out =
      run_op(make_node("Pad"), {runtime(float_tensor({2, 2}, {1, 2, 3, 4})),
                                constant(int64_tensor({4}, {0, 1, 1, 0})), runtime(float_tensor({}, {9}))});
  expect_floats_near(out[0], {3, 3}, {9, 1, 2, 9, 3, 4, 9, 9, 9});
  const auto zeros =
      run_op(make_node("Pad"), {runtime(int64_tensor({2}, {5, 6})), constant(int64_tensor({2}, {1, 2}))});
  EXPECT_EQ(ints(zeros[0]), (std::vector<std::int64_t>{0, 5, 6, 0, 0}));
}

TEST(Pad, ReflectAndEdge) {
  const Tensor in = float_tensor({4}, {1, 2, 3, 4});
  const auto reflect = run_op(node_with("Pad", {{"mode", std::string("reflect")}}),
                              {runtime(in), constant(int64_tensor({2}, {2, 3}))});
  expect_floats_near(reflect[0], {9}, {3, 2, 1, 2, 3, 4, 3, 2, 1});
  const auto edge = run_op(node_with("Pad", {{"mode", std::string("edge")}}),
                           {runtime(in), constant(int64_tensor({2}, {2, 3}))});
  expect_floats_near(edge[0], {9}, {1, 1, 1, 2, 3, 4, 4, 4, 4});
  // 2-D reflect (ONNX's Pad example): 2 columns reflected on the left.
  const auto wide = run_op(node_with("Pad", {{"mode", std::string("reflect")}}),
                           {runtime(float_tensor({3, 2}, {1.0f, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f})),
                            constant(int64_tensor({4}, {0, 2, 0, 0}))});
  expect_floats_near(wide[0], {3, 4},
                     {1.0f, 1.2f, 1.0f, 1.2f, 2.3f, 3.4f, 2.3f, 3.4f, 4.5f, 5.7f, 4.5f, 5.7f});
  // Edge on rows and columns of a uint8 image.
  const auto bytes = run_op(node_with("Pad", {{"mode", std::string("edge")}}),
                            {runtime(typed_tensor<std::uint8_t>(DType::kUInt8, {2, 2}, {1, 2, 3, 4})),
                             constant(int64_tensor({4}, {1, 0, 0, 1}))});
  EXPECT_EQ(bytes[0].shape(), (Shape{3, 3}));
  EXPECT_EQ(stored<std::uint8_t>(bytes[0]), (std::vector<std::uint8_t>{1, 2, 2, 1, 2, 2, 3, 4, 4}));
}

TEST(Pad, NegativePadsCrop) {
  const Tensor in = int64_tensor({5}, {1, 2, 3, 4, 5});
  const auto constant_pad = run_op(make_node("Pad"), {runtime(in), constant(int64_tensor({2}, {-1, 2}))});
  EXPECT_EQ(ints(constant_pad[0]), (std::vector<std::int64_t>{2, 3, 4, 5, 0, 0}));
  // Crop first ([1, 2, 3]), then repeat the edge of what is left.
  const auto edge = run_op(node_with("Pad", {{"mode", std::string("edge")}}),
                           {runtime(in), constant(int64_tensor({2}, {2, -2}))});
  EXPECT_EQ(ints(edge[0]), (std::vector<std::int64_t>{1, 1, 1, 2, 3}));
  // 2-D: drop the first row and last column, pad one column of 7 on the left.
  const auto both =
      run_op(make_node("Pad"), {runtime(iota({3, 3})), constant(int64_tensor({4}, {-1, 1, 0, -1})),
                                constant(float_tensor({}, {7}))});
  expect_floats_near(both[0], {2, 3}, {7, 3, 4, 7, 6, 7});
  EXPECT_THROW(run_op(make_node("Pad"), {runtime(in), constant(int64_tensor({2}, {-3, -3}))}), Error);
}

TEST(Pad, RuntimePadsAreUnsupportedAndWrongLengthIsAnError) {
  const Tensor in = float_tensor({2}, {1, 2});
  EXPECT_THROW(run_op(make_node("Pad"), {runtime(in), runtime(int64_tensor({2}, {1, 1}))}), UnsupportedError);
  EXPECT_THROW(run_op(make_node("Pad"), {runtime(in), constant(int64_tensor({3}, {1, 1, 1}))}), Error);
}

// ---- Resize -------------------------------------------------------------

Tensor resize_2x2() { return float_tensor({1, 1, 2, 2}, {1, 2, 3, 4}); }
Tensor resize_4x4() { return iota({1, 1, 4, 4}, 1.0f); }

std::vector<Tensor> resize_scales(const Tensor& x, std::vector<float> scales, std::string mode,
                                  std::string coordinates, std::string nearest = "round_prefer_floor") {
  const OpNode node = node_with(
      "Resize", {{"mode", mode}, {"coordinate_transformation_mode", coordinates}, {"nearest_mode", nearest}});
  const auto rank = static_cast<std::int64_t>(scales.size());
  return run_op(node, {runtime(x), absent(), constant(float_tensor({rank}, scales))});
}

std::vector<Tensor> resize_sizes(const Tensor& x, std::vector<std::int64_t> sizes, std::string mode,
                                 std::string coordinates, std::string nearest = "round_prefer_floor") {
  const OpNode node = node_with(
      "Resize", {{"mode", mode}, {"coordinate_transformation_mode", coordinates}, {"nearest_mode", nearest}});
  const auto rank = static_cast<std::int64_t>(sizes.size());
  return run_op(node, {runtime(x), absent(), absent(), constant(int64_tensor({rank}, sizes))});
}

TEST(Resize, NearestUpsample2x2To4x4) {
  // half_pixel: x -> (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 -> 0, 0, 1, 1.
  expect_floats_near(resize_scales(resize_2x2(), {1, 1, 2, 2}, "nearest", "half_pixel")[0], {1, 1, 4, 4},
                     {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4});
  // asymmetric + round_prefer_ceil: x / 2 = 0, 0.5, 1, 1.5 -> 0, 1, 1, 2 (clamped to 1).
  expect_floats_near(
      resize_scales(resize_2x2(), {1, 1, 2, 2}, "nearest", "asymmetric", "round_prefer_ceil")[0],
      {1, 1, 4, 4}, {1, 2, 2, 2, 3, 4, 4, 4, 3, 4, 4, 4, 3, 4, 4, 4});
  // tf_half_pixel_for_nn: (x + 0.5) / 2 = 0.25, 0.75, 1.25, 1.75 -> 0, 1, 1, 2 (clamped).
  expect_floats_near(resize_scales(resize_2x2(), {1, 1, 2, 2}, "nearest", "tf_half_pixel_for_nn")[0],
                     {1, 1, 4, 4}, {1, 2, 2, 2, 3, 4, 4, 4, 3, 4, 4, 4, 3, 4, 4, 4});
}

TEST(Resize, NearestModesDownsample4x4To3x3) {
  // half_pixel, scale 3/4: x -> (x + 0.5) * 4 / 3 - 0.5 = 1/6, 1.5, 17/6.
  const Tensor x = resize_4x4();
  expect_floats_near(resize_sizes(x, {1, 1, 3, 3}, "nearest", "half_pixel", "round_prefer_floor")[0],
                     {1, 1, 3, 3}, {1, 2, 4, 5, 6, 8, 13, 14, 16});  // indices 0, 1, 3
  expect_floats_near(resize_sizes(x, {1, 1, 3, 3}, "nearest", "half_pixel", "round_prefer_ceil")[0],
                     {1, 1, 3, 3}, {1, 3, 4, 9, 11, 12, 13, 15, 16});  // indices 0, 2, 3
  expect_floats_near(resize_sizes(x, {1, 1, 3, 3}, "nearest", "half_pixel", "floor")[0], {1, 1, 3, 3},
                     {1, 2, 3, 5, 6, 7, 9, 10, 11});  // indices 0, 1, 2
  expect_floats_near(resize_sizes(x, {1, 1, 3, 3}, "nearest", "half_pixel", "ceil")[0], {1, 1, 3, 3},
                     {6, 7, 8, 10, 11, 12, 14, 15, 16});  // indices 1, 2, 3
  // align_corners: x * 3 / 2 = 0, 1.5, 3 -> round_prefer_floor 0, 1, 3.
  expect_floats_near(resize_sizes(x, {1, 1, 3, 3}, "nearest", "align_corners")[0], {1, 1, 3, 3},
                     {1, 2, 4, 5, 6, 8, 13, 14, 16});
}

TEST(Resize, NearestCopiesAnyElementType) {
  const Tensor x = int64_tensor({1, 1, 2, 2}, {-1, kInt64Max, 3, kInt64Min});
  const auto out = resize_scales(x, {1, 1, 2, 2}, "nearest", "asymmetric");
  EXPECT_EQ(out[0].shape(), (Shape{1, 1, 4, 4}));
  // asymmetric, round_prefer_floor: 0, 0.5, 1, 1.5 -> 0, 0, 1, 1 (ties go down).
  EXPECT_EQ(ints(out[0]),
            (std::vector<std::int64_t>{-1, -1, kInt64Max, kInt64Max, -1, -1, kInt64Max, kInt64Max, 3, 3,
                                       kInt64Min, kInt64Min, 3, 3, kInt64Min, kInt64Min}));
  const auto bytes = resize_sizes(typed_tensor<std::uint8_t>(DType::kUInt8, {1, 3}, {10, 20, 30}), {1, 6},
                                  "nearest", "half_pixel");
  EXPECT_EQ(stored<std::uint8_t>(bytes[0]), (std::vector<std::uint8_t>{10, 10, 20, 20, 30, 30}));
}

TEST(Resize, LinearUpsample2x2To4x4EachCoordinateMode) {
  // half_pixel: -0.25, 0.25, 0.75, 1.25 -> a row [a, b] becomes [a, a + (b-a)/4, a + 3(b-a)/4, b].
  const std::vector<float> half{1,    1.25f, 1.75f, 2,    1.5f, 1.75f, 2.25f, 2.5f,
                                2.5f, 2.75f, 3.25f, 3.5f, 3,    3.25f, 3.75f, 4};
  expect_floats_near(resize_scales(resize_2x2(), {1, 1, 2, 2}, "linear", "half_pixel")[0], {1, 1, 4, 4},
                     half);
  // pytorch_half_pixel equals half_pixel when the output length is > 1.
  expect_floats_near(resize_scales(resize_2x2(), {1, 1, 2, 2}, "linear", "pytorch_half_pixel")[0],
                     {1, 1, 4, 4}, half);
  // align_corners: x / 3 = 0, 1/3, 2/3, 1.
  const float t = 1.0f / 3.0f;
  expect_floats_near(resize_scales(resize_2x2(), {1, 1, 2, 2}, "linear", "align_corners")[0], {1, 1, 4, 4},
                     {1, 1 + t, 1 + 2 * t, 2, 1 + 2 * t, 1 + 3 * t, 1 + 4 * t, 2 + 2 * t, 1 + 4 * t,
                      1 + 5 * t, 1 + 6 * t, 2 + 4 * t, 3, 3 + t, 3 + 2 * t, 4});
  // asymmetric: x / 2 = 0, 0.5, 1, 1.5 (clamped to the edge).
  expect_floats_near(resize_scales(resize_2x2(), {1, 1, 2, 2}, "linear", "asymmetric")[0], {1, 1, 4, 4},
                     {1, 1.5f, 2, 2, 2, 2.5f, 3, 3, 3, 3.5f, 4, 4, 3, 3.5f, 4, 4});
}

TEST(Resize, LinearDownsample4x4To3x3EachCoordinateMode) {
  // The input is linear, 1 + 4y + x, so the output is 1 + 4y' + x' at the mapped coordinates.
  const Tensor x = resize_4x4();
  const auto at = [](std::vector<float> c) {
    std::vector<float> v;
    for (float y : c)
      for (float xx : c) v.push_back(1 + 4 * y + xx);
    return v;
  };
  // half_pixel and pytorch_half_pixel: 1/6, 1.5, 17/6.
  expect_floats_near(resize_sizes(x, {1, 1, 3, 3}, "linear", "half_pixel")[0], {1, 1, 3, 3},
                     at({1 / 6.0f, 1.5f, 17 / 6.0f}));
  expect_floats_near(resize_sizes(x, {1, 1, 3, 3}, "linear", "pytorch_half_pixel")[0], {1, 1, 3, 3},
                     at({1 / 6.0f, 1.5f, 17 / 6.0f}));
  expect_floats_near(resize_sizes(x, {1, 1, 3, 3}, "linear", "align_corners")[0], {1, 1, 3, 3},
                     at({0, 1.5f, 3}));
  expect_floats_near(resize_sizes(x, {1, 1, 3, 3}, "linear", "asymmetric")[0], {1, 1, 3, 3},
                     at({0, 4 / 3.0f, 8 / 3.0f}));
}

TEST(Resize, PytorchHalfPixelMapsALengthOneOutputToZero) {
  // Rows 2 -> 1: pytorch_half_pixel takes row 0; half_pixel maps to 0.5, the average of both rows.
  expect_floats_near(resize_sizes(resize_2x2(), {1, 1, 1, 4}, "linear", "pytorch_half_pixel")[0],
                     {1, 1, 1, 4}, {1, 1.25f, 1.75f, 2});
  expect_floats_near(resize_sizes(resize_2x2(), {1, 1, 1, 4}, "linear", "half_pixel")[0], {1, 1, 1, 4},
                     {2, 2.25f, 2.75f, 3});
}

TEST(Resize, AlignCornersWithScalesUsesTheUnroundedLength) {
  // ONNX test_resize_downsample_scales_linear_align_corners: 4 columns * 0.6 = 2.4, x -> x * 3 / 1.4.
  const auto out = resize_scales(float_tensor({1, 1, 2, 4}, {1, 2, 3, 4, 5, 6, 7, 8}), {1, 1, 0.6f, 0.6f},
                                 "linear", "align_corners");
  expect_floats_near(out[0], {1, 1, 1, 2}, {1, 3.142857f});
}

TEST(Resize, CubicMatchesOnnxTestData) {
  // test_resize_downsample_scales_cubic_A_n0p5_exclude_outside.
  const OpNode node = node_with(
      "Resize",
      {{"mode", std::string("cubic")}, {"cubic_coeff_a", -0.5f}, {"exclude_outside", std::int64_t{1}}});
  const auto out =
      run_op(node, {runtime(resize_4x4()), absent(), constant(float_tensor({4}, {1, 1, 0.8f, 0.8f}))});
  expect_floats_near(
      out[0], {1, 1, 3, 3},
      {1.3681267f, 2.6695013f, 4.0133367f, 6.573625f, 7.875f, 9.218835f, 11.948966f, 13.250341f, 14.594176f},
      1e-4f);
  // test_resize_upsample_scales_cubic_align_corners, first row of the 8x8 output.
  const auto up = resize_scales(resize_4x4(), {1, 1, 2, 2}, "cubic", "align_corners");
  ASSERT_EQ(up[0].shape(), (Shape{1, 1, 8, 8}));
  const std::vector<float> row{1, 1.3411078f, 1.8002915f, 2.329446f, 2.670554f, 3.1997085f, 3.6588922f, 4};
  for (std::size_t i = 0; i < row.size(); ++i) EXPECT_NEAR(floats(up[0])[i], row[i], 1e-4f) << i;
}

TEST(Resize, TfCropAndResizeExtrapolatesOutsideTheRoi) {
  // test_resize_tf_crop_and_resize: rows map to 1.2, 2.4, 3.6, columns to 1.8, 3.45, 5.1.
  const OpNode node =
      node_with("Resize", {{"mode", std::string("linear")},
                           {"coordinate_transformation_mode", std::string("tf_crop_and_resize")},
                           {"extrapolation_value", 10.0f}});
  const auto out =
      run_op(node, {runtime(resize_4x4()), constant(float_tensor({8}, {0, 0, 0.4f, 0.6f, 1, 1, 1.2f, 1.7f})),
                    absent(), constant(int64_tensor({4}, {1, 1, 3, 3}))});
  expect_floats_near(out[0], {1, 1, 3, 3}, {7.6f, 10, 10, 12.4f, 10, 10, 10, 10, 10}, 1e-4f);
}

TEST(Resize, ResultDoesNotDependOnTheThreadCount) {
  const Tensor x = random_tensor({2, 3, 37, 29}, 11);
  const OpNode node = node_with("Resize", {{"mode", std::string("linear")}});
  const std::vector<OpInput> inputs{runtime(x), absent(), absent(),
                                    constant(int64_tensor({4}, {2, 3, 61, 80}))};
  const auto one = run_op(node, inputs, {.threads = 1});
  const auto four = run_op(node, inputs, {.threads = 4});
  EXPECT_TRUE(one[0].bytes_equal(four[0]));
}

TEST(Resize, InvalidOrUnsupportedInputs) {
  // Both scales and sizes.
  EXPECT_THROW(
      run_op(make_node("Resize"), {runtime(resize_2x2()), absent(), constant(float_tensor({4}, {1, 1, 2, 2})),
                                   constant(int64_tensor({4}, {1, 1, 4, 4}))}),
      Error);
  EXPECT_THROW(run_op(make_node("Resize"),
                      {runtime(resize_2x2()), absent(), runtime(float_tensor({4}, {1, 1, 2, 2}))}),
               UnsupportedError);
  EXPECT_THROW(resize_sizes(iota_int64({1, 1, 2, 2}), {1, 1, 4, 4}, "linear", "half_pixel"),
               UnsupportedError);
  EXPECT_THROW(resize_sizes(resize_2x2(), {1, 1, 4, 4}, "bilinear", "half_pixel"), Error);
}

// ---- Tile, Expand -------------------------------------------------------

TEST(Tile, RepeatsEveryAxis) {
  const auto out = run_op(make_node("Tile"),
                          {runtime(int64_tensor({2, 2}, {1, 2, 3, 4})), constant(int64_tensor({2}, {2, 3}))});
  EXPECT_EQ(out[0].shape(), (Shape{4, 6}));
  EXPECT_EQ(ints(out[0]), (std::vector<std::int64_t>{1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4,
                                                     1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4}));
  const auto bytes =
      run_op(make_node("Tile"), {runtime(typed_tensor<std::uint8_t>(DType::kUInt8, {1, 3}, {7, 8, 9})),
                                 constant(int64_tensor({2}, {2, 1}))});
  EXPECT_EQ(stored<std::uint8_t>(bytes[0]), (std::vector<std::uint8_t>{7, 8, 9, 7, 8, 9}));
  EXPECT_EQ(run_op(make_node("Tile"), {runtime(iota({2, 3})), constant(int64_tensor({2}, {0, 1}))})[0]
                .shape(),
            (Shape{0, 3}));
  EXPECT_THROW(run_op(make_node("Tile"), {runtime(iota({2, 3})), constant(int64_tensor({1}, {2}))}),
               Error);
}

TEST(Expand, BroadcastsBothWays) {
  // [3, 1] with shape [2, 1, 4] -> [2, 3, 4]: every row repeats its value.
  const auto out = run_op(make_node("Expand"),
                          {runtime(float_tensor({3, 1}, {1, 2, 3})), constant(int64_tensor({3}, {2, 1, 4}))});
  ASSERT_EQ(out[0].shape(), (Shape{2, 3, 4}));
  const std::vector<float> got = floats(out[0]);
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], static_cast<float>(i / 4 % 3 + 1)) << i;
  // A shorter shape keeps the input's larger dims.
  const auto same =
      run_op(make_node("Expand"), {runtime(int64_tensor({2, 1}, {5, 6})), constant(int64_tensor({1}, {3}))});
  EXPECT_EQ(ints(same[0]), (std::vector<std::int64_t>{5, 5, 5, 6, 6, 6}));
  EXPECT_THROW(run_op(make_node("Expand"), {runtime(iota({3})), constant(int64_tensor({1}, {4}))}),
               Error);
}

// ---- Gather -------------------------------------------------------------

TEST(Gather, NegativeIndicesOnAxis1) {
  const auto out = run_op(
      node_with("Gather", {{"axis", std::int64_t{1}}}),
      {runtime(float_tensor({3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9})), runtime(int64_tensor({1, 2}, {0, -1}))});
  expect_floats_near(out[0], {3, 1, 2}, {1, 3, 4, 6, 7, 9});
}

TEST(Gather, Int32IndicesOnAxis0OfInt64Data) {
  const auto out =
      run_op(make_node("Gather"), {runtime(int64_tensor({3, 2}, {10, 11, 20, 21, 30, 31})),
                                   runtime(typed_tensor<std::int32_t>(DType::kInt32, {3}, {2, -3, 2}))});
  EXPECT_EQ(out[0].shape(), (Shape{3, 2}));
  EXPECT_EQ(ints(out[0]), (std::vector<std::int64_t>{30, 31, 10, 11, 30, 31}));
}

TEST(Gather, OutOfRangeIndexWritesZeros) {
  const auto out = run_op(make_node("Gather"), {runtime(int64_tensor({2, 2}, {1, 2, 3, 4})),
                                                runtime(int64_tensor({3}, {1, 2, -3}))});
  EXPECT_EQ(ints(out[0]), (std::vector<std::int64_t>{3, 4, 0, 0, 0, 0}));
  EXPECT_THROW(run_op(make_node("Gather"), {runtime(iota({2})), runtime(float_tensor({1}, {0}))}),
               UnsupportedError);
}

// ---- Cast ---------------------------------------------------------------

OpNode cast_to(std::int64_t to) { return node_with("Cast", {{"to", to}}); }

TEST(Cast, FloatToInt8TruncatesAndSaturates) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const auto out = run_op(
      cast_to(3), {runtime(float_tensor({9}, {-1000, -128.5f, -1.9f, -0.5f, 0.5f, 1.9f, 127.4f, 300, nan}))});
  EXPECT_EQ(out[0].dtype(), DType::kInt8);
  EXPECT_EQ(stored<std::int8_t>(out[0]), (std::vector<std::int8_t>{-128, -128, -1, 0, 0, 1, 127, 127, 0}));
  const auto bytes = run_op(cast_to(2), {runtime(float_tensor({3}, {-3.5f, 255.9f, 256}))});
  EXPECT_EQ(stored<std::uint8_t>(bytes[0]), (std::vector<std::uint8_t>{0, 255, 255}));
  const auto wide = run_op(cast_to(7), {runtime(float_tensor({3}, {1e30f, -1e30f, -7.9f}))});
  EXPECT_EQ(ints(wide[0]), (std::vector<std::int64_t>{kInt64Max, kInt64Min, -7}));
}

TEST(Cast, Float16RoundTrip) {
  // 65520 is halfway to the next step above 65504 and rounds to infinity; 0.1 rounds to 0x2e66.
  const auto half =
      run_op(cast_to(10), {runtime(float_tensor({5}, {1.0f, 65504.0f, 65520.0f, 0.1f, -2.5f}))});
  EXPECT_EQ(half[0].dtype(), DType::kFloat16);
  EXPECT_EQ(stored<std::uint16_t>(half[0]),
            (std::vector<std::uint16_t>{0x3c00, 0x7bff, 0x7c00, 0x2e66, 0xc100}));
  const auto back = run_op(cast_to(1), {runtime(half[0])});
  const std::vector<float> v = floats(back[0]);
  EXPECT_EQ(v[0], 1.0f);
  EXPECT_EQ(v[1], 65504.0f);
  EXPECT_TRUE(std::isinf(v[2]));
  EXPECT_EQ(v[3], 0.0999755859375f);
  EXPECT_EQ(v[4], -2.5f);
  const auto to_int = run_op(cast_to(6), {runtime(half[0])});
  EXPECT_EQ(stored<std::int32_t>(to_int[0]),
            (std::vector<std::int32_t>{1, 65504, std::numeric_limits<std::int32_t>::max(), 0, -2}));
}

TEST(Cast, IntegersWrapAndBoolIsNonZero) {
  const auto narrow = run_op(cast_to(3), {runtime(int64_tensor({3}, {300, -129, 5}))});
  EXPECT_EQ(stored<std::int8_t>(narrow[0]), (std::vector<std::int8_t>{44, 127, 5}));
  const auto flags = run_op(
      cast_to(9), {runtime(float_tensor({4}, {0.0f, -0.0f, 0.5f, std::numeric_limits<float>::quiet_NaN()}))});
  EXPECT_EQ(flags[0].dtype(), DType::kBool);
  EXPECT_EQ(stored<std::uint8_t>(flags[0]), (std::vector<std::uint8_t>{0, 0, 1, 1}));
  const auto from_bool = run_op(cast_to(1), {runtime(flags[0])});
  EXPECT_EQ(floats(from_bool[0]), (std::vector<float>{0, 0, 1, 1}));
  const auto to_float =
      run_op(cast_to(1), {runtime(typed_tensor<std::int32_t>(DType::kInt32, {2}, {-7, 16777217}))});
  EXPECT_EQ(floats(to_float[0]), (std::vector<float>{-7, 16777216}));
}

TEST(Cast, UnsupportedTargetTypes) {
  EXPECT_THROW(run_op(cast_to(11), {runtime(iota({2}))}), UnsupportedError);  // double
  EXPECT_THROW(run_op(cast_to(8), {runtime(iota({2}))}), UnsupportedError);   // string
  EXPECT_THROW(run_op(make_node("Cast"), {runtime(iota({2}))}), Error);       // no `to`
}

// ---- DepthToSpace, SpaceToDepth -----------------------------------------

TEST(DepthToSpace, DcrAndCrdOrderChannelsDifferently) {
  const Tensor in = iota({1, 8, 1, 1});
  // DCR: out[c, i, j] = in[(2i + j) * 2 + c].
  const auto dcr = run_op(node_with("DepthToSpace", {{"blocksize", std::int64_t{2}}}), {runtime(in)});
  expect_floats_near(dcr[0], {1, 2, 2, 2}, {0, 2, 4, 6, 1, 3, 5, 7});
  // CRD: out[c, i, j] = in[4c + 2i + j].
  const auto crd =
      run_op(node_with("DepthToSpace", {{"blocksize", std::int64_t{2}}, {"mode", std::string("CRD")}}),
             {runtime(in)});
  expect_floats_near(crd[0], {1, 2, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7});
}

TEST(DepthToSpace, InterleavesBlocksOverSpace) {
  // 4 channels of 1x2, blocksize 2, DCR: out[0][2h+i][2w+j] = in[2i+j][h][w] = 10(2i+j) + w.
  Tensor in(DType::kInt64, {1, 4, 1, 2});
  for (std::int64_t c = 0; c < 4; ++c)
    for (std::int64_t w = 0; w < 2; ++w) in.data<std::int64_t>()[c * 2 + w] = 10 * c + w;
  const auto out = run_op(node_with("DepthToSpace", {{"blocksize", std::int64_t{2}}}), {runtime(in)});
  EXPECT_EQ(out[0].shape(), (Shape{1, 1, 2, 4}));
  EXPECT_EQ(ints(out[0]), (std::vector<std::int64_t>{0, 10, 1, 11, 20, 30, 21, 31}));
  EXPECT_THROW(run_op(node_with("DepthToSpace", {{"blocksize", std::int64_t{3}}}), {runtime(in)}), Error);
}

TEST(SpaceToDepth, IsTheInverseOfDepthToSpaceDcr) {
  const auto s2d = run_op(node_with("SpaceToDepth", {{"blocksize", std::int64_t{2}}}),
                          {runtime(float_tensor({1, 1, 2, 2}, {0, 1, 2, 3}))});
  expect_floats_near(s2d[0], {1, 4, 1, 1}, {0, 1, 2, 3});
  const Tensor in = random_tensor({2, 3, 4, 6}, 5);
  const auto packed = run_op(node_with("SpaceToDepth", {{"blocksize", std::int64_t{2}}}), {runtime(in)});
  EXPECT_EQ(packed[0].shape(), (Shape{2, 12, 2, 3}));
  const auto back = run_op(node_with("DepthToSpace", {{"blocksize", std::int64_t{2}}}), {runtime(packed[0])});
  EXPECT_TRUE(back[0].bytes_equal(in));
  EXPECT_THROW(run_op(node_with("SpaceToDepth", {{"blocksize", std::int64_t{4}}}), {runtime(in)}), Error);
}

// ---- Shape, Size, ConstantOfShape ---------------------------------------

TEST(Shape, StartAndEndSelectAndClamp) {
  const Tensor in(DType::kUInt8, {2, 3, 4});
  const auto all = run_op(make_node("Shape"), {runtime(in)});
  EXPECT_EQ(all[0].dtype(), DType::kInt64);
  EXPECT_EQ(ints(all[0]), (std::vector<std::int64_t>{2, 3, 4}));
  EXPECT_EQ(ints(run_op(node_with("Shape", {{"start", std::int64_t{1}}}), {runtime(in)})[0]),
            (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(ints(run_op(node_with("Shape", {{"end", std::int64_t{-1}}}), {runtime(in)})[0]),
            (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(ints(run_op(node_with("Shape", {{"start", std::int64_t{-10}}, {"end", std::int64_t{1}}}),
                        {runtime(in)})[0]),
            (std::vector<std::int64_t>{2}));
  EXPECT_EQ(
      run_op(node_with("Shape", {{"start", std::int64_t{2}}, {"end", std::int64_t{1}}}), {runtime(in)})[0]
          .shape(),
      (Shape{0}));
}

TEST(Size, IsAnInt64Scalar) {
  const auto out = run_op(make_node("Size"), {runtime(Tensor(DType::kFloat16, {2, 3, 4}))});
  EXPECT_EQ(out[0].type(), (TensorType{DType::kInt64, {}}));
  EXPECT_EQ(ints(out[0]), (std::vector<std::int64_t>{24}));
}

TEST(ConstantOfShape, FillsWithTheValueTensor) {
  Attributes attrs;
  attrs.set("value", int64_tensor({1}, {7}));
  const auto sevens = run_op(make_node("ConstantOfShape", attrs), {constant(int64_tensor({2}, {2, 3}))});
  EXPECT_EQ(sevens[0].shape(), (Shape{2, 3}));
  EXPECT_EQ(ints(sevens[0]), std::vector<std::int64_t>(6, 7));
  const auto zeros = run_op(make_node("ConstantOfShape"), {constant(int64_tensor({1}, {3}))});
  expect_floats_near(zeros[0], {3}, {0, 0, 0});
  const auto scalar = run_op(make_node("ConstantOfShape", attrs), {constant(int64_tensor({0}, {}))});
  EXPECT_EQ(scalar[0].shape(), Shape{});
  EXPECT_EQ(ints(scalar[0]), (std::vector<std::int64_t>{7}));
  EXPECT_THROW(run_op(make_node("ConstantOfShape"), {runtime(int64_tensor({1}, {3}))}), UnsupportedError);
}

// ---- Identity, Dropout --------------------------------------------------

TEST(Identity, CopiesAnyType) {
  const Tensor in = int64_tensor({3}, {kInt64Min, 0, kInt64Max});
  const auto out = run_op(make_node("Identity"), {runtime(in)});
  EXPECT_TRUE(out[0].bytes_equal(in));
}

TEST(Dropout, InferencePassesThroughWithAnAllTrueMask) {
  const Tensor in = float_tensor({2, 2}, {1, -2, 3, -4});
  const auto out = run_op(make_node("Dropout"), {runtime(in), constant(float_tensor({}, {0.5f}))});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(out[0].bytes_equal(in));
  EXPECT_EQ(out[1].type(), (TensorType{DType::kBool, {2, 2}}));
  EXPECT_EQ(stored<std::uint8_t>(out[1]), (std::vector<std::uint8_t>{1, 1, 1, 1}));
  const Tensor no(DType::kBool, {});
  EXPECT_TRUE(run_op(make_node("Dropout"), {runtime(in), absent(), constant(no)})[0].bytes_equal(in));
  const Tensor yes = typed_tensor<std::uint8_t>(DType::kBool, {}, {1});
  EXPECT_THROW(run_op(make_node("Dropout"), {runtime(in), absent(), constant(yes)}), UnsupportedError);
}

}  // namespace
}  // namespace rknn::sim
