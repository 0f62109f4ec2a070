// Conv (ONNX opset 17), 1-D and 2-D, NCHW, with the activation a compiler pass
// may fuse into it. Optimized kernels: depthwise direct, otherwise GEMM over
// im2col panels with constant weights packed once at prepare.
//
// Quantized X (uint8, int8, int16 with quantization parameters) takes the
// integer path (docs/quantization-nn.md): integer sums, int32 bias,
// requantization per output channel, the activation as a clamp. Its fast
// kernels (kernels/optimized/quantized_conv.h) give the reference's bytes.
#include "kernels/optimized/conv.h"

#include <utility>
#include <vector>

#include "activation.h"
#include "conv_util.h"
#include "kernels/optimized/quantized_conv.h"
#include "kernels/reference/conv.h"
#include "kernels/reference/quantized_common.h"
#include "kernels/reference/quantized_setup.h"
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
  p.activation = parse_activation(node.attrs);
  return out;
}

std::unique_ptr<Kernel> choose_kernel(const ConvParams& p, const InputInfo& w,
                                      const KernelOptions& options) {
  if (options.reference) return make_conv_kernel(p, reference::conv);
  if (optimized::is_depthwise(p)) return make_conv_kernel(p, optimized::conv_depthwise);
  return make_packed_conv_kernel(p, w, optimized::pack_conv_weights, optimized::conv_gemm);
}

const std::int32_t* int32_bias(std::span<const Tensor* const> in) {
  const Tensor* b = optional_tensor(in, 2);
  return b ? b->data<std::int32_t>() : nullptr;
}

template <class T>
std::unique_ptr<Kernel> reference_quantized_kernel(reference::QuantizedConvParams q) {
  return make_kernel([q = std::move(q)](std::span<const Tensor* const> in,
                                        std::span<Tensor* const> out, ThreadPool& pool) {
    reference::quantized_conv<T>(q, in[0]->data<T>(), in[1]->data<T>(), int32_bias(in),
                                 out[0]->data<T>(), pool);
  });
}

// Depthwise direct, otherwise the integer GEMM with weights packed once when constant.
template <class T, class Acc>
std::unique_ptr<Kernel> fast_quantized_kernel(reference::QuantizedConvParams q, const InputInfo& w) {
  if (optimized::is_depthwise(q.geometry)) {
    return make_kernel([q = std::move(q)](std::span<const Tensor* const> in,
                                          std::span<Tensor* const> out, ThreadPool& pool) {
      optimized::quantized_conv_depthwise<T, Acc>(q, in[0]->data<T>(), in[1]->data<T>(),
                                                  int32_bias(in), out[0]->data<T>(), pool);
    });
  }
  std::vector<optimized::Offset<T>> packed;
  if (w.constant) packed = optimized::qpack_conv_weights<T>(q, w.constant->data<T>());
  return make_kernel([q = std::move(q), packed = std::move(packed)](
                         std::span<const Tensor* const> in, std::span<Tensor* const> out,
                         ThreadPool& pool) {
    optimized::quantized_conv_gemm<T, Acc>(q, in[0]->data<T>(), in[1]->data<T>(),
                                           packed.empty() ? nullptr : packed.data(),
                                           int32_bias(in), out[0]->data<T>(), pool);
  });
}

template <class T>
std::unique_ptr<Kernel> quantized_kernel(QuantizedConvSetup s, const InputInfo& w,
                                         const KernelOptions& options) {
  if (options.reference) return reference_quantized_kernel<T>(std::move(s.params));
  if constexpr (sizeof(T) == 1) {
    if (s.int32_accumulators) return fast_quantized_kernel<T, std::int32_t>(std::move(s.params), w);
  }
  return fast_quantized_kernel<T, std::int64_t>(std::move(s.params), w);
}

Prepared prepare_quantized_conv(const OpNode& node, std::span<const InputInfo> inputs,
                                const KernelOptions& options) {
  ConvParams p;
  const Shape out = decode(node, inputs, p);
  QuantizedConvSetup s = make_quantized_conv(node, inputs, p, 0, p.out_channels);
  const DType type = inputs[0].type.dtype;
  Prepared prepared;
  prepared.outputs.push_back({type, out});
  prepared.kernel = reference::visit_quantized(type, [&](auto t) {
    return quantized_kernel<decltype(t)>(std::move(s), inputs[1], options);
  });
  return prepared;
}

}  // namespace

Prepared prepare_conv(const OpNode& node, std::span<const InputInfo> inputs,
                      const KernelOptions& options) {
  expect_input_count(inputs, 2, 3);
  if (reference::is_quantized_type(inputs[0].type.dtype)) {
    return prepare_quantized_conv(node, inputs, options);
  }
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
