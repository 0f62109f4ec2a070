#include "kernels/optimized/quantized_conv.h"

#include <algorithm>
#include <limits>
#include <span>
#include <vector>

#include "kernels/optimized/requantize.h"

namespace rknn::sim::optimized {
namespace {

using reference::ConvParams;

// Outside any image: a padded column of the last panel reads only zeros.
constexpr std::int64_t kNowhere = std::numeric_limits<std::int64_t>::min() / 4;

bool inside(std::int64_t v, std::int64_t size) {
  return static_cast<std::uint64_t>(v) < static_cast<std::uint64_t>(size);
}

// Packs columns [first, first + count) of one image and group's im2col
// matrix as offsets x - x_zp, 0 in the padding; depth rows in the weights'
// order (c, kh, kw), in the panel layout of quantized_gemm.h (depth pairs).
template <class T>
void pack_im2col(const ConvParams& p, const T* x_group, std::int32_t x_zp, std::int64_t first,
                 std::int64_t count, Offset<T>* out) {
  using P = Offset<T>;
  const std::int64_t depth = p.in_per_group() * p.kernel_h * p.kernel_w;
  const std::int64_t kp = qpadded_depth(depth);
  for (std::int64_t j0 = 0; j0 < count; j0 += kQTileCols) {
    std::int64_t ih0[kQTileCols], iw0[kQTileCols];
    for (std::int64_t j = 0; j < kQTileCols; ++j) {
      const std::int64_t pixel = first + j0 + j;
      const bool real = j0 + j < count;
      ih0[j] = real ? pixel / p.out_w * p.stride_h - p.pad_top : kNowhere;
      iw0[j] = real ? pixel % p.out_w * p.stride_w - p.pad_left : kNowhere;
    }
    P* panel = out + j0 * kp;
    std::int64_t l = 0;
    for (std::int64_t c = 0; c < p.in_per_group(); ++c) {
      const T* xc = x_group + c * p.in_h * p.in_w;
      for (std::int64_t kh = 0; kh < p.kernel_h; ++kh) {
        for (std::int64_t kw = 0; kw < p.kernel_w; ++kw, ++l) {
          const std::int64_t dh = kh * p.dilation_h, dw = kw * p.dilation_w;
          P* dst = panel + l / 2 * 2 * kQTileCols + l % 2;
          for (std::int64_t j = 0; j < kQTileCols; ++j) {
            const std::int64_t ih = ih0[j] + dh, iw = iw0[j] + dw;
            dst[2 * j] = inside(ih, p.in_h) && inside(iw, p.in_w)
                             ? static_cast<P>(xc[ih * p.in_w + iw] - x_zp)
                             : P{0};
          }
        }
      }
    }
    if (depth % 2 == 1) {  // the padding depth row
      P* dst = panel + depth / 2 * 2 * kQTileCols + 1;
      for (std::int64_t j = 0; j < kQTileCols; ++j) dst[2 * j] = 0;
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
QStoreFn<Acc> conv_store(const Requantizer& requantize, const std::int32_t* bias, T* y_group,
                         std::int64_t first_oc, std::int64_t pixels) {
  return [&requantize, bias, y_group, first_oc, pixels](std::int64_t r0, std::int64_t rows,
                                                        std::int64_t c0, std::int64_t cols,
                                                        const Acc* acc) {
    for (std::int64_t i = 0; i < rows; ++i) {
      const std::int64_t oc = first_oc + r0 + i;
      requantize.apply_row(acc + i * cols, bias ? bias[oc] : 0, static_cast<std::size_t>(oc), cols,
                           y_group + (r0 + i) * pixels + c0);
    }
  };
}

// One depthwise input plane as values of type P (offsets x - x_zp, or a
// part of them), padded with zeros on the left and right so that every tap of
// every output reads inside, and split by column phase (padded column c at
// [c % stride][c / stride]) so that a tap reads consecutive values for
// consecutive outputs whatever the stride.
template <class P>
class DepthwisePlane {
 public:
  explicit DepthwisePlane(const ConvParams& p)
      : p_(p), width_(((p.out_w - 1) * p.stride_w + (p.kernel_w - 1) * p.dilation_w) / p.stride_w + 1) {}

  // value(code) gives the stored value of an input code.
  template <class T, class F>
  void load(const T* xp, F value) {
    values_.resize(static_cast<std::size_t>(p_.in_h * p_.stride_w * width_));
    P* dst = values_.data();
    for (std::int64_t ih = 0; ih < p_.in_h; ++ih) {
      const T* src = xp + ih * p_.in_w;
      for (std::int64_t phase = 0; phase < p_.stride_w; ++phase, dst += width_) {
        // Value i reads input column i * stride + phase - pad_left: inside for i in [lo, hi).
        const std::int64_t first = phase - p_.pad_left;
        const std::int64_t lo = std::clamp<std::int64_t>((-first + p_.stride_w - 1) / p_.stride_w, 0, width_);
        const std::int64_t hi =
            std::clamp<std::int64_t>((p_.in_w - first + p_.stride_w - 1) / p_.stride_w, lo, width_);
        std::fill(dst, dst + lo, P{0});
        for (std::int64_t i = lo; i < hi; ++i) dst[i] = value(src[i * p_.stride_w + first]);
        std::fill(dst + hi, dst + width_, P{0});
      }
    }
  }

  // The values tap kw of input row ih gives outputs 0, 1, 2, ...
  const P* tap(std::int64_t ih, std::int64_t kw) const {
    const std::int64_t c = kw * p_.dilation_w;
    return values_.data() + (ih * p_.stride_w + c % p_.stride_w) * width_ + c / p_.stride_w;
  }

 private:
  const ConvParams& p_;
  std::int64_t width_;  // values per phase
  std::vector<P> values_;
};

// row[ow] += the products of output row oh's taps (skipping padding rows;
// padding columns read zeros). w: the kernel's weight offsets. With int16
// values and weights into int32 the loop vectorizes.
template <class P, class Acc>
void add_taps(const ConvParams& p, const DepthwisePlane<P>& x, const P* w, std::int64_t oh, Acc* row) {
  for (std::int64_t kh = 0; kh < p.kernel_h; ++kh) {
    const std::int64_t ih = oh * p.stride_h - p.pad_top + kh * p.dilation_h;
    if (!inside(ih, p.in_h)) continue;
    for (std::int64_t kw = 0; kw < p.kernel_w; ++kw) {
      const P wv = w[kh * p.kernel_w + kw];
      const P* xs = x.tap(ih, kw);
      for (std::int64_t ow = 0; ow < p.out_w; ++ow) {
        row[ow] += static_cast<Acc>(wv) * static_cast<Acc>(xs[ow]);
      }
    }
  }
}

// Kernel offsets w - w_zp of output channel oc into `out`; false when one
// does not fit in P.
template <class T, class P>
bool weight_offsets(const QuantizedConvParams& q, const T* w, std::int64_t oc, std::vector<P>& out) {
  const std::int64_t taps = q.geometry.kernel_h * q.geometry.kernel_w;
  const std::int32_t zp = q.w_zero_point[static_cast<std::size_t>(oc)];
  out.resize(static_cast<std::size_t>(taps));
  for (std::int64_t t = 0; t < taps; ++t) {
    const std::int32_t v = w[oc * taps + t] - zp;
    if (v < std::numeric_limits<P>::min() || v > std::numeric_limits<P>::max()) return false;
    out[static_cast<std::size_t>(t)] = static_cast<P>(v);
  }
  return true;
}

// The depthwise kernel's per-thread state: planes and row buffers.
template <class T, class Acc>
struct DepthwiseWork {
  const QuantizedConvParams& q;
  const Requantizer& requantize;
  DepthwisePlane<Offset<T>> plane;
  std::vector<Offset<T>> w;
  std::vector<Acc> row;
  // int16 codes, split form: x - x_zp = 256 * hi + lo (hi in [-256, 255], lo
  // in [0, 255]) against int16 weight offsets: each product is below 2^23
  // in magnitude, so up to 255 taps sum exactly in int32 rows. The planes
  // allocate on first use.
  DepthwisePlane<std::int16_t> hi, lo;
  std::vector<std::int16_t> w16;
  std::vector<std::int32_t> hi_row, lo_row;

  DepthwiseWork(const QuantizedConvParams& params, const Requantizer& r)
      : q(params),
        requantize(r),
        plane(params.geometry),
        row(static_cast<std::size_t>(params.geometry.out_w)),
        hi(params.geometry),
        lo(params.geometry),
        hi_row(sizeof(T) == 2 ? row.size() : 0),
        lo_row(sizeof(T) == 2 ? row.size() : 0) {}

  bool split_fits(const T* w_all, std::int64_t oc) {
    return sizeof(T) == 2 && q.geometry.kernel_h * q.geometry.kernel_w <= 255 &&
           weight_offsets(q, w_all, oc, w16);
  }

  // Output plane (n, oc) from its input plane xp.
  void run(const T* xp, const T* w_all, std::int64_t oc, std::int64_t bias, T* yp) {
    const ConvParams& p = q.geometry;
    const std::int32_t x_zp = q.x_zero_point;
    const auto channel = static_cast<std::size_t>(oc);
    if (split_fits(w_all, oc)) {
      hi.load(xp, [x_zp](T c) { return static_cast<std::int16_t>((c - x_zp) >> 8); });
      lo.load(xp, [x_zp](T c) { return static_cast<std::int16_t>((c - x_zp) & 0xff); });
      for (std::int64_t oh = 0; oh < p.out_h; ++oh) {
        std::fill(hi_row.begin(), hi_row.end(), 0);
        std::fill(lo_row.begin(), lo_row.end(), 0);
        add_taps(p, hi, w16.data(), oh, hi_row.data());
        add_taps(p, lo, w16.data(), oh, lo_row.data());
        for (std::size_t i = 0; i < row.size(); ++i) row[i] = static_cast<Acc>(hi_row[i]) * 256 + lo_row[i];
        requantize.apply_row(row.data(), bias, channel, p.out_w, yp + oh * p.out_w);
      }
      return;
    }
    weight_offsets(q, w_all, oc, w);  // Offset<T> holds every offset
    plane.load(xp, [x_zp](T c) { return static_cast<Offset<T>>(c - x_zp); });
    for (std::int64_t oh = 0; oh < p.out_h; ++oh) {
      std::fill(row.begin(), row.end(), Acc{0});
      add_taps(p, plane, w.data(), oh, row.data());
      requantize.apply_row(row.data(), bias, channel, p.out_w, yp + oh * p.out_w);
    }
  }
};

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
  const Requantizer requantize(q.stage);
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
          conv_store<T, Acc>(requantize, bias, y + (n * p.out_channels + g * mg) * pixels, g * mg, pixels);
      qgemm<P, Acc>(mg, pixels, depth, a, b, store, &pool);
    }
  }
}

template <class T, class Acc>
void quantized_conv_depthwise(const QuantizedConvParams& q, const T* x, const T* w,
                              const std::int32_t* bias, T* y, ThreadPool& pool) {
  const ConvParams& p = q.geometry;
  const Requantizer requantize(q.stage);
  pool.parallel_for(p.batch * p.out_channels, 1, [&](std::int64_t begin, std::int64_t end) {
    DepthwiseWork<T, Acc> work(q, requantize);
    for (std::int64_t i = begin; i < end; ++i) {
      const std::int64_t n = i / p.out_channels, oc = i % p.out_channels;
      const std::int64_t ic = oc / p.out_per_group();
      work.run(x + (n * p.in_channels + ic) * p.in_h * p.in_w, w, oc, bias ? bias[oc] : 0,
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
