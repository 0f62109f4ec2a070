// LRN (ONNX opset 13): local response normalization across channels,
// y = x / (bias + alpha / size * square_sum)^beta.
#include "kernels/reference/norm.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {

Prepared prepare_lrn(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions&) {
  expect_input_count(inputs, 1, 1);
  const InputInfo& x = inputs[0];
  expect_dtype(x, {DType::kFloat32}, "X");
  if (x.type.shape.size() < 3) {
    throw Error("X must have rank >= 3 (N, C, spatial...), got " + x.type.to_string());
  }
  reference::LrnParams p;
  p.size = node.attrs.require_int("size");
  if (p.size < 1) throw Error("size must be >= 1, got " + std::to_string(p.size));
  p.alpha = node.attrs.get_float("alpha", p.alpha);
  p.beta = node.attrs.get_float("beta", p.beta);
  p.bias = node.attrs.get_float("bias", p.bias);
  const Shape& xs = x.type.shape;
  const reference::NormShape s = reference::norm_shape(xs);
  Prepared prepared;
  prepared.outputs.push_back(x.type);
  prepared.kernel = make_kernel(
      [s, p](std::span<const Tensor* const> in, std::span<Tensor* const> out, ThreadPool& pool) {
        reference::lrn(s, p, in[0]->data<float>(), out[0]->data<float>(), pool);
      });
  return prepared;
}

}  // namespace rknn::sim::ops
