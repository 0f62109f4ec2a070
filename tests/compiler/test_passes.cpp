// Graph passes: each rewrite happens where it should, not where it must not,
// and the optimized graph computes what the original computed.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "driver/load_model.h"
#include "ir/error.h"
#include "lower/to_program.h"
#include "onnx_builder.h"
#include "rknn/sim/executor.h"

namespace rknn {
namespace {

using testing::OnnxBuilder;
using testing::TempDir;

sim::Tensor random(sim::Shape shape, std::uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
  sim::Tensor t(sim::DType::kFloat32, std::move(shape));
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  for (float& v : t.values<float>()) v = dist(rng);
  return t;
}

ir::Graph load(const std::filesystem::path& path, int level) {
  driver::LoadOptions options;
  options.optimization_level = level;
  return driver::load_model(path, options).graph;
}

sim::Tensor run(const ir::Graph& graph, const sim::Tensor& input) {
  sim::Executor executor(lower::to_program(graph));
  return executor.run(std::vector<sim::Tensor>{input}).at(0);
}

std::vector<std::string> ops_of(const ir::Graph& g) {
  std::vector<std::string> ops;
  for (const auto& n : g.nodes) ops.push_back(n.op);
  return ops;
}

void expect_close(const sim::Tensor& a, const sim::Tensor& b, float tolerance) {
  ASSERT_EQ(a.type(), b.type());
  for (std::int64_t i = 0; i < a.element_count(); ++i) {
    ASSERT_NEAR(a.values<float>()[static_cast<std::size_t>(i)], b.values<float>()[static_cast<std::size_t>(i)],
                tolerance)
        << "element " << i;
  }
}

// Optimizes at every level and checks each computes what level 0 computes.
void expect_same_results(const std::filesystem::path& path, const sim::Tensor& input, float tolerance) {
  const sim::Tensor reference = run(load(path, 0), input);
  for (int level = 1; level <= 3; ++level) {
    SCOPED_TRACE("level " + std::to_string(level));
    expect_close(run(load(path, level), input), reference, tolerance);
  }
}

OnnxBuilder conv_bn_relu() {
  OnnxBuilder b;
  b.input("x", {1, 3, 6, 6}).output("y", {1, 4, 4, 4});
  b.initializer("w", random({4, 3, 3, 3}, 1)).initializer("bias", random({4}, 2));
  b.initializer("gamma", random({4}, 3, 0.5f, 1.5f)).initializer("beta", random({4}, 4));
  b.initializer("mean", random({4}, 5)).initializer("var", random({4}, 6, 0.5f, 1.5f));
  b.node("Conv", {"x", "w", "bias"}, {"c"}, "conv");
  b.node("BatchNormalization", {"c", "gamma", "beta", "mean", "var"}, {"bn"}, "bn");
  b.node("Relu", {"bn"}, {"y"}, "relu");
  return b;
}

TEST(Passes, LevelZeroRewritesNothing) {
  TempDir dir;
  conv_bn_relu().save(dir / "m.onnx");
  EXPECT_EQ(ops_of(load(dir / "m.onnx", 0)), (std::vector<std::string>{"Conv", "BatchNormalization", "Relu"}));
}

TEST(Passes, BatchNormFoldsIntoConvAndReluFuses) {
  TempDir dir;
  conv_bn_relu().save(dir / "m.onnx");
  const ir::Graph g2 = load(dir / "m.onnx", 2);
  EXPECT_EQ(ops_of(g2), (std::vector<std::string>{"Conv", "BatchNormalization", "Relu"}));
  const ir::Graph g3 = load(dir / "m.onnx", 3);
  ASSERT_EQ(ops_of(g3), std::vector<std::string>{"Conv"});
  EXPECT_EQ(g3.nodes[0].attrs.get_string("activation", ""), "Relu");
  EXPECT_EQ(g3.outputs, std::vector<std::string>{"y"});
  expect_same_results(dir / "m.onnx", random({1, 3, 6, 6}, 7), 1e-5f);
}

TEST(Passes, BatchNormStaysWhenConvOutputHasOtherReaders) {
  TempDir dir;
  OnnxBuilder b = conv_bn_relu();
  b.node("Add", {"c", "y"}, {"z"}, "other_reader");
  b.model().mutable_graph()->mutable_output(0)->set_name("z");  // same shape as y
  b.save(dir / "m.onnx");
  const ir::Graph g = load(dir / "m.onnx", 3);
  EXPECT_EQ(ops_of(g), (std::vector<std::string>{"Conv", "BatchNormalization", "Relu", "Add"}));
}

TEST(Passes, GemmBatchNormFolds) {
  TempDir dir;
  OnnxBuilder b;
  b.input("x", {2, 5}).output("y", {2, 3});
  b.initializer("w", random({3, 5}, 1)).initializer("c", random({3}, 2));
  b.initializer("gamma", random({3}, 3, 0.5f, 1.5f)).initializer("beta", random({3}, 4));
  b.initializer("mean", random({3}, 5)).initializer("var", random({3}, 6, 0.5f, 1.5f));
  auto& gemm = b.node("Gemm", {"x", "w", "c"}, {"g"}, "fc");
  testing::set_int(gemm, "transB", 1);
  testing::set_float(gemm, "beta", 0.5f);
  b.node("BatchNormalization", {"g", "gamma", "beta", "mean", "var"}, {"y"}, "bn");
  b.save(dir / "m.onnx");
  EXPECT_EQ(ops_of(load(dir / "m.onnx", 3)), std::vector<std::string>{"Gemm"});
  expect_same_results(dir / "m.onnx", random({2, 5}, 9), 1e-5f);
}

TEST(Passes, MulAndAddByConstantFoldIntoConv) {
  TempDir dir;
  OnnxBuilder b;
  b.input("x", {1, 2, 5, 5}).output("y", {1, 3, 5, 5});
  b.initializer("w", random({3, 2, 1, 1}, 1)).initializer("scale", random({1, 3, 1, 1}, 2));
  b.initializer("shift", random({3, 1, 1}, 3));
  b.node("Conv", {"x", "w"}, {"c"}, "conv");
  b.node("Mul", {"scale", "c"}, {"m"}, "mul");
  b.node("Add", {"m", "shift"}, {"y"}, "add");
  b.save(dir / "m.onnx");
  EXPECT_EQ(ops_of(load(dir / "m.onnx", 3)), std::vector<std::string>{"Conv"});
  expect_same_results(dir / "m.onnx", random({1, 2, 5, 5}, 4), 1e-5f);
}

TEST(Passes, MulThatVariesSpatiallyDoesNotFold) {
  TempDir dir;
  OnnxBuilder b;
  b.input("x", {1, 2, 5, 5}).output("y", {1, 3, 5, 5});
  b.initializer("w", random({3, 2, 1, 1}, 1)).initializer("scale", random({1, 1, 5, 5}, 2));
  b.node("Conv", {"x", "w"}, {"c"}, "conv");
  b.node("Mul", {"c", "scale"}, {"y"}, "mul");
  b.save(dir / "m.onnx");
  EXPECT_EQ(ops_of(load(dir / "m.onnx", 3)), (std::vector<std::string>{"Conv", "Mul"}));
}

TEST(Passes, PadFoldsIntoConvAndAveragePool) {
  TempDir dir;
  OnnxBuilder b;
  b.input("x", {1, 2, 6, 6}).output("y", {1, 2, 6, 6});
  b.initializer("w", random({2, 2, 3, 3}, 1));
  b.initializer("pads", sim::make_int64_tensor(std::vector<std::int64_t>{0, 0, 1, 2, 0, 0, 1, 0}, {8}));
  b.initializer("pads2", sim::make_int64_tensor(std::vector<std::int64_t>{0, 0, 1, 1, 0, 0, 1, 1}, {8}));
  b.node("Pad", {"x", "pads"}, {"p"}, "pad");
  b.node("Conv", {"p", "w"}, {"c"}, "conv");
  b.node("Pad", {"c", "pads2"}, {"p2"}, "pad2");
  testing::set_ints(b.node("AveragePool", {"p2"}, {"y"}, "pool"), "kernel_shape", {3, 3});
  b.save(dir / "m.onnx");
  const ir::Graph g = load(dir / "m.onnx", 2);
  ASSERT_EQ(ops_of(g), (std::vector<std::string>{"Conv", "AveragePool"}));
  EXPECT_EQ(g.nodes[0].attrs.get_ints("pads"), (std::vector<std::int64_t>{1, 2, 1, 0}));
  EXPECT_EQ(g.nodes[1].attrs.get_int("count_include_pad", 0), 1);
  expect_same_results(dir / "m.onnx", random({1, 2, 6, 6}, 4), 1e-5f);
}

TEST(Passes, ReflectPadDoesNotFold) {
  TempDir dir;
  OnnxBuilder b;
  b.input("x", {1, 2, 6, 6}).output("y", {1, 2, 6, 6});
  b.initializer("w", random({2, 2, 3, 3}, 1));
  b.initializer("pads", sim::make_int64_tensor(std::vector<std::int64_t>{0, 0, 1, 1, 0, 0, 1, 1}, {8}));
  auto& pad = b.node("Pad", {"x", "pads"}, {"p"}, "pad");
  auto* mode = pad.add_attribute();
  mode->set_name("mode");
  mode->set_type(onnx::AttributeProto::STRING);
  mode->set_s("reflect");
  b.node("Conv", {"p", "w"}, {"y"}, "conv");
  b.save(dir / "m.onnx");
  EXPECT_EQ(ops_of(load(dir / "m.onnx", 3)), (std::vector<std::string>{"Pad", "Conv"}));
}

TEST(Passes, ClipAndLeakyReluFuseIntoConv) {
  TempDir dir;
  OnnxBuilder b;
  b.input("x", {1, 2, 4, 4}).output("y", {1, 2, 4, 4}).output("z", {1, 2, 4, 4});
  b.initializer("w", random({2, 2, 1, 1}, 1, -4.0f, 4.0f)).initializer("w2", random({2, 2, 1, 1}, 2));
  b.initializer("lo", sim::make_float_tensor(std::vector<float>{0.0f}, {}));
  b.initializer("hi", sim::make_float_tensor(std::vector<float>{6.0f}, {}));
  b.node("Conv", {"x", "w"}, {"c"}, "conv");
  b.node("Clip", {"c", "lo", "hi"}, {"y"}, "relu6");
  b.node("Conv", {"x", "w2"}, {"c2"}, "conv2");
  testing::set_float(b.node("LeakyRelu", {"c2"}, {"z"}, "leaky"), "alpha", 0.2f);
  b.save(dir / "m.onnx");
  const ir::Graph g = load(dir / "m.onnx", 2);
  ASSERT_EQ(ops_of(g), (std::vector<std::string>{"Conv", "Conv"}));
  EXPECT_EQ(g.nodes[0].attrs.get_string("activation", ""), "Clip");
  EXPECT_EQ(g.nodes[0].attrs.get_float("activation_max", 0), 6.0f);
  EXPECT_EQ(g.nodes[1].attrs.get_float("activation_alpha", 0), 0.2f);
  expect_same_results(dir / "m.onnx", random({1, 2, 4, 4}, 4, -3.0f, 3.0f), 0.0f);
}

TEST(Passes, ShapeSubgraphFoldsToAConstantReshape) {
  TempDir dir;
  OnnxBuilder b;
  b.input("x", {2, 3, 4}).output("y", {2, 12});
  b.initializer("zero", sim::make_int64_tensor(std::vector<std::int64_t>{0}, {}));
  b.initializer("axes", sim::make_int64_tensor(std::vector<std::int64_t>{0}, {1}));
  b.initializer("minus_one", sim::make_int64_tensor(std::vector<std::int64_t>{-1}, {1}));
  b.node("Shape", {"x"}, {"s"});
  b.node("Gather", {"s", "zero"}, {"n"});
  b.node("Unsqueeze", {"n", "axes"}, {"n1"});
  b.node("Concat", {"n1", "minus_one"}, {"target"}).add_attribute()->CopyFrom([] {
    onnx::AttributeProto a;
    a.set_name("axis");
    a.set_type(onnx::AttributeProto::INT);
    a.set_i(0);
    return a;
  }());
  b.node("Reshape", {"x", "target"}, {"r"}, "flatten");
  b.node("Dropout", {"r"}, {"d"}, "dropout");
  b.node("Identity", {"d"}, {"y"}, "identity");
  b.save(dir / "m.onnx");
  const ir::Graph g1 = load(dir / "m.onnx", 1);
  ASSERT_EQ(ops_of(g1), std::vector<std::string>{"Reshape"});
  EXPECT_EQ(g1.nodes[0].outputs, std::vector<std::string>{"y"});  // the model's output name survives
  EXPECT_EQ(g1.value(g1.nodes[0].inputs[1]).constant->to_int64_vector(), (std::vector<std::int64_t>{2, -1}));
  EXPECT_EQ(g1.value("y").type.shape, (sim::Shape{2, 12}));
  // Level 0 keeps every node and still plans the Reshape from the static shape.
  EXPECT_EQ(load(dir / "m.onnx", 0).nodes.size(), 7u);
  expect_same_results(dir / "m.onnx", random({2, 3, 4}, 5), 0.0f);
}

TEST(Passes, DeadNodesAndTheirConstantsGo) {
  TempDir dir;
  OnnxBuilder b;
  b.input("x", {4}).output("y", {4});
  b.initializer("unused_w", random({4}, 1));
  b.node("Mul", {"x", "unused_w"}, {"dead"}, "dead_mul");
  b.node("Relu", {"x"}, {"y"}, "relu");
  b.save(dir / "m.onnx");
  const ir::Graph g = load(dir / "m.onnx", 1);
  EXPECT_EQ(ops_of(g), std::vector<std::string>{"Relu"});
  EXPECT_FALSE(g.has_value("unused_w"));
  EXPECT_FALSE(g.has_value("dead"));
}

TEST(Passes, RejectsOutOfRangeLevel) {
  TempDir dir;
  conv_bn_relu().save(dir / "m.onnx");
  EXPECT_THROW(load(dir / "m.onnx", 4), CompileError);
}

}  // namespace
}  // namespace rknn
