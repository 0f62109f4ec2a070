// Pre-compilation (docs/precompile.md): the artifact's size and the time an
// application takes to load it (rknn::Session construction: verify the
// flatbuffer, build the program, prepare the kernels; a pre-compiled model
// prepares its stored tile kernels and allocates its planned arena instead of
// preparing the graph and planning memory), with and without --precompile,
// for the example model and the MobileNetV2- and ResNet-18-shaped models, u8.
// Each case runs 9 repetitions and reports their median; the counter `bytes`
// is the artifact's size. The artifacts are compiled once, outside the timing.
// BM_Lower measures the lowering itself, the work a runtime that lowered the
// graph at load time (as RKNN's driver does for a model that is not
// pre-compiled) would add to the plain load.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <cstring>
#include <filesystem>
#include <map>
#include <string>

#include "artifact/artifact_writer.h"
#include "driver/compile.h"
#include "precompile/precompile.h"
#include "precompile/program_view.h"
#include "rknn/runtime.hpp"

namespace {

using namespace rknn;
namespace fs = std::filesystem;

struct Model {
  fs::path onnx;
  fs::path dataset;
  bool image = false;  // the example's mean/std
};

const Model kShapes{fs::path(RKNN_SOURCE_DIR) / "examples/classify/shapes.onnx",
                    fs::path(RKNN_SOURCE_DIR) / "examples/classify/dataset.txt", true};
const Model kMobileNetV2{fs::path(RKNN_MODELS_DIR) / "mobilenetv2/mobilenetv2.onnx",
                         fs::path(RKNN_MODELS_DIR) / "random224/dataset.txt"};
const Model kResNet18{fs::path(RKNN_MODELS_DIR) / "resnet18/resnet18.onnx",
                      fs::path(RKNN_MODELS_DIR) / "random224/dataset.txt"};
const Model kResNet50{fs::path(RKNN_MODELS_DIR) / "resnet50/resnet50.onnx",
                      fs::path(RKNN_MODELS_DIR) / "random224/dataset.txt"};

const driver::CompiledModel& compiled(const Model& m, bool precompile) {
  static std::map<std::pair<std::string, bool>, driver::CompiledModel> cache;
  const auto key = std::make_pair(m.onnx.string(), precompile);
  if (const auto it = cache.find(key); it != cache.end()) return it->second;
  driver::CompileOptions options;
  options.quantization = "asymmetric_u8";
  options.dataset = m.dataset;
  options.precompile = precompile;
  options.threads = 2;
  if (m.image) {
    options.mean = {{127.5f, 127.5f, 127.5f}};
    options.std = {{63.75f, 63.75f, 63.75f}};
  }
  return cache.emplace(key, driver::compile_model(m.onnx, options)).first->second;
}

// The artifact, on a 64-byte boundary as an embedded model is; compiled once per case.
const sim::Tensor& artifact(const Model& m, bool precompile) {
  static std::map<std::pair<std::string, bool>, sim::Tensor> cache;
  const auto key = std::make_pair(m.onnx.string(), precompile);
  if (const auto it = cache.find(key); it != cache.end()) return it->second;
  const driver::CompiledModel& c = compiled(m, precompile);
  const std::string bytes = artifact::write_artifact(c.info, c.program, c.precompiled ? &*c.precompiled : nullptr);
  sim::Tensor aligned(sim::DType::kUInt8, {static_cast<std::int64_t>(bytes.size())});
  std::memcpy(aligned.raw(), bytes.data(), bytes.size());
  return cache.emplace(key, std::move(aligned)).first->second;
}

// Each load gets fresh memory, as an application's first load does: the
// freed memory of the previous iteration goes back to the system first.
// Without that, how much of it glibc keeps for reuse depends on the sizes
// the process freed before (its mmap threshold adapts), and the page faults of
// megabytes of packed weights come and go with the order of the benchmarks.
void BM_Load(benchmark::State& state, const Model* m, bool precompile) {
  const sim::Tensor& bytes = artifact(*m, precompile);
  for (auto _ : state) {
    {
      Session session({bytes.raw(), bytes.byte_size()});
      benchmark::DoNotOptimize(session.context());
      state.PauseTiming();
    }
    malloc_trim(0);
    state.ResumeTiming();
  }
  state.counters["bytes"] = static_cast<double>(bytes.byte_size());
}

// What pre-compilation moves out of the load: lowering the program (fold,
// fuse, tile, plan the arena) as a runtime lowering at load time would.
void BM_Lower(benchmark::State& state, const Model* m) {
  const sim::Program& program = compiled(*m, false).program;
  for (auto _ : state) {
    sim::Program view = precompile::borrowed_view(program);
    benchmark::DoNotOptimize(precompile::lower(view, "rk1808"));
  }
}

void configure(benchmark::internal::Benchmark* b) {
  b->Unit(benchmark::kMicrosecond)->Repetitions(9)->ReportAggregatesOnly(true)->UseRealTime();
}

}  // namespace

BENCHMARK_CAPTURE(BM_Load, shapes_u8_graph, &kShapes, false)->Apply(configure);
BENCHMARK_CAPTURE(BM_Load, shapes_u8_precompiled, &kShapes, true)->Apply(configure);
BENCHMARK_CAPTURE(BM_Load, mobilenetv2_u8_graph, &kMobileNetV2, false)->Apply(configure);
BENCHMARK_CAPTURE(BM_Load, mobilenetv2_u8_precompiled, &kMobileNetV2, true)->Apply(configure);
BENCHMARK_CAPTURE(BM_Load, resnet18_u8_graph, &kResNet18, false)->Apply(configure);
BENCHMARK_CAPTURE(BM_Load, resnet18_u8_precompiled, &kResNet18, true)->Apply(configure);
BENCHMARK_CAPTURE(BM_Load, resnet50_u8_graph, &kResNet50, false)->Apply(configure);
BENCHMARK_CAPTURE(BM_Load, resnet50_u8_precompiled, &kResNet50, true)->Apply(configure);
BENCHMARK_CAPTURE(BM_Lower, shapes_u8, &kShapes)->Apply(configure);
BENCHMARK_CAPTURE(BM_Lower, mobilenetv2_u8, &kMobileNetV2)->Apply(configure);
BENCHMARK_CAPTURE(BM_Lower, resnet18_u8, &kResNet18)->Apply(configure);
