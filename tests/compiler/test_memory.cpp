// Memory planning (simulator/memory, RKNN eval_memory): the plan never puts
// two live tensors on the same bytes, the simulator runs inside it, and
// `rknnc memory` and rknn_query(MEM_SIZE) report the same figures.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "artifact/artifact_writer.h"
#include "onnx_builder.h"
#include "perf_test_models.h"
#include "rknn/model_format.h"
#include "rknn/sim/error.h"
#include "rknn/sim/executor.h"
#include "rknn/sim/memory_plan.h"
#include "rknn_api.h"
#include "test_process.h"

namespace rknn {
namespace {

using testing::TempDir;

sim::ProgramTensor activation(const std::string& name, sim::Shape shape) {
  return {name, {sim::DType::kFloat32, std::move(shape)}, std::nullopt};
}

sim::ProgramTensor weight(const std::string& name, sim::Shape shape) {
  sim::TensorType type{sim::DType::kFloat32, std::move(shape)};
  sim::Tensor value(type);
  return {name, type, std::move(value)};
}

sim::ProgramNode relu(int in, int out) {
  sim::ProgramNode pn;
  pn.node.op = "Relu";
  pn.node.name = "relu" + std::to_string(out);
  pn.inputs = {in};
  pn.outputs = {out};
  return pn;
}

// x -> t1 -> t2 -> t3 -> y through Relus; two weights nobody reads.
TEST(MemoryPlan, AChainReusesTheBytesOfDeadTensors) {
  sim::Program p;
  p.tensors = {activation("x", {16}), activation("t1", {1024}), activation("t2", {1024}), activation("t3", {1024}),
               activation("y", {16}),  weight("w1", {6}),       weight("w2", {2})};
  p.nodes = {relu(0, 1), relu(1, 2), relu(2, 3), relu(3, 4)};
  p.inputs = {0};
  p.outputs = {4};
  const sim::MemoryPlan plan = sim::plan_memory(p);
  // Lifetimes over steps: inputs at 0, node n at n + 1, outputs to the end.
  EXPECT_EQ(plan.tensors[0].first, 0);
  EXPECT_EQ(plan.tensors[0].last, 1);
  EXPECT_EQ(plan.tensors[2].first, 2);
  EXPECT_EQ(plan.tensors[2].last, 3);
  EXPECT_EQ(plan.tensors[4].last, 5);
  // Largest first: t1 at 0, t2 beside it, t3 back on t1's bytes; x and y above t1/t3.
  EXPECT_EQ(plan.tensors[1].offset, 0u);
  EXPECT_EQ(plan.tensors[2].offset, 4096u);
  EXPECT_EQ(plan.tensors[3].offset, 0u);
  EXPECT_EQ(plan.tensors[0].offset, 4096u);
  EXPECT_EQ(plan.tensors[4].offset, 4096u);
  EXPECT_EQ(plan.arena_bytes, 8192u);
  EXPECT_EQ(plan.unshared_bytes, 3 * 4096u + 2 * 64u);
  // Weights apart, 64-byte aligned in program order: the artifact's data section.
  EXPECT_TRUE(plan.tensors[5].constant);
  EXPECT_EQ(plan.tensors[5].offset, 0u);
  EXPECT_EQ(plan.tensors[6].offset, 64u);
  EXPECT_EQ(plan.weight_bytes, 72u);
}

TEST(MemoryPlan, ABrokenDataFlowIsAnError) {
  sim::Program p;
  p.tensors = {activation("x", {4}), activation("never_defined", {4}), activation("y", {4})};
  p.nodes = {relu(1, 2)};
  p.inputs = {0};
  p.outputs = {2};
  EXPECT_THROW(sim::plan_memory(p), sim::Error);
}

std::vector<std::pair<std::string, driver::CompiledModel>> real_models() {
  const std::filesystem::path shapes_data = std::filesystem::path(RKNN_SOURCE_DIR) / "examples/classify/dataset.txt";
  std::vector<std::pair<std::string, driver::CompiledModel>> models;
  models.emplace_back("shapes float16", testing::compile_for(testing::shapes_model(), "float16"));
  models.emplace_back("shapes u8", testing::compile_for(testing::shapes_model(), "asymmetric_u8", "rk1808", shapes_data));
  models.emplace_back("tiny_cnn float32", testing::compile_for(testing::generated_model("tiny_cnn"), "float32"));
  models.emplace_back("pytorch_idioms float16", testing::compile_for(testing::generated_model("pytorch_idioms"), "float16"));
  models.emplace_back("mobilenetv2 float32", testing::compile_for(testing::generated_model("mobilenetv2"), "float32"));
  models.emplace_back("mobilenetv2 u8", testing::compile_for(testing::generated_model("mobilenetv2"), "asymmetric_u8"));
  models.emplace_back("resnet18 float16", testing::compile_for(testing::generated_model("resnet18"), "float16"));
  models.emplace_back("resnet50 u8", testing::compile_for(testing::generated_model("resnet50"), "asymmetric_u8"));
  return models;
}

TEST(MemoryPlan, NoTwoLiveTensorsShareABytePairByPairOnRealModels) {
  for (const auto& [name, model] : real_models()) {
    SCOPED_TRACE(name);
    const sim::Program& p = model.program;
    const sim::MemoryPlan plan = sim::plan_memory(p);
    ASSERT_EQ(plan.tensors.size(), p.tensors.size());
    int steps = 0;
    for (std::size_t i = 0; i < plan.tensors.size(); ++i) {
      const sim::TensorPlacement& a = plan.tensors[i];
      EXPECT_EQ(a.bytes, p.tensors[i].type.byte_size());
      EXPECT_EQ(a.offset % sim::kPlanAlignment, 0u) << p.tensors[i].name;
      EXPECT_GE(a.reserved, a.bytes);
      if (a.constant || a.first < 0) continue;
      EXPECT_LE(a.offset + a.reserved, plan.arena_bytes) << p.tensors[i].name;
      steps = std::max(steps, a.last);
      for (std::size_t j = i + 1; j < plan.tensors.size(); ++j) {
        const sim::TensorPlacement& b = plan.tensors[j];
        if (!plan.live_together(i, j)) continue;
        const bool apart = a.offset + a.reserved <= b.offset || b.offset + b.reserved <= a.offset;
        EXPECT_TRUE(apart) << p.tensors[i].name << " and " << p.tensors[j].name << " overlap";
      }
    }
    // The arena holds what is live at the busiest step, and reuse never costs bytes.
    std::uint64_t busiest = 0;
    for (int s = 0; s <= steps; ++s) {
      std::uint64_t live = 0;
      for (const auto& t : plan.tensors) {
        if (!t.constant && t.first >= 0 && t.first <= s && s <= t.last) live += t.reserved;
      }
      busiest = std::max(busiest, live);
    }
    EXPECT_GE(plan.arena_bytes, busiest);
    EXPECT_LE(plan.arena_bytes, plan.unshared_bytes);
    EXPECT_LT(plan.arena_bytes, plan.unshared_bytes);  // every model here has tensors that die early
    // The weight section is the artifact's data section (float16 models store weights as half).
    const std::string artifact = artifact::write_artifact(model.info, p);
    const sim::FloatWeights stored =
        model.info.quantization == "float16" ? sim::FloatWeights::kHalf : sim::FloatWeights::kFloat32;
    EXPECT_EQ(sim::plan_memory(p, stored).weight_bytes,
              format::load_model({reinterpret_cast<const std::byte*>(artifact.data()), artifact.size()}).weight_bytes);
    // Deterministic.
    const sim::MemoryPlan again = sim::plan_memory(p);
    for (std::size_t i = 0; i < plan.tensors.size(); ++i) EXPECT_EQ(again.tensors[i].offset, plan.tensors[i].offset);
  }
}

sim::Tensor random_input(const sim::TensorType& type, unsigned seed) {
  sim::Tensor t(type);
  std::mt19937 rng(seed);
  if (type.dtype == sim::DType::kFloat32) {
    std::uniform_real_distribution<float> value(-1.0f, 1.0f);
    for (float& v : t.values<float>()) v = value(rng);
  } else {
    for (std::size_t i = 0; i < t.byte_size(); ++i) t.raw()[i] = static_cast<std::byte>(rng() & 0x7f);
  }
  return t;
}

std::vector<sim::Tensor> inputs_for(const sim::Executor& e, unsigned seed) {
  std::vector<sim::Tensor> inputs;
  for (std::size_t i = 0; i < e.input_count(); ++i) inputs.push_back(random_input(e.input(i).type, seed + unsigned(i)));
  return inputs;
}

void expect_same_bytes(const std::vector<sim::Tensor>& a, const std::vector<sim::Tensor>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(a[i].bytes_equal(b[i])) << "output " << i;
}

TEST(MemoryPlan, TheSimulatorRunsInsideThePlanWithTheSameBytes) {
  for (const auto& [name, model] : real_models()) {
    if (name.rfind("resnet50", 0) == 0) continue;  // the slowest to run; its plan is checked above
    SCOPED_TRACE(name);
    const bool float16 = model.info.quantization == "float16";
    sim::Executor planned(model.program, {.threads = 2, .float16 = float16, .planned_memory = true});
    sim::Executor separate(model.program, {.threads = 2, .float16 = float16});
    const sim::MemoryPlan plan = sim::plan_memory(model.program);
    // The simulator's real activation memory is the planned arena, well under one buffer per tensor.
    EXPECT_LE(planned.activation_bytes(), plan.arena_bytes);
    EXPECT_LT(planned.activation_bytes(), separate.activation_bytes());
    // Back-to-back runs on the reused (dirty) arena give what separate buffers give.
    const auto first = inputs_for(planned, 1);
    const auto second = inputs_for(planned, 100);
    const auto expected_first = separate.run(first);
    const auto expected_second = separate.run(second);
    expect_same_bytes(planned.run(first), expected_first);
    expect_same_bytes(planned.run(second), expected_second);
    expect_same_bytes(planned.run(first), expected_first);
  }
}

std::uint64_t json_number(const std::string& json, const std::string& key) {
  const std::size_t at = json.find("\"" + key + "\":");
  if (at == std::string::npos) return 0;
  return std::stoull(json.substr(at + key.size() + 3));
}

TEST(RknncMemory, MatchesThePlanAndTheRuntimesMemSize) {
  TempDir dir;
  const driver::CompiledModel m = testing::compile_for(testing::shapes_model(), "float16");
  const std::string artifact = artifact::write_artifact(m.info, m.program);
  std::ofstream(dir / "m.rknn", std::ios::binary) << artifact;
  const auto r = testing::run_command(std::string(RKNNC_PATH) + " memory " + (dir / "m.rknn").string() + " --json " +
                                      (dir / "m.json").string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("Total Weight Memory:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Model size:                   "), std::string::npos) << r.output;
  std::ifstream in(dir / "m.json");
  std::stringstream text;
  text << in.rdbuf();
  const std::string json = text.str();

  const sim::MemoryPlan plan = sim::plan_memory(m.program, sim::FloatWeights::kHalf);  // float16: half weights
  EXPECT_EQ(json_number(json, "total_weight_allocation"), plan.weight_bytes);
  EXPECT_EQ(json_number(json, "total_internal_allocation"), plan.arena_bytes);
  EXPECT_EQ(json_number(json, "total_model_allocation"), plan.weight_bytes + plan.arena_bytes);
  EXPECT_EQ(json_number(json, "model_size"), artifact.size());

  // The runtime reports the same plan.
  std::vector<std::uint64_t> aligned(artifact.size() / 8 + 1);
  std::memcpy(aligned.data(), artifact.data(), artifact.size());
  rknn_context ctx = 0;
  ASSERT_EQ(rknn_init(&ctx, aligned.data(), static_cast<std::uint32_t>(artifact.size()), 0), RKNN_SUCC);
  rknn_mem_size mem{};
  ASSERT_EQ(rknn_query(ctx, RKNN_QUERY_MEM_SIZE, &mem, sizeof mem), RKNN_SUCC);
  EXPECT_EQ(mem.total_weight_size, json_number(json, "total_weight_allocation"));
  EXPECT_EQ(mem.total_internal_size, json_number(json, "total_internal_allocation"));
  EXPECT_EQ(rknn_destroy(ctx), RKNN_SUCC);
}

}  // namespace
}  // namespace rknn
