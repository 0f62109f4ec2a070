// `rknnc compile --precompile` as a user runs it: refusals with a clear
// message, the program shown by `rknnc inspect` (text and JSON), and `rknnc
// run` of the pre-compiled artifact writing the plain artifact's bytes.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "io/tensor_file.h"
#include "precompile_test_util.h"
#include "read_file.h"
#include "test_process.h"

namespace rknn::testing {
namespace {

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rknn_precompile_cli_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  CommandResult compile(const std::string& output, const std::string& extra) const {
    return rknnc("compile " + example_model().string() + " -o " + (dir_ / output).string() +
                 " --quant asymmetric_u8 --dataset " + example_dataset().string() +
                 " --mean 127.5,127.5,127.5 --std 63.75,63.75,63.75 " + extra);
  }
  CommandResult rknnc(const std::string& args) const { return run_command(std::string(RKNNC_PATH) + " " + args); }

  fs::path dir_;
};

TEST_F(Cli, PrecompileNeedsExactlyOnePlatform) {
  const CommandResult r = compile("two.rknn", "--precompile --platform rk1808 --platform rk3399pro");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("--precompile lowers the model for one platform; give exactly one --platform (got 2)"),
            std::string::npos)
      << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "two.rknn"));
}

TEST_F(Cli, InspectShowsTheProgram) {
  ASSERT_EQ(compile("pre.rknn", "--precompile").status, 0);
  ASSERT_EQ(compile("plain.rknn", "").status, 0);
  const CommandResult text = rknnc("inspect " + (dir_ / "pre.rknn").string());
  ASSERT_EQ(text.status, 0) << text.output;
  EXPECT_NE(text.output.find("pre-compiled for rk1808 (program format 1): 6 steps, 2 fused"), std::string::npos)
      << text.output;
  EXPECT_NE(text.output.find("Conv+MaxPool"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("arena "), std::string::npos) << text.output;
  const CommandResult json = rknnc("inspect --json " + (dir_ / "pre.rknn").string());
  EXPECT_NE(json.output.find("\"precompiled\":{\"platform\":\"rk1808\",\"version\":1,"), std::string::npos)
      << json.output;
  const CommandResult plain = rknnc("inspect --json " + (dir_ / "plain.rknn").string());
  EXPECT_NE(plain.output.find("\"precompiled\":null"), std::string::npos) << plain.output;
}

TEST_F(Cli, RunWritesThePlainArtifactsBytes) {
  ASSERT_EQ(compile("pre.rknn", "--precompile").status, 0);
  ASSERT_EQ(compile("plain.rknn", "").status, 0);
  sim::Tensor image(sim::DType::kFloat32, {1, 3, 32, 32});
  std::mt19937 rng(3);
  for (float& v : image.values<float>()) v = static_cast<float>(rng() % 256);
  io::write_npy(dir_ / "image.npy", image);
  for (const char* name : {"pre", "plain"}) {
    const CommandResult r = rknnc("run " + (dir_ / (std::string(name) + ".rknn")).string() + " --input " +
                                  (dir_ / "image.npy").string() + " --raw --output-dir " + (dir_ / name).string());
    ASSERT_EQ(r.status, 0) << r.output;
  }
  const std::string pre = read_file(dir_ / "pre" / "logits.npy");
  EXPECT_FALSE(pre.empty());
  EXPECT_EQ(pre, read_file(dir_ / "plain" / "logits.npy"));
}

}  // namespace
}  // namespace rknn::testing
