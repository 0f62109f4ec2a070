// Device round trips (docs/protocol.md): a run of tiny_cnn (float16) in
// process and on an rknn_server over loopback TCP, native and as the
// emulated aarch64 board under qemu-user; one bare request/reply; model
// upload throughput. BM_DeviceRun/<agent>/0 is an application's cycle
// (set input, run, get output), /1 the RUN request alone (compute plus one
// round trip), so the per-run overhead of a board is
//   BM_DeviceRun/0 - BM_DeviceRun/1 + BM_DeviceRoundTrip.
// The agents are started by the benchmark itself.
#include <benchmark/benchmark.h>

#include <cstring>
#include <filesystem>
#include <map>
#include <memory>

#include "../tests/device/agent_process.h"
#include "artifact/artifact_writer.h"
#include "client/client.h"
#include "driver/compile.h"
#include "rknn/rknn_api_ext.h"

namespace {

using namespace rknn;

// The launch command of each agent kind this build can start.
std::map<std::string, std::vector<std::string>> agent_commands() {
  std::map<std::string, std::vector<std::string>> commands = {{"native", {RKNN_BENCH_SERVER}}};
#ifdef RKNN_BENCH_BOARD_SERVER
  commands["qemu-aarch64"] = {RKNN_BENCH_QEMU, "-L", RKNN_BENCH_SYSROOT, RKNN_BENCH_BOARD_SERVER};
#endif
  return commands;
}

// The device id of an agent of `kind`, started on first use, stopped at exit.
std::string agent(const std::string& kind) {
  struct Running {
    std::filesystem::path dir;
    std::unique_ptr<testing::AgentProcess> process;
    ~Running() {
      process.reset();
      std::filesystem::remove_all(dir);
    }
  };
  static std::map<std::string, Running> running;
  auto it = running.find(kind);
  if (it == running.end()) {
    Running& r = running[kind];
    r.dir = std::filesystem::temp_directory_path() / ("rknn-bench-agent-" + kind + "-" + std::to_string(::getpid()));
    std::filesystem::create_directories(r.dir);
    r.process = std::make_unique<testing::AgentProcess>(
        agent_commands().at(kind), std::vector<std::string>{"--watch-pid", std::to_string(::getpid())}, r.dir);
    it = running.find(kind);
  }
  return it->second.process->device();
}

// tiny_cnn as float16, compiled once, in 64-byte aligned memory.
struct Model {
  std::vector<std::byte> storage;
  std::span<std::byte> bytes;
};

const Model& tiny_cnn() {
  static const Model model = [] {
    driver::CompileOptions options;
    options.quantization = "float16";
    const auto compiled =
        driver::compile_model(std::filesystem::path(RKNN_MODELS_DIR) / "tiny_cnn" / "tiny_cnn.onnx", options);
    const std::string text = artifact::write_artifact(compiled.info, compiled.program);
    Model m;
    m.storage.resize(text.size() + 64);
    const auto at = (64 - reinterpret_cast<std::uintptr_t>(m.storage.data()) % 64) % 64;
    m.bytes = std::span(m.storage).subspan(at, text.size());
    std::memcpy(m.bytes.data(), text.data(), text.size());
    return m;
  }();
  return model;
}

// One application-level run: set the input, run, read the output as float.
void run_once(rknn_context ctx, std::vector<float>& input, std::vector<float>& output) {
  rknn_input in{};
  in.buf = input.data();
  in.size = static_cast<std::uint32_t>(input.size() * sizeof(float));
  in.type = RKNN_TENSOR_FLOAT32;
  in.fmt = RKNN_TENSOR_NCHW;
  rknn_output out{};
  out.want_float = 1;
  out.is_prealloc = 1;
  out.buf = output.data();
  out.size = static_cast<std::uint32_t>(output.size() * sizeof(float));
  if (rknn_inputs_set(ctx, 1, &in) != RKNN_SUCC || rknn_run(ctx, nullptr) != RKNN_SUCC ||
      rknn_outputs_get(ctx, 1, &out, nullptr) != RKNN_SUCC) {
    throw std::runtime_error(rknn_last_error_message());
  }
}

void device_run(benchmark::State& state, const std::string& device) {
  const Model& model = tiny_cnn();
  rknn_init_options options{};
  options.device = device.c_str();
  rknn_context ctx = 0;
  if (rknn_init_with_options(&ctx, model.bytes.data(), static_cast<std::uint32_t>(model.bytes.size()), 0, &options)) {
    state.SkipWithError(rknn_last_error_message());
    return;
  }
  std::vector<float> input(3 * 32 * 32, 0.5f), output(10);
  if (state.range(0) == 0) {
    for (auto _ : state) run_once(ctx, input, output);
  } else {  // inputs set once: each iteration is the RUN request alone (compute + one round trip)
    run_once(ctx, input, output);
    for (auto _ : state) rknn_run(ctx, nullptr);
  }
  rknn_destroy(ctx);
}

// The smallest exchange: one QUERY request and its reply.
void device_round_trip(benchmark::State& state, const std::string& device) {
  auto client = device::Client::connect(device);
  const std::uint32_t handle = client->load(tiny_cnn().bytes, 0, 1);
  for (auto _ : state) benchmark::DoNotOptimize(client->query(handle, RKNN_QUERY_IN_OUT_NUM));
}

// Upload of 32 MiB in 1 MiB chunks (LOAD_BEGIN + LOAD_CHUNKs; the next
// LOAD_BEGIN drops it): transfer, framing and CRC on both sides.
void device_upload(benchmark::State& state, const std::string& device) {
  auto client = device::Client::connect(device);
  const std::vector<std::byte> blob(32u << 20, std::byte{0x5A});
  const std::size_t chunk = 1 << 20;
  for (auto _ : state) {
    client->call(device::MessageType::kLoadBegin, device::encode(device::LoadBegin{blob.size(), 0, 0}));
    for (std::size_t at = 0; at < blob.size(); at += chunk) {
      client->call(device::MessageType::kLoadChunk,
                   device::encode(device::LoadChunk{at, std::span(blob).subspan(at, chunk)}));
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(blob.size()));
}

const bool registered = [] {
  benchmark::RegisterBenchmark("BM_DeviceRun/simulator", [](benchmark::State& s) { device_run(s, "simulator"); })
      ->Arg(0)
      ->Arg(1)
      ->Unit(benchmark::kMicrosecond)
      ->UseRealTime();
  for (const auto& [kind, command] : agent_commands()) {
    const std::string k = kind;
    benchmark::RegisterBenchmark(("BM_DeviceRun/" + k).c_str(), [k](benchmark::State& s) { device_run(s, agent(k)); })
        ->Arg(0)
        ->Arg(1)
        ->Unit(benchmark::kMicrosecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("BM_DeviceRoundTrip/" + k).c_str(),
                                 [k](benchmark::State& s) { device_round_trip(s, agent(k)); })
        ->Unit(benchmark::kMicrosecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("BM_DeviceUpload/" + k).c_str(),
                                 [k](benchmark::State& s) { device_upload(s, agent(k)); })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  return true;
}();

}  // namespace
