// Integer pooling (NCHW, the geometry of kernels/reference/pool.h). Like the
// float pools, these loops are also the fast path. Parallel over N*C planes.
//
// MaxPool / GlobalMaxPool compare codes directly (scale > 0 keeps the order),
// so output and input share their parameters.
//
// AveragePool / GlobalAveragePool, per output:
//   s    = sum over taps inside the input of (x - x_zp)      (exact, int64)
//   mean = s / count, rounded half away from zero            (integer division)
//   y    = saturate(round(mean * M) + y_zp)                  M = x_scale / y_scale
// Padding holds real 0 (code x_zp), so it adds nothing to s and only the
// divisor depends on count_include_pad. When the output parameters equal the
// input's, M = 1 and round(mean * M) = mean.
#pragma once

#include <cstdint>

#include "kernels/reference/pool.h"
#include "rknn/sim/quant.h"

namespace rknn::sim::reference {

struct QuantizedAverage {
  std::int32_t x_zero_point = 0;
  std::int32_t y_zero_point = 0;
  Multiplier multiplier;  // x_scale / y_scale
  CodeRange range;        // of the output type
};

// round(s / count), halves away from zero; count > 0.
std::int64_t divide_rounding_away(std::int64_t s, std::int64_t count);

// The output code of a window or plane whose offsets from x_zp sum to s over `count` values.
inline std::int64_t average_code(const QuantizedAverage& q, std::int64_t s, std::int64_t count) {
  const std::int64_t mean = count > 0 ? divide_rounding_away(s, count) : 0;
  return saturate(apply_multiplier(mean, q.multiplier) + q.y_zero_point, q.range);
}

template <class T>
void quantized_max_pool(const PoolParams& p, const T* x, T* y, std::int64_t* indices,
                        ThreadPool& pool);

template <class T>
void quantized_average_pool(const PoolParams& p, const QuantizedAverage& q, const T* x, T* y,
                            ThreadPool& pool);

template <class T>
void quantized_global_max_pool(std::int64_t planes, std::int64_t plane_size, const T* x, T* y,
                               ThreadPool& pool);

template <class T>
void quantized_global_average_pool(std::int64_t planes, std::int64_t plane_size,
                                   const QuantizedAverage& q, const T* x, T* y, ThreadPool& pool);

}  // namespace rknn::sim::reference
