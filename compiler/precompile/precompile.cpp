#include "precompile/precompile.h"

#include "ir/error.h"
#include "lower/sync_points.h"
#include "precompile/fold_static.h"
#include "precompile/memory.h"
#include "precompile/program_view.h"
#include "precompile/tiling.h"
#include "rknn/sim/error.h"
#include "rknn/sim/planned_executor.h"
#include "rknn/sim/platforms.h"

namespace rknn::precompile {
namespace {

const sim::Platform& find_target(const std::string& name) {
  const sim::Platform* platform = sim::find_platform(name);
  if (!platform) throw CompileError("unknown platform '" + name + "'; supported: " + sim::platform_names());
  return *platform;
}

void check_outputs(const sim::Program& program) {
  for (int t : program.outputs) {
    const sim::ProgramTensor& tensor = program.tensors.at(static_cast<std::size_t>(t));
    if (tensor.constant) {
      throw CompileError("pre-compilation: output '" + tensor.name +
                         "' is a constant (computable at compile time); a pre-compiled program computes its outputs");
    }
  }
}

// Step 5: the runtime's own loader must accept the plan.
void verify(const sim::Program& program, const Precompiled& result) {
  sim::ExecutorOptions options;
  options.sync_after.assign(result.sync_after.begin(), result.sync_after.end());
  try {
    sim::PlannedExecutor executor(borrowed_view(program), result.plan, options);
  } catch (const sim::Error& e) {
    throw CompileError(std::string("pre-compilation produced a program the simulator refuses: ") + e.what());
  }
}

std::string kib(std::uint64_t bytes) { return std::to_string((bytes + 1023) / 1024) + " KiB"; }

}  // namespace

Precompiled lower(sim::Program& program, const std::string& platform, std::uint64_t buffer_bytes,
                  const std::vector<std::string>& sync_layers) {
  const sim::Platform& target = find_target(platform);
  Precompiled result;
  result.folded = fold_static(program);
  check_outputs(program);
  result.sync_after = lower::sync_points(program, sync_layers);
  result.fusion = fuse(program, result.sync_after);
  result.plan.platform = platform;
  result.plan.buffer_bytes = buffer_bytes ? buffer_bytes : static_cast<std::uint64_t>(target.onchip_kib) * 1024;
  const TilingTarget tiling{result.plan.buffer_bytes, target.channel_granule_out};
  std::uint64_t scratch = 0;
  for (const std::vector<int>& group : result.fusion.groups) {
    TiledStep tiled = tile_step(program, group, tiling);
    scratch = std::max(scratch, tiled.scratch_bytes);
    result.plan.steps.push_back(std::move(tiled.step));
  }
  plan_arena(program, result.plan, scratch);
  return result;
}

Precompiled precompile(sim::Program& program, const std::string& platform, std::uint64_t buffer_bytes,
                       const std::vector<std::string>& sync_layers) {
  Precompiled result = lower(program, platform, buffer_bytes, sync_layers);
  verify(program, result);
  return result;
}

std::vector<std::string> describe(const Precompiled& result, const sim::Program& program) {
  const sim::PlannedProgram& plan = result.plan;
  std::size_t pooled = 0, activated = 0, tiles = 0, kernels = 0;
  for (const sim::PlannedStep& step : plan.steps) {
    auto op = [&](std::size_t k) -> const sim::OpNode& {
      return program.nodes[static_cast<std::size_t>(step.nodes[k])].node;
    };
    const bool conv = op(0).op == "Conv";
    // The activation rides in the Conv: a fused Relu node, or folded into it by the graph optimizer.
    activated += conv && (op(0).attrs.has("activation") || (step.nodes.size() > 1 && op(1).op == "Relu")) ? 1 : 0;
    pooled += conv && op(step.nodes.size() - 1).op == "MaxPool" ? 1 : 0;
    tiles += step.tiles.size();
    kernels += step.kernels.size();
  }
  std::vector<std::string> lines;
  lines.push_back("pre-compiled for " + plan.platform + ": " + std::to_string(plan.steps.size()) + " steps (" +
                  std::to_string(activated) + " Conv with its activation, " + std::to_string(pooled) +
                  " Conv with its MaxPool), " + std::to_string(tiles) + " tiles, " + std::to_string(kernels) +
                  " kernels; arena " + kib(plan.activation_bytes) + " activations + " + kib(plan.scratch_bytes) +
                  " scratch; on-chip buffer " + kib(plan.buffer_bytes));
  if (result.folded) {
    lines.push_back("pre-compilation folded " + std::to_string(result.folded) + " nodes into constants");
  }
  auto name = [&program](int node) { return program.nodes[static_cast<std::size_t>(node)].node.describe(); };
  for (const PoolDecision& d : result.fusion.pools) {
    if (!d.fused) lines.push_back(name(d.pool) + " runs apart from " + name(d.conv) + ": " + d.reason);
  }
  for (const sim::PlannedStep& step : plan.steps) {
    if (!step.fits) {
      lines.push_back(name(step.nodes.front()) + " needs " + kib(step.footprint) + " of on-chip buffer at once (" +
                      kib(plan.buffer_bytes) + " available) even in its smallest tiles");
    }
  }
  return lines;
}

}  // namespace rknn::precompile
