// Pre-compilation (`rknnc compile --precompile`, RKNN pre_compile=True):
// lowers the quantized program for one platform into a PlannedProgram
// (rknn/sim/planned_program.h) that the runtime loads without graph work.
// The steps, each its own module, in order:
//
//   1. fold_static.h  values the graph Executor would evaluate while loading become constants
//   2. fusion.h       which nodes run as one NPU step (Conv + Relu, Conv + MaxPool rules)
//   3. tiling.h       each step cut into tiles that fit the platform's on-chip buffer
//   4. memory.h       activations at fixed arena offsets, then the scratch region
//   5. verify         the simulator prepares every kernel of the plan, as the runtime will
//
// docs/precompile.md describes the program and its format version.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "precompile/fusion.h"
#include "rknn/sim/planned_program.h"
#include "rknn/sim/program.h"

namespace rknn::precompile {

struct Precompiled {
  sim::PlannedProgram plan;
  Fusion fusion;
  std::size_t folded = 0;  // nodes folded into constants by step 1
  // The sync points (--sync-layers) as node indices of the folded program;
  // no step runs across one.
  std::vector<std::int32_t> sync_after;
};

// Steps 1 to 4 without the check: what a runtime lowering the graph while it
// loads would have to do (the load-time benchmark measures it).
Precompiled lower(sim::Program& program, const std::string& platform, std::uint64_t buffer_bytes = 0,
                  const std::vector<std::string>& sync_layers = {});

// `program` changes in place (step 1). `buffer_bytes` cuts the tiles for
// another on-chip buffer size than the platform's (0: the platform's).
// `sync_layers` end segments (lower/sync_points.h), named after folding.
// Throws CompileError naming the node or step for an unknown platform, a
// program output that is a constant, an unknown sync layer, or a plan the
// simulator refuses.
Precompiled precompile(sim::Program& program, const std::string& platform, std::uint64_t buffer_bytes = 0,
                       const std::vector<std::string>& sync_layers = {});

// Lines for the compile log: steps, fused groups, refused pool fusions, tiles, memory.
std::vector<std::string> describe(const Precompiled& result, const sim::Program& program);

}  // namespace rknn::precompile
