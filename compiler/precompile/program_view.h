// A copy of a program whose constants view the original's bytes: the
// pre-compilation steps hand programs to the simulator (memory planner,
// executor) without copying the weights. The original must outlive the view.
#pragma once

#include "rknn/sim/program.h"

namespace rknn::precompile {

sim::Program borrowed_view(const sim::Program& program);

}  // namespace rknn::precompile
