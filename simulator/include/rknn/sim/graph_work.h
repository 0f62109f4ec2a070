// Counts of the graph work the simulator did in this process: graph
// Executors prepared (data-flow checks, static evaluation, one kernel per
// node) and memory plans computed. Loading a pre-compiled model does neither;
// tests read the counts to check that (docs/precompile.md).
#pragma once

#include <cstdint>

namespace rknn::sim {

struct GraphWork {
  std::uint64_t executors = 0;     // sim::Executor constructions
  std::uint64_t memory_plans = 0;  // sim::plan_memory calls
};

GraphWork graph_work();

// Called by the Executor constructor and by plan_memory.
void count_executor();
void count_memory_plan();

}  // namespace rknn::sim
