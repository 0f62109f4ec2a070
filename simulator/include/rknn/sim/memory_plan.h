// Memory planning (RKNN eval_memory): where every tensor of a program lives.
// Activations (program inputs, node outputs) share one arena: a tensor is live
// from the step that defines it to the last step that reads it, and tensors
// whose lifetimes overlap never overlap in the arena. Weights (constants) are
// laid out apart, in program order, as the artifact's data section stores them.
// The executor runs in this arena (ExecutorOptions::planned_memory); a
// pre-compiled program records it. docs/perf-model.md describes the algorithm.
#pragma once

#include <cstdint>
#include <vector>

#include "rknn/sim/program.h"

namespace rknn::sim {

// Every offset and every size is a multiple of this (the Tensor alignment).
inline constexpr std::uint64_t kPlanAlignment = 64;

// How a model stores its float32 weights: as they are, or as IEEE half, 2
// bytes per value (float16 models: the artifact and a board hold half
// weights; the simulator widens them to float32 when it loads the model).
enum class FloatWeights : std::uint8_t { kFloat32, kHalf };

struct TensorPlacement {
  bool constant = false;     // a weight: offset is into the weight section, not the arena
  std::uint64_t offset = 0;
  // The tensor's byte size (dtype size * elements), unaligned; a float32
  // weight stored as half (FloatWeights::kHalf) counts 2 bytes per value.
  std::uint64_t bytes = 0;
  std::uint64_t reserved = 0;  // bytes rounded up to kPlanAlignment: what the placement occupies
  // Activations: live during steps [first, last]. Step 0 is the program start
  // (inputs arrive), step n + 1 runs node n; program outputs live to the end.
  int first = 0;
  int last = 0;
};

struct MemoryPlan {
  std::vector<TensorPlacement> tensors;  // one per program tensor, in program order
  std::uint64_t arena_bytes = 0;         // peak internal tensor memory: the arena's size
  std::uint64_t weight_bytes = 0;        // the weight section (the artifact's data section size)
  std::uint64_t unshared_bytes = 0;      // the activations' reserved bytes without any reuse

  bool live_together(std::size_t a, std::size_t b) const;  // activations whose lifetimes overlap
};

// Greedy best fit by size: activations from the largest down (ties: earlier
// definition, then lower index) each take the smallest gap between the
// placements already made for tensors live at the same time that fits them,
// else the lowest offset above those. Deterministic; arena_bytes <=
// unshared_bytes. Throws Error for a program whose data flow is broken (a
// tensor read before any node defines it). `weights` sizes the weight
// section only; activations keep their program type.
MemoryPlan plan_memory(const Program& program, FloatWeights weights = FloatWeights::kFloat32);

// The weight section of plan_memory() alone: every constant on a
// kPlanAlignment boundary, in program order.
std::uint64_t weight_section_bytes(const Program& program, FloatWeights weights = FloatWeights::kFloat32);

}  // namespace rknn::sim
