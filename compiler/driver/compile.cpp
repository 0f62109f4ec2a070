#include "driver/compile.h"

#include <array>
#include <set>

#include <cmath>

#include "calibration/calibrate.h"
#include "calibration/dataset.h"
#include "quantize/quantize_graph.h"
#include "ir/error.h"
#include "lower/to_program.h"
#include "passes/infer_shapes.h"
#include "rknn/platforms.h"

#ifndef RKNN_VERSION
#define RKNN_VERSION "0.0.0"
#endif

namespace rknn::driver {
namespace {

struct QuantName {
  const char* canonical;
  const char* rknn;
  bool implemented;
};

// Integer types arrive with the quantization issue; until then they are refused clearly.
constexpr std::array<QuantName, 5> kQuantNames{{
    {"float32", "float32", true},
    {"float16", "float16", true},
    {"asymmetric_u8", "asymmetric_quantized-u8", true},
    {"dynamic_fixed_point_i8", "dynamic_fixed_point-8", true},
    {"dynamic_fixed_point_i16", "dynamic_fixed_point-16", true},
}};

void check_platforms(const std::vector<std::string>& platforms) {
  if (platforms.empty()) throw CompileError("give at least one --platform");
  std::optional<int> group;
  for (const auto& p : platforms) {
    const auto g = platform_group(p);
    if (!g) {
      std::string known;
      for (const auto& entry : kPlatforms) known += (known.empty() ? "" : " ") + std::string(entry.name);
      throw CompileError("unknown platform '" + p + "'; supported: " + known);
    }
    if (group && *group != *g) {
      throw CompileError("platforms " + platforms.front() + " and " + p +
                         " belong to different NPU generations; a model targets one compatibility group");
    }
    group = g;
  }
}

format::IoInfo io_info(const sim::Program& program, int tensor, sim::DType reported) {
  const sim::ProgramTensor& t = program.tensors.at(static_cast<std::size_t>(tensor));
  format::IoInfo io;
  io.tensor = tensor;
  io.name = t.name;
  io.dims = t.type.shape;
  io.fmt = t.type.shape.size() == 4 ? format::Layout::kNCHW : format::Layout::kUndefined;
  io.type = t.type.dtype == sim::DType::kFloat32 ? reported : t.type.dtype;
  if (t.quant) {
    if (t.type.dtype == sim::DType::kUInt8) {
      io.quant = {format::QuantType::kAffineAsymmetric, 0, t.quant->zero_point, t.quant->scale, t.quant->axis};
    } else {  // dynamic fixed point: scale = 2^-fl
      const auto fl = static_cast<std::int8_t>(-std::ilogb(t.quant->scale_at(0)));
      io.quant = {format::QuantType::kDynamicFixedPoint, fl, t.quant->zero_point, t.quant->scale, t.quant->axis};
    }
  }
  return io;
}

// Per-input mean/std/reorder, checked against the input's channel count.
format::Preprocessing preprocessing_for(const CompileOptions& options, std::size_t index, const format::IoInfo& io) {
  format::Preprocessing p;
  if (index < options.mean.size()) p.mean = options.mean[index];
  if (index < options.std.size()) p.std = options.std[index];
  if (index < options.reorder.size()) p.reorder = options.reorder[index];
  if (p.empty()) return p;
  if (io.dims.size() != 4) {
    throw CompileError("input '" + io.name + "' is not 4-D (NCHW); mean/std/reorder apply to image inputs");
  }
  const auto channels = static_cast<std::size_t>(io.dims[1]);
  auto check = [&](std::size_t size, const char* what) {
    if (size != 0 && size != channels) {
      throw CompileError(std::string(what) + " for input '" + io.name + "' has " + std::to_string(size) +
                         " values; the input has " + std::to_string(channels) + " channels");
    }
  };
  check(p.mean.size(), "--mean");
  check(p.std.size(), "--std");
  check(p.reorder.size(), "--reorder");
  for (float s : p.std) {
    if (s == 0.0f) throw CompileError("--std for input '" + io.name + "' contains 0");
  }
  std::set<std::int32_t> seen(p.reorder.begin(), p.reorder.end());
  for (auto c : p.reorder) {
    if (c < 0 || static_cast<std::size_t>(c) >= channels || seen.size() != p.reorder.size()) {
      throw CompileError("--reorder for input '" + io.name + "' must be a permutation of 0.." +
                         std::to_string(channels - 1));
    }
  }
  return p;
}

format::ModelInfo model_info(const sim::Program& program, const CompileOptions& options) {
  format::ModelInfo info;
  info.compiler_version = compiler_version();
  info.platforms = options.platforms;
  info.quantization = options.quantization;
  info.optimization_level = options.load.optimization_level;
  info.custom_string = options.custom_string;
  const sim::DType reported = options.quantization == "float16" ? sim::DType::kFloat16 : sim::DType::kFloat32;
  for (int t : program.inputs) info.inputs.push_back(io_info(program, t, reported));
  for (int t : program.outputs) info.outputs.push_back(io_info(program, t, reported));
  const std::size_t given = std::max({options.mean.size(), options.std.size(), options.reorder.size()});
  if (given > info.inputs.size()) {
    throw CompileError("mean/std/reorder given for " + std::to_string(given) + " inputs; the model has " +
                       std::to_string(info.inputs.size()));
  }
  for (std::size_t i = 0; i < info.inputs.size(); ++i) {
    info.preprocess.push_back(preprocessing_for(options, i, info.inputs[i]));
  }
  return info;
}

bool is_integer_quantization(const std::string& quant) { return quant != "float32" && quant != "float16"; }

sim::DType integer_type(const std::string& quant) {
  if (quant == "asymmetric_u8") return sim::DType::kUInt8;
  return quant == "dynamic_fixed_point_i8" ? sim::DType::kInt8 : sim::DType::kInt16;
}

// Calibrates the float program on the data set, then quantizes the graph.
void quantize_with_calibration(ir::Graph& graph, const CompileOptions& options, std::vector<std::string>& log) {
  if (!options.dataset) {
    throw CompileError("quantization type '" + options.quantization + "' needs a calibration data set (--dataset)");
  }
  const sim::Program float_program = lower::to_program(graph);
  CompileOptions float_options = options;
  float_options.quantization = "float32";
  const format::ModelInfo float_info = model_info(float_program, float_options);
  calibration::CalibrationOptions c;
  c.dataset = *options.dataset;
  c.algorithm = calibration::parse_algorithm(options.quant_algorithm);
  c.batch_size = options.calibration_batch_size;
  c.epochs = options.epochs;
  c.sample.rgb_to_bgr = options.rgb_to_bgr;
  c.threads = options.threads;
  const calibration::CalibrationResult calibrated =
      calibration::calibrate(float_program, float_info.inputs, float_info.preprocess, c);
  log.insert(log.end(), calibrated.warnings.begin(), calibrated.warnings.end());
  log.push_back("calibrated on " + std::to_string(calibrated.samples) + " samples (" + options.quant_algorithm + ")");
  const quantize::QuantSpec spec{integer_type(options.quantization), options.quant_method == "channel", c.algorithm};
  const std::vector<std::string> islands = quantize::quantize_graph(graph, calibrated.statistics, spec);
  log.insert(log.end(), islands.begin(), islands.end());
  passes::remove_dead_nodes(graph);
  passes::infer_shapes(graph);
}

}  // namespace

std::string compiler_version() { return std::string("rknn-build ") + RKNN_VERSION; }

std::string canonical_quantization(const std::string& name) {
  for (const auto& q : kQuantNames) {
    if (name == q.canonical || name == q.rknn) return q.canonical;
  }
  std::string known;
  for (const auto& q : kQuantNames) known += (known.empty() ? "" : ", ") + std::string(q.canonical);
  throw CompileError("unknown quantization type '" + name + "'; expected one of " + known);
}

CompiledModel compile_model(const std::filesystem::path& model, const CompileOptions& options) {
  const std::string quant = canonical_quantization(options.quantization);
  for (const auto& q : kQuantNames) {
    if (quant == q.canonical && !q.implemented) {
      throw CompileError("quantization type '" + quant + "' is not available yet in this compiler (float32 and float16 are)");
    }
  }
  if (options.precompile) throw CompileError("--precompile is not available yet in this compiler");
  check_platforms(options.platforms);

  CompiledModel result;
  result.dependencies.push_back(model);
  ir::Graph graph = frontend::import_onnx(model, options.load.import, &result.dependencies);
  passes::extract_subgraph(graph, options.inputs, options.outputs);
  result.passes = passes::optimize(graph, options.load.optimization_level);
  CompileOptions resolved = options;
  resolved.quantization = quant;
  if (quant == "float16") passes::round_to_float16(graph);
  if (is_integer_quantization(quant)) quantize_with_calibration(graph, resolved, result.log);
  result.program = lower::to_program(graph);
  result.info = model_info(result.program, resolved);
  if (options.dataset) {
    result.dependencies.push_back(*options.dataset);
    for (const auto& sample : calibration::read_dataset(*options.dataset, result.info.inputs.size())) {
      for (const auto& file : sample.files) result.dependencies.push_back(file);
    }
  }
  return result;
}

}  // namespace rknn::driver
