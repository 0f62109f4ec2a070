// The compile driver and the artifact: options are checked with clear
// messages, artifacts round-trip through the runtime's reader, and the same
// inputs give the same bytes.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "artifact/artifact_writer.h"
#include "driver/compile.h"
#include "ir/error.h"
#include "onnx_builder.h"
#include "rknn/sim/error.h"
#include "rknn/sim/executor.h"
#include "rknn/sim/half.h"

namespace rknn {
namespace {

using testing::OnnxBuilder;
using testing::TempDir;

sim::Tensor ramp(sim::Shape shape, float scale) {
  sim::Tensor t(sim::DType::kFloat32, std::move(shape));
  auto v = t.values<float>();
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = scale * static_cast<float>(int(i % 7) - 3);
  return t;
}

// image [1,3,4,4] -> Conv(2) -> Relu -> "features" -> GlobalAveragePool -> "pooled"
std::filesystem::path save_model(const TempDir& dir) {
  OnnxBuilder b;
  b.input("image", {1, 3, 4, 4}).output("pooled", {1, 2, 1, 1});
  b.initializer("w", ramp({2, 3, 1, 1}, 0.1f)).initializer("b", ramp({2}, 0.01f));
  b.node("Conv", {"image", "w", "b"}, {"conv"}, "conv");
  b.node("Relu", {"conv"}, {"features"}, "relu");
  b.node("GlobalAveragePool", {"features"}, {"pooled"}, "pool");
  b.save(dir / "m.onnx");
  return dir / "m.onnx";
}

driver::CompiledModel compile_with_defaults(const std::filesystem::path& model) {
  const driver::CompileOptions defaults;  // named: GCC 12 misreports a temporary here
  return driver::compile_model(model, defaults);
}

std::string error_of(const std::filesystem::path& model, const driver::CompileOptions& options) {
  try {
    driver::compile_model(model, options);
  } catch (const CompileError& e) {
    return e.what();
  }
  return "";
}

TEST(Compile, RecordsAttributesAndPreprocessing) {
  TempDir dir;
  driver::CompileOptions options;
  options.mean = {{1, 2, 3}};
  options.std = {{4, 5, 6}};
  options.reorder = {{2, 1, 0}};
  options.custom_string = "hello";
  const auto m = driver::compile_model(save_model(dir), options);
  ASSERT_EQ(m.info.inputs.size(), 1u);
  EXPECT_EQ(m.info.inputs[0].name, "image");
  EXPECT_EQ(m.info.inputs[0].dims, (std::vector<std::int64_t>{1, 3, 4, 4}));
  EXPECT_EQ(m.info.inputs[0].fmt, format::Layout::kNCHW);
  EXPECT_EQ(m.info.inputs[0].type, sim::DType::kFloat16);  // float16 is the default quantization
  EXPECT_EQ(m.info.preprocess[0].reorder, (std::vector<std::int32_t>{2, 1, 0}));
  EXPECT_EQ(m.info.quantization, "float16");
  EXPECT_EQ(m.info.platforms, std::vector<std::string>{"rk1808"});
  EXPECT_EQ(m.info.custom_string, "hello");
  EXPECT_EQ(m.dependencies.front(), dir / "m.onnx");
}

TEST(Compile, Float16RoundsEveryWeightToHalf) {
  TempDir dir;
  const auto m = compile_with_defaults(save_model(dir));
  for (const auto& t : m.program.tensors) {
    if (!t.constant || t.constant->dtype() != sim::DType::kFloat32) continue;
    for (float v : t.constant->values<float>()) EXPECT_EQ(v, sim::half_to_float(sim::float_to_half(v)));
  }
}

TEST(CompileErrors, OptionsAreCheckedWithClearMessages) {
  TempDir dir;
  const auto model = save_model(dir);
  // Each case starts from default options and changes one thing.
  auto error_with = [&](auto change) {
    driver::CompileOptions o;
    change(o);
    return error_of(model, o);
  };
  using O = driver::CompileOptions;
  EXPECT_NE(error_with([](O& o) { o.quantization = "int4"; }).find("unknown quantization type 'int4'"),
            std::string::npos);
  EXPECT_NE(error_with([](O& o) { o.quantization = "asymmetric_quantized-u8"; })
                .find("'asymmetric_u8' needs a calibration data set (--dataset)"),
            std::string::npos);
  EXPECT_NE(error_with([](O& o) { o.platforms = {"rk1808", "rv1126"}; }).find("different NPU generations"),
            std::string::npos);
  EXPECT_NE(error_with([](O& o) { o.platforms = {"rk9999"}; }).find("unknown platform 'rk9999'"), std::string::npos);
  EXPECT_NE(error_with([](O& o) { o.mean = {{1, 2}}; })
                .find("--mean for input 'image' has 2 values; the input has 3 channels"),
            std::string::npos);
  EXPECT_NE(error_with([](O& o) { o.reorder = {{0, 0, 1}}; }).find("must be a permutation"), std::string::npos);
  EXPECT_NE(error_with([](O& o) { o.std = {{1, 0, 1}}; }).find("contains 0"), std::string::npos);
  EXPECT_NE(error_with([](O& o) { o.mean = {{1, 2, 3}, {1, 2, 3}}; }).find("given for 2 inputs; the model has 1"),
            std::string::npos);
  EXPECT_NE(error_with([](O& o) { o.outputs = {"nope"}; }).find("--outputs names 'nope'"), std::string::npos);
}

TEST(Compile, SubGraphBetweenNamedTensors) {
  TempDir dir;
  driver::CompileOptions o;
  o.quantization = "float32";
  o.outputs = {"features"};
  auto m = driver::compile_model(save_model(dir), o);
  EXPECT_EQ(m.info.outputs.at(0).name, "features");
  EXPECT_EQ(m.program.nodes.size(), 1u);  // Conv with the Relu fused
  o.outputs = {};
  o.inputs = {"features"};
  m = driver::compile_model(save_model(dir), o);
  EXPECT_EQ(m.info.inputs.at(0).name, "features");
  ASSERT_EQ(m.program.nodes.size(), 1u);
  EXPECT_EQ(m.program.nodes[0].node.op, "GlobalAveragePool");
}

TEST(Compile, BatchSizeMultipliesTheFirstDimension) {
  TempDir dir;
  driver::CompileOptions o;
  o.load.import.batch_size = 4;
  const auto m = driver::compile_model(save_model(dir), o);
  EXPECT_EQ(m.info.inputs[0].dims, (std::vector<std::int64_t>{4, 3, 4, 4}));
  EXPECT_EQ(m.info.outputs[0].dims, (std::vector<std::int64_t>{4, 2, 1, 1}));
}

TEST(Compile, DatasetFilesAreDependenciesAndBadLinesAreNamed) {
  TempDir dir;
  const auto model = save_model(dir);
  std::filesystem::create_directories(dir / "images");
  std::ofstream(dir / "images" / "a.npy") << "x";
  std::ofstream(dir / "images" / "b.npy") << "x";
  std::ofstream(dir / "ds.txt") << "# calibration\nimages/a.npy\n\nimages/b.npy\n";
  driver::CompileOptions o;
  o.dataset = dir / "ds.txt";
  const auto m = driver::compile_model(model, o);
  EXPECT_EQ(m.dependencies.size(), 4u);
  EXPECT_EQ(m.dependencies.back(), dir / "images" / "b.npy");

  std::ofstream(dir / "bad.txt") << "images/a.npy\nimages/missing.npy\n";
  o.dataset = dir / "bad.txt";
  EXPECT_NE(error_of(model, o).find("bad.txt:2: '" + (dir / "images/missing.npy").string() + "' does not exist"),
            std::string::npos)
      << error_of(model, o);
  std::ofstream(dir / "two.txt") << "images/a.npy images/b.npy\n";
  o.dataset = dir / "two.txt";
  EXPECT_NE(error_of(model, o).find("two.txt:1: names 2 files, the model has 1 inputs"), std::string::npos);
  std::ofstream(dir / "empty.txt") << "\n# nothing\n";
  o.dataset = dir / "empty.txt";
  EXPECT_NE(error_of(model, o).find("lists no samples"), std::string::npos);
}

// Aligned storage for an artifact, as the embedded blob is.
sim::Tensor aligned(const std::string& bytes) {
  sim::Tensor t(sim::DType::kUInt8, {static_cast<std::int64_t>(bytes.size())});
  std::memcpy(t.raw(), bytes.data(), bytes.size());
  return t;
}

TEST(Artifact, RoundTripsAndRunsTheSameBytes) {
  TempDir dir;
  driver::CompileOptions o;
  o.quantization = "float32";
  o.mean = {{1, 2, 3}};
  o.custom_string = "abc";
  const auto m = driver::compile_model(save_model(dir), o);
  const std::string bytes = artifact::write_artifact(m.info, m.program);
  EXPECT_EQ(bytes, artifact::write_artifact(m.info, m.program));  // deterministic
  const sim::Tensor storage = aligned(bytes);
  const format::LoadedModel loaded = format::load_model({storage.raw(), storage.byte_size()});
  EXPECT_EQ(loaded.info.custom_string, "abc");
  EXPECT_EQ(loaded.info.preprocess[0].mean, (std::vector<float>{1, 2, 3}));
  EXPECT_EQ(loaded.info.compiler_version, driver::compiler_version());
  ASSERT_EQ(loaded.program.tensors.size(), m.program.tensors.size());
  for (const auto& t : loaded.program.tensors) {
    if (!t.constant) continue;
    EXPECT_TRUE(t.constant->is_borrowed()) << t.name;  // used in place
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(t.constant->raw()) % 64, 0u) << t.name;
  }
  sim::Executor original(m.program);
  sim::Executor reloaded(loaded.program);
  const std::vector<sim::Tensor> input{ramp({1, 3, 4, 4}, 0.5f)};
  EXPECT_TRUE(original.run(input).at(0).bytes_equal(reloaded.run(input).at(0)));
}

TEST(Artifact, UnalignedBuffersAreCopied) {
  TempDir dir;
  const auto m = compile_with_defaults(save_model(dir));
  const std::string bytes = artifact::write_artifact(m.info, m.program);
  sim::Tensor storage(sim::DType::kUInt8, {static_cast<std::int64_t>(bytes.size()) + 1});
  std::memcpy(storage.raw() + 1, bytes.data(), bytes.size());
  const auto loaded = format::load_model({storage.raw() + 1, bytes.size()});
  EXPECT_TRUE(loaded.storage != nullptr);
}

TEST(Artifact, CorruptionIsRefusedNeverCrashes) {
  TempDir dir;
  const auto m = compile_with_defaults(save_model(dir));
  const std::string bytes = artifact::write_artifact(m.info, m.program);
  auto attempt = [](const std::string& b) {
    const sim::Tensor s = aligned(b);
    try {
      const auto loaded = format::load_model({s.raw(), s.byte_size()});
      sim::Executor executor(loaded.program);  // must not crash either
      return true;
    } catch (const format::FormatError&) {
      return false;
    } catch (const sim::Error&) {
      return false;
    }
  };
  EXPECT_TRUE(attempt(bytes));
  EXPECT_FALSE(attempt(bytes.substr(0, bytes.size() / 2)));
  EXPECT_FALSE(attempt(bytes.substr(0, 7)));
  EXPECT_FALSE(attempt(std::string(bytes.size(), 'x')));
  int refused = 0;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {  // flip bits across the whole file
    std::string flipped = bytes;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);
    refused += attempt(flipped) ? 0 : 1;
  }
  EXPECT_GT(refused, 0);
}

}  // namespace
}  // namespace rknn
