// Quantization costs on the MobileNetV2-shaped model (224x224, scripts/models):
//  - calibration + compile time with 50 calibration samples, per algorithm;
//  - per-inference time of the quantized simulator next to the float golden
//    and float16 models, through rknn::Session as an application runs them.
#include <benchmark/benchmark.h>

#include <cstring>
#include <filesystem>

#include "artifact/artifact_writer.h"
#include "driver/compile.h"
#include "io/tensor_file.h"
#include "rknn/runtime.hpp"

namespace {

using namespace rknn;
namespace fs = std::filesystem;

const fs::path kModel = fs::path(RKNN_MODELS_DIR) / "mobilenetv2" / "mobilenetv2.onnx";

driver::CompileOptions options_for(const char* quant, const char* algorithm) {
  driver::CompileOptions options;
  options.quantization = quant;
  options.quant_algorithm = algorithm;
  options.dataset = fs::path(RKNN_MODELS_DIR) / "random224" / "dataset.txt";  // 50 samples
  return options;
}

// Calibration (50 float runs + statistics) and the rest of the compiler.
void BM_CalibrateAndCompile(benchmark::State& state, const char* algorithm) {
  const driver::CompileOptions options = options_for("asymmetric_u8", algorithm);
  for (auto _ : state) benchmark::DoNotOptimize(driver::compile_model(kModel, options));
}
BENCHMARK_CAPTURE(BM_CalibrateAndCompile, normal, "normal")->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK_CAPTURE(BM_CalibrateAndCompile, kl_divergence, "kl_divergence")
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_CalibrateAndCompile, mmse, "mmse")->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

// One inference with float input and float output, on `state.range(0)` threads.
void BM_Inference(benchmark::State& state, const char* quant) {
  const driver::CompiledModel model = driver::compile_model(kModel, options_for(quant, "normal"));
  const std::string bytes = artifact::write_artifact(model.info, model.program);
  sim::Tensor aligned(sim::DType::kUInt8, {static_cast<std::int64_t>(bytes.size())});
  std::memcpy(aligned.raw(), bytes.data(), bytes.size());
  Options session_options;
  session_options.threads = static_cast<int>(state.range(0));
  Session session({aligned.raw(), aligned.byte_size()}, session_options);
  const sim::Tensor input = io::read_npy(fs::path(RKNN_MODELS_DIR) / "mobilenetv2" / "mobilenetv2.input.npy");
  std::vector<float> output(session.output_attr(0).n_elems);
  for (auto _ : state) {
    session.set_input(0, std::as_bytes(input.values<float>()), RKNN_TENSOR_FLOAT32, RKNN_TENSOR_NCHW);
    session.run();
    session.get_output(0, std::as_writable_bytes(std::span(output)), true);
  }
}
BENCHMARK_CAPTURE(BM_Inference, float32, "float32")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Inference, float16, "float16")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Inference, asymmetric_u8, "asymmetric_u8")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Inference, dynamic_fixed_point_i16, "dynamic_fixed_point_i16")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
