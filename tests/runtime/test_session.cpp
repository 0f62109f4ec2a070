// rknn::Session, the C++ API: the same answers as the C API, errors as
// rknn::Error with the RKNN code and message, RAII and moves.
#include <gtest/gtest.h>

#include "rknn/runtime.hpp"
#include "runtime_test_util.h"

namespace rknn {
namespace {

using namespace testing;

class RuntimeSession : public ::testing::Test {
 protected:
  void SetUp() override {
    save_two_io_model(dir_ / "m.onnx");
    model_ = std::make_unique<AlignedModel>(make_artifact(dir_ / "m.onnx", {"float32", {}, "session"}));
  }

  std::span<const std::byte> bytes_of(const std::vector<float>& v) { return std::as_bytes(std::span(v)); }

  std::vector<float> run(Session& s) {
    s.set_input(0, bytes_of(x_), RKNN_TENSOR_FLOAT32, RKNN_TENSOR_NCHW);
    s.set_input(1, bytes_of(s_), RKNN_TENSOR_FLOAT32, RKNN_TENSOR_NCHW);
    s.run();
    std::vector<float> y(32);
    s.get_output(0, std::as_writable_bytes(std::span(y)));
    return y;
  }

  TempDir dir_;
  std::unique_ptr<AlignedModel> model_;
  std::vector<float> x_ = random_floats(48, 2);
  std::vector<float> s_ = {0.25f, 0.75f};
};

TEST_F(RuntimeSession, AnswersAsTheCApi) {
  Session session(model_->span());
  EXPECT_EQ(session.input_count(), 2u);
  EXPECT_EQ(session.output_count(), 2u);
  EXPECT_STREQ(session.input_attr(1).name, "s");
  EXPECT_EQ(session.output_attr(0).n_elems, 32u);
  EXPECT_EQ(session.custom_string(), "session");
  const std::vector<float> y = run(session);

  ContextHandle ctx;
  ASSERT_EQ(rknn_init(&ctx.id, model_->data(), model_->size(), 0), RKNN_SUCC);
  ASSERT_EQ(set_input(ctx.id, 0, x_, RKNN_TENSOR_FLOAT32), RKNN_SUCC);
  ASSERT_EQ(set_input(ctx.id, 1, s_, RKNN_TENSOR_FLOAT32), RKNN_SUCC);
  ASSERT_EQ(rknn_run(ctx.id, nullptr), RKNN_SUCC);
  EXPECT_EQ(as_floats(get_output(ctx.id, 0, true, 128)), y);
}

TEST_F(RuntimeSession, ErrorsCarryTheCodeAndMessage) {
  const std::vector<std::byte> garbage(256, std::byte{7});
  try {
    Session bad(garbage);
    FAIL() << "a garbage model was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), RKNN_ERR_MODEL_INVALID);
    EXPECT_NE(std::string(e.what()).find("rknn_init: invalid model"), std::string::npos) << e.what();
  }
  Session session(model_->span());
  std::vector<float> y(31);
  try {
    session.get_output(0, std::as_writable_bytes(std::span(y)));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), RKNN_ERR_OUTPUT_INVALID);  // nothing has run
  }
  EXPECT_THROW(session.run(), Error);
  run(session);
  try {
    session.get_output(0, std::as_writable_bytes(std::span(y)));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), RKNN_ERR_PARAM_INVALID);
    EXPECT_NE(std::string(e.what()).find("needs 128"), std::string::npos) << e.what();
  }
  try {
    session.input_attr(5);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), RKNN_ERR_PARAM_INVALID);
  }
  EXPECT_THROW(session.set_input(0, bytes_of(s_), RKNN_TENSOR_FLOAT32, RKNN_TENSOR_NCHW), Error);
  EXPECT_THROW(Session(model_->span(), Options{-1, false}), Error);
}

TEST_F(RuntimeSession, MovesTransferTheContext) {
  Session a(model_->span());
  const rknn_context id = a.context();
  EXPECT_NE(id, 0u);
  Session b(std::move(a));
  EXPECT_EQ(a.context(), 0u);  // NOLINT(bugprone-use-after-move): moved-from state is specified
  EXPECT_EQ(b.context(), id);
  try {
    a.run();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), RKNN_ERR_CTX_INVALID);
  }
  Session c(model_->span());
  const rknn_context replaced = c.context();
  c = std::move(b);
  EXPECT_EQ(c.context(), id);
  rknn_input_output_num num{};
  EXPECT_EQ(rknn_query(replaced, RKNN_QUERY_IN_OUT_NUM, &num, sizeof num), RKNN_ERR_CTX_INVALID);
  EXPECT_EQ(run(c).size(), 32u);
}

TEST_F(RuntimeSession, OptionsReachTheRuntime) {
  Session plain(model_->span());
  Session threaded(model_->span(), Options{3, true});
  EXPECT_EQ(run(threaded), run(plain));
  rknn_perf_detail detail{};
  EXPECT_EQ(rknn_query(threaded.context(), RKNN_QUERY_PERF_DETAIL, &detail, sizeof detail), RKNN_SUCC);
  EXPECT_EQ(rknn_query(plain.context(), RKNN_QUERY_PERF_DETAIL, &detail, sizeof detail), RKNN_ERR_PARAM_INVALID);
}

}  // namespace
}  // namespace rknn
