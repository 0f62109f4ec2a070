// Decrypt + load time of encrypted artifacts per level (0: plain), for the
// example model (examples/classify/shapes.onnx, float16) and MobileNetV2
// (float16): a Session is created from the embedded-style aligned bytes, as
// an application's Model constructor does. Counters give the artifact size
// and the size overhead of the level.
#include <benchmark/benchmark.h>

#include <cstring>
#include <filesystem>
#include <map>

#include "artifact/artifact_writer.h"
#include "driver/compile.h"
#include "encryption/encrypt.h"
#include "rknn/runtime.hpp"
#include "rknn/sim/tensor.h"

namespace {

using namespace rknn;

// A 32-byte key for levels 1 and 2, a passphrase for level 3.
std::vector<std::byte> secret_for(int level) {
  if (level == 3) {
    const std::string_view pass = "benchmark passphrase";
    const auto bytes = std::as_bytes(std::span(pass));
    return {bytes.begin(), bytes.end()};
  }
  std::vector<std::byte> key(encryption::kKeySize);
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::byte>(i * 13 + 1);
  return key;
}

// The plain float16 artifact of a model, compiled once per process.
const std::string& plain_artifact(const std::filesystem::path& onnx) {
  static std::map<std::filesystem::path, std::string> cache;
  auto it = cache.find(onnx);
  if (it == cache.end()) {
    driver::CompileOptions options;
    options.quantization = "float16";
    const auto compiled = driver::compile_model(onnx, options);
    it = cache.emplace(onnx, artifact::write_artifact(compiled.info, compiled.program)).first;
  }
  return it->second;
}

void decrypt_and_load(benchmark::State& state, const std::filesystem::path& onnx) {
  const int level = static_cast<int>(state.range(0));
  const std::string& plain = plain_artifact(onnx);
  const std::vector<std::byte> secret = secret_for(level);
  const std::string bytes = level == 0 ? plain : encryption::encrypt_artifact(plain, level, secret);
  sim::Tensor aligned(sim::DType::kUInt8, {static_cast<std::int64_t>(bytes.size())});  // 64-byte aligned
  std::memcpy(aligned.raw(), bytes.data(), bytes.size());
  const Options options{.key = level == 0 ? std::span<const std::byte>() : std::span<const std::byte>(secret)};
  for (auto _ : state) {
    Session session({aligned.raw(), aligned.byte_size()}, options);
    benchmark::DoNotOptimize(session.context());
  }
  state.counters["bytes"] = static_cast<double>(bytes.size());
  state.counters["overhead_bytes"] = static_cast<double>(bytes.size() - plain.size());
}

void BM_DecryptLoad_Shapes(benchmark::State& state) {
  decrypt_and_load(state, std::filesystem::path(RKNN_SOURCE_DIR) / "examples/classify/shapes.onnx");
}

void BM_DecryptLoad_MobileNetV2(benchmark::State& state) {
  decrypt_and_load(state, std::filesystem::path(RKNN_MODELS_DIR) / "mobilenetv2/mobilenetv2.onnx");
}

}  // namespace

BENCHMARK(BM_DecryptLoad_Shapes)->ArgName("level")->DenseRange(0, 3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecryptLoad_MobileNetV2)->ArgName("level")->DenseRange(0, 3)->Unit(benchmark::kMillisecond);
