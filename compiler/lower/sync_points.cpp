#include "lower/sync_points.h"

#include <algorithm>

#include "ir/error.h"

namespace rknn::lower {

std::vector<std::int32_t> sync_points(const sim::Program& program, const std::vector<std::string>& layers) {
  std::vector<std::int32_t> points;
  for (const std::string& name : layers) {
    const auto it = std::find_if(program.nodes.begin(), program.nodes.end(),
                                 [&](const sim::ProgramNode& pn) { return pn.node.name == name; });
    if (it == program.nodes.end()) {
      std::string known;
      for (std::size_t k = 0; k < program.nodes.size() && k < 12; ++k) known += " '" + program.nodes[k].node.name + "'";
      if (program.nodes.size() > 12) known += " ...";
      throw CompileError("--sync-layers: the compiled model has no layer named '" + name +
                         "' (optimization may have fused it into another, or pre-compilation folded it into a constant); its layers are" + known);
    }
    const auto index = static_cast<std::int32_t>(it - program.nodes.begin());
    if (static_cast<std::size_t>(index) + 1 == program.nodes.size()) {
      throw CompileError("--sync-layers: '" + name + "' is the last layer; a sync point after it splits nothing off");
    }
    points.push_back(index);
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  return points;
}

}  // namespace rknn::lower
