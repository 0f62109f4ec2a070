// Conv (ONNX opset 17), 1-D and 2-D, NCHW, with the activation a compiler pass
// may fuse into it. Optimized kernels: depthwise direct, otherwise GEMM over
// im2col panels with constant weights packed once at prepare.
#include "kernels/optimized/conv.h"

#include <vector>

#include "activation.h"
#include "conv_util.h"
#include "kernels/reference/conv.h"
#include "kernels/reference/window.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

using reference::ConvParams;

// Checks that W [M, C/group, k...] fits X [N, C, ...] and fills the channel fields.
void check_channels(const OpNode& node, const InputInfo& x, const InputInfo& w, ConvParams& p) {
  const Shape& ws = w.type.shape;
  read_group(node, x, w, p);
  p.out_channels = ws[0];
  if (p.in_channels % p.group != 0) {
    throw Error("X has " + std::to_string(p.in_channels) + " channels, not divisible by group " +
                std::to_string(p.group));
  }
  if (ws[1] != p.in_channels / p.group) {
    throw Error("W " + w.type.to_string() + " has " + std::to_string(ws[1]) +
                " input channels per group, expected " + std::to_string(p.in_channels / p.group) +
                " (X channels " + std::to_string(p.in_channels) + " / group " +
                std::to_string(p.group) + ")");
  }
  if (p.out_channels % p.group != 0) {
    throw Error("W has " + std::to_string(p.out_channels) +
                " output channels, not divisible by group " + std::to_string(p.group));
  }
}

// Decodes attributes and shapes into ConvParams; returns the output shape.
Shape decode(const OpNode& node, std::span<const InputInfo> inputs, ConvParams& p) {
  const InputInfo& x = inputs[0];
  const InputInfo& w = inputs[1];
  const std::size_t rank = window_spatial_rank(x, "convolution");
  check_channels(node, x, w, p);
  const Shape& xs = x.type.shape;
  const reference::WindowAttrs wa = read_conv_window(node, w, rank);
  Shape out{p.batch, p.out_channels};
  for (std::size_t i = 0; i < rank; ++i) {
    const reference::WindowAxis a =
        reference::forward_window_axis(xs[2 + i], wa.kernel[i], wa.strides[i], wa.dilations[i],
                                       wa.pads[i], wa.pads[rank + i], wa.auto_pad, false);
    p.set_axis(rank, i,
               {xs[2 + i], a.out, wa.kernel[i], wa.strides[i], wa.dilations[i], a.pad_begin});
    out.push_back(a.out);
  }
  check_bias(inputs, p.out_channels);
  p.activation = parse_activation(node.attrs);
  return out;
}

std::unique_ptr<Kernel> choose_kernel(const ConvParams& p, const InputInfo& w,
                                      const KernelOptions& options) {
  if (options.reference) return make_conv_kernel(p, reference::conv);
  if (optimized::is_depthwise(p)) return make_conv_kernel(p, optimized::conv_depthwise);
  return make_packed_conv_kernel(p, w, optimized::pack_conv_weights, optimized::conv_gemm);
}

}  // namespace

Prepared prepare_conv(const OpNode& node, std::span<const InputInfo> inputs,
                      const KernelOptions& options) {
  expect_input_count(inputs, 2, 3);
  expect_dtype(inputs[0], {DType::kFloat32}, "X");
  expect_dtype(inputs[1], {DType::kFloat32}, "W");
  ConvParams p;
  const Shape out = decode(node, inputs, p);
  Prepared prepared;
  prepared.outputs.push_back({DType::kFloat32, out});
  prepared.kernel = choose_kernel(p, inputs[1], options);
  return prepared;
}

}  // namespace rknn::sim::ops
