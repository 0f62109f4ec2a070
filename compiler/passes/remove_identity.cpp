// Identity and inference-mode Dropout forward their input unchanged.
#include <algorithm>

#include "passes/passes.h"
#include "passes/rewrite.h"

namespace rknn::passes {
namespace {

bool is_pass_through(const ir::Graph& graph, const ir::Node& node) {
  if (node.op == "Identity") return true;
  if (node.op != "Dropout") return false;
  const bool mask_used = node.outputs.size() > 1 && !node.outputs[1].empty() &&
                         (graph.consumers().count(node.outputs[1]) || graph.is_graph_output(node.outputs[1]));
  if (mask_used) return false;
  if (node.inputs.size() > 2 && !node.inputs[2].empty()) {  // training_mode must be a constant false
    const sim::Tensor* training = constant_of(graph, node.inputs[2]);
    if (!training || training->to_int64_vector().at(0) != 0) return false;
  }
  return true;
}

}  // namespace

void remove_identity(ir::Graph& graph) {
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    ir::Node& node = graph.nodes[i];
    if (!is_pass_through(graph, node)) continue;
    const std::string in = node.inputs[0];
    const std::string out = node.outputs[0];
    if (!graph.is_graph_output(out)) {
      graph.replace_uses(out, in);
      node.op.clear();
      continue;
    }
    // The output name is part of the model's interface: keep it by renaming
    // the value that flows in, when that value is an ordinary intermediate.
    const auto producers = graph.producers();
    auto p = producers.find(in);
    if (p == producers.end() || graph.is_graph_output(in)) continue;
    for (auto& name : graph.nodes[p->second].outputs) {
      if (name == in) name = out;
    }
    node.op.clear();
    graph.replace_uses(in, out);
  }
  erase_removed(graph);
}

}  // namespace rknn::passes
