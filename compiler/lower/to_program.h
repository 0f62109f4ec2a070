// Lowers the graph IR to the simulator's Program: tensors by index, nodes in
// topological order, constants carried along.
#pragma once

#include "ir/graph.h"
#include "rknn/sim/program.h"

namespace rknn::lower {

sim::Program to_program(const ir::Graph& graph);

}  // namespace rknn::lower
