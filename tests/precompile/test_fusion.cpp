// The NPU fusion rules (RKNN Trouble Shooting 5.1, compiler/precompile/fusion.h):
// a Relu after a Conv always joins it; a MaxPool joins only when it is 2x2 or
// 3x3 with stride 2 and no padding, a 2x2 pool's input is even, a 3x3 pool's
// input is odd and not 1, and a 3x3 pool's input is narrower than 64 columns
// (8-bit) or 32 (16-bit). Each rule is checked on both sides of its limit.
#include <gtest/gtest.h>

#include "precompile/fusion.h"

namespace rknn::precompile {
namespace {

struct PoolCase {
  const char* name;
  sim::DType dtype;
  std::int64_t height, width;
  std::int64_t kernel, stride, pad;
  bool fused;
  const char* reason;  // a part of the refusal ("" when fused)
};

// x [1,4,H,W] -> 1x1 Conv -> [Relu] -> MaxPool; the value types follow `dtype`
// (quantized codes carry parameters; float is the 16-bit float16 path).
class Builder {
 public:
  explicit Builder(sim::DType dtype) : dtype_(dtype) {}

  int tensor(const std::string& name, sim::Shape shape, bool constant = false) {
    const sim::DType type = constant ? sim::DType::kFloat32 : dtype_;
    sim::ProgramTensor t{name, {type, std::move(shape)}, std::nullopt, std::nullopt};
    if (constant) t.constant = sim::Tensor(t.type);
    if (!constant && dtype_ != sim::DType::kFloat32) t.quant = sim::QuantParams{{0.5f}, {0}, -1};
    program_.tensors.push_back(std::move(t));
    return static_cast<int>(program_.tensors.size()) - 1;
  }

  int node(const std::string& op, std::vector<int> inputs, std::vector<int> outputs, sim::Attributes attrs = {}) {
    sim::ProgramNode pn;
    pn.node.op = op;
    pn.node.name = op + std::to_string(program_.nodes.size());
    pn.node.attrs = std::move(attrs);
    pn.inputs = std::move(inputs);
    pn.outputs = std::move(outputs);
    program_.nodes.push_back(std::move(pn));
    return static_cast<int>(program_.nodes.size()) - 1;
  }

  sim::Program& program() { return program_; }

 private:
  sim::DType dtype_;
  sim::Program program_;
};

sim::Attributes pool_attrs(std::int64_t kernel, std::int64_t stride, std::int64_t pad) {
  sim::Attributes a;
  a.set("kernel_shape", std::vector<std::int64_t>{kernel, kernel});
  a.set("strides", std::vector<std::int64_t>{stride, stride});
  a.set("pads", std::vector<std::int64_t>{pad, pad, pad, pad});
  return a;
}

// x -> Conv -> [Relu] -> MaxPool -> y; returns the program.
sim::Program conv_pool(const PoolCase& c, bool relu) {
  Builder b(c.dtype);
  const int x = b.tensor("x", {1, 4, c.height, c.width});
  const int w = b.tensor("w", {4, 4, 1, 1}, true);
  int value = b.tensor("c", {1, 4, c.height, c.width});
  b.node("Conv", {x, w}, {value});
  if (relu) {
    const int r = b.tensor("r", {1, 4, c.height, c.width});
    b.node("Relu", {value}, {r});
    value = r;
  }
  const auto out = [&](std::int64_t in) {
    return std::max<std::int64_t>(1, (in + 2 * c.pad - c.kernel) / c.stride + 1);
  };
  const int y = b.tensor("y", {1, 4, out(c.height), out(c.width)});
  b.node("MaxPool", {value}, {y}, pool_attrs(c.kernel, c.stride, c.pad));
  b.program().inputs = {x};
  b.program().outputs = {y};
  return std::move(b.program());
}

class PoolRule : public ::testing::TestWithParam<PoolCase> {};

TEST_P(PoolRule, DecidesAsTheNpuRulesSay) {
  const PoolCase& c = GetParam();
  for (bool relu : {false, true}) {
    const sim::Program program = conv_pool(c, relu);
    const Fusion fusion = fuse(program);
    ASSERT_EQ(fusion.pools.size(), 1u);
    const PoolDecision& d = fusion.pools[0];
    EXPECT_EQ(d.conv, 0);
    EXPECT_EQ(d.pool, relu ? 2 : 1);
    EXPECT_EQ(d.fused, c.fused) << d.reason;
    EXPECT_NE(d.reason.find(c.reason), std::string::npos) << d.reason;
    const std::size_t conv_group = relu ? 2u : 1u;  // the Relu always joins the Conv
    EXPECT_EQ(fusion.groups.front().size(), conv_group + (c.fused ? 1 : 0));
    EXPECT_EQ(fusion.groups.size(), c.fused ? 1u : 2u);
  }
}

constexpr sim::DType kU8 = sim::DType::kUInt8;
constexpr sim::DType kI16 = sim::DType::kInt16;
constexpr sim::DType kFloat = sim::DType::kFloat32;  // float16 models: 16-bit mode

INSTANTIATE_TEST_SUITE_P(
    Seeds, PoolRule,
    ::testing::Values(
        PoolCase{"pool2x2_even_input", kU8, 8, 8, 2, 2, 0, true, ""},
        PoolCase{"pool2x2_odd_height", kU8, 7, 8, 2, 2, 0, false, "even input size"},
        PoolCase{"pool2x2_odd_width", kU8, 8, 7, 2, 2, 0, false, "even input size"},
        PoolCase{"pool2x2_wide_8bit", kU8, 8, 128, 2, 2, 0, true, ""},  // no width limit for 2x2
        PoolCase{"pool3x3_odd_input", kU8, 7, 7, 3, 2, 0, true, ""},
        PoolCase{"pool3x3_even_height", kU8, 8, 7, 3, 2, 0, false, "odd input size"},
        PoolCase{"pool3x3_even_width", kU8, 7, 8, 3, 2, 0, false, "odd input size"},
        PoolCase{"pool3x3_size_one", kU8, 1, 7, 3, 2, 0, false, "other than 1"},
        PoolCase{"pool2x2_stride1", kU8, 8, 8, 2, 1, 0, false, "stride"},
        PoolCase{"pool3x3_stride1", kU8, 7, 7, 3, 1, 0, false, "stride"},
        PoolCase{"pool3x3_padded", kU8, 7, 7, 3, 2, 1, false, "padded"},
        PoolCase{"pool2x2_padded", kU8, 8, 8, 2, 2, 1, false, "padded"},
        PoolCase{"pool4x4", kU8, 8, 8, 4, 2, 0, false, "neither 2x2 nor 3x3"},
        PoolCase{"pool3x3_width63_8bit", kU8, 7, 63, 3, 2, 0, true, ""},
        PoolCase{"pool3x3_width65_8bit", kU8, 7, 65, 3, 2, 0, false, "narrower than 64 columns in 8-bit"},
        PoolCase{"pool3x3_width31_16bit", kI16, 7, 31, 3, 2, 0, true, ""},
        PoolCase{"pool3x3_width33_16bit", kI16, 7, 33, 3, 2, 0, false, "narrower than 32 columns in 16-bit"},
        PoolCase{"pool3x3_width63_16bit", kI16, 7, 63, 3, 2, 0, false, "narrower than 32 columns in 16-bit"},
        PoolCase{"pool3x3_width31_float16", kFloat, 7, 31, 3, 2, 0, true, ""},
        PoolCase{"pool3x3_width33_float16", kFloat, 7, 33, 3, 2, 0, false, "16-bit"}),
    [](const ::testing::TestParamInfo<PoolCase>& param) { return std::string(param.param.name); });

TEST(ReluRule, AReluAfterAConvAlwaysJoinsIt) {
  Builder b(kU8);
  const int x = b.tensor("x", {1, 4, 5, 5});
  const int w = b.tensor("w", {4, 4, 1, 1}, true);
  const int c = b.tensor("c", {1, 4, 5, 5});
  const int r = b.tensor("r", {1, 4, 5, 5});
  b.node("Conv", {x, w}, {c});
  b.node("Relu", {c}, {r});
  b.program().inputs = {x};
  b.program().outputs = {r};
  const Fusion fusion = fuse(b.program());
  ASSERT_EQ(fusion.groups.size(), 1u);
  EXPECT_EQ(fusion.groups[0], (std::vector<int>{0, 1}));
  EXPECT_TRUE(fusion.pools.empty());
}

TEST(ReluRule, AConvValueOthersReadStaysInMemory) {
  Builder b(kU8);
  const int x = b.tensor("x", {1, 4, 5, 5});
  const int w = b.tensor("w", {4, 4, 1, 1}, true);
  const int c = b.tensor("c", {1, 4, 5, 5});
  const int r = b.tensor("r", {1, 4, 5, 5});
  const int s = b.tensor("s", {1, 4, 5, 5});
  b.node("Conv", {x, w}, {c});
  b.node("Relu", {c}, {r});
  b.node("Add", {c, r}, {s});  // the Conv's value is read twice
  b.program().inputs = {x};
  b.program().outputs = {s};
  EXPECT_EQ(fuse(b.program()).groups.size(), 3u);

  b.program().nodes.pop_back();
  b.program().outputs = {r, c};  // a program output must reach memory
  EXPECT_EQ(fuse(b.program()).groups.size(), 2u);
}

// A sync point (--sync-layers) ends a step: after the Conv, the Relu runs
// apart; after the Relu, the pool does.
TEST(SyncPoints, NoStepRunsAcrossOne) {
  PoolCase c{"", kU8, 8, 8, 2, 2, 0, true, ""};
  const sim::Program program = conv_pool(c, true);  // Conv 0, Relu 1, MaxPool 2
  EXPECT_EQ(fuse(program).groups, (std::vector<std::vector<int>>{{0, 1, 2}}));
  EXPECT_EQ(fuse(program, {0}).groups, (std::vector<std::vector<int>>{{0}, {1}, {2}}));
  EXPECT_EQ(fuse(program, {1}).groups, (std::vector<std::vector<int>>{{0, 1}, {2}}));
}

TEST(PoolRuleSides, APoolWritingIndicesOrReadTwiceRunsApart) {
  PoolCase c{"", kU8, 8, 8, 2, 2, 0, true, ""};
  sim::Program program = conv_pool(c, false);
  program.tensors.push_back({"indices", {sim::DType::kInt64, {1, 4, 4, 4}}, std::nullopt, std::nullopt});
  program.nodes[1].outputs.push_back(static_cast<int>(program.tensors.size()) - 1);
  Fusion fusion = fuse(program);
  ASSERT_EQ(fusion.pools.size(), 1u);
  EXPECT_FALSE(fusion.pools[0].fused);
  EXPECT_NE(fusion.pools[0].reason.find("indices"), std::string::npos);

  program = conv_pool(c, false);
  program.outputs.push_back(2);  // the Conv's value (tensor 2) is also an output
  fusion = fuse(program);
  EXPECT_TRUE(fusion.pools.empty());
  EXPECT_EQ(fusion.groups.size(), 2u);
}

TEST(Fusion, EveryNodeIsInExactlyOneStepInProgramOrder) {
  const sim::Program program = conv_pool({"", kU8, 8, 8, 2, 2, 0, true, ""}, true);
  const Fusion fusion = fuse(program);
  std::vector<int> seen;
  for (const auto& group : fusion.groups) seen.insert(seen.end(), group.begin(), group.end());
  EXPECT_EQ(seen, (std::vector<int>{0, 1, 2}));
}

}  // namespace
}  // namespace rknn::precompile
