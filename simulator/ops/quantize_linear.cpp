// QuantizeLinear and DequantizeLinear (ONNX opset 13+; opset 10 is the
// per-tensor case), per tensor or along `axis`. They come from pre-quantized
// ONNX models and follow ONNX exactly, not the symmetric dynamic-fixed-point
// ranges of docs/quantization.md: int8 codes span -128..127 (see
// kernels/reference/quantized_linear.h and docs/quantization-nn.md).
// Scales and zero points may be run-time inputs; they are read when running.
#include <string>

#include "kernels/reference/quantized_linear.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

using reference::AxisLayout;

// The ONNX TensorProto codes output_dtype (opset 21) may name.
DType output_dtype_attr(const OpNode& node) {
  switch (node.attrs.get_int("output_dtype", 0)) {
    case 0:
    case 2: return DType::kUInt8;
    case 3: return DType::kInt8;
    case 5: return DType::kInt16;
    default: throw UnsupportedError("output_dtype must be uint8, int8 or int16");
  }
}

// Checks scale (and zero point) against X and returns X seen around the axis.
AxisLayout decode_layout(const OpNode& node, std::span<const InputInfo> inputs) {
  if (node.attrs.get_int("block_size", 0) != 0) {
    throw UnsupportedError("blocked quantization (block_size) is not supported");
  }
  const Shape& xs = inputs[0].type.shape;
  const InputInfo& scale = inputs[1];
  expect_dtype(scale, {DType::kFloat32}, "scale");
  const InputInfo* zp = optional_input(inputs, 2);
  if (zp && zp->type.shape != scale.type.shape) {
    throw Error("zero point " + zp->type.to_string() + " must have the shape of scale " +
                scale.type.to_string());
  }
  AxisLayout l;
  l.inner = element_count(xs);
  if (scale.type.element_count() == 1 && scale.type.shape.size() <= 1) return l;
  const auto rank = static_cast<std::int64_t>(xs.size());
  std::int64_t axis = node.attrs.get_int("axis", 1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) throw Error("axis " + std::to_string(axis) + " is out of range");
  const auto a = static_cast<std::size_t>(axis);
  if (scale.type.shape != Shape{xs[a]}) {
    throw Error("scale " + scale.type.to_string() + " must be a scalar or hold one value per " +
                "index of axis " + std::to_string(axis) + " of " + inputs[0].type.to_string());
  }
  l.channels = xs[a];
  l.outer = 1;
  for (std::size_t i = 0; i < a; ++i) l.outer *= xs[i];
  l.inner = xs[a] == 0 ? 0 : element_count(xs) / l.outer / xs[a];
  return l;
}

template <class T>
const T* zero_points(std::span<const Tensor* const> in) {
  const Tensor* zp = optional_tensor(in, 2);
  return zp ? zp->data<T>() : nullptr;
}

}  // namespace

Prepared prepare_quantize_linear(const OpNode& node, std::span<const InputInfo> inputs,
                                 const KernelOptions&) {
  expect_input_count(inputs, 2, 3);
  expect_dtype(inputs[0], {DType::kFloat32}, "x");
  const InputInfo* zp = optional_input(inputs, 2);
  const DType type = zp ? zp->type.dtype : output_dtype_attr(node);
  if (zp) expect_dtype(*zp, {DType::kUInt8, DType::kInt8, DType::kInt16}, "y_zero_point");
  const AxisLayout l = decode_layout(node, inputs);
  Prepared prepared;
  prepared.outputs.push_back({type, inputs[0].type.shape});
  auto kernel = [l]<class T>(T) {
    return make_kernel([l](std::span<const Tensor* const> in, std::span<Tensor* const> out,
                           ThreadPool& pool) {
      reference::quantize_linear<T>(l, in[0]->data<float>(), in[1]->data<float>(),
                                    zero_points<T>(in), out[0]->data<T>(), pool);
    });
  };
  switch (type) {
    case DType::kUInt8: prepared.kernel = kernel(std::uint8_t{}); break;
    case DType::kInt8: prepared.kernel = kernel(std::int8_t{}); break;
    default: prepared.kernel = kernel(std::int16_t{}); break;
  }
  return prepared;
}

Prepared prepare_dequantize_linear(const OpNode& node, std::span<const InputInfo> inputs,
                                   const KernelOptions&) {
  expect_input_count(inputs, 2, 3);
  const DType type = inputs[0].type.dtype;
  expect_dtype(inputs[0], {DType::kUInt8, DType::kInt8, DType::kInt16, DType::kInt32}, "x");
  if (const InputInfo* zp = optional_input(inputs, 2)) expect_dtype(*zp, {type}, "x_zero_point");
  const AxisLayout l = decode_layout(node, inputs);
  Prepared prepared;
  prepared.outputs.push_back({DType::kFloat32, inputs[0].type.shape});
  auto kernel = [l]<class T>(T) {
    return make_kernel([l](std::span<const Tensor* const> in, std::span<Tensor* const> out,
                           ThreadPool& pool) {
      reference::dequantize_linear<T>(l, in[0]->data<T>(), in[1]->data<float>(),
                                      zero_points<T>(in), out[0]->data<float>(), pool);
    });
  };
  switch (type) {
    case DType::kUInt8: prepared.kernel = kernel(std::uint8_t{}); break;
    case DType::kInt8: prepared.kernel = kernel(std::int8_t{}); break;
    case DType::kInt16: prepared.kernel = kernel(std::int16_t{}); break;
    default: prepared.kernel = kernel(std::int32_t{}); break;
  }
  return prepared;
}

}  // namespace rknn::sim::ops
