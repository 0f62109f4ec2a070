#include "kernels/reference/quantized_linear.h"

#include <cmath>
#include <limits>

namespace rknn::sim::reference {
namespace {

template <class T>
T quantize_one(float x, float scale, std::int64_t zp) {
  const float r = std::nearbyint(x / scale);  // default rounding mode: half to even
  if (std::isnan(r)) return static_cast<T>(zp);
  const double v = static_cast<double>(r) + static_cast<double>(zp);
  constexpr double lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  if (v <= lo) return std::numeric_limits<T>::min();
  if (v >= hi) return std::numeric_limits<T>::max();
  return static_cast<T>(v);
}

// Calls f(row, channel) for every [inner] row of the layout, parallel over rows.
template <class F>
void for_each_row(const AxisLayout& l, ThreadPool& pool, F f) {
  pool.parallel_for(l.outer * l.channels, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t r = begin; r < end; ++r) f(r, r % l.channels);
  });
}

}  // namespace

template <class T>
void quantize_linear(const AxisLayout& l, const float* x, const float* scale, const T* zp, T* y,
                     ThreadPool& pool) {
  for_each_row(l, pool, [&](std::int64_t r, std::int64_t c) {
    const float s = scale[c];
    const std::int64_t z = zp ? zp[c] : 0;
    for (std::int64_t j = 0; j < l.inner; ++j) y[r * l.inner + j] = quantize_one<T>(x[r * l.inner + j], s, z);
  });
}

template <class T>
void dequantize_linear(const AxisLayout& l, const T* x, const float* scale, const T* zp, float* y,
                       ThreadPool& pool) {
  for_each_row(l, pool, [&](std::int64_t r, std::int64_t c) {
    const float s = scale[c];
    const std::int64_t z = zp ? zp[c] : 0;
    for (std::int64_t j = 0; j < l.inner; ++j) {
      y[r * l.inner + j] = static_cast<float>(x[r * l.inner + j] - z) * s;
    }
  });
}

#define RKNN_INSTANTIATE_Q(T)                                                                  \
  template void quantize_linear<T>(const AxisLayout&, const float*, const float*, const T*, T*, \
                                   ThreadPool&);
#define RKNN_INSTANTIATE_D(T)                                                                  \
  template void dequantize_linear<T>(const AxisLayout&, const T*, const float*, const T*,      \
                                     float*, ThreadPool&);
RKNN_INSTANTIATE_Q(std::uint8_t)
RKNN_INSTANTIATE_Q(std::int8_t)
RKNN_INSTANTIATE_Q(std::int16_t)
RKNN_INSTANTIATE_D(std::uint8_t)
RKNN_INSTANTIATE_D(std::int8_t)
RKNN_INSTANTIATE_D(std::int16_t)
RKNN_INSTANTIATE_D(std::int32_t)
#undef RKNN_INSTANTIATE_Q
#undef RKNN_INSTANTIATE_D

}  // namespace rknn::sim::reference
