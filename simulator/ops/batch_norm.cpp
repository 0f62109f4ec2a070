// BatchNormalization (ONNX opset 15+), inference form:
// Y = (X - mean) / sqrt(var + epsilon) * scale + B, per channel (axis 1).
//
// Integer X (uint8, int8, int16 with per-tensor quantization parameters, when
// the compiler did not fold the node into a convolution) is requantized per
// channel by the rule of kernels/reference/quantized_norm.h; the float
// parameters must then be constants.
#include <algorithm>
#include <cmath>

#include "kernels/reference/norm.h"
#include "kernels/reference/quantized_common.h"
#include "kernels/reference/quantized_norm.h"
#include "kernels/reference/quantized_setup.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

// The per-channel multiplier, sign and offset, in double from the float constants.
reference::QuantizedBatchNorm quantized_params(const OpNode& node,
                                               std::span<const InputInfo> inputs) {
  const InputInfo& x = inputs[0];
  const QuantParams& xq = require_input_quant(x, "X");
  const QuantParams& yq = require_output_quant(node);
  expect_per_tensor(xq, "X");
  expect_per_tensor(yq, "Y");
  const float* scale = require_constant(inputs, 1, "scale").data<float>();
  const float* bias = require_constant(inputs, 2, "B").data<float>();
  const float* mean = require_constant(inputs, 3, "input_mean").data<float>();
  const float* var = require_constant(inputs, 4, "input_var").data<float>();
  const double epsilon = node.attrs.get_float("epsilon", 1e-5f);
  const double y_scale = yq.scale[0];
  reference::QuantizedBatchNorm q;
  q.x_zero_point = xq.zero_point[0];
  q.range = code_range(x.type.dtype);
  for (std::int64_t c = 0; c < x.type.shape[1]; ++c) {
    const double a = scale[c] / std::sqrt(static_cast<double>(var[c]) + epsilon);
    const double shift = bias[c] - static_cast<double>(mean[c]) * a;
    q.multiplier.push_back(make_multiplier(xq.scale[0] * std::fabs(a) / y_scale));
    q.negate.push_back(a < 0.0 ? 1 : 0);
    const double offset = std::nearbyint(shift / y_scale) + yq.zero_point[0];
    q.offset.push_back(static_cast<std::int32_t>(std::clamp(offset, -2147483648.0, 2147483647.0)));
  }
  return q;
}

Prepared prepare_quantized(const OpNode& node, std::span<const InputInfo> inputs) {
  const reference::QuantizedBatchNorm q = quantized_params(node, inputs);
  const reference::NormShape s = reference::norm_shape(inputs[0].type.shape);
  Prepared prepared;
  prepared.outputs.push_back(inputs[0].type);
  prepared.kernel = reference::visit_quantized(inputs[0].type.dtype, [&](auto t) {
    using T = decltype(t);
    return make_kernel([s, q](std::span<const Tensor* const> in, std::span<Tensor* const> out,
                              ThreadPool& pool) {
      reference::quantized_batch_norm<T>(s, q, in[0]->data<T>(), out[0]->data<T>(), pool);
    });
  });
  return prepared;
}

}  // namespace

Prepared prepare_batch_norm(const OpNode& node, std::span<const InputInfo> inputs,
                            const KernelOptions&) {
  expect_input_count(inputs, 5, 5);
  if (node.attrs.get_int("training_mode", 0) != 0) {
    throw UnsupportedError("training_mode=1 is not supported (inference only)");
  }
  const InputInfo& x = inputs[0];
  expect_dtype(x, {DType::kFloat32, DType::kUInt8, DType::kInt8, DType::kInt16}, "X");
  if (x.type.shape.size() < 2)
    throw Error("X must have rank >= 2 (N, C, ...), got " + x.type.to_string());
  const Shape& xs = x.type.shape;
  const char* names[] = {"scale", "B", "input_mean", "input_var"};
  for (std::size_t i = 1; i < 5; ++i) {
    expect_per_channel(inputs[i], xs[1], names[i - 1], "channel of X " + x.type.to_string());
  }
  if (reference::is_quantized_type(x.type.dtype)) return prepare_quantized(node, inputs);
  const reference::NormShape s = reference::norm_shape(xs);
  const float epsilon = node.attrs.get_float("epsilon", 1e-5f);
  Prepared prepared;
  prepared.outputs.push_back(x.type);
  prepared.kernel = make_kernel([s, epsilon](std::span<const Tensor* const> in,
                                             std::span<Tensor* const> out, ThreadPool& pool) {
    reference::batch_norm(s, in[0]->data<float>(), in[1]->data<float>(), in[2]->data<float>(),
                          in[3]->data<float>(), in[4]->data<float>(), epsilon,
                          out[0]->data<float>(), pool);
  });
  return prepared;
}

}  // namespace rknn::sim::ops
