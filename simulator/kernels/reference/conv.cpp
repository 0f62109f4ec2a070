#include "kernels/reference/conv.h"

namespace rknn::sim::reference {
namespace {

// One output value of a forward convolution: the sum runs over the input
// channels of the group, then kernel rows, then kernel columns, skipping taps
// that fall in the padding.
float conv_point(const ConvParams& p, const float* x_group, const float* w_oc, std::int64_t oh,
                 std::int64_t ow) {
  float acc = 0.0f;
  for (std::int64_t c = 0; c < p.in_per_group(); ++c) {
    const float* xc = x_group + c * p.in_h * p.in_w;
    const float* wc = w_oc + c * p.kernel_h * p.kernel_w;
    for (std::int64_t kh = 0; kh < p.kernel_h; ++kh) {
      const std::int64_t ih = oh * p.stride_h - p.pad_top + kh * p.dilation_h;
      if (ih < 0 || ih >= p.in_h) continue;
      for (std::int64_t kw = 0; kw < p.kernel_w; ++kw) {
        const std::int64_t iw = ow * p.stride_w - p.pad_left + kw * p.dilation_w;
        if (iw < 0 || iw >= p.in_w) continue;
        acc += xc[ih * p.in_w + iw] * wc[kh * p.kernel_w + kw];
      }
    }
  }
  return acc;
}

// One output value of a transposed convolution: input (ih, iw) reaches output
// oh = ih * stride - pad + kh * dilation, so only taps where that division is exact count.
float conv_transpose_point(const ConvParams& p, const float* x_group, const float* w_group,
                           std::int64_t ocg, std::int64_t oh, std::int64_t ow) {
  const std::int64_t kernel_size = p.kernel_h * p.kernel_w;
  float acc = 0.0f;
  for (std::int64_t c = 0; c < p.in_per_group(); ++c) {
    const float* xc = x_group + c * p.in_h * p.in_w;
    const float* wc = w_group + (c * p.out_per_group() + ocg) * kernel_size;
    for (std::int64_t kh = 0; kh < p.kernel_h; ++kh) {
      const std::int64_t th = oh + p.pad_top - kh * p.dilation_h;
      if (th < 0 || th % p.stride_h != 0 || th / p.stride_h >= p.in_h) continue;
      const std::int64_t ih = th / p.stride_h;
      for (std::int64_t kw = 0; kw < p.kernel_w; ++kw) {
        const std::int64_t tw = ow + p.pad_left - kw * p.dilation_w;
        if (tw < 0 || tw % p.stride_w != 0 || tw / p.stride_w >= p.in_w) continue;
        acc += xc[ih * p.in_w + tw / p.stride_w] * wc[kh * p.kernel_w + kw];
      }
    }
  }
  return acc;
}

// Every output of Conv or ConvTranspose, parallel over output planes:
// y = activation(point(x_group, g, oc, oh, ow) + bias[oc]), where x_group is
// the input channels of oc's group g.
template <class Point>
void for_each_output(const ConvParams& p, const float* x, const float* bias, float* y,
                     ThreadPool& pool, Point point) {
  const std::int64_t plane = p.out_h * p.out_w;
  pool.parallel_for(p.batch * p.out_channels, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const std::int64_t n = i / p.out_channels, oc = i % p.out_channels;
      const std::int64_t g = oc / p.out_per_group();
      const float* x_group = x + (n * p.in_channels + g * p.in_per_group()) * p.in_h * p.in_w;
      float* y_plane = y + i * plane;
      for (std::int64_t oh = 0; oh < p.out_h; ++oh) {
        for (std::int64_t ow = 0; ow < p.out_w; ++ow) {
          float v = point(x_group, g, oc, oh, ow);
          if (bias) v += bias[oc];
          y_plane[oh * p.out_w + ow] = p.activation.apply(v);
        }
      }
    }
  });
}

}  // namespace

void conv(const ConvParams& p, const float* x, const float* w, const float* bias, float* y,
          ThreadPool& pool) {
  const std::int64_t w_size = p.in_per_group() * p.kernel_h * p.kernel_w;
  for_each_output(p, x, bias, y, pool,
                  [&](const float* x_group, std::int64_t, std::int64_t oc, std::int64_t oh,
                      std::int64_t ow) { return conv_point(p, x_group, w + oc * w_size, oh, ow); });
}

void conv_transpose(const ConvParams& p, const float* x, const float* w, const float* bias,
                    float* y, ThreadPool& pool) {
  const std::int64_t w_group_size = p.in_per_group() * p.out_per_group() * p.kernel_h * p.kernel_w;
  for_each_output(p, x, bias, y, pool,
                  [&](const float* x_group, std::int64_t g, std::int64_t oc, std::int64_t oh,
                      std::int64_t ow) {
                    return conv_transpose_point(p, x_group, w + g * w_group_size,
                                                oc % p.out_per_group(), oh, ow);
                  });
}

}  // namespace rknn::sim::reference
