// ONNX import: shapes, opset upgrade, external data, and every kind of bad input.
#include <gtest/gtest.h>

#include <fstream>

#include "frontend/onnx_import.h"
#include "ir/error.h"
#include "onnx_builder.h"

namespace rknn {
namespace {

using testing::OnnxBuilder;
using testing::TempDir;

sim::Tensor filled(sim::Shape shape, float value) {
  sim::Tensor t(sim::DType::kFloat32, std::move(shape));
  for (float& v : t.values<float>()) v = value;
  return t;
}

OnnxBuilder conv_relu_model(std::vector<std::int64_t> input_dims = {1, 3, 8, 8}) {
  OnnxBuilder b;
  std::vector<std::int64_t> output_dims = input_dims;
  output_dims[1] = 4;
  b.input("x", input_dims).initializer("w", filled({4, 3, 3, 3}, 0.1f)).output("y", output_dims);
  testing::set_ints(b.node("Conv", {"x", "w"}, {"c"}, "conv1"), "pads", {1, 1, 1, 1});
  b.node("Relu", {"c"}, {"y"}, "relu1");
  return b;
}

std::string error_of(const std::filesystem::path& path, const frontend::ImportOptions& options = {}) {
  try {
    frontend::import_onnx(path, options);
  } catch (const CompileError& e) {
    return e.what();
  }
  return "";
}

TEST(Frontend, ImportsTypesOfEveryValue) {
  TempDir dir;
  conv_relu_model().save(dir / "m.onnx");
  const ir::Graph g = frontend::import_onnx(dir / "m.onnx");
  ASSERT_EQ(g.nodes.size(), 2u);
  EXPECT_EQ(g.value("c").type.shape, (sim::Shape{1, 4, 8, 8}));
  EXPECT_EQ(g.value("y").type.shape, (sim::Shape{1, 4, 8, 8}));
  EXPECT_TRUE(g.is_constant("w"));
  EXPECT_EQ(g.inputs, std::vector<std::string>{"x"});
  EXPECT_EQ(g.value("x").layout, ir::Layout::kNCHW);
}

TEST(Frontend, UpgradesOldOpsetsToTheCanonicalForm) {
  TempDir dir;
  OnnxBuilder b(9);  // opset 9 Unsqueeze takes axes as an attribute
  b.input("x", {2, 3}).output("y", {1, 2, 3});
  testing::set_ints(b.node("Unsqueeze", {"x"}, {"y"}), "axes", {0});
  b.save(dir / "m.onnx");
  const ir::Graph g = frontend::import_onnx(dir / "m.onnx");
  EXPECT_EQ(g.value("y").type.shape, (sim::Shape{1, 2, 3}));
  EXPECT_EQ(g.nodes.at(0).inputs.size(), 2u);  // axes became an input
}

TEST(Frontend, LoadsExternalData) {
  TempDir dir;
  OnnxBuilder b = conv_relu_model();
  auto* w = b.model().mutable_graph()->mutable_initializer(0);
  const std::string bytes = w->raw_data();
  std::ofstream(dir / "weights.bin", std::ios::binary) << std::string(16, '\0') << bytes;
  w->clear_raw_data();
  w->set_data_location(onnx::TensorProto::EXTERNAL);
  auto add = [&](const std::string& k, const std::string& v) {
    auto* e = w->add_external_data();
    e->set_key(k);
    e->set_value(v);
  };
  add("location", "weights.bin");
  add("offset", "16");
  add("length", std::to_string(bytes.size()));
  b.save(dir / "m.onnx");
  const ir::Graph g = frontend::import_onnx(dir / "m.onnx");
  EXPECT_FLOAT_EQ(g.value("w").constant->values<float>()[5], 0.1f);

  w->mutable_external_data(0)->set_value("../weights.bin");
  b.save(dir / "escape.onnx");
  EXPECT_NE(error_of(dir / "escape.onnx").find("relative path inside the model's folder"), std::string::npos);
  w->mutable_external_data(0)->set_value("weights.bin");
  w->mutable_external_data(2)->set_value("999999");
  b.save(dir / "short.onnx");
  EXPECT_NE(error_of(dir / "short.onnx").find("outside"), std::string::npos);
}

TEST(FrontendErrors, MissingFile) {
  EXPECT_NE(error_of("/nonexistent/model.onnx").find("cannot open model file '/nonexistent/model.onnx'"),
            std::string::npos);
}

TEST(FrontendErrors, TruncatedFile) {
  TempDir dir;
  conv_relu_model().save(dir / "full.onnx");
  std::ifstream in(dir / "full.onnx", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(dir / "cut.onnx", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  const std::string message = error_of(dir / "cut.onnx");
  EXPECT_NE(message.find("cut.onnx"), std::string::npos) << message;
  EXPECT_FALSE(message.empty());
}

TEST(FrontendErrors, GarbageAndEmptyFiles) {
  TempDir dir;
  std::ofstream(dir / "garbage.onnx", std::ios::binary) << "this is not a protobuf at all \xff\xfe\x01";
  std::ofstream(dir / "empty.onnx", std::ios::binary);
  EXPECT_NE(error_of(dir / "garbage.onnx").find("garbage.onnx"), std::string::npos);
  EXPECT_NE(error_of(dir / "empty.onnx").find("is empty"), std::string::npos);
}

TEST(FrontendErrors, CycleIsRefused) {
  TempDir dir;
  OnnxBuilder b;
  b.input("x", {1, 4}).output("y", {1, 4});
  b.node("Add", {"x", "b"}, {"a"}, "first");
  b.node("Relu", {"a"}, {"b"}, "second");
  b.node("Identity", {"a"}, {"y"}, "out");
  b.save(dir / "cycle.onnx");
  const std::string message = error_of(dir / "cycle.onnx");
  EXPECT_NE(message.find("topologically sorted"), std::string::npos) << message;
}

TEST(FrontendErrors, DynamicDimensionNeedsAShape) {
  TempDir dir;
  conv_relu_model({-1, 3, 8, 8}).save(dir / "dyn.onnx");
  const std::string message = error_of(dir / "dyn.onnx");
  EXPECT_NE(message.find("input 'x' has a dynamic shape [batch,3,8,8]"), std::string::npos) << message;
  EXPECT_NE(message.find("--input-shape x="), std::string::npos) << message;

  frontend::ImportOptions options;
  options.input_shapes["x"] = {2, 3, 8, 8};
  const ir::Graph g = frontend::import_onnx(dir / "dyn.onnx", options);
  EXPECT_EQ(g.value("y").type.shape, (sim::Shape{2, 4, 8, 8}));

  options.input_shapes["nope"] = {1};
  EXPECT_NE(error_of(dir / "dyn.onnx", options).find("'nope', which is not a model input"), std::string::npos);
}

TEST(FrontendErrors, UnsupportedOpNamesOpAndNode) {
  TempDir dir;
  OnnxBuilder b;
  b.input("x", {1, 4}).output("y", {1, 4});
  b.node("Relu", {"x"}, {"r"}, "fine");
  b.node("Det", {"r"}, {"y"}, "the_det");
  b.save(dir / "m.onnx");
  try {
    frontend::import_onnx(dir / "m.onnx");
    FAIL() << "expected an error";
  } catch (const UnsupportedFeatureError& e) {
    EXPECT_NE(std::string(e.what()).find("Det node 'the_det': op 'Det' is not supported"), std::string::npos)
        << e.what();
  }
}

TEST(FrontendErrors, InvalidAttributeNamesTheNode) {
  TempDir dir;
  OnnxBuilder b;
  b.input("x", {2, 6}).output("y", {5, 5});
  b.initializer("shape", sim::make_int64_tensor(std::vector<std::int64_t>{5, 5}, {2}));
  b.node("Reshape", {"x", "shape"}, {"y"}, "bad_reshape");
  b.save(dir / "m.onnx");
  const std::string message = error_of(dir / "m.onnx");
  EXPECT_NE(message.find("bad_reshape"), std::string::npos) << message;
}

TEST(FrontendErrors, OpsetOutOfRange) {
  TempDir dir;
  OnnxBuilder b(5);
  b.input("x", {2, 3}).output("y", {2, 3});
  b.node("Relu", {"x"}, {"y"});
  b.save(dir / "m.onnx");
  EXPECT_NE(error_of(dir / "m.onnx").find("supported opsets are 7 to 17"), std::string::npos);
}

TEST(InputShapeArgument, ParsesAndRejects) {
  EXPECT_EQ(frontend::parse_input_shape("data=1,3,224,224").second, (sim::Shape{1, 3, 224, 224}));
  EXPECT_THROW(frontend::parse_input_shape("data"), CompileError);
  EXPECT_THROW(frontend::parse_input_shape("data=1,x"), CompileError);
  EXPECT_THROW(frontend::parse_input_shape("data=1,0"), CompileError);
}

}  // namespace
}  // namespace rknn
