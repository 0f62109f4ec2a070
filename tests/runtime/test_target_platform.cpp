// The simulator acts as one chip: a model built for another compatibility
// group is refused with RKNN_ERR_TARGET_PLATFORM_UNMATCH, and the chip's cost
// model and memory plan answer PERF_RUN, PERF_DETAIL and MEM_SIZE.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "artifact/artifact_writer.h"
#include "rknn/model_format.h"
#include "rknn/runtime.hpp"
#include "rknn/sim/memory_plan.h"
#include "rknn/sim/perf_model.h"
#include "runtime_test_util.h"

namespace rknn {
namespace {

using namespace testing;

class RuntimeTargetPlatform : public ::testing::Test {
 protected:
  // The two-input model, built for `platforms` (written as given: the compiler
  // would refuse a mix of groups, a damaged or hand-made artifact may hold one).
  AlignedModel model_for(std::vector<std::string> platforms) {
    save_two_io_model(dir_ / "m.onnx");
    CompiledModel m = compile_onnx(dir_ / "m.onnx", {"float16", {}, ""});
    m.info.platforms = std::move(platforms);
    program_ = m.program;
    return AlignedModel(artifact::write_artifact(m.info, m.program));
  }

  int init_for(AlignedModel& model, const char* target) {
    rknn_init_options options{};
    options.target_platform = target;
    return rknn_init_with_options(&ctx_.id, model.data(), model.size(), RKNN_FLAG_COLLECT_PERF_MASK, &options);
  }

  void run_once() {
    std::vector<float> x = random_floats(48, 1);
    std::vector<float> s = {0.5f, -0.25f};
    ASSERT_EQ(set_input(ctx_.id, 0, x, RKNN_TENSOR_FLOAT32), RKNN_SUCC) << rknn_last_error_message();
    ASSERT_EQ(set_input(ctx_.id, 1, s, RKNN_TENSOR_FLOAT32), RKNN_SUCC) << rknn_last_error_message();
    ASSERT_EQ(rknn_run(ctx_.id, nullptr), RKNN_SUCC) << rknn_last_error_message();
  }

  TempDir dir_;
  sim::Program program_;
  ContextHandle ctx_;
};

TEST_F(RuntimeTargetPlatform, AModelRunsOnEveryChipOfItsGroupOnly) {
  AlignedModel model = model_for({"rk1808"});
  ASSERT_EQ(init_for(model, "rk3399pro"), RKNN_SUCC) << rknn_last_error_message();
  ASSERT_EQ(rknn_destroy(ctx_.id), RKNN_SUCC);
  ctx_.id = 0;
  for (const char* other : {"rv1109", "rv1126", "rk3566", "rk3568", "rk3588", "rv1103", "rv1106"}) {
    EXPECT_EQ(init_for(model, other), RKNN_ERR_TARGET_PLATFORM_UNMATCH) << other;
    EXPECT_EQ(ctx_.id, 0u);
    const std::string message = rknn_last_error_message();
    EXPECT_NE(message.find("the model was built for rk1808, which run on rk1808 rk3399pro only; " + std::string(other) +
                           " runs models built for "),
              std::string::npos)
        << message;
  }
  EXPECT_EQ(init_for(model, "rk9999"), RKNN_ERR_PARAM_INVALID);
  EXPECT_NE(std::string(rknn_last_error_message()).find("unknown target platform 'rk9999'"), std::string::npos);
}

TEST_F(RuntimeTargetPlatform, TheEnvironmentNamesTheChipForPlainRknnInit) {
  AlignedModel model = model_for({"rv1109", "rv1126"});
  ASSERT_EQ(::setenv("RKNN_TARGET_PLATFORM", "rk1808", 1), 0);
  EXPECT_EQ(rknn_init(&ctx_.id, model.data(), model.size(), 0), RKNN_ERR_TARGET_PLATFORM_UNMATCH);
  ASSERT_EQ(::setenv("RKNN_TARGET_PLATFORM", "rv1109", 1), 0);
  EXPECT_EQ(rknn_init(&ctx_.id, model.data(), model.size(), 0), RKNN_SUCC) << rknn_last_error_message();
  ASSERT_EQ(::unsetenv("RKNN_TARGET_PLATFORM"), 0);
}

TEST_F(RuntimeTargetPlatform, TheCppSessionCarriesTheCode) {
  AlignedModel model = model_for({"rk3588"});
  Options options;
  options.target_platform = "rk3566";
  try {
    Session session(model.span(), options);
    ADD_FAILURE() << "a model for rk3588 ran as rk3566";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), RKNN_ERR_TARGET_PLATFORM_UNMATCH);
  }
  options.target_platform = "rk3588";
  EXPECT_NO_THROW(Session(model.span(), options));
}

TEST_F(RuntimeTargetPlatform, AModelNamingSeveralGroupsOrNoneIsInvalid) {
  AlignedModel mixed = model_for({"rk1808", "rv1126"});
  EXPECT_EQ(rknn_init(&ctx_.id, mixed.data(), mixed.size(), 0), RKNN_ERR_MODEL_INVALID);
  EXPECT_NE(std::string(rknn_last_error_message()).find("span several compatibility groups"), std::string::npos);
  AlignedModel unknown = model_for({"rk9999"});
  EXPECT_EQ(rknn_init(&ctx_.id, unknown.data(), unknown.size(), 0), RKNN_ERR_MODEL_INVALID);
  AlignedModel none = model_for({});
  EXPECT_EQ(rknn_init(&ctx_.id, none.data(), none.size(), 0), RKNN_ERR_MODEL_INVALID);
}

TEST_F(RuntimeTargetPlatform, PerfQueriesGiveTheChipsEstimateNextToTheMeasuredTime) {
  AlignedModel model = model_for({"rv1126"});
  ASSERT_EQ(init_for(model, "rv1109"), RKNN_SUCC) << rknn_last_error_message();
  const sim::PerfReport expected = sim::estimate_perf(program_, *sim::find_platform("rv1109"));
  rknn_perf_run perf{-1};
  ASSERT_EQ(rknn_query(ctx_.id, RKNN_QUERY_PERF_RUN, &perf, sizeof perf), RKNN_SUCC);
  EXPECT_EQ(perf.run_duration, 0);  // no run yet
  run_once();
  ASSERT_EQ(rknn_query(ctx_.id, RKNN_QUERY_PERF_RUN, &perf, sizeof perf), RKNN_SUCC);
  EXPECT_EQ(perf.run_duration, std::llround(expected.total_us));

  rknn_perf_detail detail{};
  ASSERT_EQ(rknn_query(ctx_.id, RKNN_QUERY_PERF_DETAIL, &detail, sizeof detail), RKNN_SUCC);
  const std::string text(detail.perf_data, detail.data_len);
  EXPECT_NE(text.find("estimated NPU time of rv1109 (one core at 594 MHz)"), std::string::npos) << text;
  EXPECT_NE(text.find("Time(us)    NPU est.(us)\n"), std::string::npos) << text;
  char total[64];
  std::snprintf(total, sizeof total, "Estimated NPU Time(us): %.1f\n", expected.total_us);
  EXPECT_NE(text.find(total), std::string::npos) << text;
  // Each layer's estimate sits on the row of its first node; measured times on every row.
  for (const sim::PerfLayer& layer : expected.layers) {
    char cell[32];
    std::snprintf(cell, sizeof cell, " %.1f", layer.time_us);
    const std::size_t start = text.find("\n" + std::to_string(layer.nodes.front()) + " ");
    ASSERT_NE(start, std::string::npos) << text;
    const std::string line = text.substr(start + 1, text.find('\n', start + 1) - start - 1);
    EXPECT_TRUE(line.ends_with(cell)) << line;
  }
  EXPECT_EQ(text.find("(no run yet)"), std::string::npos);
}

TEST_F(RuntimeTargetPlatform, MemSizeIsTheMemoryPlan) {
  AlignedModel model = model_for({"rk1808"});
  ASSERT_EQ(init_for(model, nullptr), RKNN_SUCC) << rknn_last_error_message();
  const sim::MemoryPlan plan = sim::plan_memory(program_, sim::FloatWeights::kHalf);  // a float16 model
  rknn_mem_size mem{};
  ASSERT_EQ(rknn_query(ctx_.id, RKNN_QUERY_MEM_SIZE, &mem, sizeof mem), RKNN_SUCC);
  EXPECT_EQ(mem.total_weight_size, plan.weight_bytes);
  EXPECT_EQ(mem.total_internal_size, plan.arena_bytes);
  EXPECT_LT(plan.arena_bytes, plan.unshared_bytes);  // y's producer's input dies before y's mean is taken
  run_once();  // runs inside that arena
}

}  // namespace
}  // namespace rknn
