// Plain matrix product with the epilogue Gemm and Conv share. The fast SGEMM
// (kernels/optimized/sgemm.h) takes the same views and epilogue.
#pragma once

#include <cstdint>

#include "ops/activation.h"
#include "rknn/sim/thread_pool.h"

namespace rknn::sim::reference {

// A strided read-only matrix: element (i, j) is data[i * row_stride + j * col_stride].
// Transposes are views with swapped strides; no copy is made.
struct MatrixView {
  const float* data = nullptr;
  std::int64_t row_stride = 0;
  std::int64_t col_stride = 1;

  float at(std::int64_t i, std::int64_t j) const { return data[i * row_stride + j * col_stride]; }
};

// What happens to each finished sum `acc` at (i, j) before it is stored:
//   activation(alpha * acc + beta * bias(i, j))      (the bias term only if bias.data)
// bias strides are 0 on broadcast axes (a per-row bias has col_stride 0).
struct Epilogue {
  float alpha = 1.0f;
  MatrixView bias;
  float beta = 1.0f;
  ops::Activation activation;

  float apply(float acc, std::int64_t i, std::int64_t j) const {
    float v = alpha * acc;
    if (bias.data) v += beta * bias.at(i, j);
    return activation.apply(v);
  }
};

// C[m x n] (row stride ldc) = epilogue(A[m x k] * B[k x n]); each sum runs
// over k in order from zero. Parallel over rows.
void gemm(std::int64_t m, std::int64_t n, std::int64_t k, MatrixView a, MatrixView b, float* c,
          std::int64_t ldc, const Epilogue& epilogue, ThreadPool& pool);

}  // namespace rknn::sim::reference
