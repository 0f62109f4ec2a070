// Shared pieces of the device tests: the agent under test, the test models
// (tiny_cnn as float16, asymmetric_u8 and dynamic_fixed_point_i16 artifacts
// built by rknn_add_model), and running a model through the C API on the
// simulator or on a device.
#pragma once

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "agent_process.h"
#include "aligned_model.h"
#include "temp_dir.h"
#include "rknn/rknn_api_ext.h"
#include "rknn_api.h"

namespace rknn::testing {

// Where the tests find their agent.
struct AgentTarget {
  std::string device;   // tcp://host:port; empty: no agent (the tests skip)
  pid_t pid = 0;        // 0 when the process cannot be watched (a real board)
  std::string why_none; // why there is no agent
};

// Defined per test program: the native program starts its own rknn_server,
// the board program uses the ctest fixture's emulated board or RKNN_TEST_DEVICE.
const AgentTarget& agent_target();

// Skips the current test when there is no agent.
#define RKNN_REQUIRE_AGENT()                                                  \
  do {                                                                        \
    if (::rknn::testing::agent_target().device.empty()) {                     \
      GTEST_SKIP() << "no board: " << ::rknn::testing::agent_target().why_none; \
    }                                                                         \
  } while (0)

// The agent of the ctest fixture or of RKNN_TEST_DEVICE, if any.
inline AgentTarget board_from_environment() {
  AgentTarget target;
  if (const char* device = std::getenv("RKNN_TEST_DEVICE"); device && *device) {
    target.device = device;
    return target;
  }
  const char* file = std::getenv("RKNN_TEST_DEVICE_FILE");
  if (!file || !std::filesystem::exists(file)) {
    target.why_none = "RKNN_TEST_DEVICE is not set and the emulated board is not running (qemu-aarch64 or "
                      "g++-aarch64-linux-gnu missing at configure time?)";
    return target;
  }
  target.device = read_first_line(file);
  const auto pid_file = std::filesystem::path(file).parent_path() / "pid";
  if (std::filesystem::exists(pid_file)) target.pid = std::stoi(read_first_line(pid_file));
  return target;
}

struct TestModel {
  const char* name;
  const char* path;
};

// tiny_cnn (scripts/models) compiled three ways by tests/device/CMakeLists.txt.
inline const std::vector<TestModel>& test_models() {
  static const std::vector<TestModel> models = {
      {"float16", RKNN_TEST_MODEL_F16},
      {"asymmetric_u8", RKNN_TEST_MODEL_U8},
      {"dynamic_fixed_point_i16", RKNN_TEST_MODEL_I16},
  };
  return models;
}

// tiny_cnn's input: float32 NCHW [1, 3, 32, 32].
inline constexpr std::uint32_t kInputElements = 3 * 32 * 32;

inline std::vector<float> test_input(std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> values(kInputElements);
  for (float& v : values) v = normal(rng);
  return values;
}

// Every output of one run, in the model's own type and as float32.
struct Outputs {
  std::vector<std::vector<std::byte>> raw;
  std::vector<std::vector<std::byte>> floats;
  bool operator==(const Outputs&) const = default;
};

// Destroys the context when the test ends, whatever happened.
struct Context {
  rknn_context id = 0;
  Context() = default;
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  ~Context() {
    if (id) rknn_destroy(id);
  }
};

// rknn_init on `device` ("simulator" for the in-process simulator).
inline int init_on(Context& ctx, ModelFile& model, const std::string& device, std::uint32_t flag = 0) {
  rknn_init_options options{};
  options.device = device.c_str();
  return rknn_init_with_options(&ctx.id, model.data(), model.size(), flag, &options);
}

inline std::vector<std::byte> output_of(rknn_context ctx, std::uint32_t index, bool want_float) {
  rknn_output out{};
  out.index = index;
  out.want_float = want_float;
  EXPECT_EQ(rknn_outputs_get(ctx, 1, &out, nullptr), RKNN_SUCC) << rknn_last_error_message();
  std::vector<std::byte> bytes(out.size);
  if (out.buf) std::memcpy(bytes.data(), out.buf, out.size);
  EXPECT_EQ(rknn_outputs_release(ctx, 1, &out), RKNN_SUCC) << rknn_last_error_message();
  return bytes;
}

// Sets the input, runs and reads every output of an initialised context.
inline Outputs run_once(rknn_context ctx, std::vector<float> input) {
  rknn_input in{};
  in.index = 0;
  in.buf = input.data();
  in.size = static_cast<std::uint32_t>(input.size() * sizeof(float));
  in.type = RKNN_TENSOR_FLOAT32;
  in.fmt = RKNN_TENSOR_NCHW;
  EXPECT_EQ(rknn_inputs_set(ctx, 1, &in), RKNN_SUCC) << rknn_last_error_message();
  EXPECT_EQ(rknn_run(ctx, nullptr), RKNN_SUCC) << rknn_last_error_message();
  rknn_input_output_num num{};
  EXPECT_EQ(rknn_query(ctx, RKNN_QUERY_IN_OUT_NUM, &num, sizeof num), RKNN_SUCC);
  Outputs out;
  for (std::uint32_t i = 0; i < num.n_output; ++i) {
    out.raw.push_back(output_of(ctx, i, false));
    out.floats.push_back(output_of(ctx, i, true));
  }
  return out;
}

// The simulator's answer for `model` on `input`, in this process.
inline Outputs simulator_outputs(ModelFile& model, const std::vector<float>& input) {
  Context ctx;
  EXPECT_EQ(init_on(ctx, model, "simulator"), RKNN_SUCC) << rknn_last_error_message();
  return run_once(ctx.id, input);
}

}  // namespace rknn::testing
