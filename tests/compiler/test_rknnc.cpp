// The rknnc command line, run as a real process: help, run, inspect, and one
// clear message with a non-zero exit for each kind of bad input.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "io/tensor_file.h"
#include "onnx_builder.h"
#include "test_process.h"

namespace rknn {
namespace {

using testing::OnnxBuilder;
using testing::TempDir;

using Result = testing::CommandResult;

Result rknnc(const std::string& args) { return testing::run_command(std::string(RKNNC_PATH) + " " + args); }

void save_relu_model(const std::filesystem::path& path) {
  OnnxBuilder b;
  b.input("x", {1, 4}).output("out/relu:0", {1, 4});
  b.node("Relu", {"x"}, {"out/relu:0"}, "relu");
  b.save(path);
}

TEST(Rknnc, HelpAndVersion) {
  const Result help = rknnc("--help");
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.output.find("run"), std::string::npos);
  EXPECT_NE(help.output.find("inspect"), std::string::npos);
  const Result run_help = rknnc("run --help");
  EXPECT_EQ(run_help.status, 0);
  EXPECT_NE(run_help.output.find("--output-dir"), std::string::npos);
  EXPECT_NE(run_help.output.find("--input-shape"), std::string::npos);
  EXPECT_NE(rknnc("--version").output.find("rknnc 0."), std::string::npos);
  EXPECT_NE(rknnc("").status, 0);
}

TEST(Rknnc, RunWritesOutputsNamedAfterTensors) {
  TempDir dir;
  save_relu_model(dir / "m.onnx");
  io::write_npy(dir / "x.npy", sim::make_float_tensor(std::vector<float>{-1, 2, -3, 4}, {1, 4}));
  const Result r = rknnc("run " + (dir / "m.onnx").string() + " --input " + (dir / "x.npy").string() +
                         " --output-dir " + (dir / "out").string());
  ASSERT_EQ(r.status, 0) << r.output;
  const sim::Tensor y = io::read_npy(dir / "out" / "out_relu_0.npy");
  EXPECT_EQ(y.to_float_vector(), (std::vector<float>{0, 2, 0, 4}));
}

TEST(Rknnc, InspectPrintsHistogramAndUnsupportedOps) {
  TempDir dir;
  OnnxBuilder b;
  b.input("x", {1, 4}).output("y", {1, 4});
  b.node("Relu", {"x"}, {"a"});
  b.node("Relu", {"a"}, {"b"});
  b.node("Hardmax", {"b"}, {"y"}, "hm");
  b.save(dir / "m.onnx");
  const Result r = rknnc("inspect " + (dir / "m.onnx").string());
  EXPECT_NE(r.output.find("x: FLOAT[1,4]"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Relu 2"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("unsupported ops: Hardmax"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Hardmax node 'hm'"), std::string::npos) << r.output;
  EXPECT_EQ(r.status, 1);
}

TEST(RknncErrors, EachBadInputGivesOneMessageAndNonZeroExit) {
  TempDir dir;
  save_relu_model(dir / "m.onnx");
  std::ofstream(dir / "garbage.onnx") << "garbage";
  io::write_npy(dir / "x.npy", sim::make_float_tensor(std::vector<float>{1, 2, 3, 4}, {1, 4}));
  io::write_npy(dir / "wrong.npy", sim::make_float_tensor(std::vector<float>{1, 2, 3}, {1, 3}));
  const std::string out = " --output-dir " + (dir / "out").string();
  const std::string model = (dir / "m.onnx").string();
  struct Case {
    std::string args;
    std::string expected;
  };
  const Case cases[] = {
      {"run " + (dir / "nope.onnx").string() + " --input x.npy" + out, "nope.onnx"},
      {"run " + (dir / "garbage.onnx").string() + " --input " + (dir / "x.npy").string() + out, "garbage.onnx"},
      {"run " + model + " --input " + (dir / "wrong.npy").string() + out,
       "input 'x' expects float32[1,4], but"},
      {"run " + model + " --input " + (dir / "x.npy").string() + " --input " + (dir / "x.npy").string() + out,
       "the model has 1 inputs, 2 --input files"},
      {"run " + model + " --input " + (dir / "missing.npy").string() + out, "cannot open tensor file"},
      {"run " + model + " --input " + (dir / "x.npy").string() + out + " --optimization-level 7", "optimization-level"},
      {"run " + model + " --input " + (dir / "x.npy").string() + out + " --input-shape x", "expected name=d0,d1"},
  };
  for (const Case& c : cases) {
    const Result r = rknnc(c.args);
    EXPECT_NE(r.status, 0) << c.args;
    EXPECT_LT(r.status, 128) << "crashed: " << c.args;
    EXPECT_NE(r.output.find(c.expected), std::string::npos) << c.args << "\n" << r.output;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "out" / "y.npy"));
}

}  // namespace
}  // namespace rknn
