// The RKNN C API on a real artifact: every query with exact values, inputs,
// outputs and their buffers, and the error code of every misuse.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include "rknn/model_format.h"
#include "rknn/sim/memory_plan.h"
#include "runtime_test_util.h"

extern "C" int rknn_test_query_raw(rknn_context context, int cmd, void* info, uint32_t size);

namespace rknn {
namespace {

using namespace testing;

class RuntimeCApi : public ::testing::Test {
 protected:
  void SetUp() override {
    save_two_io_model(dir_ / "m.onnx");
    bytes_ = make_artifact(dir_ / "m.onnx", {"float32", {}, "hello runtime"});
    model_ = std::make_unique<AlignedModel>(bytes_);
    ASSERT_EQ(rknn_init(&ctx_.id, model_->data(), model_->size(), 0), RKNN_SUCC) << rknn_last_error_message();
  }

  void set_both_inputs(rknn_context ctx) {
    ASSERT_EQ(set_input(ctx, 0, x_, RKNN_TENSOR_FLOAT32), RKNN_SUCC) << rknn_last_error_message();
    ASSERT_EQ(set_input(ctx, 1, s_, RKNN_TENSOR_FLOAT32), RKNN_SUCC) << rknn_last_error_message();
  }

  // y = relu(W x + b + s) per pixel, m = mean of y per channel.
  std::vector<float> expected_y() const {
    std::vector<float> y(2 * 16);
    for (int o = 0; o < 2; ++o) {
      for (int p = 0; p < 16; ++p) {
        float acc = 0;
        for (int c = 0; c < 3; ++c) acc += kTwoIoWeights[o][c] * x_[static_cast<std::size_t>(c * 16 + p)];
        y[static_cast<std::size_t>(o * 16 + p)] = std::max(0.0f, acc + kTwoIoBias[o] + s_[static_cast<std::size_t>(o)]);
      }
    }
    return y;
  }

  TempDir dir_;
  std::string bytes_;
  std::unique_ptr<AlignedModel> model_;
  ContextHandle ctx_;
  std::vector<float> x_ = random_floats(48, 1);
  std::vector<float> s_ = {0.5f, -0.25f};
};

// Stores any int in an enum field, as C code may.
template <class E>
void set_raw(E& field, int value) {
  std::memcpy(&field, &value, sizeof field);
}

void expect_attr(const rknn_tensor_attr& a, std::uint32_t index, const char* name, std::vector<std::uint32_t> dims,
                 std::uint32_t n_elems) {
  EXPECT_EQ(a.index, index);
  EXPECT_STREQ(a.name, name);
  ASSERT_EQ(a.n_dims, dims.size());
  for (std::size_t i = 0; i < dims.size(); ++i) EXPECT_EQ(a.dims[i], dims[i]) << "dim " << i;
  EXPECT_EQ(a.n_elems, n_elems);
  EXPECT_EQ(a.size, n_elems * 4);
  EXPECT_EQ(a.fmt, RKNN_TENSOR_NCHW);
  EXPECT_EQ(a.type, RKNN_TENSOR_FLOAT32);
  EXPECT_EQ(a.qnt_type, RKNN_TENSOR_QNT_NONE);
  EXPECT_EQ(a.fl, 0);
  EXPECT_EQ(a.zp, 0u);
  EXPECT_EQ(a.scale, 0.0f);
}

TEST_F(RuntimeCApi, QueriesInputOutputCount) {
  rknn_input_output_num num{};
  ASSERT_EQ(rknn_query(ctx_.id, RKNN_QUERY_IN_OUT_NUM, &num, sizeof num), RKNN_SUCC);
  EXPECT_EQ(num.n_input, 2u);
  EXPECT_EQ(num.n_output, 2u);
}

TEST_F(RuntimeCApi, QueriesAttributesWithDimsInnermostFirst) {
  expect_attr(query_attr(ctx_.id, RKNN_QUERY_INPUT_ATTR, 0), 0, "x", {4, 4, 3, 1}, 48);
  expect_attr(query_attr(ctx_.id, RKNN_QUERY_INPUT_ATTR, 1), 1, "s", {1, 1, 2, 1}, 2);
  expect_attr(query_attr(ctx_.id, RKNN_QUERY_OUTPUT_ATTR, 0), 0, "y", {4, 4, 2, 1}, 32);
  expect_attr(query_attr(ctx_.id, RKNN_QUERY_OUTPUT_ATTR, 1), 1, "m", {1, 1, 2, 1}, 2);
}

TEST_F(RuntimeCApi, QueriesVersionMemoryAndCustomString) {
  rknn_sdk_version version{};
  ASSERT_EQ(rknn_query(ctx_.id, RKNN_QUERY_SDK_VERSION, &version, sizeof version), RKNN_SUCC);
  EXPECT_STREQ(version.api_version, "rknn-build " RKNN_TEST_VERSION " (simulator)");
  EXPECT_STREQ(version.drv_version, "simulator");

  const format::LoadedModel loaded = format::load_model(model_->span());
  rknn_mem_size mem{};
  ASSERT_EQ(rknn_query(ctx_.id, RKNN_QUERY_MEM_SIZE, &mem, sizeof mem), RKNN_SUCC);
  // The data section: w (24 bytes) at 0, b (8 bytes) at 64.
  EXPECT_EQ(mem.total_weight_size, 72u);
  // The planned arena of inputs, activations and outputs (simulator/memory, tests/compiler/test_memory.cpp).
  EXPECT_EQ(mem.total_internal_size, sim::plan_memory(loaded.program).arena_bytes);
  EXPECT_GE(mem.total_internal_size, (32u + 2u) * 4u);  // at least the outputs, live together at the end
  EXPECT_EQ(mem.total_dma_allocated_size, 0u);

  rknn_custom_string custom{};
  ASSERT_EQ(rknn_query(ctx_.id, RKNN_QUERY_CUSTOM_STRING, &custom, sizeof custom), RKNN_SUCC);
  EXPECT_STREQ(custom.string, "hello runtime");
}

TEST_F(RuntimeCApi, RunComputesTheModel) {
  set_both_inputs(ctx_.id);
  rknn_run_extend run_extend{};
  ASSERT_EQ(rknn_run(ctx_.id, &run_extend), RKNN_SUCC) << rknn_last_error_message();
  EXPECT_EQ(run_extend.frame_id, 1u);
  const std::vector<float> y = as_floats(get_output(ctx_.id, 0, true, 128));
  const std::vector<float> want = expected_y();
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(y[i], want[i], 1e-5f) << i;
  const std::vector<float> m = as_floats(get_output(ctx_.id, 1, true, 8));
  for (std::size_t o = 0; o < 2; ++o) {
    float sum = 0;
    for (std::size_t p = 0; p < 16; ++p) sum += want[o * 16 + p];
    EXPECT_NEAR(m[o], sum / 16, 1e-5f);
  }
}

TEST_F(RuntimeCApi, RawOutputOfAFloat32ModelIsFloat32) {
  set_both_inputs(ctx_.id);
  ASSERT_EQ(rknn_run(ctx_.id, nullptr), RKNN_SUCC);
  EXPECT_EQ(get_output(ctx_.id, 0, false, 128), get_output(ctx_.id, 0, true, 128));
}

TEST_F(RuntimeCApi, PerfRunReportsTheLastRun) {
  rknn_perf_run perf{-1};
  ASSERT_EQ(rknn_query(ctx_.id, RKNN_QUERY_PERF_RUN, &perf, sizeof perf), RKNN_SUCC);
  EXPECT_EQ(perf.run_duration, 0);
  set_both_inputs(ctx_.id);
  ASSERT_EQ(rknn_run(ctx_.id, nullptr), RKNN_SUCC);
  ASSERT_EQ(rknn_query(ctx_.id, RKNN_QUERY_PERF_RUN, &perf, sizeof perf), RKNN_SUCC);
  EXPECT_GE(perf.run_duration, 0);
  EXPECT_LT(perf.run_duration, 10'000'000);
}

TEST_F(RuntimeCApi, PerfDetailListsEveryNode) {
  rknn_perf_detail detail{};
  EXPECT_EQ(rknn_query(ctx_.id, RKNN_QUERY_PERF_DETAIL, &detail, sizeof detail), RKNN_ERR_PARAM_INVALID);
  EXPECT_NE(std::string(rknn_last_error_message()).find("RKNN_FLAG_COLLECT_PERF_MASK"), std::string::npos);

  ContextHandle perf_ctx;
  ASSERT_EQ(rknn_init(&perf_ctx.id, model_->data(), model_->size(), RKNN_FLAG_COLLECT_PERF_MASK), RKNN_SUCC);
  set_both_inputs(perf_ctx.id);
  ASSERT_EQ(rknn_run(perf_ctx.id, nullptr), RKNN_SUCC);
  ASSERT_EQ(rknn_query(perf_ctx.id, RKNN_QUERY_PERF_DETAIL, &detail, sizeof detail), RKNN_SUCC);
  ASSERT_NE(detail.perf_data, nullptr);
  const std::string text(detail.perf_data, detail.data_len);
  EXPECT_EQ(text.size(), std::strlen(detail.perf_data));
  const format::LoadedModel loaded = format::load_model(model_->span());
  ASSERT_FALSE(loaded.program.nodes.empty());
  for (std::size_t i = 0; i < loaded.program.nodes.size(); ++i) {
    const auto& node = loaded.program.nodes[i].node;
    const std::string row = std::to_string(i) + " ";
    EXPECT_NE(text.find("\n" + row), std::string::npos) << text;
    EXPECT_NE(text.find(" " + node.op + " "), std::string::npos) << node.op << "\n" << text;
    EXPECT_NE(text.find(" " + node.name + " "), std::string::npos) << node.name << "\n" << text;
  }
  EXPECT_NE(text.find("Total Time(us): "), std::string::npos) << text;
}

TEST_F(RuntimeCApi, OutputsOwnedByTheContextUntilReleased) {
  set_both_inputs(ctx_.id);
  ASSERT_EQ(rknn_run(ctx_.id, nullptr), RKNN_SUCC);
  rknn_output outs[2]{};
  outs[0].index = 0;
  outs[0].want_float = 1;
  outs[1].index = 1;
  outs[1].want_float = 1;
  rknn_output_extend extend{};
  ASSERT_EQ(rknn_outputs_get(ctx_.id, 2, outs, &extend), RKNN_SUCC) << rknn_last_error_message();
  EXPECT_EQ(extend.frame_id, 1u);
  ASSERT_NE(outs[0].buf, nullptr);
  ASSERT_NE(outs[1].buf, nullptr);
  EXPECT_EQ(outs[0].size, 128u);
  EXPECT_EQ(outs[1].size, 8u);
  std::vector<float> y(32);
  std::memcpy(y.data(), outs[0].buf, 128);
  EXPECT_EQ(y, as_floats(get_output(ctx_.id, 0, true, 128)));

  rknn_output foreign = outs[0];
  foreign.buf = y.data();
  EXPECT_EQ(rknn_outputs_release(ctx_.id, 1, &foreign), RKNN_ERR_PARAM_INVALID);
  ASSERT_EQ(rknn_outputs_release(ctx_.id, 2, outs), RKNN_SUCC);
  EXPECT_EQ(outs[0].buf, nullptr);
  EXPECT_EQ(rknn_outputs_release(ctx_.id, 2, outs), RKNN_SUCC);  // twice is harmless
  EXPECT_EQ(rknn_outputs_release(ctx_.id, 0, nullptr), RKNN_SUCC);

  // Buffers still lent at rknn_destroy are freed with the context (ASan checks).
  ASSERT_EQ(rknn_outputs_get(ctx_.id, 2, outs, nullptr), RKNN_SUCC);
}

TEST_F(RuntimeCApi, PreallocatedOutputsMustBeLargeEnough) {
  set_both_inputs(ctx_.id);
  ASSERT_EQ(rknn_run(ctx_.id, nullptr), RKNN_SUCC);
  std::vector<float> buffer(32);
  rknn_output o{};
  o.want_float = 1;
  o.is_prealloc = 1;
  o.index = 0;
  o.buf = buffer.data();
  o.size = 127;
  EXPECT_EQ(rknn_outputs_get(ctx_.id, 1, &o, nullptr), RKNN_ERR_PARAM_INVALID);
  EXPECT_NE(std::string(rknn_last_error_message()).find("needs 128"), std::string::npos) << rknn_last_error_message();
  o.buf = nullptr;
  o.size = 128;
  EXPECT_EQ(rknn_outputs_get(ctx_.id, 1, &o, nullptr), RKNN_ERR_PARAM_INVALID);
  o.buf = buffer.data();
  EXPECT_EQ(rknn_outputs_get(ctx_.id, 1, &o, nullptr), RKNN_SUCC);
  EXPECT_EQ(rknn_outputs_release(ctx_.id, 1, &o), RKNN_SUCC);
  EXPECT_EQ(o.buf, buffer.data());  // preallocated buffers belong to the caller
}

TEST_F(RuntimeCApi, UnalignedModelBufferGivesTheSameResults) {
  std::vector<unsigned char> shifted(bytes_.size() + 1);
  std::memcpy(shifted.data() + 1, bytes_.data(), bytes_.size());
  ContextHandle other;
  ASSERT_EQ(rknn_init(&other.id, shifted.data() + 1, static_cast<std::uint32_t>(bytes_.size()), 0), RKNN_SUCC);
  shifted.assign(shifted.size(), 0);  // the runtime copied an unaligned model
  set_both_inputs(ctx_.id);
  set_both_inputs(other.id);
  ASSERT_EQ(rknn_run(ctx_.id, nullptr), RKNN_SUCC);
  ASSERT_EQ(rknn_run(other.id, nullptr), RKNN_SUCC);
  EXPECT_EQ(get_output(ctx_.id, 0, true, 128), get_output(other.id, 0, true, 128));
}

TEST_F(RuntimeCApi, ThreadsDoNotChangeResults) {
  ContextHandle threaded;
  ASSERT_EQ(rknn_init_with_threads(&threaded.id, model_->data(), model_->size(), 0, 3), RKNN_SUCC);
  ContextHandle from_env;
  ::setenv("RKNN_THREADS", "2", 1);
  ASSERT_EQ(rknn_init(&from_env.id, model_->data(), model_->size(), 0), RKNN_SUCC);
  ::setenv("RKNN_THREADS", "not a number", 1);  // ignored
  ContextHandle ignored;
  ASSERT_EQ(rknn_init(&ignored.id, model_->data(), model_->size(), 0), RKNN_SUCC);
  ::unsetenv("RKNN_THREADS");
  rknn_context none = 0;
  EXPECT_EQ(rknn_init_with_threads(&none, model_->data(), model_->size(), 0, -1), RKNN_ERR_PARAM_INVALID);
  const rknn_context all[] = {ctx_.id, threaded.id, from_env.id, ignored.id};
  for (rknn_context c : all) {
    set_both_inputs(c);
    ASSERT_EQ(rknn_run(c, nullptr), RKNN_SUCC);
  }
  for (rknn_context c : all) EXPECT_EQ(get_output(c, 0, true, 128), get_output(ctx_.id, 0, true, 128));
}

TEST_F(RuntimeCApi, LastErrorMessageDescribesTheLastFailure) {
  std::vector<float> small(47);
  EXPECT_EQ(set_input(ctx_.id, 0, small, RKNN_TENSOR_FLOAT32), RKNN_ERR_PARAM_INVALID);
  EXPECT_EQ(std::string(rknn_last_error_message()),
            "rknn_inputs_set: input 0: size is 188 bytes, float32 data needs 192");
  rknn_input_output_num num{};
  ASSERT_EQ(rknn_query(ctx_.id, RKNN_QUERY_IN_OUT_NUM, &num, sizeof num), RKNN_SUCC);
  EXPECT_STREQ(rknn_last_error_message(), "");
}

TEST_F(RuntimeCApi, InitRejectsBadArguments) {
  rknn_context c = 99;
  EXPECT_EQ(rknn_init(nullptr, model_->data(), model_->size(), 0), RKNN_ERR_PARAM_INVALID);
  EXPECT_EQ(rknn_init(&c, nullptr, model_->size(), 0), RKNN_ERR_PARAM_INVALID);
  EXPECT_EQ(c, 0u);
  EXPECT_EQ(rknn_init(&c, model_->data(), 0, 0), RKNN_ERR_PARAM_INVALID);
  std::vector<unsigned char> garbage(4096, 0x5a);
  EXPECT_EQ(rknn_init(&c, garbage.data(), static_cast<std::uint32_t>(garbage.size()), 0), RKNN_ERR_MODEL_INVALID);
  EXPECT_NE(std::string(rknn_last_error_message()).find("invalid model"), std::string::npos);
  EXPECT_EQ(c, 0u);
}

TEST_F(RuntimeCApi, QueriesRejectBadArguments) {
  rknn_input_output_num num{};
  EXPECT_EQ(rknn_query(ctx_.id, RKNN_QUERY_IN_OUT_NUM, nullptr, sizeof num), RKNN_ERR_PARAM_INVALID);
  EXPECT_EQ(rknn_query(ctx_.id, RKNN_QUERY_IN_OUT_NUM, &num, sizeof num - 1), RKNN_ERR_PARAM_INVALID);
  EXPECT_EQ(rknn_test_query_raw(ctx_.id, 99, &num, sizeof num), RKNN_ERR_PARAM_INVALID);
  EXPECT_EQ(rknn_test_query_raw(ctx_.id, -1, &num, sizeof num), RKNN_ERR_PARAM_INVALID);
  EXPECT_EQ(rknn_test_query_raw(ctx_.id, RKNN_QUERY_IN_OUT_NUM, &num, sizeof num), RKNN_SUCC);
  rknn_tensor_attr attr{};
  attr.index = 2;
  EXPECT_EQ(rknn_query(ctx_.id, RKNN_QUERY_INPUT_ATTR, &attr, sizeof attr), RKNN_ERR_PARAM_INVALID);
  EXPECT_EQ(rknn_query(ctx_.id, RKNN_QUERY_OUTPUT_ATTR, &attr, sizeof attr), RKNN_ERR_PARAM_INVALID);
  attr.index = 0;
  EXPECT_EQ(rknn_query(ctx_.id, RKNN_QUERY_INPUT_ATTR, &attr, sizeof attr + 1), RKNN_ERR_PARAM_INVALID);
  rknn_sdk_version version{};
  EXPECT_EQ(rknn_query(ctx_.id, RKNN_QUERY_SDK_VERSION, &version, 256), RKNN_ERR_PARAM_INVALID);
  rknn_mem_size mem{};
  EXPECT_EQ(rknn_query(ctx_.id, RKNN_QUERY_MEM_SIZE, &mem, 8), RKNN_ERR_PARAM_INVALID);
  rknn_custom_string custom{};
  EXPECT_EQ(rknn_query(ctx_.id, RKNN_QUERY_CUSTOM_STRING, &custom, 1), RKNN_ERR_PARAM_INVALID);
  rknn_perf_run perf{};
  EXPECT_EQ(rknn_query(ctx_.id, RKNN_QUERY_PERF_RUN, &perf, 4), RKNN_ERR_PARAM_INVALID);
}

TEST_F(RuntimeCApi, InputsSetRejectsBadArguments) {
  std::vector<float> x = x_;
  rknn_input in{};
  in.index = 0;
  in.buf = x.data();
  in.size = 192;
  in.type = RKNN_TENSOR_FLOAT32;
  in.fmt = RKNN_TENSOR_NCHW;
  EXPECT_EQ(rknn_inputs_set(ctx_.id, 1, nullptr), RKNN_ERR_PARAM_INVALID);
  EXPECT_EQ(rknn_inputs_set(ctx_.id, 0, &in), RKNN_ERR_PARAM_INVALID);
  auto with = [&](auto change) {
    rknn_input bad = in;
    change(bad);
    return rknn_inputs_set(ctx_.id, 1, &bad);
  };
  EXPECT_EQ(with([](rknn_input& i) { i.index = 2; }), RKNN_ERR_PARAM_INVALID);
  EXPECT_EQ(with([](rknn_input& i) { i.buf = nullptr; }), RKNN_ERR_PARAM_INVALID);
  EXPECT_EQ(with([](rknn_input& i) { i.size = 191; }), RKNN_ERR_PARAM_INVALID);
  EXPECT_EQ(with([](rknn_input& i) { i.size = 193; }), RKNN_ERR_PARAM_INVALID);
  EXPECT_EQ(with([](rknn_input& i) { set_raw(i.type, 99); }), RKNN_ERR_PARAM_INVALID);
  EXPECT_EQ(with([](rknn_input& i) { set_raw(i.type, -1); }), RKNN_ERR_PARAM_INVALID);
  EXPECT_EQ(with([](rknn_input& i) { i.type = RKNN_TENSOR_UINT8; }), RKNN_ERR_PARAM_INVALID);  // 48 bytes
  EXPECT_EQ(with([](rknn_input& i) { set_raw(i.fmt, 7); }), RKNN_ERR_PARAM_INVALID);
  EXPECT_EQ(with([](rknn_input& i) { set_raw(i.fmt, 1000); }), RKNN_ERR_PARAM_INVALID);
  EXPECT_EQ(with([](rknn_input& i) { i.size = 96;
    i.pass_through = 1; }), RKNN_ERR_PARAM_INVALID);
  // A batch with one bad entry sets nothing.
  rknn_input batch[2] = {in, in};
  batch[1].index = 1;
  batch[1].size = 4;
  EXPECT_EQ(rknn_inputs_set(ctx_.id, 2, batch), RKNN_ERR_PARAM_INVALID);
  std::vector<float> s = s_;
  ASSERT_EQ(set_input(ctx_.id, 1, s, RKNN_TENSOR_FLOAT32), RKNN_SUCC);
  EXPECT_EQ(rknn_run(ctx_.id, nullptr), RKNN_ERR_INPUT_INVALID);
}

TEST_F(RuntimeCApi, RunNeedsEveryInput) {
  EXPECT_EQ(rknn_run(ctx_.id, nullptr), RKNN_ERR_INPUT_INVALID);
  ASSERT_EQ(set_input(ctx_.id, 0, x_, RKNN_TENSOR_FLOAT32), RKNN_SUCC);
  EXPECT_EQ(rknn_run(ctx_.id, nullptr), RKNN_ERR_INPUT_INVALID);
  EXPECT_NE(std::string(rknn_last_error_message()).find("input 1 ('s')"), std::string::npos);
  ASSERT_EQ(set_input(ctx_.id, 1, s_, RKNN_TENSOR_FLOAT32), RKNN_SUCC);
  EXPECT_EQ(rknn_run(ctx_.id, nullptr), RKNN_SUCC);
  EXPECT_EQ(rknn_run(ctx_.id, nullptr), RKNN_SUCC);  // inputs stay set between runs
}

TEST_F(RuntimeCApi, OutputsGetRejectsBadArguments) {
  rknn_output o{};
  o.want_float = 1;
  EXPECT_EQ(rknn_outputs_get(ctx_.id, 1, &o, nullptr), RKNN_ERR_OUTPUT_INVALID);  // no run yet
  set_both_inputs(ctx_.id);
  ASSERT_EQ(rknn_run(ctx_.id, nullptr), RKNN_SUCC);
  EXPECT_EQ(rknn_outputs_get(ctx_.id, 1, nullptr, nullptr), RKNN_ERR_PARAM_INVALID);
  EXPECT_EQ(rknn_outputs_get(ctx_.id, 0, &o, nullptr), RKNN_ERR_PARAM_INVALID);
  o.index = 2;
  EXPECT_EQ(rknn_outputs_get(ctx_.id, 1, &o, nullptr), RKNN_ERR_PARAM_INVALID);
  EXPECT_EQ(o.buf, nullptr);
}

TEST_F(RuntimeCApi, InvalidAndDestroyedContextsAreRejected) {
  ContextHandle doomed;
  ASSERT_EQ(rknn_init(&doomed.id, model_->data(), model_->size(), 0), RKNN_SUCC);
  const rknn_context destroyed = doomed.id;
  ASSERT_EQ(rknn_destroy(destroyed), RKNN_SUCC);
  doomed.id = 0;
  for (rknn_context bad : {rknn_context{0}, rknn_context{987654}, destroyed}) {
    SCOPED_TRACE(bad);
    rknn_input_output_num num{};
    std::vector<float> x = x_;
    rknn_input in{0, x.data(), 192, 0, RKNN_TENSOR_FLOAT32, RKNN_TENSOR_NCHW};
    rknn_output out{};
    EXPECT_EQ(rknn_query(bad, RKNN_QUERY_IN_OUT_NUM, &num, sizeof num), RKNN_ERR_CTX_INVALID);
    EXPECT_EQ(rknn_inputs_set(bad, 1, &in), RKNN_ERR_CTX_INVALID);
    EXPECT_EQ(rknn_run(bad, nullptr), RKNN_ERR_CTX_INVALID);
    EXPECT_EQ(rknn_outputs_get(bad, 1, &out, nullptr), RKNN_ERR_CTX_INVALID);
    EXPECT_EQ(rknn_outputs_release(bad, 1, &out), RKNN_ERR_CTX_INVALID);
    EXPECT_EQ(rknn_destroy(bad), RKNN_ERR_CTX_INVALID);
    EXPECT_NE(std::string(rknn_last_error_message()).find("not a live rknn_context"), std::string::npos);
  }
  // The live context is unaffected.
  rknn_input_output_num num{};
  EXPECT_EQ(rknn_query(ctx_.id, RKNN_QUERY_IN_OUT_NUM, &num, sizeof num), RKNN_SUCC);
}

}  // namespace
}  // namespace rknn
