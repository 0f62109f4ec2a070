#include <array>

#include "ir/error.h"
#include "passes/infer_shapes.h"
#include "passes/passes.h"

namespace rknn::passes {
namespace {

struct Pass {
  const char* name;
  int min_level;  // enabled when optimization_level >= min_level
  void (*run)(ir::Graph&);
};

// The pipeline, top to bottom. Level 1 only removes and folds what is exactly
// equivalent; level 2 adds the NPU fusions that keep float results bit for bit;
// level 3 adds the folds that change float rounding (BatchNorm and scales
// folded into weights).
constexpr std::array<Pass, 7> kPipeline{{
    {"remove_identity", 1, remove_identity},
    {"fold_constants", 1, fold_constants},
    {"fold_batch_norm", 3, fold_batch_norm},
    {"fold_scale_into_conv", 3, fold_scale_into_conv},
    {"fold_pad", 2, fold_pad},
    {"fuse_activation", 2, fuse_activation},
    {"remove_dead_nodes", 1, remove_dead_nodes},
}};

}  // namespace

std::vector<PassRecord> optimize(ir::Graph& graph, int level) {
  if (level < 0 || level > 3) {
    throw CompileError("optimization level " + std::to_string(level) + " is out of range; expected 0 to 3");
  }
  std::vector<PassRecord> records;
  for (const Pass& pass : kPipeline) {
    if (level < pass.min_level) continue;
    PassRecord record{pass.name, graph.nodes.size(), 0};
    pass.run(graph);
    graph.sort_topologically();
    infer_shapes(graph);
    record.nodes_after = graph.nodes.size();
    records.push_back(record);
  }
  return records;
}

}  // namespace rknn::passes
