// rknn_inputs_set conversions and rknn_outputs_get types: layouts, channel
// reorder and mean/std, pass_through, float16 models and quantized inputs and
// outputs.
#include <gtest/gtest.h>

#include <cmath>

#include "artifact/artifact_writer.h"
#include "rknn/sim/half.h"
#include "runtime_test_util.h"

namespace rknn {
namespace {

using namespace testing;

constexpr std::size_t kH = 4, kW = 5, kC = 3;
constexpr std::size_t kPixels = kH * kW * kC;
constexpr std::size_t kImageOutputs = 2 * kH * kW;

format::Preprocessing image_preprocessing() { return {{10.0f, 20.0f, 30.0f}, {2.0f, 4.0f, 8.0f}, {2, 0, 1}}; }

// An HWC image: pixel (h, w, c) at (h * kW + w) * kC + c.
std::vector<std::uint8_t> pixels() {
  std::vector<std::uint8_t> d(kPixels);
  for (std::size_t i = 0; i < d.size(); ++i) d[i] = static_cast<std::uint8_t>((i * 37 + 11) % 256);
  return d;
}

template <class T>
std::vector<T> hwc_to_chw(const std::vector<T>& hwc) {
  std::vector<T> chw(hwc.size());
  for (std::size_t h = 0; h < kH; ++h) {
    for (std::size_t w = 0; w < kW; ++w) {
      for (std::size_t c = 0; c < kC; ++c) chw[(c * kH + h) * kW + w] = hwc[(h * kW + w) * kC + c];
    }
  }
  return chw;
}

// What rknn_inputs_set computes: x[c][h][w] = (d[h][w][reorder[c]] - mean[c]) / std[c].
std::vector<float> normalized_chw(const std::vector<std::uint8_t>& d, const format::Preprocessing& p) {
  std::vector<float> x(kPixels);
  for (std::size_t c = 0; c < kC; ++c) {
    for (std::size_t h = 0; h < kH; ++h) {
      for (std::size_t w = 0; w < kW; ++w) {
        const float pixel = d[(h * kW + w) * kC + static_cast<std::size_t>(p.reorder[c])];
        x[(c * kH + h) * kW + w] = (pixel - p.mean[c]) / p.std[c];
      }
    }
  }
  return x;
}

class RuntimePreprocess : public ::testing::Test {
 protected:
  // An artifact of `save` loaded into a new context owned by the fixture.
  rknn_context load(const std::string& bytes) {
    models_.push_back(std::make_unique<AlignedModel>(bytes));
    contexts_.push_back(std::make_unique<ContextHandle>());
    EXPECT_EQ(rknn_init(&contexts_.back()->id, models_.back()->data(), models_.back()->size(), 0), RKNN_SUCC)
        << rknn_last_error_message();
    return contexts_.back()->id;
  }

  template <class T>
  std::vector<std::byte> run_image(rknn_context ctx, std::vector<T> data, rknn_tensor_type type,
                                   rknn_tensor_format fmt, bool pass_through = false) {
    EXPECT_EQ(set_input(ctx, 0, data, type, fmt, pass_through), RKNN_SUCC) << rknn_last_error_message();
    EXPECT_EQ(rknn_run(ctx, nullptr), RKNN_SUCC) << rknn_last_error_message();
    return get_output(ctx, 0, true, kImageOutputs * sizeof(float));
  }

  TempDir dir_;
  std::vector<std::unique_ptr<AlignedModel>> models_;
  std::vector<std::unique_ptr<ContextHandle>> contexts_;
};

TEST_F(RuntimePreprocess, NhwcUint8WithReorderMeanStdMatchesNormalizedFloatPassThrough) {
  save_image_model(dir_ / "m.onnx");
  const rknn_context ctx = load(make_artifact(dir_ / "m.onnx", {"float32", {image_preprocessing()}, ""}));
  const auto from_pixels = run_image(ctx, pixels(), RKNN_TENSOR_UINT8, RKNN_TENSOR_NHWC);
  const auto from_normalized =
      run_image(ctx, normalized_chw(pixels(), image_preprocessing()), RKNN_TENSOR_FLOAT32, RKNN_TENSOR_NCHW, true);
  EXPECT_EQ(from_pixels, from_normalized);

  // pass_through really skips preprocessing: raw pixels give something else.
  const std::vector<std::uint8_t> chw = hwc_to_chw(pixels());
  const std::vector<float> raw(chw.begin(), chw.end());
  EXPECT_NE(run_image(ctx, raw, RKNN_TENSOR_FLOAT32, RKNN_TENSOR_NCHW, true), from_pixels);

  // A model without preprocessing, fed the normalized data, agrees too.
  save_image_model(dir_ / "plain.onnx");
  const rknn_context plain = load(make_artifact(dir_ / "plain.onnx"));
  EXPECT_EQ(run_image(plain, normalized_chw(pixels(), image_preprocessing()), RKNN_TENSOR_FLOAT32, RKNN_TENSOR_NCHW),
            from_pixels);
}

TEST_F(RuntimePreprocess, EveryInputTypeAndLayoutGivesTheSameResult) {
  save_image_model(dir_ / "m.onnx");
  const rknn_context ctx = load(make_artifact(dir_ / "m.onnx", {"float32", {image_preprocessing()}, ""}));
  const auto want = run_image(ctx, pixels(), RKNN_TENSOR_UINT8, RKNN_TENSOR_NHWC);
  const std::vector<std::uint8_t> hwc = pixels();
  const std::vector<float> hwc_float(hwc.begin(), hwc.end());
  const std::vector<std::int16_t> hwc_int16(hwc.begin(), hwc.end());
  std::vector<std::uint16_t> chw_half;
  for (float v : hwc_to_chw(hwc_float)) chw_half.push_back(sim::float_to_half(v));  // pixels are exact in half
  EXPECT_EQ(run_image(ctx, hwc_to_chw(hwc), RKNN_TENSOR_UINT8, RKNN_TENSOR_NCHW), want);
  EXPECT_EQ(run_image(ctx, hwc_float, RKNN_TENSOR_FLOAT32, RKNN_TENSOR_NHWC), want);
  EXPECT_EQ(run_image(ctx, hwc_to_chw(hwc_float), RKNN_TENSOR_FLOAT32, RKNN_TENSOR_NCHW), want);
  EXPECT_EQ(run_image(ctx, hwc_int16, RKNN_TENSOR_INT16, RKNN_TENSOR_NHWC), want);
  EXPECT_EQ(run_image(ctx, chw_half, RKNN_TENSOR_FLOAT16, RKNN_TENSOR_NCHW), want);
}

TEST_F(RuntimePreprocess, Float16ModelReportsAndReturnsHalves) {
  save_image_model(dir_ / "m.onnx");
  const rknn_context f16 = load(make_artifact(dir_ / "m.onnx", {"float16", {}, ""}));
  const rknn_context f32 = load(make_artifact(dir_ / "m.onnx"));
  const rknn_tensor_attr in = query_attr(f16, RKNN_QUERY_INPUT_ATTR, 0);
  EXPECT_EQ(in.type, RKNN_TENSOR_FLOAT16);
  EXPECT_EQ(in.size, kPixels * 2);
  const rknn_tensor_attr out = query_attr(f16, RKNN_QUERY_OUTPUT_ATTR, 0);
  EXPECT_EQ(out.type, RKNN_TENSOR_FLOAT16);
  EXPECT_EQ(out.size, kImageOutputs * 2);

  const std::vector<float> x = random_floats(kPixels, 7, -4.0f, 4.0f);
  const std::vector<float> y = as_floats(run_image(f16, x, RKNN_TENSOR_FLOAT32, RKNN_TENSOR_NCHW));
  const std::vector<std::byte> raw = get_output(f16, 0, false, kImageOutputs * 2);
  for (std::size_t i = 0; i < y.size(); ++i) {
    EXPECT_EQ(sim::half_to_float(sim::float_to_half(y[i])), y[i]) << "output " << i << " is not a half";
    std::uint16_t bits = 0;
    std::memcpy(&bits, raw.data() + 2 * i, 2);
    EXPECT_EQ(bits, sim::float_to_half(y[i])) << i;
  }
  // pass_through takes the model's own type: half bits of the rounded input.
  std::vector<std::uint16_t> x_half;
  for (float v : x) x_half.push_back(sim::float_to_half(v));
  EXPECT_EQ(as_floats(run_image(f16, x_half, RKNN_TENSOR_FLOAT16, RKNN_TENSOR_NCHW, true)), y);
  // Close to the float32 model.
  const std::vector<float> reference = as_floats(run_image(f32, x, RKNN_TENSOR_FLOAT32, RKNN_TENSOR_NCHW));
  for (std::size_t i = 0; i < y.size(); ++i) EXPECT_NEAR(y[i], reference[i], 2e-2f) << i;
}

TEST_F(RuntimePreprocess, QuantizedInputsAndOutputsUseTheirParameters) {
  save_relu_model(dir_ / "m.onnx");
  CompiledModel m = compile_onnx(dir_ / "m.onnx");
  m.info.inputs[0].type = sim::DType::kUInt8;
  m.info.inputs[0].quant = {format::QuantType::kAffineAsymmetric, 0, {10}, {0.5f}, -1};
  m.info.outputs[0].type = sim::DType::kInt8;
  m.info.outputs[0].quant = {format::QuantType::kDynamicFixedPoint, 2, {}, {}, -1};
  const rknn_context ctx = load(artifact::write_artifact(m.info, m.program));

  const rknn_tensor_attr in = query_attr(ctx, RKNN_QUERY_INPUT_ATTR, 0);
  EXPECT_EQ(in.type, RKNN_TENSOR_UINT8);
  EXPECT_EQ(in.qnt_type, RKNN_TENSOR_QNT_AFFINE_ASYMMETRIC);
  EXPECT_EQ(in.zp, 10u);
  EXPECT_EQ(in.scale, 0.5f);
  EXPECT_EQ(in.size, 4u);
  const rknn_tensor_attr out = query_attr(ctx, RKNN_QUERY_OUTPUT_ATTR, 0);
  EXPECT_EQ(out.type, RKNN_TENSOR_INT8);
  EXPECT_EQ(out.qnt_type, RKNN_TENSOR_QNT_DFP);
  EXPECT_EQ(out.fl, 2);
  EXPECT_EQ(out.size, 4u);

  // q = round(x / 0.5) + 10 saturated to uint8: {8, 10, 12, 255}; the
  // simulator sees 0.5 * (q - 10) = {-1, 0, 1, 122.5}; Relu; then
  // round(y * 2^2) saturated to int8: {0, 0, 4, 127}, i.e. {0, 0, 1, 31.75}.
  std::vector<float> x = {-1.0f, 0.0f, 1.2f, 200.0f};
  ASSERT_EQ(set_input(ctx, 0, x, RKNN_TENSOR_FLOAT32), RKNN_SUCC) << rknn_last_error_message();
  ASSERT_EQ(rknn_run(ctx, nullptr), RKNN_SUCC);
  const std::vector<std::byte> codes = get_output(ctx, 0, false, 4);
  EXPECT_EQ(codes, (std::vector<std::byte>{std::byte{0}, std::byte{0}, std::byte{4}, std::byte{127}}));
  EXPECT_EQ(as_floats(get_output(ctx, 0, true, 16)), (std::vector<float>{0.0f, 0.0f, 1.0f, 31.75f}));

  std::vector<std::uint8_t> q = {8, 10, 12, 255};
  ASSERT_EQ(set_input(ctx, 0, q, RKNN_TENSOR_UINT8, RKNN_TENSOR_NCHW, true), RKNN_SUCC);
  ASSERT_EQ(rknn_run(ctx, nullptr), RKNN_SUCC);
  EXPECT_EQ(get_output(ctx, 0, false, 4), codes);
}

TEST_F(RuntimePreprocess, NhwcModelTakesNchwData) {
  // A model whose input is NHWC: channels on the last axis, scaled by k[c].
  OnnxBuilder b;
  b.input("x", {1, 4, 5, 3}).output("y", {1, 4, 5, 3});
  b.initializer("k", float_tensor({1.0f, 10.0f, 100.0f}, {3}));
  b.node("Mul", {"x", "k"}, {"y"}, "scale");
  b.save(dir_ / "m.onnx");
  CompiledModel m = compile_onnx(dir_ / "m.onnx");
  m.info.inputs[0].fmt = format::Layout::kNHWC;
  m.info.outputs[0].fmt = format::Layout::kNHWC;
  m.info.preprocess[0].mean = {1.0f, 2.0f, 3.0f};
  const rknn_context ctx = load(artifact::write_artifact(m.info, m.program));
  const rknn_tensor_attr in = query_attr(ctx, RKNN_QUERY_INPUT_ATTR, 0);
  EXPECT_EQ(in.fmt, RKNN_TENSOR_NHWC);
  EXPECT_EQ((std::vector<std::uint32_t>(in.dims, in.dims + in.n_dims)), (std::vector<std::uint32_t>{3, 5, 4, 1}));

  const std::vector<float> hwc = random_floats(kPixels, 3);
  const std::vector<float> want_hwc = [&] {
    std::vector<float> y(kPixels);
    const float k[] = {1.0f, 10.0f, 100.0f};
    for (std::size_t i = 0; i < kPixels; ++i) y[i] = (hwc[i] - static_cast<float>(i % 3 + 1)) * k[i % 3];
    return y;
  }();
  std::vector<float> chw = hwc_to_chw(hwc);
  ASSERT_EQ(set_input(ctx, 0, chw, RKNN_TENSOR_FLOAT32, RKNN_TENSOR_NCHW), RKNN_SUCC);
  ASSERT_EQ(rknn_run(ctx, nullptr), RKNN_SUCC);
  EXPECT_EQ(as_floats(get_output(ctx, 0, true, kPixels * 4)), want_hwc);
  std::vector<float> same = hwc;
  ASSERT_EQ(set_input(ctx, 0, same, RKNN_TENSOR_FLOAT32, RKNN_TENSOR_NHWC), RKNN_SUCC);
  ASSERT_EQ(rknn_run(ctx, nullptr), RKNN_SUCC);
  EXPECT_EQ(as_floats(get_output(ctx, 0, true, kPixels * 4)), want_hwc);
}

}  // namespace
}  // namespace rknn
