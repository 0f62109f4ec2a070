// Fast integer convolutions, byte-identical to reference::quantized_conv.
// General Conv is a GEMM per (image, group) on kernels/optimized/quantized_gemm.h:
// packed weight offsets (w - w_zp[c]) times im2col panels of input offsets
// (x - x_zp, 0 in the padding). Depthwise Conv has a direct kernel that
// accumulates each output row over the taps from a zero-padded plane of
// offsets split by stride phase. Both finish every sum with the reference's
// OutputStage rule (optimized::Requantizer).
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/optimized/quantized_gemm.h"
#include "kernels/reference/quantized_conv.h"

namespace rknn::sim::optimized {

using reference::QuantizedConvParams;

// Weight offsets as GEMM A panels, one block per group (constant weights).
template <class T>
std::vector<Offset<T>> qpack_conv_weights(const QuantizedConvParams& p, const T* w);

// packed_w: from qpack_conv_weights, or null to pack w while running.
// Acc: int32 (8-bit codes whose sums fit, see ops::fits_int32) or int64.
template <class T, class Acc>
void quantized_conv_gemm(const QuantizedConvParams& p, const T* x, const T* w,
                         const Offset<T>* packed_w, const std::int32_t* bias, T* y,
                         ThreadPool& pool);

template <class T, class Acc>
void quantized_conv_depthwise(const QuantizedConvParams& p, const T* x, const T* w,
                              const std::int32_t* bias, T* y, ThreadPool& pool);

}  // namespace rknn::sim::optimized
