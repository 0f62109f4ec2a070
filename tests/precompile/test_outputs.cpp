// A pre-compiled program gives the graph path's bytes: the example model
// (u8, i16, float16) and the MobileNetV2- and ResNet-18-shaped models (u8;
// MobileNetV2 also float16 at optimization level 0, where pre-compilation folds
// the Shape chain and tiles the BatchNormalization nodes), run by the
// PlannedExecutor and by the graph Executor on the same inputs, on one and on
// two threads.
#include <gtest/gtest.h>

#include "precompile_test_util.h"
#include "runtime/runtime_test_util.h"
#include "rknn/sim/executor.h"
#include "rknn/sim/planned_executor.h"

namespace rknn::testing {
namespace {

class PrecompiledOutputs : public ::testing::TestWithParam<ModelCase> {};

TEST_P(PrecompiledOutputs, EqualTheGraphPathByteForByte) {
  const ModelCase& c = GetParam();
  const driver::CompiledModel graph = compile_case(c, false);
  const driver::CompiledModel pre = compile_case(c, true);
  ASSERT_TRUE(pre.precompiled.has_value());
  const bool float16 = std::string(c.quant) == "float16";
  const std::vector<sim::Tensor> inputs = random_inputs(graph.program, 7);
  sim::Executor graph_executor(graph.program, {.threads = 1, .float16 = float16});
  const std::vector<sim::Tensor> expected = graph_executor.run(inputs);
  for (int threads : {1, 2}) {
    sim::PlannedExecutor planned(pre.program, *pre.precompiled, {.threads = threads, .float16 = float16});
    const std::vector<sim::Tensor> got = planned.run(inputs);
    ASSERT_EQ(got.size(), expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_TRUE(got[i].bytes_equal(expected[i])) << "output " << i << " on " << threads << " threads";
    }
  }
}

// Unlike RKNN's, our pre-compiled models may have several inputs and outputs.
TEST(PrecompiledOutputs, TwoInputsAndTwoOutputsInFloat32) {
  const fs::path onnx = fs::temp_directory_path() / ("rknn_precompile_two_io_" + std::to_string(::getpid()) + ".onnx");
  save_two_io_model(onnx);
  const ModelCase c{"two_io", onnx, "float32", {}};
  const driver::CompiledModel graph = compile_case(c, false);
  const driver::CompiledModel pre = compile_case(c, true);
  fs::remove(onnx);
  ASSERT_TRUE(pre.precompiled.has_value());
  const std::vector<sim::Tensor> inputs = random_inputs(graph.program, 3);
  ASSERT_EQ(inputs.size(), 2u);
  sim::Executor graph_executor(graph.program);
  const std::vector<sim::Tensor> expected = graph_executor.run(inputs);
  sim::PlannedExecutor planned(pre.program, *pre.precompiled);
  const std::vector<sim::Tensor> got = planned.run(inputs);
  ASSERT_EQ(got.size(), 2u);
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_TRUE(got[i].bytes_equal(expected[i])) << "output " << i;
}

INSTANTIATE_TEST_SUITE_P(Models, PrecompiledOutputs,
                         ::testing::Values(kShapesU8, kShapesI16, kShapesF16, kMobileNetV2U8, kResNet18U8,
                                           kMobileNetV2F16Level0),
                         case_name);

}  // namespace
}  // namespace rknn::testing
