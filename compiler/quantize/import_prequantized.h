// Pre-quantized ONNX models keep their own quantization parameters, as RKNN
// does for quantized ONNX models (build with do_quantization=False): no
// calibration, the compiled program runs the integer kernels with the
// model's scales and zero points. Two formats arrive:
//
//   * QDQ: DequantizeLinear -> float op -> QuantizeLinear around each op, as
//     onnxruntime's quantize_static writes them;
//   * operator format: QLinearConv and QLinearMatMul, which the frontend
//     expands into the same QDQ form (expand_qlinear_ops: ONNX defines them
//     as exactly that), so that one pass handles both.
//
// docs/quantization.md, "Pre-quantized ONNX models", is the user's view.
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"

namespace rknn::quantize {

// Operator-format ops the frontend accepts (QLinearConv, QLinearMatMul).
bool is_qlinear_op(const std::string& op);

// Replaces every QLinearConv / QLinearMatMul by DequantizeLinear nodes on its
// integer operands (the int32 bias at scale x_scale * w_scale), the float
// Conv / MatMul (keeping the node's name and attributes) and a QuantizeLinear
// of its output. Runs in the frontend before shape inference.
void expand_qlinear_ops(ir::Graph& graph);

// The first QuantizeLinear or DequantizeLinear node, or null for a float model.
const ir::Node* find_quantization_node(const ir::Graph& graph);

struct PrequantizedOptions {
  // Compiled artifacts: a float graph input read only by QuantizeLinear
  // becomes a quantized program input (the runtime quantizes what the
  // application gives), and a float graph output written by
  // DequantizeLinear becomes a quantized program output (the runtime
  // dequantizes on request). Off, the graph's inputs and outputs keep their
  // types (rknnc run and the conformance suite feed the model's own types).
  bool quantize_io = true;
};

// Folds DequantizeLinear -> op -> QuantizeLinear into the integer op with the
// model's parameters wherever the simulator has an integer kernel for it;
// every other op next to quantized values stays float between its
// DequantizeLinear and QuantizeLinear nodes. int8 tensors are carried as
// uint8 codes shifted by 128 (exact, and ONNX's full -128..127 range maps to
// the kernels' 0..255). Returns the compile-log lines. Throws CompileError
// naming the node for parameters no kernel can represent (a scale that is not
// positive and finite).
std::vector<std::string> import_prequantized(ir::Graph& graph, const PrequantizedOptions& options);

}  // namespace rknn::quantize
