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

struct TensorPlacement {
  bool constant = false;     // a weight: offset is into the weight section, not the arena
  std::uint64_t offset = 0;
  std::uint64_t bytes = 0;   // the tensor's byte size (dtype size * elements), unaligned
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
// tensor read before any node defines it).
MemoryPlan plan_memory(const Program& program);

}  // namespace rknn::sim
