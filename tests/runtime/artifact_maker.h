// Makes real .rknn artifacts for runtime tests with the compiler library,
// exactly as `rknnc compile` does (driver::compile_model, then the writer).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "rknn/model_format.h"

namespace rknn::testing {

struct ArtifactOptions {
  std::string quantization = "float32";           // "float32" or "float16"
  std::vector<format::Preprocessing> preprocess;  // per input; missing entries mean none
  std::string custom_string;
};

struct CompiledModel {
  format::ModelInfo info;
  sim::Program program;
};

// Compiles without writing, for tests that adjust the info before writing.
CompiledModel compile_onnx(const std::filesystem::path& onnx, const ArtifactOptions& options = {});
// The artifact's bytes.
std::string make_artifact(const std::filesystem::path& onnx, const ArtifactOptions& options = {});

}  // namespace rknn::testing
