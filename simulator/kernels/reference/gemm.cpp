#include "kernels/reference/gemm.h"

namespace rknn::sim::reference {

void gemm(std::int64_t m, std::int64_t n, std::int64_t k, MatrixView a, MatrixView b, float* c,
          std::int64_t ldc, const Epilogue& epilogue, ThreadPool& pool) {
  pool.parallel_for(m, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      for (std::int64_t j = 0; j < n; ++j) {
        float acc = 0.0f;
        for (std::int64_t l = 0; l < k; ++l) acc += a.at(i, l) * b.at(l, j);
        c[i * ldc + j] = epilogue.apply(acc, i, j);
      }
    }
  });
}

}  // namespace rknn::sim::reference
