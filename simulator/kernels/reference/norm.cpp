#include "kernels/reference/norm.h"

#include <algorithm>
#include <cmath>

namespace rknn::sim::reference {

NormShape norm_shape(std::span<const std::int64_t> shape) {
  NormShape s{shape[0], shape[1], 1};
  for (std::size_t i = 2; i < shape.size(); ++i) s.plane *= shape[i];
  return s;
}

void batch_norm(const NormShape& s, const float* x, const float* scale, const float* bias,
                const float* mean, const float* var, float epsilon, float* y, ThreadPool& pool) {
  pool.parallel_for(s.batch * s.channels, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const std::int64_t c = i % s.channels;
      const float a = scale[c] / std::sqrt(var[c] + epsilon);
      const float m = mean[c], b = bias[c];
      const float* xp = x + i * s.plane;
      float* yp = y + i * s.plane;
      for (std::int64_t j = 0; j < s.plane; ++j) yp[j] = (xp[j] - m) * a + b;
    }
  });
}

void instance_norm(const NormShape& s, const float* x, const float* scale, const float* bias,
                   float epsilon, float* y, ThreadPool& pool) {
  pool.parallel_for(s.batch * s.channels, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const std::int64_t c = i % s.channels;
      const float* xp = x + i * s.plane;
      float* yp = y + i * s.plane;
      // Double sums keep large planes accurate; the order is fixed, so still deterministic.
      double sum = 0.0;
      for (std::int64_t j = 0; j < s.plane; ++j) sum += xp[j];
      const double mean = s.plane > 0 ? sum / static_cast<double>(s.plane) : 0.0;
      double squares = 0.0;
      for (std::int64_t j = 0; j < s.plane; ++j) squares += (xp[j] - mean) * (xp[j] - mean);
      const double variance = s.plane > 0 ? squares / static_cast<double>(s.plane) : 0.0;
      const auto a = static_cast<float>(scale[c] / std::sqrt(variance + epsilon));
      const auto m = static_cast<float>(mean);
      for (std::int64_t j = 0; j < s.plane; ++j) yp[j] = (xp[j] - m) * a + bias[c];
    }
  });
}

void lrn(const NormShape& s, const LrnParams& p, const float* x, float* y, ThreadPool& pool) {
  const std::int64_t before = (p.size - 1) / 2, after = p.size - 1 - before;
  const float scale = p.alpha / static_cast<float>(p.size);
  constexpr std::int64_t kChunk = 64;  // spatial values summed together across channels
  pool.parallel_for(s.batch * s.channels, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const std::int64_t c = i % s.channels;
      const std::int64_t c0 = std::max<std::int64_t>(0, c - before);
      const std::int64_t c1 = std::min(s.channels - 1, c + after);
      const float* image = x + (i - c) * s.plane;
      for (std::int64_t j0 = 0; j0 < s.plane; j0 += kChunk) {
        const std::int64_t count = std::min(kChunk, s.plane - j0);
        float sq[kChunk] = {};
        for (std::int64_t k = c0; k <= c1; ++k) {
          const float* xk = image + k * s.plane + j0;
          for (std::int64_t j = 0; j < count; ++j) sq[j] += xk[j] * xk[j];
        }
        const float* xp = x + i * s.plane + j0;
        float* yp = y + i * s.plane + j0;
        for (std::int64_t j = 0; j < count; ++j)
          yp[j] = xp[j] / std::pow(p.bias + scale * sq[j], p.beta);
      }
    }
  });
}

}  // namespace rknn::sim::reference
