#include "rknn/sim/memory_plan.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "rknn/sim/error.h"
#include "rknn/sim/graph_work.h"

namespace rknn::sim {
namespace {

std::uint64_t align_up(std::uint64_t bytes) { return (bytes + kPlanAlignment - 1) / kPlanAlignment * kPlanAlignment; }

constexpr int kNeverLive = -1;

// Lifetimes over the execution order: step 0 for the inputs, step n + 1 for node n.
void set_lifetimes(const Program& program, std::vector<TensorPlacement>& placements) {
  const int end = static_cast<int>(program.nodes.size()) + 1;
  std::vector<bool> defined(placements.size(), false);
  auto at = [&](int index) -> TensorPlacement& { return placements.at(static_cast<std::size_t>(index)); };
  for (int index : program.inputs) {
    if (index < 0) continue;
    at(index).first = at(index).last = 0;
    defined[static_cast<std::size_t>(index)] = true;
  }
  for (std::size_t n = 0; n < program.nodes.size(); ++n) {
    const int step = static_cast<int>(n) + 1;
    const ProgramNode& pn = program.nodes[n];
    for (int index : pn.inputs) {
      if (index < 0 || at(index).constant) continue;
      if (!defined[static_cast<std::size_t>(index)]) {
        throw Error(pn.node.describe() + " reads '" + program.tensors.at(static_cast<std::size_t>(index)).name +
                    "' before anything defines it");
      }
      at(index).last = std::max(at(index).last, step);
    }
    for (int index : pn.outputs) {
      if (index < 0) continue;
      at(index).first = at(index).last = step;
      defined[static_cast<std::size_t>(index)] = true;
    }
  }
  for (int index : program.outputs) {
    if (index >= 0 && !at(index).constant) at(index).last = end;
  }
}

// Bytes of a tensor as the model stores it (see FloatWeights).
std::uint64_t stored_bytes(const ProgramTensor& t, FloatWeights weights) {
  if (weights == FloatWeights::kHalf && t.constant && t.type.dtype == DType::kFloat32) {
    return static_cast<std::uint64_t>(t.type.element_count()) * 2;
  }
  return t.type.byte_size();
}

// Weights in program order, each on an aligned offset: the artifact's data section.
std::uint64_t place_weights(std::vector<TensorPlacement>& placements) {
  std::uint64_t end = 0;
  for (TensorPlacement& p : placements) {
    if (!p.constant) continue;
    p.offset = align_up(end);
    end = p.offset + p.bytes;
  }
  return end;
}

// The smallest gap between `busy` placements (sorted by offset) that fits
// `size`, else the offset above all of them.
std::uint64_t best_fit(const std::vector<const TensorPlacement*>& busy, std::uint64_t size) {
  std::uint64_t cursor = 0;
  std::uint64_t best = 0;
  std::uint64_t best_gap = std::numeric_limits<std::uint64_t>::max();
  for (const TensorPlacement* p : busy) {
    if (p->offset > cursor) {
      const std::uint64_t gap = p->offset - cursor;
      if (gap >= size && gap < best_gap) {
        best = cursor;
        best_gap = gap;
      }
    }
    cursor = std::max(cursor, p->offset + p->reserved);
  }
  return best_gap == std::numeric_limits<std::uint64_t>::max() ? cursor : best;
}

}  // namespace

bool MemoryPlan::live_together(std::size_t a, std::size_t b) const {
  const TensorPlacement& x = tensors.at(a);
  const TensorPlacement& y = tensors.at(b);
  if (x.constant || y.constant || x.first == kNeverLive || y.first == kNeverLive) return false;
  return x.first <= y.last && y.first <= x.last;
}

std::uint64_t weight_section_bytes(const Program& program, FloatWeights weights) {
  std::uint64_t end = 0;
  for (const ProgramTensor& t : program.tensors) {
    if (t.constant) end = align_up(end) + stored_bytes(t, weights);
  }
  return end;
}

MemoryPlan plan_memory(const Program& program, FloatWeights weights) {
  count_memory_plan();  // graph work (graph_work.h)
  MemoryPlan plan;
  plan.tensors.resize(program.tensors.size());
  for (std::size_t i = 0; i < program.tensors.size(); ++i) {
    TensorPlacement& p = plan.tensors[i];
    p.constant = program.tensors[i].constant.has_value();
    p.bytes = stored_bytes(program.tensors[i], weights);
    p.reserved = align_up(p.bytes);
    p.first = p.last = kNeverLive;
  }
  set_lifetimes(program, plan.tensors);
  plan.weight_bytes = place_weights(plan.tensors);

  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < plan.tensors.size(); ++i) {
    const TensorPlacement& p = plan.tensors[i];
    if (p.constant || p.first == kNeverLive) continue;
    order.push_back(i);
    plan.unshared_bytes += p.reserved;
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const TensorPlacement& x = plan.tensors[a];
    const TensorPlacement& y = plan.tensors[b];
    if (x.reserved != y.reserved) return x.reserved > y.reserved;
    return x.first < y.first;  // stable_sort keeps lower indices first on ties
  });

  std::vector<std::size_t> placed;
  for (std::size_t i : order) {
    std::vector<const TensorPlacement*> busy;
    for (std::size_t j : placed) {
      if (plan.live_together(i, j)) busy.push_back(&plan.tensors[j]);
    }
    std::sort(busy.begin(), busy.end(), [](const TensorPlacement* a, const TensorPlacement* b) {
      return a->offset < b->offset || (a->offset == b->offset && a->reserved < b->reserved);
    });
    TensorPlacement& p = plan.tensors[i];
    p.offset = best_fit(busy, p.reserved);
    plan.arena_bytes = std::max(plan.arena_bytes, p.offset + p.reserved);
    placed.push_back(i);
  }
  return plan;
}

}  // namespace rknn::sim
