// The platform table (simulator/platforms), the compile-time checks it drives
// and `rknnc platforms` (RKNN list_support_target_platform).
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "artifact/artifact_writer.h"
#include "driver/compile.h"
#include "ir/error.h"
#include "onnx_builder.h"
#include "read_file.h"
#include "rknn/sim/platforms.h"
#include "test_process.h"

namespace rknn {
namespace {

using testing::OnnxBuilder;
using testing::read_file;
using testing::TempDir;

// x [1,3,8,8] -> Conv 3x3 -> Relu -> y [1,4,8,8]
std::filesystem::path save_conv_model(const TempDir& dir) {
  OnnxBuilder b;
  b.input("x", {1, 3, 8, 8}).output("y", {1, 4, 8, 8});
  sim::Tensor w(sim::DType::kFloat32, {4, 3, 3, 3});
  for (std::size_t i = 0; i < w.values<float>().size(); ++i) w.values<float>()[i] = 0.01f * static_cast<float>(i % 9);
  b.initializer("w", w);
  auto& conv = b.node("Conv", {"x", "w"}, {"c"}, "conv");
  testing::set_ints(conv, "pads", {1, 1, 1, 1});
  b.node("Relu", {"c"}, {"y"}, "relu");
  b.save(dir / "m.onnx");
  return dir / "m.onnx";
}

std::string compile_error(const std::filesystem::path& model, std::vector<std::string> platforms,
                          const std::string& quantization = "float16") {
  driver::CompileOptions options;
  options.platforms = std::move(platforms);
  options.quantization = quantization;
  try {
    driver::compile_model(model, options);
  } catch (const CompileError& e) {
    return e.what();
  }
  return "";
}

std::string rknnc(const std::string& args) { return std::string(RKNNC_PATH) + " " + args; }

TEST(PlatformTable, ListsEveryChipWithItsGroupAndFigures) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"rk1808", "rk1808 rk3399pro"}, {"rk3399pro", "rk1808 rk3399pro"}, {"rv1109", "rv1109 rv1126"},
      {"rv1126", "rv1109 rv1126"},    {"rk3566", "rk3566 rk3568"},       {"rk3568", "rk3566 rk3568"},
      {"rk3588", "rk3588"},           {"rv1103", "rv1103 rv1106"},       {"rv1106", "rv1103 rv1106"}};
  const auto table = sim::platforms();
  ASSERT_EQ(table.size(), expected.size());
  for (std::size_t i = 0; i < table.size(); ++i) {
    const sim::Platform& p = table[i];
    EXPECT_EQ(p.name, expected[i].first);
    EXPECT_EQ(p.group_members, expected[i].second);
    EXPECT_EQ(sim::find_platform(p.name), &p);
    EXPECT_EQ(sim::platform_group(p.name), p.group);
    EXPECT_GT(p.int8_macs, 0) << p.name;
    EXPECT_GT(p.int16_macs, 0) << p.name;
    EXPECT_GT(p.clock_mhz, 0) << p.name;
    EXPECT_GT(p.dram_gb_per_s, 0) << p.name;
    EXPECT_GT(p.onchip_kib, 0) << p.name;
    EXPECT_GE(p.cores, 1) << p.name;
    EXPECT_GT(p.mac_efficiency, 0) << p.name;
    EXPECT_LE(p.mac_efficiency, 1) << p.name;
    EXPECT_GE(p.op_overhead_us, 0) << p.name;
    EXPECT_TRUE(p.supports("asymmetric_u8")) << p.name;
    // Members of a group are one NPU design: the same quantization types.
    for (const sim::Platform& q : table) {
      if (q.group == p.group) {
        EXPECT_EQ(q.quantization_list(), p.quantization_list()) << p.name << " " << q.name;
      }
    }
  }
  EXPECT_EQ(sim::find_platform("rk9999"), nullptr);
  EXPECT_FALSE(sim::platform_group("RK1808"));  // names are lower case, as RKNN's target_platform values
}

TEST(PlatformTable, PublishedFiguresAreKept) {
  const sim::Platform& rk1808 = *sim::find_platform("rk1808");
  EXPECT_EQ(rk1808.int8_macs, 1920);  // Radxa wiki: 1920 int8 / 192 int16 / 64 fp16 MACs per cycle
  EXPECT_EQ(rk1808.int16_macs, 192);
  EXPECT_EQ(rk1808.fp16_macs, 64);
  EXPECT_NEAR(rk1808.peak_tops(), 3.0, 0.1);                         // published 3.0 TOPS
  EXPECT_NEAR(sim::find_platform("rv1126")->peak_tops(), 2.0, 0.1);  // 2.0 TOPS
  EXPECT_NEAR(sim::find_platform("rv1109")->peak_tops(), 1.2, 0.05);
  const sim::Platform& rk3588 = *sim::find_platform("rk3588");
  EXPECT_EQ(rk3588.cores, 3);
  EXPECT_NEAR(rk3588.peak_tops(), 6.0, 0.2);  // 6 TOPS over 3 cores
  EXPECT_EQ(rk3588.onchip_kib, 384);
  EXPECT_NEAR(sim::find_platform("rv1106")->peak_tops(), 1.0, 0.05);
  EXPECT_NEAR(sim::find_platform("rv1103")->peak_tops(), 0.5, 0.05);
  EXPECT_EQ(sim::find_platform("rv1106")->fp16_macs, 0);  // int4/int8/int16 only
}

TEST(PlatformChecks, EveryRefusedCombinationSaysWhy) {
  TempDir dir;
  const auto model = save_conv_model(dir);
  EXPECT_NE(compile_error(model, {"rk1808", "rv1126"}).find("platforms rk1808 and rv1126 belong to different NPU "
                                                            "generations (rk1808 rk3399pro | rv1109 rv1126)"),
            std::string::npos);
  EXPECT_NE(compile_error(model, {"rk3566", "rk3588"}).find("different NPU generations"), std::string::npos);
  EXPECT_NE(compile_error(model, {"rv1109", "rv1106"}).find("different NPU generations"), std::string::npos);
  EXPECT_NE(compile_error(model, {"rk1808", "rk9999"}).find("unknown platform 'rk9999'; supported: rk1808 rk3399pro"),
            std::string::npos);
  EXPECT_NE(compile_error(model, {}).find("give at least one --platform"), std::string::npos);
  EXPECT_NE(compile_error(model, {"rv1106"}).find("platform rv1106 does not run quantization type 'float16'; it runs "
                                                  "asymmetric_u8"),
            std::string::npos);
  EXPECT_NE(compile_error(model, {"rv1103"}, "float32").find("does not run quantization type 'float32'"),
            std::string::npos);
  // RKNN-Toolkit2 chips quantize asymmetrically only; checked before any calibration.
  EXPECT_NE(compile_error(model, {"rk3588"}, "dynamic_fixed_point-8")
                .find("platform rk3588 does not run quantization type 'dynamic_fixed_point_i8'"),
            std::string::npos);
  EXPECT_NE(compile_error(model, {"rk3566"}, "dynamic_fixed_point_i16").find("rk3566 does not run"), std::string::npos);
}

TEST(PlatformChecks, EveryGroupCompilesWhatItRuns) {
  TempDir dir;
  const auto model = save_conv_model(dir);
  for (const auto& platforms : std::vector<std::vector<std::string>>{
           {"rk1808", "rk3399pro"}, {"rv1126", "rv1109"}, {"rk3566", "rk3568"}, {"rk3588"}}) {
    EXPECT_EQ(compile_error(model, platforms), "") << platforms.front();
  }
}

TEST(RknncPlatforms, PrintsTheTableAndItsJson) {
  TempDir dir;
  const auto r = testing::run_command(rknnc("platforms --json " + (dir / "p.json").string()));
  ASSERT_EQ(r.status, 0) << r.output;
  for (const sim::Platform& p : sim::platforms()) {
    EXPECT_NE(r.output.find("\n" + std::string(p.name) + " "), std::string::npos) << p.name;
  }
  EXPECT_NE(r.output.find("1920/192/64"), std::string::npos) << r.output;
  const std::string json = read_file(dir / "p.json");
  EXPECT_EQ(json.rfind("{\"platforms\":[{\"name\":\"rk1808\",\"group\":0,\"group_members\":[\"rk1808\",\"rk3399pro\"]", 0),
            0u)
      << json;
  EXPECT_NE(json.find("\"name\":\"rv1106\",\"group\":4"), std::string::npos);
  EXPECT_NE(json.find("\"fp16_macs\":0"), std::string::npos);
}

TEST(RknncPlatforms, ListsWhatAModelRunsOn) {
  TempDir dir;
  const auto model = save_conv_model(dir);
  const auto compiled =
      testing::run_command(rknnc("compile " + model.string() + " -o " + (dir / "m.rknn").string() + " --platform rv1126"));
  ASSERT_EQ(compiled.status, 0) << compiled.output;
  const auto r = testing::run_command(rknnc("platforms " + (dir / "m.rknn").string() + " --json " +
                                            (dir / "p.json").string()));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("Target platforms filled in the model: rv1126\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Target platforms that run the model (float16): rv1109 rv1126\n"), std::string::npos)
      << r.output;
  EXPECT_EQ(read_file(dir / "p.json"),
            "{\"filled\":[\"rv1126\"],\"supported\":[\"rv1109\",\"rv1126\"],\"quantization\":\"float16\"}\n");

  // An ONNX model with compile options: compiled in memory for the platforms given.
  const auto onnx = testing::run_command(rknnc("platforms " + model.string() + " --platform rk3566"));
  ASSERT_EQ(onnx.status, 0) << onnx.output;
  EXPECT_NE(onnx.output.find("run the model (float16): rk3566 rk3568\n"), std::string::npos) << onnx.output;
}

TEST(RknncPlatforms, RefusedCombinationsExitWithTheMessage) {
  TempDir dir;
  const auto model = save_conv_model(dir);
  const auto mixed = testing::run_command(rknnc("compile " + model.string() + " -o " + (dir / "m.rknn").string() +
                                                " --platform rk1808 --platform rv1126"));
  EXPECT_NE(mixed.status, 0);
  EXPECT_NE(mixed.output.find("belong to different NPU generations"), std::string::npos) << mixed.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "m.rknn"));
  const auto no_float =
      testing::run_command(rknnc("compile " + model.string() + " -o " + (dir / "m.rknn").string() + " --platform rv1106"));
  EXPECT_NE(no_float.status, 0);
  EXPECT_NE(no_float.output.find("rv1106 does not run quantization type 'float16'"), std::string::npos)
      << no_float.output;
}

}  // namespace
}  // namespace rknn
