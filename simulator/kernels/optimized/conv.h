// Fast convolutions. General Conv runs as a GEMM per (image, group):
// packed weights [out_per_group x in_per_group*kh*kw] times an im2col matrix
// that is packed straight into B panels block by block (a 1x1 stride-1 conv
// reads the input itself). Depthwise conv has a direct kernel. ConvTranspose
// is a GEMM into columns followed by col2im.
#pragma once

#include <vector>

#include "kernels/reference/conv.h"

namespace rknn::sim::optimized {

using reference::ConvParams;

// group == in_channels == ... one input channel per group (any depth multiplier).
bool is_depthwise(const ConvParams& p);

// Conv weights as GEMM A panels, one block per group (for constant weights).
std::vector<float> pack_conv_weights(const ConvParams& p, const float* w);

// packed_w: from pack_conv_weights, or null to pack w while running.
void conv_gemm(const ConvParams& p, const float* x, const float* w, const float* packed_w,
               const float* bias, float* y, ThreadPool& pool);

void conv_depthwise(const ConvParams& p, const float* x, const float* w, const float* bias,
                    float* y, ThreadPool& pool);

// ConvTranspose weights as GEMM A panels (W^T per group).
std::vector<float> pack_conv_transpose_weights(const ConvParams& p, const float* w);

void conv_transpose(const ConvParams& p, const float* x, const float* w, const float* packed_w,
                    const float* bias, float* y, ThreadPool& pool);

}  // namespace rknn::sim::optimized
