// The front half of every rknnc command: import an ONNX model and run the
// optimization pipeline, ready for lowering.
#pragma once

#include <filesystem>
#include <vector>

#include "frontend/onnx_import.h"
#include "passes/passes.h"

namespace rknn::driver {

struct LoadOptions {
  frontend::ImportOptions import;
  int optimization_level = 3;
};

struct LoadedModel {
  ir::Graph graph;
  std::vector<passes::PassRecord> passes;
};

LoadedModel load_model(const std::filesystem::path& path, const LoadOptions& options);

}  // namespace rknn::driver
