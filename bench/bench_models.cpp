// Whole generated models (scripts/models): ResNet-18 and MobileNetV2 at
// 224x224, float32, optimization level 3, on 1 and 2 threads.
#include <benchmark/benchmark.h>

#include <filesystem>

#include <cstring>

#include "artifact/artifact_writer.h"
#include "driver/compile.h"
#include "driver/load_model.h"
#include "rknn/runtime.hpp"
#include "io/tensor_file.h"
#include "lower/to_program.h"
#include "rknn/sim/executor.h"

namespace {

using namespace rknn;

void run_model(benchmark::State& state, const std::string& arch) {
  const auto dir = std::filesystem::path(RKNN_MODELS_DIR) / arch;
  const driver::LoadedModel model = driver::load_model(dir / (arch + ".onnx"), {});
  sim::Executor executor(lower::to_program(model.graph), {.threads = static_cast<int>(state.range(0))});
  const std::vector<sim::Tensor> feeds{io::read_npy(dir / (arch + ".input.npy"))};
  for (auto _ : state) benchmark::DoNotOptimize(executor.run(feeds));
}

void BM_ResNet18(benchmark::State& state) { run_model(state, "resnet18"); }
void BM_MobileNetV2(benchmark::State& state) { run_model(state, "mobilenetv2"); }

}  // namespace

BENCHMARK(BM_ResNet18)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->MinTime(2.0)->UseRealTime();
BENCHMARK(BM_MobileNetV2)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->MinTime(2.0)->UseRealTime();

// Loading an artifact the way an application with an embedded model does:
// verify the flatbuffer, build the program with constants used in place,
// prepare every kernel. The artifact is compiled once, outside the timing.
namespace {

void load_artifact(benchmark::State& state, const std::string& arch, const char* quant) {
  const auto dir = std::filesystem::path(RKNN_MODELS_DIR) / arch;
  rknn::driver::CompileOptions options;
  options.quantization = quant;
  const auto compiled = rknn::driver::compile_model(dir / (arch + ".onnx"), options);
  const std::string bytes = rknn::artifact::write_artifact(compiled.info, compiled.program);
  rknn::sim::Tensor aligned(rknn::sim::DType::kUInt8, {static_cast<std::int64_t>(bytes.size())});
  std::memcpy(aligned.raw(), bytes.data(), bytes.size());
  for (auto _ : state) {
    rknn::Session session({aligned.raw(), aligned.byte_size()});
    benchmark::DoNotOptimize(session.context());
  }
  state.counters["MB"] = static_cast<double>(bytes.size()) / 1e6;
}

void BM_LoadArtifact_ResNet18(benchmark::State& state) { load_artifact(state, "resnet18", "float32"); }
void BM_LoadArtifact_MobileNetV2(benchmark::State& state) { load_artifact(state, "mobilenetv2", "float16"); }

}  // namespace

BENCHMARK(BM_LoadArtifact_ResNet18)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoadArtifact_MobileNetV2)->Unit(benchmark::kMillisecond);
