// Accuracy analysis (RKNN accuracy_analysis): compiles a model twice, as the
// float32 golden program and as the requested quantization type, runs both
// on one sample in the simulator and measures, for every layer output in
// execution order, how far the quantized value is from the golden one:
//   * entire error: the whole quantized program's value;
//   * per-layer error: the layer run alone in the quantized domain, fed with
//     the golden values of its inputs quantized with their own parameters.
// Both as cosine similarity and Euclidean distance (analysis/metrics.h).
// analysis/report.h writes the results; docs/quantization.md describes them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "analysis/metrics.h"
#include "driver/compile.h"
#include "rknn/sim/tensor.h"

namespace rknn::analysis {

struct AnalysisOptions {
  driver::CompileOptions compile;  // what to build, as `rknnc compile` takes it
  // The sample: one file per model input (image, or .npy in NHWC for 4-D
  // inputs), loaded and preprocessed as calibration loads data set lines...
  std::vector<std::filesystem::path> inputs;
  // ... or an RKNN dataset file holding exactly one such line.
  std::filesystem::path inputs_file;
};

struct LayerResult {
  std::size_t layer = 0;  // the node's position in the float program (execution order)
  std::string name;       // the output tensor
  std::string op;         // e.g. "Conv", "Conv+Relu" for a fused activation
  ErrorMetrics entire;
  ErrorMetrics per_layer;
  sim::Tensor golden;     // float32, in the program's layout (NCHW)
  sim::Tensor quantized;  // the whole quantized run's value as float32 real values
};

struct Analysis {
  std::string model;                // file name of the model
  std::string quantization;         // canonical type name
  std::vector<std::string> inputs;  // file names of the sample
  std::vector<LayerResult> layers;  // one per float output of a node, in execution order
  std::vector<std::string> log;     // compile log, and warnings about the sample (resized images)
};

// Throws CompileError naming the file, input or tensor at fault.
Analysis analyze(const std::filesystem::path& model, const AnalysisOptions& options);

}  // namespace rknn::analysis
