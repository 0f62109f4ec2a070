// Golden bytes: the raw outputs of small quantized models are pinned, so that
// any change in the integer arithmetic (rounding, requantization, calibration,
// parameter choice) is noticed here first. Everything comes from committed
// files: examples/classify's shapes.onnx, calibrated on its 24 sample images
// (dataset.txt), run on two of them.
//
// When an arithmetic change is intended, the failure message prints the new
// value to pin; say why in the commit.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <filesystem>

#include <stb/stb_image.h>

#include "artifact/artifact_writer.h"
#include "driver/compile.h"
#include "rknn/runtime.hpp"

namespace rknn {
namespace {

namespace fs = std::filesystem;

const fs::path kExample = fs::path(RKNN_SOURCE_DIR) / "examples/classify";

struct Golden {
  const char* quant;
  const char* method;
  const char* output;  // tensor to cut the graph at ("" = the model's logits)
  const char* pinned;  // FNV-1a 64 of the raw output bytes of both images, hex
};

void PrintTo(const Golden& g, std::ostream* os) { *os << g.quant << "/" << g.method << "/" << g.output; }

std::vector<std::uint8_t> load_image(const char* name) {
  int w = 0, h = 0, n = 0;
  unsigned char* data = stbi_load((kExample / "images" / name).c_str(), &w, &h, &n, 3);
  if (!data) throw std::runtime_error(std::string("cannot decode ") + name);
  std::vector<std::uint8_t> pixels(data, data + w * h * 3);
  stbi_image_free(data);
  return pixels;
}

std::uint64_t fnv1a(std::span<const std::byte> bytes, std::uint64_t hash = 14695981039346656037ull) {
  for (std::byte b : bytes) hash = (hash ^ static_cast<std::uint8_t>(b)) * 1099511628211ull;
  return hash;
}

// Raw output bytes (the model's own element type) for each image, hashed.
std::string raw_output_hash(const Golden& g) {
  driver::CompileOptions o;
  o.quantization = g.quant;
  o.quant_method = g.method;
  o.mean = {{127.5f, 127.5f, 127.5f}};
  o.std = {{63.75f, 63.75f, 63.75f}};
  o.dataset = kExample / "dataset.txt";
  if (*g.output) o.outputs = {g.output};
  const driver::CompiledModel m = driver::compile_model(kExample / "shapes.onnx", o);
  const std::string bytes = artifact::write_artifact(m.info, m.program);
  sim::Tensor aligned(sim::DType::kUInt8, {static_cast<std::int64_t>(bytes.size())});
  std::memcpy(aligned.raw(), bytes.data(), bytes.size());
  Session session({aligned.raw(), aligned.byte_size()});

  std::uint64_t hash = 14695981039346656037ull;
  for (const char* image : {"circle_0.png", "cross_1.png"}) {
    const std::vector<std::uint8_t> pixels = load_image(image);
    session.set_input(0, std::as_bytes(std::span(pixels)), RKNN_TENSOR_UINT8, RKNN_TENSOR_NHWC);
    session.run();
    std::vector<std::byte> raw(session.output_attr(0).size);
    session.get_output(0, raw, /*want_float=*/false);
    hash = fnv1a(raw, hash);
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

class GoldenBytes : public ::testing::TestWithParam<Golden> {};

TEST_P(GoldenBytes, RawOutputsArePinned) { EXPECT_EQ(raw_output_hash(GetParam()), GetParam().pinned); }

INSTANTIATE_TEST_SUITE_P(
    Shapes, GoldenBytes,
    ::testing::Values(Golden{"asymmetric_u8", "channel", "", "9f663f0c82ecf3cb"}, Golden{"asymmetric_u8", "layer", "", "244f72b387783b92"},
                      Golden{"asymmetric_u8", "channel", "/relu3/Relu_output_0", "fc5b6b71978b175d"},
                      Golden{"dynamic_fixed_point_i8", "channel", "", "ce33720e9d792e18"},
                      Golden{"dynamic_fixed_point_i8", "channel", "/relu3/Relu_output_0", "fa5855737a5f86f2"},
                      Golden{"dynamic_fixed_point_i16", "channel", "", "853761226beecd9b"},
                      Golden{"dynamic_fixed_point_i16", "channel", "/relu3/Relu_output_0", "f6dcebdb7961a95e"},
                      Golden{"float16", "channel", "", "2adc7be621af2e79"},
                      Golden{"float16", "channel", "/relu3/Relu_output_0", "87fe2d1e8dc06d0a"}),
    [](const ::testing::TestParamInfo<Golden>& param_info) {
      std::string name = std::string(param_info.param.quant) + "_" + param_info.param.method;
      if (*param_info.param.output) name += "_relu3";
      return name;
    });

}  // namespace
}  // namespace rknn
