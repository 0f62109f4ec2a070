// QuantizeLinear and DequantizeLinear (ONNX opset 13+ semantics), per tensor
// or per axis. These come from pre-quantized ONNX models, so they follow ONNX
// exactly rather than the symmetric DFP ranges of docs/quantization.md:
//
//   QuantizeLinear:   y = saturate(round_half_to_even(x / scale) + zp)
//                     x / scale is a float32 division (as the ONNX reference
//                     computes it); NaN gives zp; the range is the full storage
//                     range: uint8 0..255, int8 -128..127, int16 -32768..32767.
//   DequantizeLinear: y = float(x - zp) * scale   (integer subtraction, one float
//                     multiplication, so the result is the correctly rounded product)
//
// A tensor is viewed as [outer, channels, inner] around the quantization axis
// (channels = 1 per tensor); scale and zp hold `channels` values.
#pragma once

#include <cstdint>

#include "rknn/sim/thread_pool.h"

namespace rknn::sim::reference {

struct AxisLayout {
  std::int64_t outer = 1, channels = 1, inner = 1;
};

// zp may be null (zero point 0). T: uint8, int8, int16.
template <class T>
void quantize_linear(const AxisLayout& l, const float* x, const float* scale, const T* zp, T* y,
                     ThreadPool& pool);

// T: uint8, int8, int16, int32.
template <class T>
void dequantize_linear(const AxisLayout& l, const T* x, const float* scale, const T* zp, float* y,
                       ThreadPool& pool);

}  // namespace rknn::sim::reference
