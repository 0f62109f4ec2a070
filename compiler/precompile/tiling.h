// Pre-compilation step 3: each step cut into tiles that fit the platform's
// on-chip buffer. A tile is a box of the step's output: a slice of output
// channels times a band of rows (Conv, pools, element-wise ops), a slice of
// output channels (global pools) or of output columns (Gemm). Its footprint is
// what the NPU holds at once: the input boxes it reads (with the halo rows a
// window needs), the weight slice, every intermediate value of a fused group
// and the output box, at the NPU's element sizes (float runs as float16).
// Steps of other ops run whole, as one tile.
//
// The tiles of a step are all the same size but the last ones; tiles that
// need the same prepared kernel (same shapes, same weight slice, same edge
// padding) share it, so the runtime prepares a few kernels per step.
#pragma once

#include <cstdint>
#include <vector>

#include "rknn/sim/planned_program.h"
#include "rknn/sim/program.h"

namespace rknn::precompile {

struct TilingTarget {
  std::uint64_t buffer_bytes = 0;    // the on-chip buffer
  std::int64_t channel_granule = 1;  // output channels the MAC array produces per pass: slices are multiples
};

// Bytes of one element on the NPU: float32 program tensors run as float16.
std::uint64_t npu_element_bytes(sim::DType type);

struct TiledStep {
  sim::PlannedStep step;
  std::uint64_t scratch_bytes = 0;  // the scratch its largest kernel uses
};

// The step made of `group` (a fusion group, fusion.h): its inputs, outputs,
// kernels (scratch offsets included) and tiles, the largest tile's footprint
// and whether it fits. Throws CompileError when the group is not a chain.
TiledStep tile_step(const sim::Program& program, const std::vector<int>& group, const TilingTarget& target);

}  // namespace rknn::precompile
