// Shape inference over the IR with the simulator's own op preparation, so the
// compiler and the simulator can never disagree on a shape.
#pragma once

#include <map>
#include <string>

#include "ir/graph.h"

namespace rknn::passes {

// Sets the type of every node output. Returns the values computable at
// compile time (from constants alone, or from static shapes for Shape/Size).
// Throws CompileError / UnsupportedFeatureError naming the node.
std::map<std::string, sim::Tensor> infer_shapes(ir::Graph& graph);

}  // namespace rknn::passes
