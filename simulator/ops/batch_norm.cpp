// BatchNormalization (ONNX opset 15+), inference form:
// Y = (X - mean) / sqrt(var + epsilon) * scale + B, per channel (axis 1).
#include "kernels/reference/norm.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {

Prepared prepare_batch_norm(const OpNode& node, std::span<const InputInfo> inputs,
                            const KernelOptions&) {
  expect_input_count(inputs, 5, 5);
  if (node.attrs.get_int("training_mode", 0) != 0) {
    throw UnsupportedError("training_mode=1 is not supported (inference only)");
  }
  const InputInfo& x = inputs[0];
  expect_dtype(x, {DType::kFloat32}, "X");
  if (x.type.shape.size() < 2)
    throw Error("X must have rank >= 2 (N, C, ...), got " + x.type.to_string());
  const Shape& xs = x.type.shape;
  const char* names[] = {"scale", "B", "input_mean", "input_var"};
  for (std::size_t i = 1; i < 5; ++i) {
    expect_per_channel(inputs[i], xs[1], names[i - 1], "channel of X " + x.type.to_string());
  }
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
