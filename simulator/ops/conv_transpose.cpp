// ConvTranspose (ONNX opset 17), 1-D and 2-D, NCHW. Output size and padding
// follow the spec: output_shape, when given, decides the total padding;
// otherwise SAME_* gives in * stride and NOTSET/VALID use pads.
#include <utility>
#include <vector>

#include "activation.h"
#include "kernels/optimized/conv.h"
#include "kernels/reference/conv.h"
#include "kernels/reference/window.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

using reference::AutoPad;
using reference::ConvParams;
using reference::floor_div;

std::size_t spatial_rank(const InputInfo& x) {
  const std::size_t rank = x.type.shape.size();
  if (rank == 5) {
    throw UnsupportedError("3-D transposed convolution (X " + x.type.to_string() +
                           ") is not supported");
  }
  if (rank != 3 && rank != 4) {
    throw Error("X must have rank 3 (1-D) or 4 (2-D), got " + x.type.to_string());
  }
  return rank - 2;
}

// Checks that W [C, M/group, k...] fits X [N, C, ...] and fills the channel fields.
void check_channels(const OpNode& node, const InputInfo& x, const InputInfo& w, ConvParams& p) {
  const Shape& xs = x.type.shape;
  const Shape& ws = w.type.shape;
  if (ws.size() != xs.size()) {
    throw Error("W " + w.type.to_string() + " must have the rank of X " + x.type.to_string());
  }
  p.group = node.attrs.get_int("group", 1);
  if (p.group < 1) throw Error("group must be >= 1, got " + std::to_string(p.group));
  p.batch = xs[0];
  p.in_channels = xs[1];
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
  const std::size_t rank = spatial_rank(x);
  check_channels(node, x, w, p);
  const Shape& xs = x.type.shape;
  const std::vector<std::int64_t> w_kernel(w.type.shape.begin() + 2, w.type.shape.end());
  const reference::WindowAttrs wa = reference::read_window_attrs(node.attrs, rank, w_kernel);
  if (wa.kernel != w_kernel) {
    throw Error("kernel_shape does not match the spatial shape of W " + w.type.to_string());
  }
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
  if (const InputInfo* b = optional_input(inputs, 2)) {
    expect_dtype(*b, {DType::kFloat32}, "B");
    if (b->type.shape != Shape{p.out_channels}) {
      throw Error("B " + b->type.to_string() + " must have shape [" +
                  std::to_string(p.out_channels) + "], one value per output channel");
    }
  }
  p.activation = parse_activation(node.attrs);
  return out;
}

const float* bias_of(std::span<const Tensor* const> in) {
  return in.size() > 2 && in[2] ? in[2]->data<float>() : nullptr;
}

std::unique_ptr<Kernel> make_conv_transpose_kernel(const ConvParams& p, const InputInfo& w,
                                                   const KernelOptions& options) {
  if (options.reference) {
    return make_kernel(
        [p](std::span<const Tensor* const> in, std::span<Tensor* const> out, ThreadPool& pool) {
          reference::conv_transpose(p, in[0]->data<float>(), in[1]->data<float>(), bias_of(in),
                                    out[0]->data<float>(), pool);
        });
  }
  std::vector<float> packed;
  if (w.constant) packed = optimized::pack_conv_transpose_weights(p, w.constant->data<float>());
  return make_kernel([p, packed = std::move(packed)](std::span<const Tensor* const> in,
                                                     std::span<Tensor* const> out,
                                                     ThreadPool& pool) {
    optimized::conv_transpose(p, in[0]->data<float>(), in[1]->data<float>(),
                              packed.empty() ? nullptr : packed.data(), bias_of(in),
                              out[0]->data<float>(), pool);
  });
}

}  // namespace

Prepared prepare_conv_transpose(const OpNode& node, std::span<const InputInfo> inputs,
                                const KernelOptions& options) {
  expect_input_count(inputs, 2, 3);
  expect_dtype(inputs[0], {DType::kFloat32}, "X");
  expect_dtype(inputs[1], {DType::kFloat32}, "W");
  ConvParams p;
  const Shape out = decode(node, inputs, p);
  Prepared prepared;
  prepared.outputs.push_back({DType::kFloat32, out});
  prepared.kernel = make_conv_transpose_kernel(p, inputs[1], options);
  return prepared;
}

}  // namespace rknn::sim::ops
