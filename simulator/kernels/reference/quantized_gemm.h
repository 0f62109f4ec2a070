// Integer matrix product for Gemm and MatMul: the definition of their bytes.
// Output channels are the columns of C (the N axis), as ONNX lays out a
// fully connected layer. For each (i, j):
//
//   acc = sum over l of (a(i, l) - a_zp) * (b(l, j) - b_zp[j])   (exact, int64)
//   c   = stage.apply(acc + bias[j], j)
//
// The sum runs over l in order from zero; integer sums do not depend on the
// order, so any blocking or thread split gives the same bytes.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/reference/quantized_common.h"
#include "rknn/sim/thread_pool.h"

namespace rknn::sim::reference {

struct QuantizedGemmParams {
  std::int64_t m = 0, n = 0, k = 0;
  std::int32_t a_zero_point = 0;
  std::vector<std::int32_t> b_zero_point;  // one per column
  std::int64_t bias_stride = 1;            // 0: one bias value for every column
  OutputStage stage;                       // one multiplier per column
};

// bias: int32 per column (or one value when bias_stride is 0), or null.
// Parallel over rows.
template <class T>
void quantized_gemm(const QuantizedGemmParams& p, CodeMatrix<T> a, CodeMatrix<T> b,
                    const std::int32_t* bias, T* c, std::int64_t ldc, ThreadPool& pool);

}  // namespace rknn::sim::reference
