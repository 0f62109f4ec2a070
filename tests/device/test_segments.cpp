// Segmented models (docs/protocol.md, "Segmented models"): sync points from
// `rknnc compile --sync-layers` split a run into segments; rknn_run_segment
// runs them one at a time with rknn_run's bytes, and rknn_server's queue lets
// other clients' runs in between. The agent's --trace shows the order and
// --hold-queue makes it independent of timing.
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "device_test_util.h"
#include "test_process.h"

namespace rknn::testing {
namespace {

// tiny_cnn with sync points after /pool1/MaxPool and /pool2/MaxPool: 3 segments.
constexpr const char* kSegmentedModel = RKNN_TEST_MODEL_SYNC;

std::vector<std::string> trace_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The trace's segment lines ("model=<id> run=<n> segment=<k>/<count>").
std::vector<std::string> segment_lines(const std::filesystem::path& path) {
  std::vector<std::string> lines;
  for (std::string& line : trace_lines(path)) {
    if (line.starts_with("model=")) lines.push_back(std::move(line));
  }
  return lines;
}

// Waits until the trace has `line`: the agent writes it when a run enters its
// queue. The limit only turns a hang into a failure.
bool wait_for_line(const std::filesystem::path& path, const std::string& line) {
  for (int i = 0; i < 600; ++i) {
    for (const std::string& l : trace_lines(path)) {
      if (l == line) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// The model's one input as NCHW float32.
int set_float_input(rknn_context ctx, std::vector<float> data) {
  rknn_input in{};
  in.buf = data.data();
  in.size = static_cast<std::uint32_t>(data.size() * sizeof(float));
  in.type = RKNN_TENSOR_FLOAT32;
  in.fmt = RKNN_TENSOR_NCHW;
  return rknn_inputs_set(ctx, 1, &in);
}

TEST(Segments, RunSegmentGivesRunsBytes) {
  ModelFile model(kSegmentedModel);
  const std::vector<float> input = test_input(7);
  const Outputs whole = simulator_outputs(model, input);

  Context ctx;
  ASSERT_EQ(init_on(ctx, model, "simulator"), RKNN_SUCC) << rknn_last_error_message();
  ASSERT_EQ(set_float_input(ctx.id, input), RKNN_SUCC) << rknn_last_error_message();
  std::uint32_t count = 0;
  ASSERT_EQ(rknn_run_segment(ctx.id, 0, &count, nullptr), RKNN_SUCC) << rknn_last_error_message();
  ASSERT_EQ(count, 3u);
  // Out of order: refused, naming the segment expected.
  EXPECT_EQ(rknn_run_segment(ctx.id, 2, nullptr, nullptr), RKNN_ERR_PARAM_INVALID);
  EXPECT_NE(std::string(rknn_last_error_message()).find("next one to run is 1"), std::string::npos)
      << rknn_last_error_message();
  ASSERT_EQ(rknn_run_segment(ctx.id, 1, nullptr, nullptr), RKNN_SUCC) << rknn_last_error_message();
  rknn_run_extend extend{};
  ASSERT_EQ(rknn_run_segment(ctx.id, 2, nullptr, &extend), RKNN_SUCC) << rknn_last_error_message();
  EXPECT_EQ(extend.frame_id, 1u);
  Outputs stepped;
  stepped.raw.push_back(output_of(ctx.id, 0, false));
  stepped.floats.push_back(output_of(ctx.id, 0, true));
  EXPECT_EQ(stepped, whole);
  // No run in progress now: only segment 0 starts one.
  EXPECT_EQ(rknn_run_segment(ctx.id, 1, nullptr, nullptr), RKNN_ERR_PARAM_INVALID);
}

TEST(Segments, SyncPointsDoNotChangeResults) {
  ModelFile segmented(kSegmentedModel);
  ModelFile plain(RKNN_TEST_MODEL_F16);  // the same model and options, without sync points
  const std::vector<float> input = test_input(11);
  EXPECT_EQ(simulator_outputs(segmented, input), simulator_outputs(plain, input));
}

// The same sync points in a pre-compiled model: its steps split into the same
// 3 segments, run one by one with the graph path's bytes.
TEST(Segments, PrecompiledModelsRunInSegmentsToo) {
  ModelFile precompiled(RKNN_TEST_MODEL_SYNC_PRECOMPILED);
  ModelFile plain(RKNN_TEST_MODEL_F16);
  const std::vector<float> input = test_input(5);
  const Outputs whole = simulator_outputs(plain, input);
  EXPECT_EQ(simulator_outputs(precompiled, input), whole);

  Context ctx;
  ASSERT_EQ(init_on(ctx, precompiled, "simulator"), RKNN_SUCC) << rknn_last_error_message();
  ASSERT_EQ(set_float_input(ctx.id, input), RKNN_SUCC) << rknn_last_error_message();
  std::uint32_t count = 0;
  for (std::uint32_t k = 0; k < 3; ++k) {
    ASSERT_EQ(rknn_run_segment(ctx.id, k, &count, nullptr), RKNN_SUCC) << rknn_last_error_message();
    EXPECT_EQ(count, 3u);
  }
  Outputs stepped;
  stepped.raw.push_back(output_of(ctx.id, 0, false));
  stepped.floats.push_back(output_of(ctx.id, 0, true));
  EXPECT_EQ(stepped, whole);
}

TEST(Segments, CompileErrorsNameTheLayer) {
  const TempDir dir;
  const std::string compile = std::string(RKNN_RKNNC_PATH) + " compile " + RKNN_TEST_ONNX + " -o " +
                              (dir.path() / "m.rknn").string() + " --sync-layers ";
  const CommandResult unknown = run_command(compile + "/pool1/MaxPool,/no/such/layer");
  EXPECT_NE(unknown.status, 0);
  EXPECT_NE(unknown.output.find("no layer named '/no/such/layer'"), std::string::npos) << unknown.output;
  EXPECT_NE(unknown.output.find("'/conv1/Conv'"), std::string::npos) << unknown.output;  // the layers it has
  const CommandResult last = run_command(compile + "/fc2/Gemm");
  EXPECT_NE(last.status, 0);
  EXPECT_NE(last.output.find("'/fc2/Gemm' is the last layer"), std::string::npos) << last.output;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "m.rknn"));
}

TEST(Segments, InspectShowsSyncPoints) {
  const CommandResult text = run_command(std::string(RKNN_RKNNC_PATH) + " inspect " + kSegmentedModel);
  ASSERT_EQ(text.status, 0) << text.output;
  EXPECT_NE(text.output.find("sync points (3 segments): after /pool1/MaxPool (layer 1) /pool2/MaxPool (layer 3)"),
            std::string::npos)
      << text.output;
  const CommandResult json = run_command(std::string(RKNN_RKNNC_PATH) + " inspect --json " + kSegmentedModel);
  EXPECT_NE(json.output.find("\"sync_after\":[\"/pool1/MaxPool\",\"/pool2/MaxPool\"]"), std::string::npos)
      << json.output;
}

// The agent these tests start: the native rknn_server, or in
// device_board_segment_tests the aarch64 one under qemu-user (empty: none built).
std::vector<std::string> agent_command() {
#if defined(RKNN_BOARD_SERVER)
  if (std::string(RKNN_BOARD_SERVER).empty()) return {};
  return {RKNN_BOARD_QEMU, "-L", RKNN_BOARD_SYSROOT, RKNN_BOARD_SERVER};
#else
  return {RKNN_SERVER_PATH};
#endif
}

// Two clients, two models: A (3 segments) is queued first, B (unsegmented)
// second, and the queue starts only once both wait (--hold-queue 2). A's
// first segment runs, then A yields to B, then A finishes.
TEST(Segments, AgentInterleavesSegmentsInArrivalOrder) {
  if (agent_command().empty()) GTEST_SKIP() << "no emulated board: qemu-aarch64 or g++-aarch64-linux-gnu missing";
  const TempDir dir;
  const auto trace = dir.path() / "trace.txt";
  const std::vector<std::string> args = {"--trace", trace.string(), "--hold-queue", "2", "--watch-pid",
                                         std::to_string(::getpid())};
  AgentProcess agent(agent_command(), args, dir.path());

  ModelFile model_a(kSegmentedModel);
  ModelFile model_b(RKNN_TEST_MODEL_F16);
  Context a, b;  // each its own connection: two clients
  ASSERT_EQ(init_on(a, model_a, agent.device()), RKNN_SUCC) << rknn_last_error_message();
  ASSERT_EQ(init_on(b, model_b, agent.device()), RKNN_SUCC) << rknn_last_error_message();
  const std::vector<float> input_a = test_input(1);
  const std::vector<float> input_b = test_input(2);

  Outputs out_a, out_b;
  std::thread client_a([&] { out_a = run_once(a.id, input_a); });
  const bool a_queued = wait_for_line(trace, "queued model=1 run=1");
  std::thread client_b([&] { out_b = run_once(b.id, input_b); });
  client_a.join();
  client_b.join();
  ASSERT_TRUE(a_queued) << "the agent never queued model A's run";

  const std::vector<std::string> expected = {
      "model=1 run=1 segment=1/3",
      "model=2 run=1 segment=1/1",
      "model=1 run=1 segment=2/3",
      "model=1 run=1 segment=3/3",
  };
  EXPECT_EQ(segment_lines(trace), expected);
  EXPECT_EQ(out_a, simulator_outputs(model_a, input_a));
  EXPECT_EQ(out_b, simulator_outputs(model_b, input_b));

  // Alone in the queue, A runs its segments back to back.
  EXPECT_EQ(run_once(a.id, input_a), out_a);
  const std::vector<std::string> lines = segment_lines(trace);
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[4], "model=1 run=2 segment=1/3");
  EXPECT_EQ(lines[6], "model=1 run=2 segment=3/3");
  for (const std::string& line : trace_lines(trace)) std::printf("trace: %s\n", line.c_str());
}

}  // namespace
}  // namespace rknn::testing
