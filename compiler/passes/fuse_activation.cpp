// Conv/Gemm followed by Relu, Relu6-style Clip or LeakyRelu: the activation
// runs inside the producer on each output value (simulator/ops/activation.h).
#include <algorithm>

#include "passes/passes.h"
#include "passes/rewrite.h"

namespace rknn::passes {
namespace {

// Clip bounds from constant inputs (opset 11+); false if one is not constant.
bool clip_bounds(const ir::Graph& graph, const ir::Node& clip, sim::Attributes& attrs) {
  const char* names[] = {"activation_min", "activation_max"};
  for (std::size_t i = 1; i < clip.inputs.size() && i < 3; ++i) {
    if (clip.inputs[i].empty()) continue;
    const sim::Tensor* bound = constant_of(graph, clip.inputs[i]);
    if (!bound || bound->dtype() != sim::DType::kFloat32 || bound->element_count() != 1) return false;
    attrs.set(names[i - 1], bound->values<float>()[0]);
  }
  return true;
}

}  // namespace

void fuse_activation(ir::Graph& graph) {
  UseMap uses(graph);
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    const ir::Node& act = graph.nodes[i];
    if (act.op != "Relu" && act.op != "Clip" && act.op != "LeakyRelu") continue;
    if (graph.value(act.inputs[0]).type.dtype != sim::DType::kFloat32) continue;
    const auto producer = sole_producer(graph, uses, act, 0, {"Conv", "Gemm"});
    if (!producer || graph.nodes[*producer].attrs.has("activation")) continue;
    sim::Attributes fused;
    fused.set("activation", act.op);
    if (act.op == "Clip" && !clip_bounds(graph, act, fused)) continue;
    if (act.op == "LeakyRelu") fused.set("activation_alpha", act.attrs.get_float("alpha", 0.01f));
    for (const auto& [name, value] : fused.all()) graph.nodes[*producer].attrs.set(name, value);
    absorb(graph, uses, *producer, i);
  }
  erase_removed(graph);
}

}  // namespace rknn::passes
