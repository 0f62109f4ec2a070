// Whole generated models (scripts/models): ResNet-18 and MobileNetV2 at
// 224x224, float32, optimization level 3, on 1 and 2 threads.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "driver/load_model.h"
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
