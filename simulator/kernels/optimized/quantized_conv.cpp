#include "kernels/optimized/quantized_conv.h"

#include <algorithm>
#include <limits>
#include <span>

#include "kernels/reference/window.h"

namespace rknn::sim::optimized {
namespace {

using reference::ConvParams;
using reference::Range;
using reference::valid_range;

// Outside any image: a padded column of the last panel reads only zeros.
constexpr std::int64_t kNowhere = std::numeric_limits<std::int64_t>::min() / 4;

bool inside(std::int64_t v, std::int64_t size) {
  return static_cast<std::uint64_t>(v) < static_cast<std::uint64_t>(size);
}

// Packs columns [first, first + count) of one image and group's im2col
// matrix as offsets x - x_zp, 0 in the padding; rows in the weights' order (c, kh, kw).
template <class T>
void pack_im2col(const ConvParams& p, const T* x_group, std::int32_t x_zp, std::int64_t first,
                 std::int64_t count, Offset<T>* out) {
  using P = Offset<T>;
  const std::int64_t depth = p.in_per_group() * p.kernel_h * p.kernel_w;
  for (std::int64_t j0 = 0; j0 < count; j0 += kQTileCols) {
    std::int64_t ih0[kQTileCols], iw0[kQTileCols];
    for (std::int64_t j = 0; j < kQTileCols; ++j) {
      const std::int64_t pixel = first + j0 + j;
      const bool real = j0 + j < count;
      ih0[j] = real ? pixel / p.out_w * p.stride_h - p.pad_top : kNowhere;
      iw0[j] = real ? pixel % p.out_w * p.stride_w - p.pad_left : kNowhere;
    }
    P* dst = out + j0 * depth;
    for (std::int64_t c = 0; c < p.in_per_group(); ++c) {
      const T* xc = x_group + c * p.in_h * p.in_w;
      for (std::int64_t kh = 0; kh < p.kernel_h; ++kh) {
        for (std::int64_t kw = 0; kw < p.kernel_w; ++kw) {
          const std::int64_t dh = kh * p.dilation_h, dw = kw * p.dilation_w;
          for (std::int64_t j = 0; j < kQTileCols; ++j) {
            const std::int64_t ih = ih0[j] + dh, iw = iw0[j] + dw;
            dst[j] = inside(ih, p.in_h) && inside(iw, p.in_w)
                         ? static_cast<P>(xc[ih * p.in_w + iw] - x_zp)
                         : P{0};
          }
          dst += kQTileCols;
        }
      }
    }
  }
}

bool is_pointwise(const ConvParams& p) {
  return p.kernel_h == 1 && p.kernel_w == 1 && p.stride_h == 1 && p.stride_w == 1 &&
         p.pad_top == 0 && p.pad_left == 0 && p.out_h == p.in_h && p.out_w == p.in_w;
}

// The store of one GEMM block: rows are output channels first_oc + r0 + i,
// columns are pixels of their planes.
template <class T, class Acc>
QStoreFn<Acc> conv_store(const QuantizedConvParams& q, const std::int32_t* bias, T* y_group,
                         std::int64_t first_oc) {
  const std::int64_t pixels = q.geometry.out_h * q.geometry.out_w;
  return [&q, bias, y_group, first_oc, pixels](std::int64_t r0, std::int64_t rows, std::int64_t c0,
                                               std::int64_t cols, const Acc* acc) {
    for (std::int64_t i = 0; i < rows; ++i) {
      const std::int64_t oc = first_oc + r0 + i;
      const std::int64_t b = bias ? bias[oc] : 0;
      const auto channel = static_cast<std::size_t>(oc);
      T* dst = y_group + (r0 + i) * pixels + c0;
      const Acc* src = acc + i * cols;
      for (std::int64_t j = 0; j < cols; ++j) {
        dst[j] = static_cast<T>(q.stage.apply(static_cast<std::int64_t>(src[j]) + b, channel));
      }
    }
  };
}

// One depthwise output plane: each row accumulates over the taps in place
// (skipping the padding), then goes through the output stage.
template <class T, class Acc>
void depthwise_plane(const QuantizedConvParams& q, const T* xp, const T* wk, std::int64_t oc,
                     std::int64_t bias, Acc* row, T* yp) {
  const ConvParams& p = q.geometry;
  const Acc x_zp = q.x_zero_point;
  const Acc w_zp = q.w_zero_point[static_cast<std::size_t>(oc)];
  for (std::int64_t oh = 0; oh < p.out_h; ++oh) {
    std::fill_n(row, p.out_w, Acc{0});
    for (std::int64_t kh = 0; kh < p.kernel_h; ++kh) {
      const std::int64_t ih = oh * p.stride_h - p.pad_top + kh * p.dilation_h;
      if (!inside(ih, p.in_h)) continue;
      const T* xrow = xp + ih * p.in_w;
      for (std::int64_t kw = 0; kw < p.kernel_w; ++kw) {
        const Acc wv = static_cast<Acc>(wk[kh * p.kernel_w + kw]) - w_zp;
        const std::int64_t offset = kw * p.dilation_w - p.pad_left;
        const Range r = valid_range(offset, p.stride_w, p.in_w, p.out_w);
        for (std::int64_t ow = r.lo; ow < r.hi; ++ow)
          row[ow] += wv * (static_cast<Acc>(xrow[ow * p.stride_w + offset]) - x_zp);
      }
    }
    T* yrow = yp + oh * p.out_w;
    for (std::int64_t ow = 0; ow < p.out_w; ++ow) {
      yrow[ow] = static_cast<T>(q.stage.apply(static_cast<std::int64_t>(row[ow]) + bias,
                                              static_cast<std::size_t>(oc)));
    }
  }
}

}  // namespace

template <class T>
std::vector<Offset<T>> qpack_conv_weights(const QuantizedConvParams& q, const T* w) {
  const ConvParams& p = q.geometry;
  const std::int64_t mg = p.out_per_group(), depth = p.in_per_group() * p.kernel_h * p.kernel_w;
  const std::int64_t block = qpacked_a_size(mg, depth);
  std::vector<Offset<T>> packed(static_cast<std::size_t>(block * p.group));
  for (std::int64_t g = 0; g < p.group; ++g) {
    const std::span<const std::int32_t> zp(q.w_zero_point.data() + g * mg, static_cast<std::size_t>(mg));
    qpack_a<T>({w + g * mg * depth, depth, 1}, zp, 0, mg, depth, packed.data() + g * block);
  }
  return packed;
}

template <class T, class Acc>
void quantized_conv_gemm(const QuantizedConvParams& q, const T* x, const T* w,
                         const Offset<T>* packed_w, const std::int32_t* bias, T* y,
                         ThreadPool& pool) {
  using P = Offset<T>;
  const ConvParams& p = q.geometry;
  const std::int64_t cg = p.in_per_group(), mg = p.out_per_group();
  const std::int64_t depth = cg * p.kernel_h * p.kernel_w, pixels = p.out_h * p.out_w;
  const std::int32_t x_zp = q.x_zero_point;
  const std::span<const std::int32_t> x_zps(&q.x_zero_point, 1);
  const bool pointwise = is_pointwise(p);
  for (std::int64_t n = 0; n < p.batch; ++n) {
    for (std::int64_t g = 0; g < p.group; ++g) {
      const T* xg = x + (n * p.in_channels + g * cg) * p.in_h * p.in_w;
      const std::span<const std::int32_t> w_zps(q.w_zero_point.data() + g * mg,
                                                static_cast<std::size_t>(mg));
      const T* wg = w + g * mg * depth;
      QOperand<P> a;
      if (packed_w) {
        a.packed = packed_w + g * qpacked_a_size(mg, depth);
      } else {
        a.pack = [wg, w_zps, depth](std::int64_t first, std::int64_t count, P* out) {
          qpack_a<T>({wg, depth, 1}, w_zps, first, count, depth, out);
        };
      }
      QOperand<P> b;
      if (pointwise) {
        b.pack = [xg, x_zps, &p, depth](std::int64_t first, std::int64_t count, P* out) {
          qpack_b<T>({xg, p.in_h * p.in_w, 1}, x_zps, first, count, depth, out);
        };
      } else {
        b.pack = [&p, xg, x_zp](std::int64_t first, std::int64_t count, P* out) {
          pack_im2col(p, xg, x_zp, first, count, out);
        };
      }
      const QStoreFn<Acc> store =
          conv_store<T, Acc>(q, bias, y + (n * p.out_channels + g * mg) * pixels, g * mg);
      qgemm<P, Acc>(mg, pixels, depth, a, b, store, &pool);
    }
  }
}

template <class T, class Acc>
void quantized_conv_depthwise(const QuantizedConvParams& q, const T* x, const T* w,
                              const std::int32_t* bias, T* y, ThreadPool& pool) {
  const ConvParams& p = q.geometry;
  const std::int64_t kernel_size = p.kernel_h * p.kernel_w;
  pool.parallel_for(p.batch * p.out_channels, 1, [&](std::int64_t begin, std::int64_t end) {
    std::vector<Acc> row(static_cast<std::size_t>(p.out_w));
    for (std::int64_t i = begin; i < end; ++i) {
      const std::int64_t n = i / p.out_channels, oc = i % p.out_channels;
      const std::int64_t ic = oc / p.out_per_group();
      const T* xp = x + (n * p.in_channels + ic) * p.in_h * p.in_w;
      depthwise_plane<T, Acc>(q, xp, w + oc * kernel_size, oc, bias ? bias[oc] : 0, row.data(),
                              y + i * p.out_h * p.out_w);
    }
  });
}

#define RKNN_INSTANTIATE(T, Acc)                                                               \
  template void quantized_conv_gemm<T, Acc>(const QuantizedConvParams&, const T*, const T*,    \
                                            const Offset<T>*, const std::int32_t*, T*,         \
                                            ThreadPool&);                                      \
  template void quantized_conv_depthwise<T, Acc>(const QuantizedConvParams&, const T*,         \
                                                 const T*, const std::int32_t*, T*, ThreadPool&);
RKNN_INSTANTIATE(std::uint8_t, std::int32_t)
RKNN_INSTANTIATE(std::uint8_t, std::int64_t)
RKNN_INSTANTIATE(std::int8_t, std::int32_t)
RKNN_INSTANTIATE(std::int8_t, std::int64_t)
RKNN_INSTANTIATE(std::int16_t, std::int64_t)
#undef RKNN_INSTANTIATE

template std::vector<Offset<std::uint8_t>> qpack_conv_weights<std::uint8_t>(
    const QuantizedConvParams&, const std::uint8_t*);
template std::vector<Offset<std::int8_t>> qpack_conv_weights<std::int8_t>(
    const QuantizedConvParams&, const std::int8_t*);
template std::vector<Offset<std::int16_t>> qpack_conv_weights<std::int16_t>(
    const QuantizedConvParams&, const std::int16_t*);

}  // namespace rknn::sim::optimized
