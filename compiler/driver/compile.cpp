#include "driver/compile.h"

#include <algorithm>
#include <array>
#include <set>

#include <cmath>

#include "calibration/calibrate.h"
#include "calibration/dataset.h"
#include "quantize/import_prequantized.h"
#include "quantize/quantize_graph.h"
#include "ir/error.h"
#include "lower/sync_points.h"
#include "lower/to_program.h"
#include "passes/infer_shapes.h"
#include "precompile/precompile.h"
#include "rknn/sim/platforms.h"

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

// Every platform known, all of one compatibility group, each running `quant`
// (the platform table: simulator/platforms/platforms.cpp).
void check_platforms(const std::vector<std::string>& platforms, const std::string& quant) {
  if (platforms.empty()) throw CompileError("give at least one --platform");
  const sim::Platform* first = nullptr;
  for (const auto& name : platforms) {
    const sim::Platform* p = sim::find_platform(name);
    if (!p) throw CompileError("unknown platform '" + name + "'; supported: " + sim::platform_names());
    if (first && first->group != p->group) {
      throw CompileError("platforms " + std::string(first->name) + " and " + name +
                         " belong to different NPU generations (" + std::string(first->group_members) + " | " +
                         std::string(p->group_members) + "); a model targets one compatibility group");
    }
    if (!p->supports(quant)) {
      throw CompileError("platform " + name + " does not run quantization type '" + quant + "'; it runs " +
                         p->quantization_list());
    }
    if (!first) first = p;
  }
}

// Dynamic fixed point: zero point 0 and power-of-two scales (what the compiler
// chooses for int8/int16); other integer parameters (a pre-quantized model's
// int8 input or output) are affine.
bool is_fixed_point(const sim::QuantParams& q) {
  for (std::size_t i = 0; i < q.scale.size(); ++i) {
    int exponent = 0;
    if (q.zero_point_at(i) != 0 || std::frexp(q.scale[i], &exponent) != 0.5f) return false;
  }
  return true;
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
    if (t.type.dtype == sim::DType::kUInt8 || !is_fixed_point(*t.quant)) {
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

// A pre-quantized model (QuantizeLinear/DequantizeLinear nodes, or
// QLinearConv/QLinearMatMul, which the frontend expands into them) keeps its
// own parameters, as RKNN does with do_quantization=False: float16 (the
// default, RKNN's do_quantization=False) and asymmetric_u8 give the integer
// program; float32 runs the model as written, its QuantizeLinear and
// DequantizeLinear nodes in float (the ONNX reference). Returns whether the
// model's parameters were imported (docs/quantization.md, "Pre-quantized ONNX models").
bool import_model_quantization(ir::Graph& graph, const std::filesystem::path& model, CompileOptions& resolved,
                               std::vector<std::string>& log) {
  const ir::Node* node = quantize::find_quantization_node(graph);
  if (!node) return false;
  const std::string where = "'" + model.string() + "' is pre-quantized (" + node->op + " node '" + node->name + "')";
  if (resolved.quantization == "float32") {
    log.push_back(where + "; --quant float32 runs its QuantizeLinear/DequantizeLinear nodes in float");
    return false;
  }
  if (resolved.quantization != "float16" && resolved.quantization != "asymmetric_u8") {
    throw CompileError(where + ": it keeps its own asymmetric 8-bit parameters, so it compiles with --quant "
                       "asymmetric_u8 or float16 (RKNN do_quantization=False), not " + resolved.quantization +
                       "; quantize the float model to get " + resolved.quantization);
  }
  log.push_back(where + ": its quantization parameters are used, no calibration");
  if (resolved.dataset) log.push_back("the calibration data set is not used for a pre-quantized model");
  resolved.quantization = "asymmetric_u8";
  const std::vector<std::string> lines = quantize::import_prequantized(graph, {});
  log.insert(log.end(), lines.begin(), lines.end());
  return true;
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
  if (options.precompile && options.platforms.size() != 1) {
    throw CompileError("--precompile lowers the model for one platform; give exactly one --platform (got " +
                       std::to_string(options.platforms.size()) + ")");
  }
  check_platforms(options.platforms, quant);

  CompiledModel result;
  result.dependencies.push_back(model);
  ir::Graph graph = frontend::import_onnx(model, options.load.import, &result.dependencies);
  passes::extract_subgraph(graph, options.inputs, options.outputs);
  CompileOptions resolved = options;
  resolved.quantization = quant;
  const bool prequantized = import_model_quantization(graph, model, resolved, result.log);
  result.passes = passes::optimize(graph, options.load.optimization_level);
  if (quant == "float16" && !prequantized) passes::round_to_float16(graph);
  if (is_integer_quantization(quant) && !prequantized) quantize_with_calibration(graph, resolved, result.log);
  result.program = lower::to_program(graph);
  result.info = model_info(result.program, resolved);
  if (options.precompile) {  // compiler/precompile/, docs/precompile.md
    precompile::Precompiled precompiled =
        precompile::precompile(result.program, options.platforms.front(), 0, options.sync_layers);
    for (std::string& line : precompile::describe(precompiled, result.program)) result.log.push_back(std::move(line));
    result.precompiled = std::move(precompiled.plan);
    result.info.precompiled = true;
    result.info.sync_after = std::move(precompiled.sync_after);
  } else {
    result.info.sync_after = lower::sync_points(result.program, options.sync_layers);
  }
  if (options.dataset) {
    result.dependencies.push_back(*options.dataset);
    for (const auto& sample : calibration::read_dataset(*options.dataset, result.info.inputs.size())) {
      for (const auto& file : sample.files) result.dependencies.push_back(file);
    }
  }
  return result;
}

}  // namespace rknn::driver
