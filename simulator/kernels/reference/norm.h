// Normalization loops: BatchNormalization (inference), InstanceNormalization,
// LRN. Memory-bound single passes, so they are the fast path too. Tensors are
// [N, C, spatial...] with `plane` spatial values per (n, c). Parallel over planes.
#pragma once

#include <cstdint>
#include <span>

#include "rknn/sim/thread_pool.h"

namespace rknn::sim::reference {

struct NormShape {
  std::int64_t batch = 1;
  std::int64_t channels = 1;
  std::int64_t plane = 1;
};

// The NormShape of a tensor of rank >= 2: plane is the product of the axes after C.
NormShape norm_shape(std::span<const std::int64_t> shape);

// y = (x - mean[c]) * (scale[c] / sqrt(var[c] + epsilon)) + bias[c]
void batch_norm(const NormShape& s, const float* x, const float* scale, const float* bias,
                const float* mean, const float* var, float epsilon, float* y, ThreadPool& pool);

// Per (n, c) plane: y = (x - mean) * (scale[c] / sqrt(variance + epsilon)) + bias[c],
// with the plane's mean and (biased) variance summed in double.
void instance_norm(const NormShape& s, const float* x, const float* scale, const float* bias,
                   float epsilon, float* y, ThreadPool& pool);

struct LrnParams {
  float alpha = 0.0001f;
  float beta = 0.75f;
  float bias = 1.0f;
  std::int64_t size = 1;
};

// y = x / (bias + alpha / size * square_sum)^beta, square_sum over channels
// [c - floor((size - 1) / 2), c + ceil((size - 1) / 2)] clipped to [0, C).
void lrn(const NormShape& s, const LrnParams& p, const float* x, float* y, ThreadPool& pool);

}  // namespace rknn::sim::reference
