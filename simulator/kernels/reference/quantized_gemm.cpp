#include "kernels/reference/quantized_gemm.h"

namespace rknn::sim::reference {

template <class T>
void quantized_gemm(const QuantizedGemmParams& p, CodeMatrix<T> a, CodeMatrix<T> b,
                    const std::int32_t* bias, T* c, std::int64_t ldc, ThreadPool& pool) {
  const std::int64_t a_zp = p.a_zero_point;
  pool.parallel_for(p.m, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      for (std::int64_t j = 0; j < p.n; ++j) {
        const std::int64_t b_zp = p.b_zero_point[static_cast<std::size_t>(j)];
        std::int64_t acc = 0;
        for (std::int64_t l = 0; l < p.k; ++l) acc += (a.at(i, l) - a_zp) * (b.at(l, j) - b_zp);
        if (bias) acc += bias[j * p.bias_stride];
        c[i * ldc + j] = static_cast<T>(p.stage.apply(acc, static_cast<std::size_t>(j)));
      }
    }
  });
}

#define RKNN_INSTANTIATE(T)                                                                   \
  template void quantized_gemm<T>(const QuantizedGemmParams&, CodeMatrix<T>, CodeMatrix<T>,   \
                                  const std::int32_t*, T*, std::int64_t, ThreadPool&);
RKNN_INSTANTIATE(std::uint8_t)
RKNN_INSTANTIATE(std::int8_t)
RKNN_INSTANTIATE(std::int16_t)
#undef RKNN_INSTANTIATE

}  // namespace rknn::sim::reference
