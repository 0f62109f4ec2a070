// --inputs/--outputs: compile only the part of the graph between named
// tensors, as the RKNN load APIs allow.
#include <algorithm>

#include "ir/error.h"
#include "passes/passes.h"

namespace rknn::passes {

void extract_subgraph(ir::Graph& graph, const std::vector<std::string>& inputs,
                      const std::vector<std::string>& outputs) {
  for (const auto& name : outputs) {
    if (!graph.has_value(name)) throw CompileError("--outputs names '" + name + "', which is not a tensor of the model");
  }
  if (!outputs.empty()) graph.outputs = outputs;
  if (!inputs.empty()) {
    for (const auto& name : inputs) {
      if (!graph.has_value(name)) throw CompileError("--inputs names '" + name + "', which is not a tensor of the model");
      if (graph.is_constant(name)) throw CompileError("--inputs names '" + name + "', which is a constant");
      // The value now comes from outside: detach it from its producer.
      for (auto& node : graph.nodes) std::replace(node.outputs.begin(), node.outputs.end(), name, std::string());
    }
    graph.inputs = inputs;
  }
  remove_dead_nodes(graph);
  graph.sort_topologically();  // names a node that still needs a value cut away
  if (!inputs.empty()) return;
  // Original inputs the remaining graph no longer reads are dropped.
  const auto uses = graph.consumers();
  std::erase_if(graph.inputs, [&](const std::string& name) { return !uses.count(name) && !graph.is_graph_output(name); });
}

}  // namespace rknn::passes
