// A ModelInfo that exercises every branch of the generator: an image input
// with mean/std/reorder, a float input whose name is not an identifier, a
// scalar input, a float16 output and a quantized output named by a keyword.
#pragma once

#include "codegen/codegen.h"

namespace rknn::codegen::testing {

inline format::IoInfo io(const std::string& name, std::vector<std::int64_t> dims, sim::DType type) {
  format::IoInfo t;
  t.name = name;
  t.fmt = dims.size() == 4 ? format::Layout::kNCHW : format::Layout::kUndefined;
  t.dims = std::move(dims);
  t.type = type;
  return t;
}

inline format::ModelInfo sample_model() {
  format::ModelInfo info;
  info.compiler_version = "rknn-build test";
  info.platforms = {"rk1808", "rk3399pro"};
  info.quantization = "float16";
  info.custom_string = "say \"hi\"\n";
  info.inputs = {io("images", {1, 3, 32, 48}, sim::DType::kFloat16), io("input.1", {2, 5}, sim::DType::kFloat16),
                 io("scalar", {}, sim::DType::kFloat16)};
  info.outputs = {io("logits", {1, 10}, sim::DType::kFloat16), io("class", {1, 4}, sim::DType::kUInt8)};
  info.outputs[1].quant.type = format::QuantType::kAffineAsymmetric;
  info.outputs[1].quant.zero_point = {12};
  info.outputs[1].quant.scale = {0.0125f};
  format::Preprocessing image;
  image.mean = {127.5f, 0.0f, 1e-7f};
  image.std = {128.0f, 1.0f, 0.25f};
  image.reorder = {2, 1, 0};
  info.preprocess = {image, {}, {}};
  return info;
}

inline CodegenOptions sample_options() { return {"classify", "demo::nets", "classify.rknn"}; }

}  // namespace rknn::codegen::testing
