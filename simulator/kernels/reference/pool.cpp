#include "kernels/reference/pool.h"

#include <limits>

#include "kernels/reference/window.h"

namespace rknn::sim::reference {

Range taps_h(const PoolParams& p, std::int64_t oh) {
  return valid_range(oh * p.stride_h - p.pad_top, p.dilation_h, p.in_h, p.kernel_h);
}
Range taps_w(const PoolParams& p, std::int64_t ow) {
  return valid_range(ow * p.stride_w - p.pad_left, p.dilation_w, p.in_w, p.kernel_w);
}

std::int64_t padded_taps(std::int64_t start, std::int64_t dilation, std::int64_t padded_size,
                         std::int64_t kernel) {
  const Range r = valid_range(start, dilation, padded_size, kernel);
  return r.hi - r.lo;
}

namespace {


void max_pool_plane(const PoolParams& p, std::int64_t plane, const float* x, float* y,
                    std::int64_t* indices) {
  for (std::int64_t oh = 0; oh < p.out_h; ++oh) {
    const Range rh = taps_h(p, oh);
    for (std::int64_t ow = 0; ow < p.out_w; ++ow) {
      const Range rw = taps_w(p, ow);
      float best = -std::numeric_limits<float>::infinity();
      std::int64_t best_h = -1, best_w = -1;
      for (std::int64_t kh = rh.lo; kh < rh.hi; ++kh) {
        const std::int64_t ih = oh * p.stride_h - p.pad_top + kh * p.dilation_h;
        for (std::int64_t kw = rw.lo; kw < rw.hi; ++kw) {
          const std::int64_t iw = ow * p.stride_w - p.pad_left + kw * p.dilation_w;
          const float v = x[ih * p.in_w + iw];
          if (v > best || best_h < 0) {  // the first maximum wins
            best = v;
            best_h = ih;
            best_w = iw;
          }
        }
      }
      const std::int64_t o = oh * p.out_w + ow;
      y[o] = best;
      if (indices) {
        const std::int64_t within =
            p.column_major_indices ? best_w * p.in_h + best_h : best_h * p.in_w + best_w;
        indices[o] = best_h < 0 ? -1 : plane * p.in_h * p.in_w + within;
      }
    }
  }
}

void average_pool_plane(const PoolParams& p, const float* x, float* y) {
  const std::int64_t padded_h = p.in_h + p.pad_top + p.pad_bottom;
  const std::int64_t padded_w = p.in_w + p.pad_left + p.pad_right;
  for (std::int64_t oh = 0; oh < p.out_h; ++oh) {
    const Range rh = taps_h(p, oh);
    for (std::int64_t ow = 0; ow < p.out_w; ++ow) {
      const Range rw = taps_w(p, ow);
      float sum = 0.0f;
      for (std::int64_t kh = rh.lo; kh < rh.hi; ++kh) {
        const float* row = x + (oh * p.stride_h - p.pad_top + kh * p.dilation_h) * p.in_w;
        for (std::int64_t kw = rw.lo; kw < rw.hi; ++kw) {
          sum += row[ow * p.stride_w - p.pad_left + kw * p.dilation_w];
        }
      }
      const std::int64_t count =
          p.count_include_pad ? padded_taps(oh * p.stride_h, p.dilation_h, padded_h, p.kernel_h) *
                                    padded_taps(ow * p.stride_w, p.dilation_w, padded_w, p.kernel_w)
                              : (rh.hi - rh.lo) * (rw.hi - rw.lo);
      y[oh * p.out_w + ow] = count > 0 ? sum / static_cast<float>(count) : 0.0f;
    }
  }
}

}  // namespace

void max_pool(const PoolParams& p, const float* x, float* y, std::int64_t* indices,
              ThreadPool& pool) {
  const std::int64_t in_size = p.in_h * p.in_w, out_size = p.out_h * p.out_w;
  pool.parallel_for(p.planes, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      max_pool_plane(p, i, x + i * in_size, y + i * out_size,
                     indices ? indices + i * out_size : nullptr);
    }
  });
}

void average_pool(const PoolParams& p, const float* x, float* y, ThreadPool& pool) {
  const std::int64_t in_size = p.in_h * p.in_w, out_size = p.out_h * p.out_w;
  pool.parallel_for(p.planes, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i)
      average_pool_plane(p, x + i * in_size, y + i * out_size);
  });
}

void global_max_pool(std::int64_t planes, std::int64_t plane_size, const float* x, float* y,
                     ThreadPool& pool) {
  pool.parallel_for(planes, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const float* xp = x + i * plane_size;
      float best = -std::numeric_limits<float>::infinity();
      for (std::int64_t j = 0; j < plane_size; ++j) best = xp[j] > best ? xp[j] : best;
      y[i] = best;
    }
  });
}

void global_average_pool(std::int64_t planes, std::int64_t plane_size, const float* x, float* y,
                         ThreadPool& pool) {
  pool.parallel_for(planes, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const float* xp = x + i * plane_size;
      float sum = 0.0f;
      for (std::int64_t j = 0; j < plane_size; ++j) sum += xp[j];
      y[i] = plane_size > 0 ? sum / static_cast<float>(plane_size) : 0.0f;
    }
  });
}

}  // namespace rknn::sim::reference
