// ONNX frontend: reads a model file (with external data), runs the ONNX
// checker, upgrades it to opset 17 with ONNX's version converter, runs ONNX
// shape inference, and imports it into the graph IR with every type known.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include <onnx/onnx_pb.h>

#include "ir/graph.h"

namespace rknn::frontend {

inline constexpr int kMinOpset = 7;
inline constexpr int kMaxOpset = 17;
inline constexpr int kCanonicalOpset = 17;  // the form simulator kernels implement

struct ImportOptions {
  // Static shapes for inputs with dynamic dimensions (--input-shape name=1,3,224,224).
  std::map<std::string, sim::Shape> input_shapes;
  // Graph inputs bound to known values, imported as constants.
  std::map<std::string, sim::Tensor> constant_inputs;
  // Accept opsets below kMinOpset through the version converter (test suites).
  bool allow_old_opsets = false;
  // RKNN rknn_batch_size: inputs whose first dimension is 1 (or dynamic) get this batch.
  std::int64_t batch_size = 1;
};

// Reads and parses a model file and loads its external data, without
// checking or importing it (for `rknnc inspect`). Throws CompileError.
// `external_files`, when given, receives the side files external data came from.
onnx::ModelProto read_onnx_model(const std::filesystem::path& path,
                                 std::vector<std::filesystem::path>* external_files = nullptr);

// Throws CompileError (or UnsupportedFeatureError) naming the file and node.
ir::Graph import_onnx(const std::filesystem::path& path, const ImportOptions& options = {},
                      std::vector<std::filesystem::path>* external_files = nullptr);

// Whether the frontend can import an op: simulator ops, Constant, and ops
// that ONNX's version converter rewrites into simulator ops (Upsample).
bool is_supported_op(const std::string& domain, const std::string& op);

// Parses a "name=1,3,224,224" argument; throws CompileError on bad syntax.
std::pair<std::string, sim::Shape> parse_input_shape(const std::string& text);

}  // namespace rknn::frontend
