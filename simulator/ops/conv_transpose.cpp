// ConvTranspose (ONNX opset 17), 1-D and 2-D, NCHW. Output size and padding
// follow the spec: output_shape, when given, decides the total padding;
// otherwise SAME_* gives in * stride and NOTSET/VALID use pads.
//
// Quantized X (uint8, int8, int16 with quantization parameters) takes the
// integer path of docs/quantization-nn.md, with per-channel weights along W's
// axis 1. It runs the reference gather in both modes: transposed
// convolutions are rare in quantized models and the gather is exact.
#include <utility>
#include <vector>

#include "activation.h"
#include "conv_util.h"
#include "kernels/optimized/conv.h"
#include "kernels/reference/conv.h"
#include "kernels/reference/quantized_common.h"
#include "kernels/reference/quantized_conv.h"
#include "kernels/reference/quantized_setup.h"
#include "kernels/reference/window.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

using reference::AutoPad;
using reference::ConvParams;
using reference::floor_div;

// Checks that W [C, M/group, k...] fits X [N, C, ...] and fills the channel fields.
void check_channels(const OpNode& node, const InputInfo& x, const InputInfo& w, ConvParams& p) {
  const Shape& ws = w.type.shape;
  read_group(node, x, w, p);
  if (ws[0] != p.in_channels) {
    throw Error("W " + w.type.to_string() + " has " + std::to_string(ws[0]) +
                " input channels, expected " + std::to_string(p.in_channels) + " (X " +
                x.type.to_string() + ")");
  }
  if (p.in_channels % p.group != 0) {
    throw Error("X has " + std::to_string(p.in_channels) + " channels, not divisible by group " +
                std::to_string(p.group));
  }
  p.out_channels = ws[1] * p.group;
}

// output_shape holds the spatial sizes, or (as some exporters write it) N, C and then them.
std::vector<std::int64_t> read_output_shape(const Attributes& attrs, std::size_t rank) {
  std::vector<std::int64_t> v = attrs.get_ints("output_shape");
  if (v.size() == rank + 2) v.erase(v.begin(), v.begin() + 2);
  if (!v.empty() && v.size() != rank) {
    throw Error("output_shape has " + std::to_string(v.size()) + " values, expected " +
                std::to_string(rank));
  }
  for (std::int64_t s : v) {
    if (s < 1) throw Error("output_shape values must be >= 1");
  }
  return v;
}

// Output size and begin padding of one axis, per the ONNX formulas.
struct TransposedAxis {
  std::int64_t out, pad_begin;
};
TransposedAxis transposed_axis(std::int64_t in, std::int64_t kernel, std::int64_t stride,
                               std::int64_t dilation, std::int64_t output_padding,
                               std::int64_t pad_begin, std::int64_t pad_end,
                               std::int64_t requested_out, AutoPad auto_pad) {
  const std::int64_t full = stride * (in - 1) + output_padding + (kernel - 1) * dilation + 1;
  const bool same = auto_pad == AutoPad::kSameUpper || auto_pad == AutoPad::kSameLower;
  if (requested_out > 0 || same) {
    const std::int64_t out = requested_out > 0 ? requested_out : in * stride;
    const std::int64_t total = full - out;
    // SAME_UPPER puts the odd value at the end, everything else at the beginning.
    const std::int64_t begin =
        auto_pad == AutoPad::kSameUpper ? floor_div(total, 2) : total - floor_div(total, 2);
    return {out, begin};
  }
  if (auto_pad == AutoPad::kValid) pad_begin = pad_end = 0;
  const std::int64_t out = full - pad_begin - pad_end;
  if (out < 1) {
    throw Error("output size " + std::to_string(out) + " is not positive: pads " +
                std::to_string(pad_begin) + "+" + std::to_string(pad_end) +
                " exceed the full output " + std::to_string(full));
  }
  return {out, pad_begin};
}

Shape decode(const OpNode& node, std::span<const InputInfo> inputs, ConvParams& p) {
  const InputInfo& x = inputs[0];
  const InputInfo& w = inputs[1];
  const std::size_t rank = window_spatial_rank(x, "transposed convolution");
  check_channels(node, x, w, p);
  const Shape& xs = x.type.shape;
  const reference::WindowAttrs wa = read_conv_window(node, w, rank);
  const std::vector<std::int64_t> output_padding =
      node.attrs.get_ints("output_padding", std::vector<std::int64_t>(rank, 0));
  if (output_padding.size() != rank) {
    throw Error("output_padding has " + std::to_string(output_padding.size()) +
                " values, expected " + std::to_string(rank));
  }
  const std::vector<std::int64_t> output_shape = read_output_shape(node.attrs, rank);
  Shape out{p.batch, p.out_channels};
  for (std::size_t i = 0; i < rank; ++i) {
    if (output_padding[i] < 0) throw Error("output_padding values must be >= 0");
    const TransposedAxis a = transposed_axis(
        xs[2 + i], wa.kernel[i], wa.strides[i], wa.dilations[i], output_padding[i], wa.pads[i],
        wa.pads[rank + i], output_shape.empty() ? 0 : output_shape[i], wa.auto_pad);
    p.set_axis(rank, i,
               {xs[2 + i], a.out, wa.kernel[i], wa.strides[i], wa.dilations[i], a.pad_begin});
    out.push_back(a.out);
  }
  p.activation = parse_activation(node.attrs);
  return out;
}

std::unique_ptr<Kernel> choose_kernel(const ConvParams& p, const InputInfo& w,
                                      const KernelOptions& options) {
  if (options.reference) return make_conv_kernel(p, reference::conv_transpose);
  return make_packed_conv_kernel(p, w, optimized::pack_conv_transpose_weights,
                                 optimized::conv_transpose);
}

template <class T>
std::unique_ptr<Kernel> quantized_kernel(reference::QuantizedConvParams q) {
  return make_kernel([q = std::move(q)](std::span<const Tensor* const> in,
                                        std::span<Tensor* const> out, ThreadPool& pool) {
    const Tensor* b = optional_tensor(in, 2);
    reference::quantized_conv_transpose<T>(q, in[0]->data<T>(), in[1]->data<T>(),
                                           b ? b->data<std::int32_t>() : nullptr,
                                           out[0]->data<T>(), pool);
  });
}

Prepared prepare_quantized(const OpNode& node, std::span<const InputInfo> inputs) {
  ConvParams p;
  const Shape out = decode(node, inputs, p);
  QuantizedConvSetup s = make_quantized_conv(node, inputs, p, 1, p.out_per_group());
  const DType type = inputs[0].type.dtype;
  Prepared prepared;
  prepared.outputs.push_back({type, out});
  prepared.kernel = reference::visit_quantized(
      type, [&](auto t) { return quantized_kernel<decltype(t)>(std::move(s.params)); });
  return prepared;
}

}  // namespace

Prepared prepare_conv_transpose(const OpNode& node, std::span<const InputInfo> inputs,
                                const KernelOptions& options) {
  expect_input_count(inputs, 2, 3);
  if (reference::is_quantized_type(inputs[0].type.dtype)) return prepare_quantized(node, inputs);
  expect_dtype(inputs[0], {DType::kFloat32}, "X");
  expect_dtype(inputs[1], {DType::kFloat32}, "W");
  ConvParams p;
  const Shape out = decode(node, inputs, p);
  check_bias(inputs, p.out_channels);
  Prepared prepared;
  prepared.outputs.push_back({DType::kFloat32, out});
  prepared.kernel = choose_kernel(p, inputs[1], options);
  return prepared;
}

}  // namespace rknn::sim::ops
