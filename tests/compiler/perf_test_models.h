// The models the platform, performance and memory tests run on: the generated
// ONNX models (scripts/models, built by `test_models`) and the example's
// shapes classifier, compiled with the compile driver as `rknnc compile` does.
#pragma once

#include <filesystem>
#include <string>

#include "driver/compile.h"

namespace rknn::testing {

inline std::filesystem::path generated_model(const std::string& arch) {
  return std::filesystem::path(RKNN_MODELS_DIR) / arch / (arch + ".onnx");
}

inline std::filesystem::path shapes_model() {
  return std::filesystem::path(RKNN_SOURCE_DIR) / "examples" / "classify" / "shapes.onnx";
}

// Integer types calibrate on two samples (of the seeded random 224x224 set
// unless told otherwise): enough for valid parameters; performance and memory
// do not depend on their values.
inline driver::CompiledModel compile_for(const std::filesystem::path& onnx, const std::string& quantization,
                                         const std::string& platform = "rk1808",
                                         const std::filesystem::path& dataset = RKNN_CALIBRATION_SET) {
  driver::CompileOptions options;
  options.quantization = quantization;
  options.platforms = {platform};
  if (quantization != "float16" && quantization != "float32") {
    options.dataset = dataset;
    options.calibration_batch_size = 2;
    options.epochs = 1;
  }
  return driver::compile_model(onnx, options);
}

}  // namespace rknn::testing
