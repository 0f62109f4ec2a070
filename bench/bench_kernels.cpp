// Conv and GEMM kernels at the sizes MobileNetV2 and ResNet-18 use, each
// through a one-node program on the executor, with the fast and the plain
// reference kernels side by side; the integer (quantized) Conv kernels too.
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

// ---- Integer (quantized) Conv: uint8 and int16 codes ----

Tensor random_codes(DType type, Shape shape, std::uint32_t seed) {
  Tensor t(type, std::move(shape));
  std::mt19937 rng(seed);
  for (std::int64_t i = 0; i < t.element_count(); ++i) {
    if (type == DType::kUInt8) {
      t.values<std::uint8_t>()[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(rng() % 256);
    } else {
      t.values<std::int16_t>()[static_cast<std::size_t>(i)] = static_cast<std::int16_t>(rng() % 4001) - 2000;
    }
  }
  return t;
}

// uint8 as asymmetric_u8 (non-zero zero points), int16 as dynamic fixed
// point (zero points 0); per-channel weights, int32 bias, fused Relu.
void run_qconv(benchmark::State& state, ConvShape s, DType type, bool reference) {
  const std::int64_t pad = s.kernel / 2;
  const std::int64_t out_size = (s.size + 2 * pad - s.kernel) / s.stride + 1;
  const bool u8 = type == DType::kUInt8;
  Attributes attrs;
  attrs.set("strides", std::vector<std::int64_t>{s.stride, s.stride});
  attrs.set("pads", std::vector<std::int64_t>{pad, pad, pad, pad});
  attrs.set("group", s.group);
  attrs.set("activation", std::string("Relu"));
  const float x_scale = u8 ? 0.02f : 0.0005f;
  QuantParams wq{{}, {}, 0};
  Tensor bias(DType::kInt32, {s.out_channels});
  std::mt19937 rng(4);
  for (std::int64_t c = 0; c < s.out_channels; ++c) {
    wq.scale.push_back(u8 ? 0.004f + 0.0001f * static_cast<float>(c % 7) : 0.0001f);
    wq.zero_point.push_back(u8 ? 120 + static_cast<std::int32_t>(c % 16) : 0);
    bias.values<std::int32_t>()[static_cast<std::size_t>(c)] = static_cast<std::int32_t>(rng() % 20001) - 10000;
  }
  const Tensor input = random_codes(type, {1, s.in_channels, s.size, s.size}, 1);
  Program p;
  p.tensors.push_back({"x", input.type(), std::nullopt, QuantParams{{x_scale}, {u8 ? 128 : 0}, -1}});
  p.tensors.push_back({"w", {type, {s.out_channels, s.in_channels / s.group, s.kernel, s.kernel}},
                       random_codes(type, {s.out_channels, s.in_channels / s.group, s.kernel, s.kernel}, 2), wq});
  p.tensors.push_back({"b", bias.type(), bias, std::nullopt});
  p.tensors.push_back({"y", {type, {1, s.out_channels, out_size, out_size}}, std::nullopt,
                       QuantParams{{u8 ? 0.05f : 0.002f}, {u8 ? 10 : 0}, -1}});
  OpNode node{"Conv", "qconv", attrs};
  node.output_quant = {p.tensors[3].quant};
  p.nodes.push_back({std::move(node), {0, 1, 2}, {3}});
  p.inputs = {0};
  p.outputs = {3};
  Executor executor(std::move(p), {.threads = static_cast<int>(state.range(0)), .reference = reference});
  const std::vector<Tensor> feeds{input};
  for (auto _ : state) benchmark::DoNotOptimize(executor.run(feeds));
  const double macs = double(s.out_channels) * out_size * out_size * (s.in_channels / s.group) * s.kernel * s.kernel;
  state.counters["GMAC/s"] = benchmark::Counter(macs, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

constexpr ConvShape kConv3x3{64, 64, 56, 3, 1, 1};
constexpr ConvShape kConv1x1{96, 24, 56, 1, 1, 1};
constexpr ConvShape kDepthwise{144, 144, 56, 3, 1, 144};
BENCHMARK_CAPTURE(run_qconv, Conv3x3_64ch_56_u8, kConv3x3, DType::kUInt8, false)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_qconv, Conv3x3_64ch_56_u8_Reference, kConv3x3, DType::kUInt8, true)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_qconv, Conv3x3_64ch_56_i16, kConv3x3, DType::kInt16, false)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_qconv, Conv1x1_96to24_56_u8, kConv1x1, DType::kUInt8, false)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_qconv, Conv1x1_96to24_56_i16, kConv1x1, DType::kInt16, false)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_qconv, Depthwise3x3_144ch_56_u8, kDepthwise, DType::kUInt8, false)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_qconv, Depthwise3x3_144ch_56_u8_Reference, kDepthwise, DType::kUInt8, true)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_qconv, Depthwise3x3_144ch_56_i16, kDepthwise, DType::kInt16, false)->Arg(1)->Unit(benchmark::kMillisecond);

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
