// Integer BatchNormalization (inference, when the compiler did not fold it
// into a convolution). The float op is y = a[c] * x + b'[c] with
// a[c] = scale[c] / sqrt(var[c] + epsilon) and b'[c] = B[c] - mean[c] * a[c];
// with x = x_scale * (q - x_zp) and y = y_scale * (r - y_zp) it becomes, per channel c,
//
//   r = saturate(round(sign[c] * (q - x_zp) * M[c]) + offset[c])
//   M[c]      = x_scale * |a[c]| / y_scale            (a Multiplier, rounding half up)
//   sign[c]   = -1 when a[c] < 0, else +1
//   offset[c] = round_half_to_even(b'[c] / y_scale) + y_zp   (int32)
//
// a, b', M and offset are computed at prepare in double; run() is integer only.
// Memory-bound, so this loop is the fast path too. Parallel over N*C planes.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/reference/norm.h"
#include "rknn/sim/quant.h"

namespace rknn::sim::reference {

struct QuantizedBatchNorm {
  std::int32_t x_zero_point = 0;
  std::vector<Multiplier> multiplier;  // per channel
  std::vector<std::uint8_t> negate;    // per channel: a[c] < 0
  std::vector<std::int32_t> offset;    // per channel, output zero point included
  CodeRange range;                     // of the output type
};

template <class T>
void quantized_batch_norm(const NormShape& s, const QuantizedBatchNorm& q, const T* x, T* y,
                          ThreadPool& pool);

}  // namespace rknn::sim::reference
