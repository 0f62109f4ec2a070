// The cost model (simulator/cost, RKNN eval_perf): layer fusion under the
// Trouble Shooting 5.1 rules, the per-layer equations on real models, its
// calibration against the RKNN model zoo, and `rknnc perf`.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "artifact/artifact_writer.h"
#include "ir/error.h"
#include "onnx_builder.h"
#include "perf_test_models.h"
#include "read_file.h"
#include "rknn/model_format.h"
#include "rknn/sim/perf_model.h"
#include "test_process.h"

namespace rknn {
namespace {

using testing::read_file;
using testing::TempDir;

const sim::Platform& platform(const char* name) { return *sim::find_platform(name); }

// A hand-made program: tensors by name, nodes in order.
class ProgramMaker {
 public:
  int activation(const std::string& name, sim::DType dtype, sim::Shape shape) {
    program_.tensors.push_back({name, {dtype, std::move(shape)}, std::nullopt});
    return static_cast<int>(program_.tensors.size()) - 1;
  }
  int weight(const std::string& name, sim::DType dtype, sim::Shape shape) {
    sim::TensorType type{dtype, std::move(shape)};
    sim::Tensor value(type);
    program_.tensors.push_back({name, type, std::move(value)});
    return static_cast<int>(program_.tensors.size()) - 1;
  }
  sim::OpNode& node(const std::string& op, std::vector<int> inputs, std::vector<int> outputs) {
    sim::ProgramNode pn;
    pn.node.op = op;
    pn.node.name = op + std::to_string(program_.nodes.size());
    pn.inputs = std::move(inputs);
    pn.outputs = std::move(outputs);
    program_.nodes.push_back(std::move(pn));
    return program_.nodes.back().node;
  }
  sim::Program& program() { return program_; }

 private:
  sim::Program program_;
};

// x [1,16,w,w] -> Conv 3x3 pad 1 -> Relu -> MaxPool k x k stride 2 [pads] -> y, all of `dtype`.
sim::Program conv_relu_pool(sim::DType dtype, std::int64_t width, std::int64_t k, std::int64_t pad = 0) {
  ProgramMaker m;
  const int x = m.activation("x", dtype, {1, 16, width, width});
  const int w = m.weight("w", dtype, {16, 16, 3, 3});
  const int c = m.activation("c", dtype, {1, 16, width, width});
  const int r = m.activation("r", dtype, {1, 16, width, width});
  const std::int64_t out = (width + 2 * pad - k) / 2 + 1;
  const int y = m.activation("y", dtype, {1, 16, out, out});
  m.node("Conv", {x, w}, {c}).attrs.set("pads", std::vector<std::int64_t>{1, 1, 1, 1});
  m.node("Relu", {c}, {r});
  sim::OpNode& pool = m.node("MaxPool", {r}, {y});
  pool.attrs.set("kernel_shape", std::vector<std::int64_t>{k, k});
  pool.attrs.set("strides", std::vector<std::int64_t>{2, 2});
  pool.attrs.set("pads", std::vector<std::int64_t>{pad, pad, pad, pad});
  m.program().inputs = {x};
  m.program().outputs = {y};
  return std::move(m.program());
}

std::vector<std::string> layer_ops(const sim::PerfReport& r) {
  std::vector<std::string> ops;
  for (const auto& l : r.layers) ops.push_back(l.op);
  return ops;
}

using Ops = std::vector<std::string>;

TEST(PerfFusion, ReluAndPoolingFuseIntoTheConvolutionUnderTheRules) {
  const auto& rk1808 = platform("rk1808");
  const auto u8 = sim::DType::kUInt8;
  const auto f32 = sim::DType::kFloat32;  // float16 on the NPU: 16-bit mode
  // 2x2 stride 2: even input, no padding.
  EXPECT_EQ(layer_ops(sim::estimate_perf(conv_relu_pool(u8, 40, 2), rk1808)), Ops{"Conv+Relu+MaxPool"});
  EXPECT_EQ(layer_ops(sim::estimate_perf(conv_relu_pool(u8, 41, 2), rk1808)), (Ops{"Conv+Relu", "MaxPool"}));
  // 3x3 stride 2: odd input, narrower than 64 (8-bit) or 32 (16-bit), no padding.
  EXPECT_EQ(layer_ops(sim::estimate_perf(conv_relu_pool(u8, 41, 3), rk1808)), Ops{"Conv+Relu+MaxPool"});
  EXPECT_EQ(layer_ops(sim::estimate_perf(conv_relu_pool(f32, 41, 3), rk1808)), (Ops{"Conv+Relu", "MaxPool"}));
  EXPECT_EQ(layer_ops(sim::estimate_perf(conv_relu_pool(f32, 31, 3), rk1808)), Ops{"Conv+Relu+MaxPool"});
  EXPECT_EQ(layer_ops(sim::estimate_perf(conv_relu_pool(u8, 65, 3), rk1808)), (Ops{"Conv+Relu", "MaxPool"}));
  EXPECT_EQ(layer_ops(sim::estimate_perf(conv_relu_pool(u8, 40, 3), rk1808)), (Ops{"Conv+Relu", "MaxPool"}));
  EXPECT_EQ(layer_ops(sim::estimate_perf(conv_relu_pool(u8, 41, 3, 1), rk1808)), (Ops{"Conv+Relu", "MaxPool"}));
}

TEST(PerfFusion, AValueReadTwiceEndsTheLayer) {
  ProgramMaker m;
  const auto u8 = sim::DType::kUInt8;
  const int x = m.activation("x", u8, {1, 16, 8, 8});
  const int w = m.weight("w", u8, {16, 16, 1, 1});
  const int c = m.activation("c", u8, {1, 16, 8, 8});
  const int r = m.activation("r", u8, {1, 16, 8, 8});
  const int y = m.activation("y", u8, {1, 16, 8, 8});
  m.node("Conv", {x, w}, {c});
  m.node("Relu", {c}, {r});
  m.node("Add", {r, c}, {y});  // c is read by Relu and Add
  m.program().inputs = {x};
  m.program().outputs = {y};
  const sim::PerfReport report = sim::estimate_perf(m.program(), platform("rk3588"));
  EXPECT_EQ(layer_ops(report), (Ops{"Conv", "Relu", "Add"}));
  EXPECT_EQ(report.layers[0].macs, 16u * 8 * 8 * 16);
}

// MACs of a MAC-array node, computed here from the shapes alone.
std::uint64_t expected_macs(const sim::Program& p, const sim::ProgramNode& pn) {
  auto shape = [&](int t) { return p.tensors.at(static_cast<std::size_t>(t)).type.shape; };
  const auto out = static_cast<std::uint64_t>(sim::element_count(shape(pn.outputs[0])));
  if (pn.node.op == "Conv") {
    const sim::Shape w = shape(pn.inputs.at(1));
    return out * static_cast<std::uint64_t>(w[1] * w[2] * w[3]);
  }
  if (pn.node.op == "Gemm") return out * static_cast<std::uint64_t>(shape(pn.inputs[0]).back());
  return 0;
}

struct Case {
  std::string name;
  driver::CompiledModel model;
};

std::vector<Case> real_models() {
  std::vector<Case> cases;
  cases.push_back({"shapes float16", testing::compile_for(testing::shapes_model(), "float16")});
  cases.push_back({"tiny_cnn float16", testing::compile_for(testing::generated_model("tiny_cnn"), "float16")});
  cases.push_back({"pytorch_idioms float16", testing::compile_for(testing::generated_model("pytorch_idioms"), "float16")});
  cases.push_back({"mobilenetv2 u8", testing::compile_for(testing::generated_model("mobilenetv2"), "asymmetric_u8")});
  cases.push_back({"resnet50 u8", testing::compile_for(testing::generated_model("resnet50"), "asymmetric_u8")});
  return cases;
}

TEST(PerfModel, EveryLayerFollowsTheEquationsOnRealModels) {
  for (const Case& c : real_models()) {
    const sim::Program& p = c.model.program;
    for (const char* chip : {"rk1808", "rv1126", "rk3588"}) {
      SCOPED_TRACE(c.name + " on " + chip);
      const sim::PerfReport r = sim::estimate_perf(p, platform(chip));
      // Every node is in exactly one layer or computed at compile time.
      std::vector<int> seen = r.host_nodes;
      double total = 0;
      std::uint64_t macs = 0;
      for (const sim::PerfLayer& l : r.layers) {
        seen.insert(seen.end(), l.nodes.begin(), l.nodes.end());
        EXPECT_GT(l.utilization, 0.0) << l.name;
        EXPECT_LE(l.utilization, 1.0) << l.name;
        EXPECT_EQ(l.time_us, std::max(l.compute_us, l.memory_us) + l.overhead_us) << l.name;
        EXPECT_GE(l.time_us, 0.0) << l.name;
        const sim::ProgramNode& first = p.nodes.at(static_cast<std::size_t>(l.nodes.front()));
        EXPECT_EQ(l.macs, expected_macs(p, first)) << l.name;
        EXPECT_EQ(l.name, first.node.name);
        total += l.time_us;
        macs += l.macs;
      }
      std::sort(seen.begin(), seen.end());
      std::vector<int> all(p.nodes.size());
      for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
      EXPECT_EQ(seen, all);
      EXPECT_DOUBLE_EQ(r.total_us, total);
      EXPECT_EQ(r.total_macs, macs);
      EXPECT_DOUBLE_EQ(r.fps, 1e6 / r.total_us);
      // The table: one row per layer between the header and the total.
      std::istringstream table(sim::perf_table(r));
      std::string line;
      std::size_t rows = 0;
      std::getline(table, line);
      std::getline(table, line);
      while (std::getline(table, line) && line.rfind("Total Time(us): ", 0) != 0) ++rows;
      EXPECT_EQ(rows, r.layers.size());
    }
  }
}

TEST(PerfModel, EstimatesAreDeterministicAndSurviveTheArtifact) {
  const driver::CompiledModel m = testing::compile_for(testing::generated_model("mobilenetv2"), "float16", "rv1126");
  const std::string json = sim::perf_json(sim::estimate_perf(m.program, platform("rv1126")));
  EXPECT_EQ(sim::perf_json(sim::estimate_perf(m.program, platform("rv1126"))), json);
  const std::string artifact = artifact::write_artifact(m.info, m.program);
  const format::LoadedModel loaded =
      format::load_model({reinterpret_cast<const std::byte*>(artifact.data()), artifact.size()});
  EXPECT_EQ(sim::perf_json(sim::estimate_perf(loaded.program, platform("rv1126"))), json);
  // Float layers run at the float16 rate: slower than the same model quantized.
  const driver::CompiledModel q = testing::compile_for(testing::generated_model("mobilenetv2"), "asymmetric_u8");
  EXPECT_GT(sim::estimate_perf(m.program, platform("rv1126")).total_us,
            2 * sim::estimate_perf(q.program, platform("rv1126")).total_us);
}

// RKNN model zoo (airockchip/rknn_model_zoo v2.0.0 README, "Model performance
// benchmark (FPS)", INT8, maximum NPU clock, RK3588 on one core):
// mobilenetv2-12 and resnet50-v2-7 at 224x224.
struct Published {
  const char* platform;
  double mobilenetv2_fps;
  double resnet50_fps;
};
constexpr Published kModelZoo[] = {
    {"rk1808", 168.6, 37.0}, {"rv1109", 213.5, 24.5}, {"rv1126", 316.5, 36.4},
    {"rk3566", 197.4, 40.6}, {"rk3568", 197.4, 40.6}, {"rk3588", 433.0, 108.6},
};

TEST(PerfCalibration, EstimatesStayNearThePublishedModelZooFigures) {
  const driver::CompiledModel mobilenet =
      testing::compile_for(testing::generated_model("mobilenetv2"), "asymmetric_u8");
  const driver::CompiledModel resnet = testing::compile_for(testing::generated_model("resnet50"), "asymmetric_u8");
  for (const Published& p : kModelZoo) {
    const double m = sim::estimate_perf(mobilenet.program, platform(p.platform)).fps;
    const double r = sim::estimate_perf(resnet.program, platform(p.platform)).fps;
    // The fit (docs/perf-model.md) is within 10%; a drifting constant or equation fails here.
    EXPECT_NEAR(m / p.mobilenetv2_fps, 1.0, 0.10) << p.platform << " MobileNetV2: " << m;
    EXPECT_NEAR(r / p.resnet50_fps, 1.0, 0.10) << p.platform << " ResNet-50: " << r;
  }
}

std::string rknnc(const std::string& args) { return std::string(RKNNC_PATH) + " " + args; }

TEST(RknncPerf, PrintsTheTableAndWritesTheJsonOfTheModel) {
  TempDir dir;
  const driver::CompiledModel m = testing::compile_for(testing::shapes_model(), "float16", "rk3399pro");
  const std::string artifact = artifact::write_artifact(m.info, m.program);
  std::ofstream(dir / "m.rknn", std::ios::binary) << artifact;

  const auto r = testing::run_command(rknnc("perf " + (dir / "m.rknn").string() + " --json " + (dir / "p.json").string()));
  ASSERT_EQ(r.status, 0) << r.output;
  const sim::PerfReport expected = sim::estimate_perf(m.program, platform("rk3399pro"));
  EXPECT_EQ(r.output, sim::perf_table(expected));
  EXPECT_EQ(read_file(dir / "p.json"), sim::perf_json(expected));
  EXPECT_NE(r.output.find("FPS(800MHz): "), std::string::npos);

  const auto other = testing::run_command(rknnc("perf " + (dir / "m.rknn").string() + " --target rk1808"));
  ASSERT_EQ(other.status, 0) << other.output;
  EXPECT_EQ(other.output, sim::perf_table(sim::estimate_perf(m.program, platform("rk1808"))));

  const auto refused = testing::run_command(rknnc("perf " + (dir / "m.rknn").string() + " --target rv1126"));
  EXPECT_NE(refused.status, 0);
  EXPECT_NE(refused.output.find("platform rv1126 cannot run this model (built for rk3399pro, float16)"),
            std::string::npos)
      << refused.output;
}

TEST(RknncPerf, CompilesAnOnnxModelWithTheCompileOptions) {
  const auto r = testing::run_command(
      rknnc("perf " + testing::shapes_model().string() + " --platform rv1126 --quant float16 --optimization-level 3"));
  ASSERT_EQ(r.status, 0) << r.output;
  const driver::CompiledModel m = testing::compile_for(testing::shapes_model(), "float16", "rv1126");
  EXPECT_EQ(r.output, sim::perf_table(sim::estimate_perf(m.program, platform("rv1126"))));
  EXPECT_NE(r.output.find("FPS(934MHz)"), std::string::npos);
}

}  // namespace
}  // namespace rknn
