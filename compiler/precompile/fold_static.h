// Pre-compilation step 1: everything the graph Executor evaluates while it
// prepares becomes a constant of the program: values computed from constants
// alone, and from input types alone (Shape, Size), e.g. the Shape -> Gather ->
// Concat -> Reshape chain of a flatten at optimization level 0. Nodes whose
// outputs are all known leave the program, so a pre-compiled model never
// evaluates anything while it loads. The values are the ones the graph
// Executor computes, with the same kernels.
#pragma once

#include <cstddef>

#include "rknn/sim/program.h"

namespace rknn::precompile {

// Returns how many nodes were folded away.
std::size_t fold_static(sim::Program& program);

}  // namespace rknn::precompile
