#include "kernels/reference/quantized_pool.h"

#include "kernels/reference/window.h"

namespace rknn::sim::reference {
namespace {

template <class T>
void max_pool_plane(const PoolParams& p, std::int64_t plane, const T* x, T* y,
                    std::int64_t* indices) {
  for (std::int64_t oh = 0; oh < p.out_h; ++oh) {
    const Range rh = taps_h(p, oh);
    for (std::int64_t ow = 0; ow < p.out_w; ++ow) {
      const Range rw = taps_w(p, ow);
      T best = 0;
      std::int64_t best_h = -1, best_w = -1;
      for (std::int64_t kh = rh.lo; kh < rh.hi; ++kh) {
        const std::int64_t ih = oh * p.stride_h - p.pad_top + kh * p.dilation_h;
        for (std::int64_t kw = rw.lo; kw < rw.hi; ++kw) {
          const std::int64_t iw = ow * p.stride_w - p.pad_left + kw * p.dilation_w;
          const T v = x[ih * p.in_w + iw];
          if (best_h < 0 || v > best) {  // the first maximum wins
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

template <class T>
void average_pool_plane(const PoolParams& p, const QuantizedAverage& q, const T* x, T* y) {
  const std::int64_t padded_h = p.in_h + p.pad_top + p.pad_bottom;
  const std::int64_t padded_w = p.in_w + p.pad_left + p.pad_right;
  const std::int64_t x_zp = q.x_zero_point;
  for (std::int64_t oh = 0; oh < p.out_h; ++oh) {
    const Range rh = taps_h(p, oh);
    for (std::int64_t ow = 0; ow < p.out_w; ++ow) {
      const Range rw = taps_w(p, ow);
      std::int64_t s = 0;
      for (std::int64_t kh = rh.lo; kh < rh.hi; ++kh) {
        const T* row = x + (oh * p.stride_h - p.pad_top + kh * p.dilation_h) * p.in_w;
        for (std::int64_t kw = rw.lo; kw < rw.hi; ++kw) {
          s += row[ow * p.stride_w - p.pad_left + kw * p.dilation_w] - x_zp;
        }
      }
      const std::int64_t count =
          p.count_include_pad ? padded_taps(oh * p.stride_h, p.dilation_h, padded_h, p.kernel_h) *
                                    padded_taps(ow * p.stride_w, p.dilation_w, padded_w, p.kernel_w)
                              : (rh.hi - rh.lo) * (rw.hi - rw.lo);
      y[oh * p.out_w + ow] = static_cast<T>(average_code(q, s, count));
    }
  }
}

}  // namespace

std::int64_t divide_rounding_away(std::int64_t s, std::int64_t count) {
  const std::int64_t magnitude = ((s < 0 ? -s : s) * 2 + count) / (2 * count);
  return s < 0 ? -magnitude : magnitude;
}

template <class T>
void quantized_max_pool(const PoolParams& p, const T* x, T* y, std::int64_t* indices,
                        ThreadPool& pool) {
  const std::int64_t in_size = p.in_h * p.in_w, out_size = p.out_h * p.out_w;
  pool.parallel_for(p.planes, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      max_pool_plane(p, i, x + i * in_size, y + i * out_size,
                     indices ? indices + i * out_size : nullptr);
    }
  });
}

template <class T>
void quantized_average_pool(const PoolParams& p, const QuantizedAverage& q, const T* x, T* y,
                            ThreadPool& pool) {
  const std::int64_t in_size = p.in_h * p.in_w, out_size = p.out_h * p.out_w;
  pool.parallel_for(p.planes, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i)
      average_pool_plane(p, q, x + i * in_size, y + i * out_size);
  });
}

template <class T>
void quantized_global_max_pool(std::int64_t planes, std::int64_t plane_size, const T* x, T* y,
                               ThreadPool& pool) {
  pool.parallel_for(planes, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const T* xp = x + i * plane_size;
      T best = plane_size > 0 ? xp[0] : T{0};
      for (std::int64_t j = 1; j < plane_size; ++j) best = xp[j] > best ? xp[j] : best;
      y[i] = best;
    }
  });
}

template <class T>
void quantized_global_average_pool(std::int64_t planes, std::int64_t plane_size,
                                   const QuantizedAverage& q, const T* x, T* y, ThreadPool& pool) {
  const std::int64_t x_zp = q.x_zero_point;
  pool.parallel_for(planes, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const T* xp = x + i * plane_size;
      std::int64_t s = 0;
      for (std::int64_t j = 0; j < plane_size; ++j) s += xp[j] - x_zp;
      y[i] = static_cast<T>(average_code(q, s, plane_size));
    }
  });
}

#define RKNN_INSTANTIATE(T)                                                                      \
  template void quantized_max_pool<T>(const PoolParams&, const T*, T*, std::int64_t*,            \
                                      ThreadPool&);                                              \
  template void quantized_average_pool<T>(const PoolParams&, const QuantizedAverage&, const T*,  \
                                          T*, ThreadPool&);                                      \
  template void quantized_global_max_pool<T>(std::int64_t, std::int64_t, const T*, T*,           \
                                             ThreadPool&);                                       \
  template void quantized_global_average_pool<T>(std::int64_t, std::int64_t,                     \
                                                 const QuantizedAverage&, const T*, T*,          \
                                                 ThreadPool&);
RKNN_INSTANTIATE(std::uint8_t)
RKNN_INSTANTIATE(std::int8_t)
RKNN_INSTANTIATE(std::int16_t)
#undef RKNN_INSTANTIATE

}  // namespace rknn::sim::reference
