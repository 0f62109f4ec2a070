// rknn_batch_size: a model compiled for N frames takes N frames per run, each
// frame's result is the bytes the batch-1 model gives for it, and the
// generated typed structs carry the batch dimension. On the example classifier
// (examples/classify), quantized to u8 on its sample images.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include <stb/stb_image.h>

#include "artifact/artifact_writer.h"
#include "codegen/codegen.h"
#include "driver/compile.h"
#include "rknn/runtime.hpp"

namespace rknn {
namespace {

namespace fs = std::filesystem;

const fs::path kExample = fs::path(RKNN_SOURCE_DIR) / "examples/classify";
constexpr std::size_t kFrame = 32 * 32 * 3;

driver::CompiledModel compile_with_batch(int batch) {
  driver::CompileOptions o;
  o.quantization = "asymmetric_u8";
  o.mean = {{127.5f, 127.5f, 127.5f}};
  o.std = {{63.75f, 63.75f, 63.75f}};
  o.dataset = kExample / "dataset.txt";
  o.load.import.batch_size = batch;
  return driver::compile_model(kExample / "shapes.onnx", o);
}

// An artifact in aligned storage with a session over it.
struct Loaded {
  explicit Loaded(const driver::CompiledModel& m) {
    const std::string bytes = artifact::write_artifact(m.info, m.program);
    storage = sim::Tensor(sim::DType::kUInt8, {static_cast<std::int64_t>(bytes.size())});
    std::memcpy(storage.raw(), bytes.data(), bytes.size());
    session = std::make_unique<Session>(std::span<const std::byte>(storage.raw(), storage.byte_size()));
  }
  std::vector<std::byte> run(std::span<const std::uint8_t> pixels) {
    session->set_input(0, std::as_bytes(pixels), RKNN_TENSOR_UINT8, RKNN_TENSOR_NHWC);
    session->run();
    std::vector<std::byte> raw(session->output_attr(0).size);
    session->get_output(0, raw, /*want_float=*/false);
    return raw;
  }
  sim::Tensor storage;
  std::unique_ptr<Session> session;
};

std::vector<std::uint8_t> frames(const std::vector<const char*>& names) {
  std::vector<std::uint8_t> pixels;
  for (const char* name : names) {
    int w = 0, h = 0, n = 0;
    unsigned char* data = stbi_load((kExample / "images" / name).c_str(), &w, &h, &n, 3);
    EXPECT_NE(data, nullptr) << name;
    if (!data) continue;
    pixels.insert(pixels.end(), data, data + kFrame);
    stbi_image_free(data);
  }
  return pixels;
}

TEST(BatchSize, EachFrameGivesTheBatchOneBytes) {
  const std::vector<const char*> names{"circle_0.png", "cross_1.png", "square_2.png", "vertical_bar_3.png"};
  const std::vector<std::uint8_t> pixels = frames(names);
  ASSERT_EQ(pixels.size(), names.size() * kFrame);

  Loaded four(compile_with_batch(4));
  const rknn_tensor_attr attr = four.session->input_attr(0);
  EXPECT_EQ(attr.dims[attr.n_dims - 1], 4u);  // RKNN lists dims innermost first: the batch is last
  const std::vector<std::byte> batched = four.run(pixels);

  Loaded one(compile_with_batch(1));
  const std::size_t per_frame = batched.size() / names.size();
  ASSERT_EQ(per_frame, one.session->output_attr(0).size);
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::vector<std::byte> single = one.run(std::span(pixels).subspan(i * kFrame, kFrame));
    EXPECT_EQ(0, std::memcmp(single.data(), batched.data() + i * per_frame, per_frame)) << names[i];
  }
}

TEST(BatchSize, WrongInputSizeIsRefusedWithTheExpectedSize) {
  Loaded four(compile_with_batch(4));
  const std::vector<std::uint8_t> one_frame(kFrame);
  try {
    four.run(one_frame);
    FAIL() << "a batch-4 model took one frame";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), RKNN_ERR_PARAM_INVALID) << e.what();
  }
}

TEST(BatchSize, TypedStructsCarryTheBatch) {
  const driver::CompiledModel m = compile_with_batch(3);
  const codegen::Generated g = codegen::generate(m.info, {"shapes", "shapes", "shapes.rknn"});
  EXPECT_NE(g.header.find("std::uint8_t image[3][32][32][3];"), std::string::npos) << g.header;
  EXPECT_NE(g.header.find("float logits[3][6];"), std::string::npos) << g.header;
}

}  // namespace
}  // namespace rknn
