// Conv followed by Mul or Add with a per-channel constant (as PyTorch exports
// of frozen normalization layers produce): the constant goes into the Conv's
// weights (Mul) or bias (Add).
#include "passes/passes.h"
#include "passes/rewrite.h"

namespace rknn::passes {

void fold_scale_into_conv(ir::Graph& graph) {
  UseMap uses(graph);
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    ir::Node& node = graph.nodes[i];
    if ((node.op != "Mul" && node.op != "Add") || node.inputs.size() != 2) continue;
    for (std::size_t side = 0; side < 2; ++side) {
      const auto producer = sole_producer(graph, uses, node, side, {"Conv"});
      const sim::Tensor* constant = constant_of(graph, node.inputs[1 - side]);
      if (!producer || !constant) continue;
      ir::Node& conv = graph.nodes[*producer];
      const auto channels = output_channels(graph, conv);
      const auto rank = graph.value(conv.outputs[0]).type.shape.size();
      if (!channels || !conv.attrs.get_string("activation", "").empty()) break;
      const auto values = per_channel_values(*constant, rank, *channels);
      if (!values) break;
      const bool is_mul = node.op == "Mul";
      const std::vector<float> scale = is_mul ? *values : std::vector<float>(values->size(), 1.0f);
      const std::vector<float> shift = is_mul ? std::vector<float>(values->size(), 0.0f) : *values;
      if (scale_output_channels(graph, conv, scale, shift)) absorb(graph, uses, *producer, i);
      break;
    }
  }
  erase_removed(graph);
}

}  // namespace rknn::passes
