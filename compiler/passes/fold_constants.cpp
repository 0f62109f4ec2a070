// Nodes whose outputs are known at compile time become constants: nodes over
// constants, and the shape sub-graphs PyTorch exports produce
// (Shape -> Gather -> Unsqueeze -> Concat -> Reshape, ConstantOfShape), which
// are constant once input shapes are static. The simulator evaluates them,
// so folded values are exactly what the program would have computed.
#include <algorithm>

#include "passes/infer_shapes.h"
#include "passes/passes.h"
#include "passes/rewrite.h"

namespace rknn::passes {

void fold_constants(ir::Graph& graph) {
  std::map<std::string, sim::Tensor> known = infer_shapes(graph);
  for (ir::Node& node : graph.nodes) {
    const bool all_known = std::all_of(node.outputs.begin(), node.outputs.end(), [&](const std::string& out) {
      return out.empty() || known.count(out);
    });
    if (!all_known) continue;
    for (const auto& out : node.outputs) {
      if (!out.empty()) graph.value(out).constant = std::move(known.at(out));
    }
    node.op.clear();
  }
  erase_removed(graph);
}

}  // namespace rknn::passes
