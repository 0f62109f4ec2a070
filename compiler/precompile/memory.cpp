#include "precompile/memory.h"

#include "precompile/program_view.h"
#include "rknn/sim/memory_plan.h"

namespace rknn::precompile {
namespace {

// The program with one node per step: what the planner's lifetimes run over.
sim::Program step_program(const sim::Program& program, const sim::PlannedProgram& plan) {
  sim::Program steps = borrowed_view(program);
  steps.nodes.clear();
  for (std::size_t s = 0; s < plan.steps.size(); ++s) {
    sim::ProgramNode node;
    node.node.op = "Step";
    node.node.name = "step " + std::to_string(s);
    node.inputs = plan.steps[s].inputs;
    node.outputs = plan.steps[s].outputs;
    steps.nodes.push_back(std::move(node));
  }
  return steps;
}

}  // namespace

void plan_arena(const sim::Program& program, sim::PlannedProgram& plan, std::uint64_t scratch_bytes) {
  const sim::MemoryPlan memory = sim::plan_memory(step_program(program, plan));
  plan.placements.clear();
  for (std::size_t t = 0; t < memory.tensors.size(); ++t) {
    const sim::TensorPlacement& p = memory.tensors[t];
    if (p.constant || p.first < 0) continue;  // weights, and values that never reach memory
    plan.placements.push_back({static_cast<int>(t), p.offset, p.bytes});
  }
  plan.activation_bytes = memory.arena_bytes;
  plan.scratch_bytes = (scratch_bytes + sim::kPlanAlignment - 1) / sim::kPlanAlignment * sim::kPlanAlignment;
}

}  // namespace rknn::precompile
