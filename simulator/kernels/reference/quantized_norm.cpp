#include "kernels/reference/quantized_norm.h"

namespace rknn::sim::reference {

template <class T>
void quantized_batch_norm(const NormShape& s, const QuantizedBatchNorm& q, const T* x, T* y,
                          ThreadPool& pool) {
  const std::int64_t x_zp = q.x_zero_point;
  pool.parallel_for(s.batch * s.channels, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const auto c = static_cast<std::size_t>(i % s.channels);
      const Multiplier m = q.multiplier[c];
      const bool negate = q.negate[c] != 0;
      const std::int64_t offset = q.offset[c];
      const T* xp = x + i * s.plane;
      T* yp = y + i * s.plane;
      for (std::int64_t j = 0; j < s.plane; ++j) {
        const std::int64_t d = xp[j] - x_zp;
        yp[j] = static_cast<T>(saturate(apply_multiplier(negate ? -d : d, m) + offset, q.range));
      }
    }
  });
}

template void quantized_batch_norm<std::uint8_t>(const NormShape&, const QuantizedBatchNorm&,
                                                 const std::uint8_t*, std::uint8_t*, ThreadPool&);
template void quantized_batch_norm<std::int8_t>(const NormShape&, const QuantizedBatchNorm&,
                                                const std::int8_t*, std::int8_t*, ThreadPool&);
template void quantized_batch_norm<std::int16_t>(const NormShape&, const QuantizedBatchNorm&,
                                                 const std::int16_t*, std::int16_t*, ThreadPool&);

}  // namespace rknn::sim::reference
