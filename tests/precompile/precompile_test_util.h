// Shared pieces of the pre-compilation tests: compiling the example and the
// generated models with and without --precompile, seeded inputs of a
// program's input types.
#pragma once

#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "driver/compile.h"

namespace rknn::testing {

namespace fs = std::filesystem;

struct ModelCase {
  const char* name;
  fs::path onnx;
  const char* quant;
  fs::path dataset;  // empty: none (float16)
  bool image = false;  // the example's mean/std
  int optimization_level = 3;
};

inline fs::path example_model() { return fs::path(RKNN_SOURCE_DIR) / "examples/classify/shapes.onnx"; }
inline fs::path example_dataset() { return fs::path(RKNN_SOURCE_DIR) / "examples/classify/dataset.txt"; }
inline fs::path generated_model(const std::string& arch) { return fs::path(RKNN_MODELS_DIR) / arch / (arch + ".onnx"); }
inline fs::path calibration_set() { return fs::path(RKNN_CALIBRATION_SET); }

// The example (asymmetric_u8, dynamic_fixed_point_i16, float16) and the
// generated MobileNetV2- and ResNet-18-shaped models (asymmetric_u8).
inline const ModelCase kShapesU8{"shapes_u8", example_model(), "asymmetric_u8", example_dataset(), true};
inline const ModelCase kShapesI16{"shapes_i16", example_model(), "dynamic_fixed_point_i16", example_dataset(), true};
inline const ModelCase kShapesF16{"shapes_float16", example_model(), "float16", {}, true};
inline const ModelCase kMobileNetV2U8{"mobilenetv2_u8", generated_model("mobilenetv2"), "asymmetric_u8",
                                      calibration_set()};
inline const ModelCase kResNet18U8{"resnet18_u8", generated_model("resnet18"), "asymmetric_u8", calibration_set()};
// Optimization level 0: BatchNormalization, Dropout and the flatten's Shape chain stay in the graph.
inline const ModelCase kMobileNetV2F16Level0{"mobilenetv2_float16_level0", generated_model("mobilenetv2"), "float16",
                                             {}, false, 0};

inline void PrintTo(const ModelCase& c, std::ostream* os) { *os << c.name; }

inline std::string case_name(const ::testing::TestParamInfo<ModelCase>& param) { return param.param.name; }

inline driver::CompileOptions options_for(const ModelCase& c, bool precompile, const std::string& platform = "rk1808") {
  driver::CompileOptions o;
  o.quantization = c.quant;
  o.platforms = {platform};
  o.precompile = precompile;
  o.load.optimization_level = c.optimization_level;
  if (!c.dataset.empty()) o.dataset = c.dataset;
  if (c.image) {
    o.mean = {{127.5f, 127.5f, 127.5f}};
    o.std = {{63.75f, 63.75f, 63.75f}};
  }
  o.calibration_batch_size = 16;  // 16 samples keep the whole-model cases short
  o.epochs = 1;
  o.threads = 2;
  return o;
}

inline driver::CompiledModel compile_case(const ModelCase& c, bool precompile, const std::string& platform = "rk1808") {
  return driver::compile_model(c.onnx, options_for(c, precompile, platform));
}

// Seeded values of each input's type: any byte for integer codes, [-1, 1) for float.
inline std::vector<sim::Tensor> random_inputs(const sim::Program& program, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<sim::Tensor> inputs;
  for (int index : program.inputs) {
    sim::Tensor t(program.tensors.at(static_cast<std::size_t>(index)).type);
    if (t.dtype() == sim::DType::kFloat32) {
      std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
      for (float& v : t.values<float>()) v = dist(rng);
    } else {
      for (std::size_t i = 0; i < t.byte_size(); ++i) t.raw()[i] = static_cast<std::byte>(rng() & 0xff);
    }
    inputs.push_back(std::move(t));
  }
  return inputs;
}

}  // namespace rknn::testing
