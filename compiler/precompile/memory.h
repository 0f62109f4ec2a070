// Pre-compilation step 4: the static memory plan. The activations the steps
// read and write (program inputs, step outputs) get fixed offsets in one
// arena from the simulator's planner (simulator/memory/: lifetimes over the
// step order, tensors live at the same time never overlap, others share
// bytes); the values inside a fused step never reach the arena. The scratch
// region (the tiles' staged inputs and intermediate values: the on-chip
// buffer's contents) follows the activations. Weights stay at their offsets
// in the artifact's data section.
#pragma once

#include <cstdint>

#include "rknn/sim/planned_program.h"
#include "rknn/sim/program.h"

namespace rknn::precompile {

// Fills plan.placements, activation_bytes and scratch_bytes (rounded up to 64).
void plan_arena(const sim::Program& program, sim::PlannedProgram& plan, std::uint64_t scratch_bytes);

}  // namespace rknn::precompile
