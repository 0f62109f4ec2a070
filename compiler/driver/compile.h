// `rknnc compile`: ONNX model + options -> the artifact's model info and
// program, ready to be written (artifact/), embedded (codegen/) and tracked
// (the depfile lists `dependencies`).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "driver/load_model.h"
#include "rknn/model_format.h"
#include "rknn/sim/planned_program.h"

namespace rknn::driver {

struct CompileOptions {
  LoadOptions load;
  std::string quantization = "float16";  // canonical name, see canonical_quantization()
  std::string quant_method = "channel";
  std::vector<std::string> platforms{"rk1808"};
  std::vector<std::vector<float>> mean;          // one list per input (empty: none)
  std::vector<std::vector<float>> std;
  std::vector<std::vector<std::int32_t>> reorder;
  std::vector<std::string> inputs;   // sub-graph cut (--inputs/--outputs)
  std::vector<std::string> outputs;
  std::string custom_string;
  std::optional<std::filesystem::path> dataset;
  bool precompile = false;
  // Layers (program node names) after which a run may yield: --sync-layers.
  std::vector<std::string> sync_layers;
  // Calibration (integer quantization types), as the RKNN config names them.
  std::string quant_algorithm = "normal";  // normal | kl_divergence | mmse
  int calibration_batch_size = 100;        // RKNN batch_size
  int epochs = -1;                         // RKNN epochs: -1 uses the whole data set
  bool rgb_to_bgr = false;                 // RKNN quant_img_RGB2BGR
  int threads = 1;
};

struct CompiledModel {
  format::ModelInfo info;
  sim::Program program;
  std::vector<std::filesystem::path> dependencies;  // model, external data, dataset and its files
  std::vector<passes::PassRecord> passes;
  std::vector<std::string> log;  // calibration warnings and ops kept in float, for the compile log
  std::optional<sim::PlannedProgram> precompiled;  // with CompileOptions::precompile (docs/precompile.md)
};

// Maps RKNN spellings to ours ("asymmetric_quantized-u8" -> "asymmetric_u8",
// "dynamic_fixed_point-8" -> "dynamic_fixed_point_i8", ...); throws
// CompileError for an unknown type.
std::string canonical_quantization(const std::string& name);

// Throws CompileError (one message naming the file, node or option).
CompiledModel compile_model(const std::filesystem::path& model, const CompileOptions& options);

// The compiler version recorded in artifacts.
std::string compiler_version();

}  // namespace rknn::driver
