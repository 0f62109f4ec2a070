// Conv and GEMM kernels at the sizes MobileNetV2 and ResNet-18 use, each
// through a one-node program on the executor, with the fast and the plain
// reference kernels side by side.
#include <benchmark/benchmark.h>

#include <random>

#include "rknn/sim/executor.h"

namespace {

using namespace rknn::sim;

Tensor random_tensor(Shape shape, std::uint32_t seed) {
  Tensor t(DType::kFloat32, std::move(shape));
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (float& v : t.values<float>()) v = dist(rng);
  return t;
}

// A program with one node: input 0 is fed at run time, the others are constants.
Executor make_executor(OpNode node, std::vector<Tensor> inputs, TensorType output, ExecutorOptions options) {
  Program p;
  ProgramNode pn{std::move(node), {}, {}};
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    ProgramTensor t{"in" + std::to_string(i), inputs[i].type(), std::nullopt};
    if (i > 0) t.constant = std::move(inputs[i]);
    pn.inputs.push_back(static_cast<int>(p.tensors.size()));
    p.tensors.push_back(std::move(t));
  }
  p.inputs = {0};
  pn.outputs = {static_cast<int>(p.tensors.size())};
  p.outputs = pn.outputs;
  p.tensors.push_back({"out", std::move(output), std::nullopt, std::nullopt});
  p.nodes.push_back(std::move(pn));
  return Executor(std::move(p), options);
}

struct ConvShape {
  std::int64_t in_channels, out_channels, size, kernel, stride, group;
};

void run_conv(benchmark::State& state, ConvShape s, bool reference) {
  const std::int64_t pad = s.kernel / 2;
  const std::int64_t out_size = (s.size + 2 * pad - s.kernel) / s.stride + 1;
  Attributes attrs;
  attrs.set("kernel_shape", std::vector<std::int64_t>{s.kernel, s.kernel});
  attrs.set("strides", std::vector<std::int64_t>{s.stride, s.stride});
  attrs.set("pads", std::vector<std::int64_t>{pad, pad, pad, pad});
  attrs.set("group", s.group);
  const Tensor input = random_tensor({1, s.in_channels, s.size, s.size}, 1);
  Executor executor = make_executor(
      {"Conv", "conv", attrs},
      {input, random_tensor({s.out_channels, s.in_channels / s.group, s.kernel, s.kernel}, 2),
       random_tensor({s.out_channels}, 3)},
      {DType::kFloat32, {1, s.out_channels, out_size, out_size}},
      {.threads = static_cast<int>(state.range(0)), .reference = reference});
  const std::vector<Tensor> feeds{input};
  for (auto _ : state) benchmark::DoNotOptimize(executor.run(feeds));
  const double macs = double(s.out_channels) * out_size * out_size * (s.in_channels / s.group) * s.kernel * s.kernel;
  state.counters["GMAC/s"] = benchmark::Counter(macs, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

void BM_Conv3x3_64ch_56(benchmark::State& state) { run_conv(state, {64, 64, 56, 3, 1, 1}, false); }
void BM_Conv3x3_64ch_56_Reference(benchmark::State& state) { run_conv(state, {64, 64, 56, 3, 1, 1}, true); }
void BM_Conv1x1_96to24_56(benchmark::State& state) { run_conv(state, {96, 24, 56, 1, 1, 1}, false); }
void BM_Conv7x7s2_3to64_224(benchmark::State& state) { run_conv(state, {3, 64, 224, 7, 2, 1}, false); }
void BM_Depthwise3x3_144ch_56(benchmark::State& state) { run_conv(state, {144, 144, 56, 3, 1, 144}, false); }
void BM_Depthwise3x3_144ch_56_Reference(benchmark::State& state) { run_conv(state, {144, 144, 56, 3, 1, 144}, true); }

void run_gemm(benchmark::State& state, bool reference) {
  const std::int64_t m = 1, k = 512, n = 1000;
  Attributes attrs;
  attrs.set("transB", std::int64_t{1});
  const Tensor input = random_tensor({m, k}, 1);
  Executor executor = make_executor({"Gemm", "fc", attrs}, {input, random_tensor({n, k}, 2), random_tensor({n}, 3)},
                                    {DType::kFloat32, {m, n}},
                                    {.threads = static_cast<int>(state.range(0)), .reference = reference});
  const std::vector<Tensor> feeds{input};
  for (auto _ : state) benchmark::DoNotOptimize(executor.run(feeds));
}

void BM_Gemm_512x1000(benchmark::State& state) { run_gemm(state, false); }
void BM_Gemm_512x1000_Reference(benchmark::State& state) { run_gemm(state, true); }

void run_matmul(benchmark::State& state) {
  const std::int64_t size = 256;
  const Tensor a = random_tensor({size, size}, 1);
  Executor executor = make_executor({"MatMul", "mm", {}}, {a, random_tensor({size, size}, 2)},
                                    {DType::kFloat32, {size, size}}, {.threads = static_cast<int>(state.range(0))});
  const std::vector<Tensor> feeds{a};
  for (auto _ : state) benchmark::DoNotOptimize(executor.run(feeds));
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * size * size * size, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}
void BM_MatMul_256(benchmark::State& state) { run_matmul(state); }

}  // namespace

BENCHMARK(BM_Conv3x3_64ch_56)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Conv3x3_64ch_56_Reference)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Conv1x1_96to24_56)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Conv7x7s2_3to64_224)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Depthwise3x3_144ch_56)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Depthwise3x3_144ch_56_Reference)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Gemm_512x1000)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Gemm_512x1000_Reference)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MatMul_256)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
