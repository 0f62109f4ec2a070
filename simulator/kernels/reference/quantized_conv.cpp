#include "kernels/reference/quantized_conv.h"

namespace rknn::sim::reference {
namespace {

// The exact sum of one forward-convolution output: input channels of the
// group, then kernel rows, then columns, skipping taps in the padding.
template <class T>
std::int64_t conv_point(const ConvParams& p, const T* x_group, const T* w_oc, std::int64_t x_zp,
                        std::int64_t w_zp, std::int64_t oh, std::int64_t ow) {
  std::int64_t acc = 0;
  for (std::int64_t c = 0; c < p.in_per_group(); ++c) {
    const T* xc = x_group + c * p.in_h * p.in_w;
    const T* wc = w_oc + c * p.kernel_h * p.kernel_w;
    for (std::int64_t kh = 0; kh < p.kernel_h; ++kh) {
      const std::int64_t ih = oh * p.stride_h - p.pad_top + kh * p.dilation_h;
      if (ih < 0 || ih >= p.in_h) continue;
      for (std::int64_t kw = 0; kw < p.kernel_w; ++kw) {
        const std::int64_t iw = ow * p.stride_w - p.pad_left + kw * p.dilation_w;
        if (iw < 0 || iw >= p.in_w) continue;
        acc += (xc[ih * p.in_w + iw] - x_zp) * (wc[kh * p.kernel_w + kw] - w_zp);
      }
    }
  }
  return acc;
}

// The exact sum of one transposed-convolution output: input (ih, iw) reaches
// oh = ih * stride - pad + kh * dilation, so only taps where that division is exact count.
template <class T>
std::int64_t conv_transpose_point(const ConvParams& p, const T* x_group, const T* w_group,
                                  std::int64_t x_zp, std::int64_t w_zp, std::int64_t ocg,
                                  std::int64_t oh, std::int64_t ow) {
  const std::int64_t kernel_size = p.kernel_h * p.kernel_w;
  std::int64_t acc = 0;
  for (std::int64_t c = 0; c < p.in_per_group(); ++c) {
    const T* xc = x_group + c * p.in_h * p.in_w;
    const T* wc = w_group + (c * p.out_per_group() + ocg) * kernel_size;
    for (std::int64_t kh = 0; kh < p.kernel_h; ++kh) {
      const std::int64_t th = oh + p.pad_top - kh * p.dilation_h;
      if (th < 0 || th % p.stride_h != 0 || th / p.stride_h >= p.in_h) continue;
      const std::int64_t ih = th / p.stride_h;
      for (std::int64_t kw = 0; kw < p.kernel_w; ++kw) {
        const std::int64_t tw = ow + p.pad_left - kw * p.dilation_w;
        if (tw < 0 || tw % p.stride_w != 0 || tw / p.stride_w >= p.in_w) continue;
        acc += (xc[ih * p.in_w + tw / p.stride_w] - x_zp) * (wc[kh * p.kernel_w + kw] - w_zp);
      }
    }
  }
  return acc;
}

// Every output, parallel over output planes: y = stage(point(...) + bias[oc], oc).
template <class T, class Point>
void for_each_output(const QuantizedConvParams& q, const T* x, const std::int32_t* bias, T* y,
                     ThreadPool& pool, Point point) {
  const ConvParams& p = q.geometry;
  const std::int64_t plane = p.out_h * p.out_w;
  pool.parallel_for(p.batch * p.out_channels, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const std::int64_t n = i / p.out_channels, oc = i % p.out_channels;
      const std::int64_t g = oc / p.out_per_group();
      const T* x_group = x + (n * p.in_channels + g * p.in_per_group()) * p.in_h * p.in_w;
      const std::int64_t b = bias ? bias[oc] : 0;
      T* y_plane = y + i * plane;
      for (std::int64_t oh = 0; oh < p.out_h; ++oh) {
        for (std::int64_t ow = 0; ow < p.out_w; ++ow) {
          const std::int64_t acc = point(x_group, g, oc, oh, ow) + b;
          y_plane[oh * p.out_w + ow] = static_cast<T>(q.stage.apply(acc, static_cast<std::size_t>(oc)));
        }
      }
    }
  });
}

}  // namespace

template <class T>
void quantized_conv(const QuantizedConvParams& q, const T* x, const T* w, const std::int32_t* bias,
                    T* y, ThreadPool& pool) {
  const ConvParams& p = q.geometry;
  const std::int64_t w_size = p.in_per_group() * p.kernel_h * p.kernel_w;
  for_each_output(q, x, bias, y, pool,
                  [&](const T* x_group, std::int64_t, std::int64_t oc, std::int64_t oh,
                      std::int64_t ow) {
                    return conv_point(p, x_group, w + oc * w_size, q.x_zero_point,
                                      q.w_zero_point[static_cast<std::size_t>(oc)], oh, ow);
                  });
}

template <class T>
void quantized_conv_transpose(const QuantizedConvParams& q, const T* x, const T* w,
                              const std::int32_t* bias, T* y, ThreadPool& pool) {
  const ConvParams& p = q.geometry;
  const std::int64_t w_group_size = p.in_per_group() * p.out_per_group() * p.kernel_h * p.kernel_w;
  for_each_output(q, x, bias, y, pool,
                  [&](const T* x_group, std::int64_t g, std::int64_t oc, std::int64_t oh,
                      std::int64_t ow) {
                    return conv_transpose_point(p, x_group, w + g * w_group_size, q.x_zero_point,
                                                q.w_zero_point[static_cast<std::size_t>(oc)],
                                                oc % p.out_per_group(), oh, ow);
                  });
}

#define RKNN_INSTANTIATE(T)                                                                   \
  template void quantized_conv<T>(const QuantizedConvParams&, const T*, const T*,             \
                                  const std::int32_t*, T*, ThreadPool&);                      \
  template void quantized_conv_transpose<T>(const QuantizedConvParams&, const T*, const T*,   \
                                            const std::int32_t*, T*, ThreadPool&);
RKNN_INSTANTIATE(std::uint8_t)
RKNN_INSTANTIATE(std::int8_t)
RKNN_INSTANTIATE(std::int16_t)
#undef RKNN_INSTANTIATE

}  // namespace rknn::sim::reference
