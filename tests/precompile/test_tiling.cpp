// The tiles and the memory plan of pre-compiled programs: the tiles of a step
// cover its output exactly once and fit the platform's on-chip buffer; values
// live at the same time never share arena bytes; with small buffers (channel
// slices, row bands, sliced depthwise groups and Gemm columns everywhere) the
// program still gives the graph path's bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "precompile/precompile.h"
#include "precompile/tiling.h"
#include "precompile_test_util.h"
#include "rknn/sim/executor.h"
#include "rknn/sim/planned_executor.h"

namespace rknn::testing {
namespace {

const sim::ProgramTensor& tensor_of(const sim::Program& p, int t) { return p.tensors.at(static_cast<std::size_t>(t)); }

std::uint64_t box_elements(const sim::Box& box) {
  std::uint64_t n = 1;
  for (const sim::Range& r : box) n *= static_cast<std::uint64_t>(r.size());
  return n;
}

// How often each element of the step's output is written by its tiles.
void expect_covered_once(const sim::Program& program, const sim::PlannedStep& step, std::size_t index) {
  const sim::Shape& shape = tensor_of(program, step.outputs[0]).type.shape;
  const std::vector<std::int64_t> strides = sim::strides_of(shape);
  std::vector<std::uint8_t> writes(static_cast<std::size_t>(sim::element_count(shape)), 0);
  for (const sim::Tile& tile : step.tiles) {
    ASSERT_EQ(tile.output.size(), shape.size());
    std::vector<std::int64_t> at(shape.size());
    for (std::size_t a = 0; a < shape.size(); ++a) at[a] = tile.output[a].begin;
    while (true) {
      std::int64_t offset = 0;
      for (std::size_t a = 0; a < shape.size(); ++a) offset += at[a] * strides[a];
      ++writes[static_cast<std::size_t>(offset)];
      std::size_t a = shape.size();
      while (a > 0 && ++at[a - 1] == tile.output[a - 1].end) {
        at[a - 1] = tile.output[a - 1].begin;
        --a;
      }
      if (a == 0) break;
    }
  }
  const auto wrong = std::find_if(writes.begin(), writes.end(), [](std::uint8_t n) { return n != 1; });
  EXPECT_EQ(wrong, writes.end()) << "step " << index << ": element " << (wrong - writes.begin()) << " written "
                                 << (wrong == writes.end() ? 0 : int(*wrong)) << " times";
}

// What a tile must hold at least: its staged input boxes and its output box
// (the footprint adds weights and intermediate values).
std::uint64_t staged_bytes(const sim::Program& program, const sim::PlannedStep& step, const sim::Tile& tile) {
  const sim::DType output_type = tensor_of(program, step.outputs[0]).type.dtype;
  std::uint64_t bytes = box_elements(tile.output) * precompile::npu_element_bytes(output_type);
  std::size_t box = 0;
  for (int t : step.inputs) {
    if (tensor_of(program, t).constant) continue;
    bytes += box_elements(tile.inputs.at(box++)) * precompile::npu_element_bytes(tensor_of(program, t).type.dtype);
  }
  return bytes;
}

// Lifetimes from the step order alone: program inputs from before step 0,
// outputs to after the last step.
void expect_disjoint_when_live(const sim::Program& program, const sim::PlannedProgram& plan) {
  const int end = static_cast<int>(plan.steps.size());
  std::map<int, std::pair<int, int>> life;  // tensor -> [first, last]
  for (int t : program.inputs) life[t] = {-1, -1};
  for (int s = 0; s < end; ++s) {
    for (int t : plan.steps[static_cast<std::size_t>(s)].inputs) {
      if (!tensor_of(program, t).constant) life.at(t).second = s;
    }
    for (int t : plan.steps[static_cast<std::size_t>(s)].outputs) life[t] = {s, s};
  }
  for (int t : program.outputs) life.at(t).second = end;
  std::map<int, const sim::Placement*> placed;
  for (const sim::Placement& p : plan.placements) {
    EXPECT_LE(p.offset + p.size, plan.activation_bytes);
    placed[p.tensor] = &p;
  }
  for (const auto& [t, span] : life) {
    ASSERT_TRUE(placed.contains(t)) << "'" << tensor_of(program, t).name << "' has no place";
  }
  for (auto a = life.begin(); a != life.end(); ++a) {
    for (auto b = std::next(a); b != life.end(); ++b) {
      const bool live_together = a->second.first <= b->second.second && b->second.first <= a->second.second;
      const sim::Placement& x = *placed.at(a->first);
      const sim::Placement& y = *placed.at(b->first);
      const bool overlap = x.offset < y.offset + y.size && y.offset < x.offset + x.size && x.size && y.size;
      EXPECT_FALSE(live_together && overlap) << "'" << tensor_of(program, a->first).name << "' and '"
                                             << tensor_of(program, b->first).name << "' share arena bytes";
    }
  }
  std::uint64_t unshared = 0;
  for (const sim::Placement& p : plan.placements) unshared += p.size;
  EXPECT_LE(plan.activation_bytes, unshared + 64 * plan.placements.size());
}

class Plans : public ::testing::TestWithParam<ModelCase> {};

TEST_P(Plans, TilesCoverEachOutputOnceAndFitTheBuffer) {
  const driver::CompiledModel m = compile_case(GetParam(), true);
  ASSERT_TRUE(m.precompiled);
  const sim::PlannedProgram& plan = *m.precompiled;
  EXPECT_EQ(plan.buffer_bytes, 512u * 1024);  // rk1808
  for (std::size_t s = 0; s < plan.steps.size(); ++s) {
    const sim::PlannedStep& step = plan.steps[s];
    expect_covered_once(m.program, step, s);
    EXPECT_TRUE(step.fits) << "step " << s << " needs " << step.footprint;
    EXPECT_LE(step.footprint, plan.buffer_bytes) << "step " << s;
    for (const sim::Tile& tile : step.tiles) {
      EXPECT_LE(staged_bytes(m.program, step, tile), step.footprint) << "step " << s;
    }
    EXPECT_LE(step.kernels.size(), step.tiles.size());
  }
}

TEST_P(Plans, LiveActivationsNeverShareArenaBytes) {
  const driver::CompiledModel m = compile_case(GetParam(), true);
  ASSERT_TRUE(m.precompiled);
  expect_disjoint_when_live(m.program, *m.precompiled);
  EXPECT_EQ(m.precompiled->activation_bytes % 64, 0u);
  EXPECT_EQ(m.precompiled->scratch_bytes % 64, 0u);
}

TEST(Plans, FusedValuesNeverReachTheArena) {
  const driver::CompiledModel m = compile_case(kShapesU8, true);
  ASSERT_TRUE(m.precompiled);
  std::set<int> placed;
  for (const sim::Placement& p : m.precompiled->placements) placed.insert(p.tensor);
  std::size_t fused = 0;
  for (const sim::PlannedStep& step : m.precompiled->steps) {
    if (step.nodes.size() < 2) continue;
    ++fused;
    EXPECT_EQ(m.program.nodes[static_cast<std::size_t>(step.nodes.back())].node.op, "MaxPool");
    for (std::size_t k = 0; k + 1 < step.nodes.size(); ++k) {
      EXPECT_FALSE(placed.contains(m.program.nodes[static_cast<std::size_t>(step.nodes[k])].outputs[0]));
    }
  }
  EXPECT_EQ(fused, 2u);  // conv1 + pool1 and conv2 + pool2: 2x2 pools on 32x32 and 16x16
}

INSTANTIATE_TEST_SUITE_P(Models, Plans,
                         ::testing::Values(kShapesU8, kShapesI16, kShapesF16, kMobileNetV2U8, kResNet18U8), case_name);

struct SmallBufferCase {
  ModelCase model;
  std::uint64_t buffer_bytes;
};

void PrintTo(const SmallBufferCase& c, std::ostream* os) { *os << c.model.name << " " << c.buffer_bytes << " bytes"; }

class SmallBuffer : public ::testing::TestWithParam<SmallBufferCase> {};

// Distinct ranges along `axis` among the tiles' output boxes.
std::size_t distinct_ranges(const sim::PlannedStep& step, std::size_t axis) {
  std::set<std::pair<std::int64_t, std::int64_t>> ranges;
  for (const sim::Tile& tile : step.tiles) {
    if (axis < tile.output.size()) ranges.insert({tile.output[axis].begin, tile.output[axis].end});
  }
  return ranges.size();
}

TEST_P(SmallBuffer, CutsChannelsAndRowsAndKeepsTheBytes) {
  const SmallBufferCase& c = GetParam();
  const driver::CompiledModel graph = compile_case(c.model, false);
  sim::Program program = graph.program;
  const precompile::Precompiled pre = precompile::precompile(program, "rk1808", c.buffer_bytes);
  std::size_t channel_cut = 0, row_cut = 0, sliced_groups = 0;
  for (std::size_t s = 0; s < pre.plan.steps.size(); ++s) {
    const sim::PlannedStep& step = pre.plan.steps[s];
    expect_covered_once(program, step, s);
    channel_cut += distinct_ranges(step, 1) > 1 ? 1 : 0;
    row_cut += distinct_ranges(step, 2) > 1 ? 1 : 0;
    for (const sim::TileKernel& k : step.kernels) sliced_groups += k.nodes[0].overrides.has("group") ? 1 : 0;
  }
  EXPECT_GT(channel_cut, 0u);
  EXPECT_GT(row_cut, 0u);
  if (std::string(c.model.name) == "mobilenetv2_u8") {
    EXPECT_GT(sliced_groups, 0u);  // depthwise convolutions cut into channel slices
  }
  expect_disjoint_when_live(program, pre.plan);

  const bool float16 = std::string(c.model.quant) == "float16";
  const std::vector<sim::Tensor> inputs = random_inputs(graph.program, 11);
  sim::Executor graph_executor(graph.program, {.threads = 1, .float16 = float16});
  const std::vector<sim::Tensor> expected = graph_executor.run(inputs);
  sim::PlannedExecutor planned(program, pre.plan, {.threads = 2, .float16 = float16});
  const std::vector<sim::Tensor> got = planned.run(inputs);
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_TRUE(got[i].bytes_equal(expected[i])) << "output " << i;
}

INSTANTIATE_TEST_SUITE_P(Models, SmallBuffer,
                         ::testing::Values(SmallBufferCase{kShapesU8, 2 * 1024}, SmallBufferCase{kShapesI16, 4 * 1024},
                                           SmallBufferCase{kShapesF16, 4 * 1024},
                                           SmallBufferCase{kMobileNetV2U8, 48 * 1024},
                                           SmallBufferCase{kResNet18U8, 64 * 1024}),
                         [](const ::testing::TestParamInfo<SmallBufferCase>& param) { return param.param.model.name; });

}  // namespace
}  // namespace rknn::testing
