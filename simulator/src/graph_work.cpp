#include "rknn/sim/graph_work.h"

#include <atomic>

namespace rknn::sim {
namespace {

std::atomic<std::uint64_t> executors{0};
std::atomic<std::uint64_t> memory_plans{0};

}  // namespace

GraphWork graph_work() { return {executors.load(), memory_plans.load()}; }
void count_executor() { executors.fetch_add(1, std::memory_order_relaxed); }
void count_memory_plan() { memory_plans.fetch_add(1, std::memory_order_relaxed); }

}  // namespace rknn::sim
