// InstanceNormalization (ONNX opset 6+): each (n, c) plane is normalized by
// its own mean and variance, then scaled and shifted per channel.
#include "kernels/reference/norm.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {

Prepared prepare_instance_norm(const OpNode& node, std::span<const InputInfo> inputs,
                               const KernelOptions&) {
  expect_input_count(inputs, 3, 3);
  const InputInfo& x = inputs[0];
  expect_dtype(x, {DType::kFloat32}, "input");
  if (x.type.shape.size() < 3) {
    throw Error("input must have rank >= 3 (N, C, spatial...), got " + x.type.to_string());
  }
  const Shape& xs = x.type.shape;
  const char* names[] = {"scale", "B"};
  for (std::size_t i = 1; i < 3; ++i) {
    expect_per_channel(inputs[i], xs[1], names[i - 1], "channel of input " + x.type.to_string());
  }
  const reference::NormShape s = reference::norm_shape(xs);
  const float epsilon = node.attrs.get_float("epsilon", 1e-5f);
  Prepared prepared;
  prepared.outputs.push_back(x.type);
  prepared.kernel = make_kernel([s, epsilon](std::span<const Tensor* const> in,
                                             std::span<Tensor* const> out, ThreadPool& pool) {
    reference::instance_norm(s, in[0]->data<float>(), in[1]->data<float>(), in[2]->data<float>(),
                             epsilon, out[0]->data<float>(), pool);
  });
  return prepared;
}

}  // namespace rknn::sim::ops
