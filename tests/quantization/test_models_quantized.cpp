// Quantized whole models: the ResNet-18- and MobileNetV2-shaped models of
// scripts/models (seeded random weights), calibrated on seeded random data of
// the input's distribution, agree with the float model's output to the
// issue's cosine similarity: >= 0.99 for 8-bit, >= 0.999 for int16.
// The figures are printed and recorded as test properties.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "analysis/metrics.h"
#include "artifact/artifact_writer.h"
#include "driver/compile.h"
#include "io/tensor_file.h"
#include "rknn/runtime.hpp"

namespace rknn {
namespace {

namespace fs = std::filesystem;

struct Case {
  const char* arch;
  const char* quant;
  const char* method;
  double min_cosine;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.arch << "/" << c.quant << "/" << c.method; }

// The model's output for its generated input, run as an application runs it:
// float NCHW in, dequantized float out, through rknn::Session.
std::vector<float> run_quantized(const Case& c, const sim::Tensor& input) {
  const fs::path dir = fs::path(RKNN_MODELS_DIR) / c.arch;
  driver::CompileOptions options;
  options.quantization = c.quant;
  options.quant_method = c.method;
  options.dataset = fs::path(RKNN_CALIBRATION_SET);
  options.calibration_batch_size = 16;  // 16 of the 50 samples keep the test short
  options.epochs = 1;
  options.threads = 2;
  const driver::CompiledModel model = driver::compile_model(dir / (std::string(c.arch) + ".onnx"), options);
  const std::string bytes = artifact::write_artifact(model.info, model.program);
  sim::Tensor aligned(sim::DType::kUInt8, {static_cast<std::int64_t>(bytes.size())});
  std::memcpy(aligned.raw(), bytes.data(), bytes.size());

  Session session({aligned.raw(), aligned.byte_size()});
  session.set_input(0, std::as_bytes(input.values<float>()), RKNN_TENSOR_FLOAT32, RKNN_TENSOR_NCHW);
  session.run();
  std::vector<float> output(session.output_attr(0).n_elems);
  session.get_output(0, std::as_writable_bytes(std::span(output)), true);
  return output;
}

class QuantizedModel : public ::testing::TestWithParam<Case> {};

TEST_P(QuantizedModel, OutputAgreesWithFloat) {
  const Case c = GetParam();
  const fs::path stem = fs::path(RKNN_MODELS_DIR) / c.arch / c.arch;
  const sim::Tensor input = io::read_npy(stem.string() + ".input.npy");
  const sim::Tensor expected = io::read_npy(stem.string() + ".expected.npy");
  const std::vector<float> got = run_quantized(c, input);
  ASSERT_EQ(got.size(), static_cast<std::size_t>(expected.element_count()));

  const double similarity = analysis::compare(expected.values<float>(), got).cosine;
  char text[64];
  std::snprintf(text, sizeof text, "%.7f (1 - cosine = %.2e)", similarity, 1.0 - similarity);
  RecordProperty("cosine", text);
  std::printf("%s %s/%s: cosine vs float %s\n", c.arch, c.quant, c.method, text);
  EXPECT_GE(similarity, c.min_cosine);
}

INSTANTIATE_TEST_SUITE_P(
    Models, QuantizedModel,
    ::testing::Values(Case{"mobilenetv2", "asymmetric_u8", "channel", 0.99},
                      Case{"mobilenetv2", "asymmetric_u8", "layer", 0.99},
                      Case{"mobilenetv2", "dynamic_fixed_point_i8", "channel", 0.99},
                      Case{"mobilenetv2", "dynamic_fixed_point_i16", "channel", 0.999},
                      Case{"resnet18", "asymmetric_u8", "channel", 0.99},
                      Case{"resnet18", "dynamic_fixed_point_i16", "channel", 0.999}),
    [](const ::testing::TestParamInfo<Case>& param_info) {
      return std::string(param_info.param.arch) + "_" + param_info.param.quant + "_" + param_info.param.method;
    });

}  // namespace
}  // namespace rknn
