// Conv (ONNX opset 17), 1-D and 2-D, NCHW, with the activation a compiler pass
// may fuse into it. Optimized kernels: depthwise direct, otherwise GEMM over
// im2col panels with the weights packed once here.
#include "kernels/optimized/conv.h"

#include <utility>
#include <vector>

#include "activation.h"
#include "kernels/reference/conv.h"
#include "kernels/reference/window.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

using reference::ConvParams;

std::size_t spatial_rank(const InputInfo& x) {
  const std::size_t rank = x.type.shape.size();
  if (rank == 5) {
    throw UnsupportedError("3-D convolution (X " + x.type.to_string() + ") is not supported");
  }
  if (rank != 3 && rank != 4) {
    throw Error("X must have rank 3 (1-D) or 4 (2-D), got " + x.type.to_string());
  }
  return rank - 2;
}

// Checks that W [M, C/group, k...] fits X [N, C, ...] and fills the channel fields.
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
  const std::size_t rank = spatial_rank(x);
  check_channels(node, x, w, p);
  const Shape& xs = x.type.shape;
  const std::vector<std::int64_t> w_kernel(w.type.shape.begin() + 2, w.type.shape.end());
  const reference::WindowAttrs wa = reference::read_window_attrs(node.attrs, rank, w_kernel);
  if (wa.kernel != w_kernel) {
    throw Error("kernel_shape does not match the spatial shape of W " + w.type.to_string());
  }
  Shape out{p.batch, p.out_channels};
  for (std::size_t i = 0; i < rank; ++i) {
    const reference::WindowAxis a =
        reference::forward_window_axis(xs[2 + i], wa.kernel[i], wa.strides[i], wa.dilations[i],
                                       wa.pads[i], wa.pads[rank + i], wa.auto_pad, false);
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

std::unique_ptr<Kernel> make_conv_kernel(const ConvParams& p, const InputInfo& w,
                                         const KernelOptions& options) {
  if (options.reference) {
    return make_kernel(
        [p](std::span<const Tensor* const> in, std::span<Tensor* const> out, ThreadPool& pool) {
          reference::conv(p, in[0]->data<float>(), in[1]->data<float>(), bias_of(in),
                          out[0]->data<float>(), pool);
        });
  }
  if (optimized::is_depthwise(p)) {
    return make_kernel(
        [p](std::span<const Tensor* const> in, std::span<Tensor* const> out, ThreadPool& pool) {
          optimized::conv_depthwise(p, in[0]->data<float>(), in[1]->data<float>(), bias_of(in),
                                    out[0]->data<float>(), pool);
        });
  }
  // Constant weights (the usual case) are packed into GEMM panels once.
  std::vector<float> packed;
  if (w.constant) packed = optimized::pack_conv_weights(p, w.constant->data<float>());
  return make_kernel([p, packed = std::move(packed)](std::span<const Tensor* const> in,
                                                     std::span<Tensor* const> out,
                                                     ThreadPool& pool) {
    optimized::conv_gemm(p, in[0]->data<float>(), in[1]->data<float>(),
                         packed.empty() ? nullptr : packed.data(), bias_of(in),
                         out[0]->data<float>(), pool);
  });
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
  prepared.kernel = make_conv_kernel(p, inputs[1], options);
  return prepared;
}

}  // namespace rknn::sim::ops
