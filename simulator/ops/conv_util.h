// The parts of decoding Conv and ConvTranspose that are the same for both:
// X and W differ only in which W axis holds the output channels, and both
// take the same window attributes and the same optional per-channel bias B.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "kernels/reference/conv.h"
#include "kernels/reference/window.h"
#include "rknn/sim/op.h"

namespace rknn::sim::ops {

// Checks that W has the rank of X, reads `group` (>= 1) and fills batch and
// in_channels. Each op then checks W's channel axes its own way.
void read_group(const OpNode& node, const InputInfo& x, const InputInfo& w,
                reference::ConvParams& p);

// The window attributes; kernel_shape defaults to W's spatial shape and must
// match it when given.
reference::WindowAttrs read_conv_window(const OpNode& node, const InputInfo& w,
                                        std::size_t spatial_rank);

// Checks the optional input 2, B: one float per output channel.
void check_bias(std::span<const InputInfo> inputs, std::int64_t out_channels);

// B's data at run time, or null when the node has none.
const float* bias_of(std::span<const Tensor* const> in);

// y = f(x, w, bias): the reference loops and the depthwise kernel.
using ConvFn = void (*)(const reference::ConvParams& p, const float* x, const float* w,
                        const float* bias, float* y, ThreadPool& pool);
std::unique_ptr<Kernel> make_conv_kernel(const reference::ConvParams& p, ConvFn run);

// The GEMM kernels: constant weights (the usual case) are packed into GEMM
// panels once here; run() gets null and packs per call when W is a runtime input.
using PackWeightsFn = std::vector<float> (*)(const reference::ConvParams& p, const float* w);
using PackedConvFn = void (*)(const reference::ConvParams& p, const float* x, const float* w,
                              const float* packed_w, const float* bias, float* y, ThreadPool& pool);
std::unique_ptr<Kernel> make_packed_conv_kernel(const reference::ConvParams& p, const InputInfo& w,
                                                PackWeightsFn pack, PackedConvFn run);

}  // namespace rknn::sim::ops
