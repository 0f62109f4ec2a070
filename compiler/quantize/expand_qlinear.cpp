// QLinearConv and QLinearMatMul as the DequantizeLinear -> float op ->
// QuantizeLinear pattern ONNX defines them by. The pattern runs as written on
// the float kernels (when scales are run-time inputs), and import_prequantized
// folds it back into one integer op when the parameters are constants.
#include <algorithm>

#include "ir/error.h"
#include "passes/rewrite.h"
#include "quantize/import_prequantized.h"

namespace rknn::quantize {
namespace {

// A new value whose type shape inference fills in; returns its name.
std::string add_value(ir::Graph& graph, const std::string& hint) {
  ir::Value v;  // built field by field: GCC 12 misreports aggregate temporaries here
  v.name = graph.unique_name(hint);
  const std::string name = v.name;
  graph.values[name] = std::move(v);
  return name;
}

std::string input_or_empty(const ir::Node& node, std::size_t index) {
  return index < node.inputs.size() ? node.inputs[index] : std::string();
}

void expect_inputs(const ir::Node& node, std::size_t min, std::size_t max) {
  if (node.inputs.size() < min || node.inputs.size() > max) {
    throw CompileError(node.op + " node '" + node.name + "' has " + std::to_string(node.inputs.size()) +
                       " inputs; expected " + std::to_string(min) + (min == max ? "" : " to " + std::to_string(max)));
  }
}

// value = DequantizeLinear(x, scale, zero_point) with `axis` for per-axis
// parameters; returns the float value.
std::string dequantize(ir::Graph& graph, std::vector<ir::Node>& out, const ir::Node& node, const std::string& what,
                       const std::string& x, const std::string& scale, const std::string& zero_point,
                       std::int64_t axis) {
  const std::string value = add_value(graph, node.name + "/" + what);
  ir::Node dq;
  dq.op = "DequantizeLinear";
  dq.name = node.name + "/dequantize_" + what;
  dq.inputs = {x, scale, zero_point};
  if (zero_point.empty()) dq.inputs.pop_back();
  dq.outputs = {value};
  dq.attrs.set("axis", axis);
  out.push_back(std::move(dq));
  return value;
}

void quantize(std::vector<ir::Node>& out, const ir::Node& node, const std::string& y, const std::string& scale,
              const std::string& zero_point, const std::string& result) {
  ir::Node q;
  q.op = "QuantizeLinear";
  q.name = node.name + "/quantize_y";
  q.inputs = {y, scale, zero_point};
  if (zero_point.empty()) q.inputs.pop_back();
  q.outputs = {result};
  out.push_back(std::move(q));
}

// The bias scale x_scale * w_scale[c] (float32 products, as ONNX writes the
// bias of QLinearConv): a constant when both scales are, else a Mul node.
std::string bias_scale(ir::Graph& graph, std::vector<ir::Node>& out, const ir::Node& node) {
  const sim::Tensor* xs = passes::constant_of(graph, node.inputs[1]);
  const sim::Tensor* ws = passes::constant_of(graph, node.inputs[4]);
  if (xs && ws && xs->dtype() == sim::DType::kFloat32 && ws->dtype() == sim::DType::kFloat32 &&
      xs->element_count() == 1) {
    sim::Tensor product = *ws;
    for (float& s : product.values<float>()) s *= xs->values<float>()[0];
    return graph.add_constant(node.name + "/bias_scale", std::move(product));
  }
  const std::string value = add_value(graph, node.name + "/bias_scale");
  ir::Node mul;
  mul.op = "Mul";
  mul.name = node.name + "/bias_scale";
  mul.inputs = {node.inputs[1], node.inputs[4]};
  mul.outputs = {value};
  out.push_back(std::move(mul));
  return value;
}

// Inputs: x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, [B].
void expand_conv(ir::Graph& graph, const ir::Node& node, std::vector<ir::Node>& out) {
  expect_inputs(node, 8, 9);
  ir::Node conv;
  conv.op = "Conv";
  conv.name = node.name;
  conv.attrs = node.attrs;
  conv.inputs.push_back(dequantize(graph, out, node, "x", node.inputs[0], node.inputs[1], node.inputs[2], 1));
  conv.inputs.push_back(dequantize(graph, out, node, "w", node.inputs[3], node.inputs[4], node.inputs[5], 0));
  if (const std::string bias = input_or_empty(node, 8); !bias.empty()) {
    conv.inputs.push_back(dequantize(graph, out, node, "bias", bias, bias_scale(graph, out, node), "", 0));
  }
  const std::string y = add_value(graph, node.name + "/y");
  conv.outputs = {y};
  out.push_back(std::move(conv));
  quantize(out, node, y, node.inputs[6], node.inputs[7], node.outputs.at(0));
}

// Inputs: a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point.
// a may be quantized per row (axis -2), b per column (axis -1).
void expand_matmul(ir::Graph& graph, const ir::Node& node, std::vector<ir::Node>& out) {
  expect_inputs(node, 8, 8);
  ir::Node matmul;
  matmul.op = "MatMul";
  matmul.name = node.name;
  matmul.inputs.push_back(dequantize(graph, out, node, "a", node.inputs[0], node.inputs[1], node.inputs[2], -2));
  matmul.inputs.push_back(dequantize(graph, out, node, "b", node.inputs[3], node.inputs[4], node.inputs[5], -1));
  const std::string y = add_value(graph, node.name + "/y");
  matmul.outputs = {y};
  out.push_back(std::move(matmul));
  quantize(out, node, y, node.inputs[6], node.inputs[7], node.outputs.at(0));
}

}  // namespace

bool is_qlinear_op(const std::string& op) { return op == "QLinearConv" || op == "QLinearMatMul"; }

void expand_qlinear_ops(ir::Graph& graph) {
  const bool any =
      std::any_of(graph.nodes.begin(), graph.nodes.end(), [](const ir::Node& n) { return is_qlinear_op(n.op); });
  if (!any) return;
  std::vector<ir::Node> nodes;
  for (const ir::Node& node : graph.nodes) {
    if (node.op == "QLinearConv") {
      expand_conv(graph, node, nodes);
    } else if (node.op == "QLinearMatMul") {
      expand_matmul(graph, node, nodes);
    } else {
      nodes.push_back(node);
    }
  }
  graph.nodes = std::move(nodes);
}

}  // namespace rknn::quantize
