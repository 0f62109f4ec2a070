// The runtime's device backend: rknn_init on a board (an init option, the
// C++ API, RKNN_DEVICE), answers and bytes identical to the simulator's,
// the board's version and timings, errors with RKNN codes, and the generated
// Model class with a device option. Against a native rknn_server.
#include <csignal>
#include <cstdlib>

#include "device_test_util.h"
#include "rknn/runtime.hpp"
#include "test_process.h"
#include "transport/tcp.h"
#include "tiny_f16.rknn.hpp"
#include "tiny_i16.rknn.hpp"
#include "tiny_u8.rknn.hpp"

namespace rknn::testing {
namespace {

class RuntimeOnDevice : public ::testing::Test {
 protected:
  void SetUp() override { RKNN_REQUIRE_AGENT(); }
  const std::string& device() const { return agent_target().device; }
};

rknn_tensor_attr query_attr(rknn_context ctx, rknn_query_cmd cmd, std::uint32_t index) {
  rknn_tensor_attr attr{};
  attr.index = index;
  EXPECT_EQ(rknn_query(ctx, cmd, &attr, sizeof attr), RKNN_SUCC) << rknn_last_error_message();
  return attr;
}

TEST_F(RuntimeOnDevice, AnswersAndOutputsAreTheSimulators) {
  for (const TestModel& m : test_models()) {
    SCOPED_TRACE(m.name);
    ModelFile model(m.path);
    Context sim, board;
    ASSERT_EQ(init_on(sim, model, "simulator"), RKNN_SUCC) << rknn_last_error_message();
    ASSERT_EQ(init_on(board, model, device()), RKNN_SUCC) << rknn_last_error_message();
    for (rknn_query_cmd cmd : {RKNN_QUERY_INPUT_ATTR, RKNN_QUERY_OUTPUT_ATTR}) {
      const rknn_tensor_attr a = query_attr(sim.id, cmd, 0);
      const rknn_tensor_attr b = query_attr(board.id, cmd, 0);
      EXPECT_EQ(std::memcmp(&a, &b, sizeof a), 0) << "attributes differ";
    }
    rknn_mem_size mem_sim{}, mem_board{};
    ASSERT_EQ(rknn_query(sim.id, RKNN_QUERY_MEM_SIZE, &mem_sim, sizeof mem_sim), RKNN_SUCC);
    ASSERT_EQ(rknn_query(board.id, RKNN_QUERY_MEM_SIZE, &mem_board, sizeof mem_board), RKNN_SUCC);
    EXPECT_EQ(mem_sim.total_weight_size, mem_board.total_weight_size);
    EXPECT_EQ(mem_sim.total_internal_size, mem_board.total_internal_size);
    for (std::uint32_t seed : {1u, 2u}) {
      const Outputs expected = run_once(sim.id, test_input(seed));
      EXPECT_TRUE(run_once(board.id, test_input(seed)) == expected) << "seed " << seed;
    }
  }
}

TEST_F(RuntimeOnDevice, VersionAndTimingsAreTheBoards) {
  ModelFile model(test_models()[0].path);
  Context ctx;
  ASSERT_EQ(init_on(ctx, model, device(), RKNN_FLAG_COLLECT_PERF_MASK), RKNN_SUCC) << rknn_last_error_message();
  rknn_sdk_version version{};
  ASSERT_EQ(rknn_query(ctx.id, RKNN_QUERY_SDK_VERSION, &version, sizeof version), RKNN_SUCC);
  EXPECT_NE(std::string(version.drv_version).find("rknn_server " RKNN_TEST_VERSION " on "), std::string::npos)
      << version.drv_version;
  EXPECT_NE(std::string(version.api_version).find("rknn-build " RKNN_TEST_VERSION), std::string::npos)
      << version.api_version;
  run_once(ctx.id, test_input(3));
  rknn_perf_run perf{};
  ASSERT_EQ(rknn_query(ctx.id, RKNN_QUERY_PERF_RUN, &perf, sizeof perf), RKNN_SUCC);
  EXPECT_GE(perf.run_duration, 0);
  rknn_perf_detail detail{};
  ASSERT_EQ(rknn_query(ctx.id, RKNN_QUERY_PERF_DETAIL, &detail, sizeof detail), RKNN_SUCC) << rknn_last_error_message();
  const std::string text(detail.perf_data, detail.data_len);
  EXPECT_NE(text.find("Conv"), std::string::npos) << text;  // the board's per-layer table

  Context plain;  // without COLLECT_PERF the board refuses PERF_DETAIL, as the simulator does
  ASSERT_EQ(init_on(plain, model, device()), RKNN_SUCC);
  EXPECT_EQ(rknn_query(plain.id, RKNN_QUERY_PERF_DETAIL, &detail, sizeof detail), RKNN_ERR_PARAM_INVALID);
  EXPECT_NE(std::string(rknn_last_error_message()).find(device()), std::string::npos) << rknn_last_error_message();
}

TEST_F(RuntimeOnDevice, ErrorsCarryTheBoardsCodeAndMessage) {
  ModelFile model(test_models()[1].path);
  Context ctx;
  ASSERT_EQ(init_on(ctx, model, device()), RKNN_SUCC);
  EXPECT_EQ(rknn_run(ctx.id, nullptr), RKNN_ERR_INPUT_INVALID);
  EXPECT_NE(std::string(rknn_last_error_message()).find("rknn_run: " + device() + ": input 0"), std::string::npos)
      << rknn_last_error_message();
  rknn_output out{};
  EXPECT_EQ(rknn_outputs_get(ctx.id, 1, &out, nullptr), RKNN_ERR_OUTPUT_INVALID);
  std::vector<float> short_input(10);
  rknn_input in{};
  in.buf = short_input.data();
  in.size = 40;
  in.type = RKNN_TENSOR_FLOAT32;
  EXPECT_EQ(rknn_inputs_set(ctx.id, 1, &in), RKNN_ERR_PARAM_INVALID);
  EXPECT_NE(std::string(rknn_last_error_message()).find("size is 40 bytes"), std::string::npos)
      << rknn_last_error_message();
  rknn_tensor_attr attr{};
  attr.index = 5;
  EXPECT_EQ(rknn_query(ctx.id, RKNN_QUERY_OUTPUT_ATTR, &attr, sizeof attr), RKNN_ERR_PARAM_INVALID);
  EXPECT_EQ(rknn_query(ctx.id, RKNN_QUERY_OUTPUT_ATTR, &attr, 3), RKNN_ERR_PARAM_INVALID);  // checked locally
  // A preallocated buffer too small for the board's output.
  run_once(ctx.id, test_input(1));
  std::vector<std::byte> small(2);
  out = rknn_output{};
  out.is_prealloc = 1;
  out.buf = small.data();
  out.size = 2;
  EXPECT_EQ(rknn_outputs_get(ctx.id, 1, &out, nullptr), RKNN_ERR_PARAM_INVALID);
}

TEST_F(RuntimeOnDevice, UnreachableOrMalformedDevices) {
  ModelFile model(test_models()[0].path);
  Context ctx;
  EXPECT_EQ(init_on(ctx, model, "tcp://127.0.0.1:1"), RKNN_ERR_DEVICE_UNAVAILABLE);
  EXPECT_NE(std::string(rknn_last_error_message()).find("cannot connect to tcp://127.0.0.1:1"), std::string::npos)
      << rknn_last_error_message();
  EXPECT_EQ(ctx.id, 0u);
  EXPECT_EQ(init_on(ctx, model, "rk1808"), RKNN_ERR_PARAM_INVALID);
  EXPECT_NE(std::string(rknn_last_error_message()).find("device id 'rk1808'"), std::string::npos)
      << rknn_last_error_message();
  EXPECT_EQ(init_on(ctx, model, "usb:9-9.9"), RKNN_ERR_DEVICE_UNAVAILABLE);
  EXPECT_NE(std::string(rknn_last_error_message()).find("usb:9-9.9"), std::string::npos) << rknn_last_error_message();
}

TEST_F(RuntimeOnDevice, EnvironmentVariableSelectsTheBoard) {
  ModelFile model(test_models()[0].path);
  ::setenv("RKNN_DEVICE", device().c_str(), 1);
  Context on_board, forced_sim;
  ASSERT_EQ(rknn_init(&on_board.id, model.data(), model.size(), 0), RKNN_SUCC) << rknn_last_error_message();
  ASSERT_EQ(init_on(forced_sim, model, "simulator"), RKNN_SUCC);
  ::unsetenv("RKNN_DEVICE");
  rknn_sdk_version a{}, b{};
  ASSERT_EQ(rknn_query(on_board.id, RKNN_QUERY_SDK_VERSION, &a, sizeof a), RKNN_SUCC);
  ASSERT_EQ(rknn_query(forced_sim.id, RKNN_QUERY_SDK_VERSION, &b, sizeof b), RKNN_SUCC);
  EXPECT_NE(std::string(a.drv_version).find("rknn_server"), std::string::npos) << a.drv_version;
  EXPECT_EQ(std::string(b.drv_version).find("rknn_server"), std::string::npos) << b.drv_version;
}

// The board goes away under a live context: calls fail with
// DEVICE_UNAVAILABLE, and destroying the context still works.
TEST_F(RuntimeOnDevice, BoardGoneMidSession) {
  TempDir dir;
  AgentProcess agent({RKNN_SERVER_PATH}, {}, dir.path());
  ModelFile model(test_models()[0].path);
  Context ctx;
  ASSERT_EQ(init_on(ctx, model, agent.device()), RKNN_SUCC) << rknn_last_error_message();
  run_once(ctx.id, test_input(1));
  ::kill(agent.pid(), SIGKILL);
  agent.stop();
  EXPECT_EQ(rknn_run(ctx.id, nullptr), RKNN_ERR_DEVICE_UNAVAILABLE);
  EXPECT_EQ(rknn_run(ctx.id, nullptr), RKNN_ERR_DEVICE_UNAVAILABLE);  // and stays so
  EXPECT_NE(std::string(rknn_last_error_message()).find("lost"), std::string::npos) << rknn_last_error_message();
  EXPECT_EQ(rknn_destroy(ctx.id), RKNN_SUCC);
  ctx.id = 0;
}

// The board says which chip it is: a model built for another compatibility
// group is refused there with the platform-mismatch code.
TEST_F(RuntimeOnDevice, TheBoardsPlatformDecides) {
  TempDir dir;
  AgentProcess rv1126({RKNN_SERVER_PATH}, {"--platform", "rv1126"}, dir.path());
  ModelFile model(test_models()[0].path);  // built for rk1808
  Context ctx;
  EXPECT_EQ(init_on(ctx, model, rv1126.device()), RKNN_ERR_TARGET_PLATFORM_UNMATCH) << rknn_last_error_message();
  EXPECT_NE(std::string(rknn_last_error_message()).find(rv1126.device()), std::string::npos)
      << rknn_last_error_message();
}

// SIGTERM with clients connected, one of them mid-frame: the agent closes
// everything and exits 0 (under the sanitizers: without leaks or errors).
TEST_F(RuntimeOnDevice, AgentStopsCleanlyWithClientsConnected) {
  TempDir dir;
  AgentProcess agent({RKNN_SERVER_PATH}, {}, dir.path());
  ModelFile model(test_models()[2].path);
  Context ctx;
  ASSERT_EQ(init_on(ctx, model, agent.device()), RKNN_SUCC) << rknn_last_error_message();
  run_once(ctx.id, test_input(4));
  auto half_frame =
      device::TcpStream::connect("127.0.0.1", agent.port(), device::deadline_after(std::chrono::milliseconds(5000)));
  const std::byte partial[5] = {std::byte{'R'}, std::byte{'K'}, std::byte{'N'}, std::byte{'D'}, std::byte{1}};
  half_frame->write_all({partial}, device::kNoDeadline);
  const int status = agent.stop();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "wait status " << status;
  EXPECT_EQ(rknn_run(ctx.id, nullptr), RKNN_ERR_DEVICE_UNAVAILABLE);
}

template <class Model, class Inputs, class Outputs>
void expect_generated_model_on_board(const std::string& device) {
  Inputs inputs{};
  const std::vector<float> x = test_input(9);
  static_assert(sizeof inputs == kInputElements * sizeof(float));
  std::memcpy(&inputs, x.data(), sizeof inputs);
  Outputs on_sim{}, on_board{};
  Model sim(Options{.device = "simulator"});
  sim.run(inputs, on_sim);
  Model board(Options{.device = device});
  board.run(inputs, on_board);
  EXPECT_EQ(std::memcmp(&on_sim, &on_board, sizeof on_sim), 0);
}

TEST_F(RuntimeOnDevice, GeneratedModelClassTakesADevice) {
  expect_generated_model_on_board<tiny_f16::Model, tiny_f16::Inputs, tiny_f16::Outputs>(device());
  expect_generated_model_on_board<tiny_u8::Model, tiny_u8::Inputs, tiny_u8::Outputs>(device());
  expect_generated_model_on_board<tiny_i16::Model, tiny_i16::Inputs, tiny_i16::Outputs>(device());
}

// ---- rknnc devices, rknnc run --device ------------------------------------------------------

TEST_F(RuntimeOnDevice, RknncDevicesListsTheBoardAndScansUsb) {
  const CommandResult r = run_command("RKNN_DEVICES='" + device() + " tcp://127.0.0.1:1' " RKNN_RKNNC_PATH " devices");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find(device() + " "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("rknn_server " RKNN_TEST_VERSION ", x86_64"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("unreachable: cannot connect to tcp://127.0.0.1:1:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("USB devices scanned"), std::string::npos) << r.output;  // libusb enumeration ran
  const CommandResult bad = run_command(RKNN_RKNNC_PATH " devices --probe usb:1-1");
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.output.find("--probe 'usb:1-1': expected tcp://HOST[:PORT]"), std::string::npos) << bad.output;
}

TEST_F(RuntimeOnDevice, RknncRunOnTheBoardWritesTheSimulatorsBytes) {
  TempDir dir;
  for (const TestModel& m : test_models()) {
    for (const bool raw : {false, true}) {
      const std::string common =
          std::string(RKNN_RKNNC_PATH " run ") + m.path + " --input " RKNN_TEST_INPUT + (raw ? " --raw" : "");
      const std::string name = std::string(m.name) + (raw ? "-raw" : "-float");
      const auto sim_dir = dir.path() / (name + "-sim");
      const auto board_dir = dir.path() / (name + "-board");
      const CommandResult sim = run_command(common + " --output-dir " + sim_dir.string());
      const CommandResult board = run_command(common + " --output-dir " + board_dir.string() + " --device " + device());
      ASSERT_EQ(sim.status, 0) << sim.output;
      ASSERT_EQ(board.status, 0) << board.output;
      const CommandResult same = run_command("cmp " + (sim_dir / "output.npy").string() + " " +
                                             (board_dir / "output.npy").string());
      EXPECT_EQ(same.status, 0) << name << ": " << same.output;
    }
  }
  const CommandResult onnx = run_command(RKNN_RKNNC_PATH " run " RKNN_TEST_ONNX " --input " RKNN_TEST_INPUT
                                         " --output-dir " + (dir.path() / "onnx").string() + " --device " + device());
  EXPECT_NE(onnx.status, 0);
  EXPECT_NE(onnx.output.find("--device runs .rknn artifacts"), std::string::npos) << onnx.output;
}

}  // namespace
}  // namespace rknn::testing
