// --sync-layers (RKNN export_rknn_sync_model): the layers after which a run
// may yield, as node indices of the compiled program (ModelInfo::sync_after).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rknn/sim/program.h"

namespace rknn::lower {

// Each name must be a node of `program` other than the last one (a sync point
// there would split nothing off); throws CompileError naming the layer.
// Returns the node indices, ascending, without repeats.
std::vector<std::int32_t> sync_points(const sim::Program& program, const std::vector<std::string>& layers);

}  // namespace rknn::lower
