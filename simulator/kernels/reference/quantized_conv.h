// Integer Conv and ConvTranspose: the definition of their bytes. Layout and
// geometry are those of the float kernels (kernels/reference/conv.h). For
// output channel c:
//
//   acc = sum over taps inside the input of (x - x_zp) * (w - w_zp[c])   (exact)
//   y   = stage.apply(acc + bias[c], c)
//
// A tap in the padding holds real 0, i.e. the code x_zp, whose term is 0, so
// skipping it is exact. Sums are formed in int64, which holds the exact sum
// of any realistic layer; the int32 accumulators of the contract give the
// same value whenever the sum fits (checked by the fast path, see
// ops::fits_int32).
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/reference/conv.h"
#include "kernels/reference/quantized_common.h"

namespace rknn::sim::reference {

struct QuantizedConvParams {
  ConvParams geometry;  // its activation is unused: the stage holds the clamp
  std::int32_t x_zero_point = 0;
  std::vector<std::int32_t> w_zero_point;  // one per output channel
  OutputStage stage;                       // one multiplier per output channel
};

// bias: int32 per output channel, or null.
template <class T>
void quantized_conv(const QuantizedConvParams& p, const T* x, const T* w, const std::int32_t* bias,
                    T* y, ThreadPool& pool);

template <class T>
void quantized_conv_transpose(const QuantizedConvParams& p, const T* x, const T* w,
                              const std::int32_t* bias, T* y, ThreadPool& pool);

}  // namespace rknn::sim::reference
