// BatchNormalization after a Conv or Gemm becomes part of its weights:
// y = (x - mean) / sqrt(var + eps) * gamma + beta = x * s + (beta - mean * s).
#include <cmath>

#include "passes/passes.h"
#include "passes/rewrite.h"

namespace rknn::passes {

void fold_batch_norm(ir::Graph& graph) {
  UseMap uses(graph);
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    ir::Node& bn = graph.nodes[i];
    if (bn.op != "BatchNormalization" || bn.outputs.size() != 1 || bn.inputs.size() != 5) continue;
    const auto producer = sole_producer(graph, uses, bn, 0, {"Conv", "Gemm"});
    if (!producer) continue;
    const sim::Tensor* gamma = constant_of(graph, bn.inputs[1]);
    const sim::Tensor* beta = constant_of(graph, bn.inputs[2]);
    const sim::Tensor* mean = constant_of(graph, bn.inputs[3]);
    const sim::Tensor* var = constant_of(graph, bn.inputs[4]);
    if (!gamma || !beta || !mean || !var || gamma->dtype() != sim::DType::kFloat32) continue;
    const float eps = bn.attrs.get_float("epsilon", 1e-5f);
    const auto n = static_cast<std::size_t>(gamma->element_count());
    std::vector<float> scale(n), shift(n);
    for (std::size_t c = 0; c < n; ++c) {
      scale[c] = gamma->values<float>()[c] / std::sqrt(var->values<float>()[c] + eps);
      shift[c] = beta->values<float>()[c] - mean->values<float>()[c] * scale[c];
    }
    if (!scale_output_channels(graph, graph.nodes[*producer], scale, shift)) continue;
    absorb(graph, uses, *producer, i);
  }
  erase_removed(graph);
}

}  // namespace rknn::passes
