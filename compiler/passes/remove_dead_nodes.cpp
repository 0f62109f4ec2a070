// Drops nodes whose outputs nothing reads, then values nothing refers to.
#include <set>

#include <algorithm>

#include "passes/passes.h"
#include "passes/rewrite.h"

namespace rknn::passes {

void remove_dead_nodes(ir::Graph& graph) {
  std::set<std::string> live(graph.outputs.begin(), graph.outputs.end());
  for (std::size_t i = graph.nodes.size(); i-- > 0;) {
    ir::Node& node = graph.nodes[i];
    const bool used = std::any_of(node.outputs.begin(), node.outputs.end(),
                                  [&](const std::string& out) { return live.count(out) != 0; });
    if (!used) {
      node.op.clear();
      continue;
    }
    live.insert(node.inputs.begin(), node.inputs.end());
  }
  erase_removed(graph);
  std::set<std::string> referenced(graph.inputs.begin(), graph.inputs.end());
  referenced.insert(graph.outputs.begin(), graph.outputs.end());
  for (const ir::Node& node : graph.nodes) {
    referenced.insert(node.inputs.begin(), node.inputs.end());
    referenced.insert(node.outputs.begin(), node.outputs.end());
  }
  std::erase_if(graph.values, [&](const auto& entry) { return !referenced.count(entry.first); });
}

}  // namespace rknn::passes
