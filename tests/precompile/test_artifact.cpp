// Pre-compiled artifacts through the RKNN C API: the same bytes as the plain
// artifact, deterministic files, the refusals (another program format version:
// RKNN_ERR_INCOMPATILE_PRE_COMPILE_MODEL; another platform group:
// RKNN_ERR_TARGET_PLATFORM_UNMATCH; a damaged plan: RKNN_ERR_MODEL_INVALID)
// and a load that does no graph work.
#include <gtest/gtest.h>

#include <cstring>

#include "artifact/artifact_writer.h"
#include "ir/error.h"
#include "precompile_test_util.h"
#include "rknn/rknn_api_ext.h"
#include "rknn/sim/error.h"
#include "rknn/sim/graph_work.h"
#include "rknn/sim/planned_executor.h"
#include "rknn_api.h"
#include "rknn_model_generated.h"
#include "runtime/runtime_test_util.h"

namespace rknn::testing {
namespace {

namespace fb = rknn::format::fb;

std::string artifact_of(const ModelCase& c, bool precompile, const std::string& platform = "rk1808") {
  const driver::CompiledModel m = compile_case(c, precompile, platform);
  return artifact::write_artifact(m.info, m.program, m.precompiled ? &*m.precompiled : nullptr);
}

// The bytes of a scalar field of the artifact's pre-compiled program, found
// through the flatbuffer's vtable: where a patch changes it.
std::size_t program_field_offset(const std::string& bytes, flatbuffers::voffset_t field) {
  const auto* base = reinterpret_cast<const std::uint8_t*>(bytes.data());
  const fb::Model* model = fb::GetSizePrefixedModel(base);
  const auto* table = reinterpret_cast<const std::uint8_t*>(model->programs()->Get(0));
  const std::uint8_t* vtable = table - flatbuffers::ReadScalar<flatbuffers::soffset_t>(table);
  const auto at = flatbuffers::ReadScalar<flatbuffers::voffset_t>(vtable + field);
  EXPECT_NE(at, 0) << "the field is not stored";
  return static_cast<std::size_t>(table + at - base);
}

template <class T>
std::string patched(std::string bytes, flatbuffers::voffset_t field, T value) {
  const std::size_t at = program_field_offset(bytes, field);
  std::memcpy(bytes.data() + at, &value, sizeof value);
  return bytes;
}

int init(rknn_context& ctx, AlignedModel& model, const char* target_platform = nullptr) {
  rknn_init_options options{};
  options.target_platform = target_platform;
  return rknn_init_with_options(&ctx, model.data(), model.size(), 0, &options);
}

// The raw outputs (the model's own types) for a seeded NHWC uint8 image.
std::vector<std::vector<std::byte>> run_image(rknn_context ctx) {
  rknn_input_output_num num{};
  EXPECT_EQ(rknn_query(ctx, RKNN_QUERY_IN_OUT_NUM, &num, sizeof num), RKNN_SUCC);
  for (std::uint32_t i = 0; i < num.n_input; ++i) {
    const rknn_tensor_attr attr = query_attr(ctx, RKNN_QUERY_INPUT_ATTR, i);
    std::vector<std::uint8_t> image(attr.n_elems);
    std::mt19937 rng(5 + i);
    for (auto& v : image) v = static_cast<std::uint8_t>(rng() & 0xff);
    EXPECT_EQ(set_input(ctx, i, image, RKNN_TENSOR_UINT8, RKNN_TENSOR_NHWC), RKNN_SUCC) << rknn_last_error_message();
  }
  EXPECT_EQ(rknn_run(ctx, nullptr), RKNN_SUCC) << rknn_last_error_message();
  std::vector<std::vector<std::byte>> outputs;
  for (std::uint32_t i = 0; i < num.n_output; ++i) {
    outputs.push_back(get_output(ctx, i, false, query_attr(ctx, RKNN_QUERY_OUTPUT_ATTR, i).size));
  }
  return outputs;
}

class Runtime : public ::testing::TestWithParam<ModelCase> {};

TEST_P(Runtime, PrecompiledArtifactGivesThePlainArtifactsBytes) {
  AlignedModel plain(artifact_of(GetParam(), false));
  AlignedModel pre(artifact_of(GetParam(), true));
  ContextHandle a, b;
  ASSERT_EQ(init(a.id, plain), RKNN_SUCC) << rknn_last_error_message();
  ASSERT_EQ(init(b.id, pre), RKNN_SUCC) << rknn_last_error_message();
  EXPECT_EQ(run_image(a.id), run_image(b.id));
}

TEST_P(Runtime, ArtifactsAreDeterministic) {
  const std::string first = artifact_of(GetParam(), true);
  driver::CompileOptions options = options_for(GetParam(), true);
  options.threads = 1;  // calibration on another thread count
  const driver::CompiledModel again = driver::compile_model(GetParam().onnx, options);
  EXPECT_EQ(first, artifact::write_artifact(again.info, again.program, &*again.precompiled));
}

INSTANTIATE_TEST_SUITE_P(Models, Runtime, ::testing::Values(kShapesU8, kShapesI16, kShapesF16, kMobileNetV2U8),
                         case_name);

TEST(Refusal, AnotherProgramFormatVersionIsIncompatible) {
  const std::string bytes = artifact_of(kShapesU8, true);
  for (std::uint32_t version : {sim::kPlannedProgramVersion + 1, 0u, 0xffffffffu}) {
    AlignedModel model(patched(bytes, fb::Program::VT_VERSION, version));
    ContextHandle ctx;
    EXPECT_EQ(init(ctx.id, model), RKNN_ERR_INCOMPATILE_PRE_COMPILE_MODEL) << "version " << version;
    const std::string message = rknn_last_error_message();
    EXPECT_NE(message.find("program format " + std::to_string(version)), std::string::npos) << message;
    EXPECT_EQ(ctx.id, 0u);
  }
  AlignedModel unchanged(patched(bytes, fb::Program::VT_VERSION, sim::kPlannedProgramVersion));
  ContextHandle ctx;
  EXPECT_EQ(init(ctx.id, unchanged), RKNN_SUCC) << rknn_last_error_message();
}

TEST(Refusal, AnotherPlatformGroupIsRefused) {
  AlignedModel model(artifact_of(kShapesU8, true, "rk1808"));
  for (const char* other : {"rv1126", "rk3566", "rk3588", "rv1106"}) {
    ContextHandle ctx;
    EXPECT_EQ(init(ctx.id, model, other), RKNN_ERR_TARGET_PLATFORM_UNMATCH) << other;
  }
  ContextHandle same_group, plain;
  ASSERT_EQ(init(same_group.id, model, "rk3399pro"), RKNN_SUCC) << rknn_last_error_message();
  AlignedModel graph(artifact_of(kShapesU8, false, "rk1808"));
  ASSERT_EQ(init(plain.id, graph, "rk3399pro"), RKNN_SUCC) << rknn_last_error_message();
  EXPECT_EQ(run_image(same_group.id), run_image(plain.id));
}

TEST(Refusal, AProgramForAnotherPlatformGroupIsRefused) {
  // A program cut for rv1126 in an artifact that says it targets rv1126.
  AlignedModel model(artifact_of(kShapesU8, true, "rv1126"));
  ContextHandle ctx;
  EXPECT_EQ(init(ctx.id, model, "rk1808"), RKNN_ERR_TARGET_PLATFORM_UNMATCH);
  ContextHandle native;
  EXPECT_EQ(init(native.id, model), RKNN_SUCC) << rknn_last_error_message();  // acts as rv1126
}

TEST(Refusal, AProgramNotForTheModelsPlatformIsInvalid) {
  driver::CompiledModel m = compile_case(kShapesU8, true, "rk1808");
  m.info.platforms = {"rk3399pro"};  // the program still says rk1808
  AlignedModel model(artifact::write_artifact(m.info, m.program, &*m.precompiled));
  ContextHandle ctx;
  EXPECT_EQ(init(ctx.id, model), RKNN_ERR_MODEL_INVALID);
  EXPECT_NE(std::string(rknn_last_error_message()).find("rk1808"), std::string::npos) << rknn_last_error_message();
}

TEST(Refusal, APlanOutsideItsArenaIsInvalidNotACrash) {
  const std::string bytes = artifact_of(kShapesU8, true);
  for (std::uint64_t activation_bytes : {std::uint64_t{0}, std::uint64_t{64}, std::uint64_t{1} << 62}) {
    AlignedModel model(patched(bytes, fb::Program::VT_ACTIVATION_BYTES, activation_bytes));
    ContextHandle ctx;
    EXPECT_EQ(init(ctx.id, model), RKNN_ERR_MODEL_INVALID) << activation_bytes;
  }
  AlignedModel no_scratch(patched(bytes, fb::Program::VT_SCRATCH_BYTES, std::uint64_t{0}));
  ContextHandle ctx;
  EXPECT_EQ(init(ctx.id, no_scratch), RKNN_ERR_MODEL_INVALID);
  EXPECT_NE(std::string(rknn_last_error_message()).find("scratch"), std::string::npos) << rknn_last_error_message();
}

// --sync-layers with --precompile: names are checked like the graph path's,
// and a plan whose sync point falls inside a fused step is refused at load.
TEST(Refusal, SyncPointsMustNameALayerAndEndAStep) {
  driver::CompileOptions options = options_for(kShapesU8, true);
  options.sync_layers = {"/no/such/layer"};
  try {
    driver::compile_model(kShapesU8.onnx, options);
    ADD_FAILURE() << "compiled with an unknown sync layer";
  } catch (const CompileError& e) {
    EXPECT_NE(std::string(e.what()).find("no layer named '/no/such/layer'"), std::string::npos) << e.what();
  }

  const driver::CompiledModel m = compile_case(kShapesU8, true);
  ASSERT_TRUE(m.precompiled.has_value());
  const sim::PlannedStep& fused = m.precompiled->steps.front();  // Conv + Relu + MaxPool
  ASSERT_GT(fused.nodes.size(), 1u);
  sim::ExecutorOptions inside;
  inside.sync_after = {static_cast<std::size_t>(fused.nodes.front())};
  try {
    sim::PlannedExecutor executor(m.program, *m.precompiled, inside);
    ADD_FAILURE() << "a sync point inside a fused step was accepted";
  } catch (const sim::Error& e) {
    EXPECT_NE(std::string(e.what()).find("no pre-compiled step ends with that node"), std::string::npos) << e.what();
  }
}

TEST(Loading, APrecompiledModelLoadsWithoutGraphWork) {
  AlignedModel plain(artifact_of(kShapesU8, false));
  AlignedModel pre(artifact_of(kShapesU8, true));
  const sim::GraphWork before = sim::graph_work();
  {
    ContextHandle ctx;
    ASSERT_EQ(init(ctx.id, pre), RKNN_SUCC) << rknn_last_error_message();
    run_image(ctx.id);
  }
  const sim::GraphWork after_pre = sim::graph_work();
  EXPECT_EQ(after_pre.executors, before.executors);        // no graph Executor prepared
  EXPECT_EQ(after_pre.memory_plans, before.memory_plans);  // no memory planned
  {
    ContextHandle ctx;
    ASSERT_EQ(init(ctx.id, plain), RKNN_SUCC) << rknn_last_error_message();
  }
  const sim::GraphWork after_plain = sim::graph_work();
  EXPECT_GT(after_plain.executors, after_pre.executors);  // the counters do count a plain load
  EXPECT_GT(after_plain.memory_plans, after_pre.memory_plans);
}

TEST(Loading, PerfDetailListsTheNodesOfFusedSteps) {
  AlignedModel model(artifact_of(kShapesU8, true));
  ContextHandle ctx;
  ASSERT_EQ(rknn_init(&ctx.id, model.data(), model.size(), RKNN_FLAG_COLLECT_PERF_MASK), RKNN_SUCC)
      << rknn_last_error_message();
  run_image(ctx.id);
  rknn_perf_detail detail{};
  ASSERT_EQ(rknn_query(ctx.id, RKNN_QUERY_PERF_DETAIL, &detail, sizeof detail), RKNN_SUCC) << rknn_last_error_message();
  const std::string text(detail.perf_data, detail.data_len);
  for (const char* node : {"/conv1/Conv", "/pool1/MaxPool", "/fc/Gemm"}) {
    EXPECT_NE(text.find(node), std::string::npos) << node << " in\n" << text;
  }
}

TEST(Loading, MemSizeReportsThePlannedArena) {
  const driver::CompiledModel m = compile_case(kShapesU8, true);
  AlignedModel model(artifact::write_artifact(m.info, m.program, &*m.precompiled));
  ContextHandle ctx;
  ASSERT_EQ(init(ctx.id, model), RKNN_SUCC) << rknn_last_error_message();
  rknn_mem_size mem{};
  ASSERT_EQ(rknn_query(ctx.id, RKNN_QUERY_MEM_SIZE, &mem, sizeof mem), RKNN_SUCC);
  EXPECT_EQ(mem.total_internal_size, m.precompiled->arena_bytes());
  EXPECT_GT(mem.total_weight_size, 0u);
}

TEST(Loading, TheCompilerRefusesSeveralPlatforms) {
  driver::CompileOptions options = options_for(kShapesU8, true);
  options.platforms = {"rk1808", "rk3399pro"};
  try {
    driver::compile_model(kShapesU8.onnx, options);
    ADD_FAILURE() << "compiled";
  } catch (const CompileError& e) {
    EXPECT_NE(std::string(e.what()).find("exactly one --platform"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace rknn::testing
