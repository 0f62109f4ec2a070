// Folding a per-output-channel affine transform into Conv / Gemm weights.
#include "passes/rewrite.h"

namespace rknn::passes {
namespace {

// True when Gemm's B is stored [N, K] (transB=1); otherwise it is [K, N].
bool gemm_b_transposed(const ir::Node& node) { return node.attrs.get_int("transB", 0) != 0; }

sim::Tensor scaled_weights(const sim::Tensor& w, const ir::Node& node, const std::vector<float>& scale) {
  sim::Tensor out = w;
  auto values = out.values<float>();
  const auto channels = static_cast<std::int64_t>(scale.size());
  if (node.op == "Gemm" && !gemm_b_transposed(node)) {
    for (std::size_t i = 0; i < values.size(); ++i) values[i] *= scale[i % static_cast<std::size_t>(channels)];
  } else {  // channel is the outermost axis
    const std::size_t per_channel = values.size() / scale.size();
    for (std::size_t i = 0; i < values.size(); ++i) values[i] *= scale[i / per_channel];
  }
  return out;
}

}  // namespace

std::optional<std::int64_t> output_channels(const ir::Graph& graph, const ir::Node& node) {
  const sim::Tensor* w = node.inputs.size() > 1 ? constant_of(graph, node.inputs[1]) : nullptr;
  if (!w || w->dtype() != sim::DType::kFloat32) return std::nullopt;
  if (node.op == "Conv" && w->shape().size() >= 3) return w->shape()[0];
  if (node.op == "Gemm" && w->shape().size() == 2) return w->shape()[gemm_b_transposed(node) ? 0 : 1];
  return std::nullopt;
}

bool scale_output_channels(ir::Graph& graph, ir::Node& node, const std::vector<float>& scale,
                           const std::vector<float>& shift) {
  const auto channels = output_channels(graph, node);
  if (!channels || static_cast<std::size_t>(*channels) != scale.size()) return false;
  const sim::Tensor* bias = node.inputs.size() > 2 ? constant_of(graph, node.inputs[2]) : nullptr;
  if (node.inputs.size() > 2 && !node.inputs[2].empty() && !bias) return false;
  float bias_factor = 1.0f;
  if (node.op == "Gemm") {
    if (bias && bias->element_count() != 1 && bias->element_count() != *channels) return false;
    if (bias && bias->element_count() == *channels && bias->shape().size() == 2 && bias->shape()[0] != 1) return false;
    if (node.attrs.get_float("alpha", 1.0f) == 0.0f) return false;
    bias_factor = node.attrs.get_float("beta", 1.0f);
  }
  if (bias && bias->dtype() != sim::DType::kFloat32) return false;

  sim::Tensor new_bias(sim::DType::kFloat32, {*channels});
  auto b = new_bias.values<float>();
  for (std::size_t c = 0; c < b.size(); ++c) {
    const float old = bias ? bias->values<float>()[bias->element_count() == 1 ? 0 : c] * bias_factor : 0.0f;
    b[c] = old * scale[c] + shift[c];
  }
  const sim::Tensor weights = scaled_weights(*constant_of(graph, node.inputs[1]), node, scale);
  node.inputs[1] = graph.add_constant(node.inputs[1] + "_folded", weights);
  node.inputs.resize(3);
  node.inputs[2] = graph.add_constant(node.name + "_bias_folded", std::move(new_bias));
  if (node.op == "Gemm") node.attrs.set("beta", 1.0f);
  return true;
}

}  // namespace rknn::passes
