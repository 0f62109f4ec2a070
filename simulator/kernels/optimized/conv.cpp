#include "kernels/optimized/conv.h"

#include <algorithm>
#include <limits>

#include "kernels/optimized/sgemm.h"
#include "kernels/reference/window.h"

namespace rknn::sim::optimized {
namespace {

using reference::Range;
using reference::valid_range;

// Outside any image: a padded column of the last panel reads only zeros.
constexpr std::int64_t kNowhere = std::numeric_limits<std::int64_t>::min() / 4;

bool inside(std::int64_t v, std::int64_t size) {
  return static_cast<std::uint64_t>(v) < static_cast<std::uint64_t>(size);
}

// Packs columns [first, first + count) of the im2col matrix of one image and
// group into B panels. Row (c, kh, kw) of column (oh, ow) holds
// x[c][oh * stride_h - pad_top + kh * dilation_h][ow * stride_w - pad_left + kw * dilation_w],
// zero in the padding; rows run in the same order as the weights.
void pack_im2col(const ConvParams& p, const float* x_group, std::int64_t first, std::int64_t count,
                 float* out) {
  const std::int64_t depth = p.in_per_group() * p.kernel_h * p.kernel_w;
  for (std::int64_t j0 = 0; j0 < count; j0 += kTileCols) {
    std::int64_t ih0[kTileCols], iw0[kTileCols];
    for (std::int64_t j = 0; j < kTileCols; ++j) {
      const std::int64_t pixel = first + j0 + j;
      const bool real = j0 + j < count;
      ih0[j] = real ? pixel / p.out_w * p.stride_h - p.pad_top : kNowhere;
      iw0[j] = real ? pixel % p.out_w * p.stride_w - p.pad_left : kNowhere;
    }
    float* dst = out + j0 * depth;
    for (std::int64_t c = 0; c < p.in_per_group(); ++c) {
      const float* xc = x_group + c * p.in_h * p.in_w;
      for (std::int64_t kh = 0; kh < p.kernel_h; ++kh) {
        for (std::int64_t kw = 0; kw < p.kernel_w; ++kw) {
          const std::int64_t dh = kh * p.dilation_h, dw = kw * p.dilation_w;
          for (std::int64_t j = 0; j < kTileCols; ++j) {
            const std::int64_t ih = ih0[j] + dh, iw = iw0[j] + dw;
            dst[j] = inside(ih, p.in_h) && inside(iw, p.in_w) ? xc[ih * p.in_w + iw] : 0.0f;
          }
          dst += kTileCols;
        }
      }
    }
  }
}

bool is_pointwise(const ConvParams& p) {
  return p.kernel_h == 1 && p.kernel_w == 1 && p.stride_h == 1 && p.stride_w == 1 &&
         p.pad_top == 0 && p.pad_left == 0 && p.out_h == p.in_h && p.out_w == p.in_w;
}

// The epilogue of `count` accumulated outputs of one channel: y = activation(y + bias).
// Without a bias nothing is added, as in the reference (-0.0f + 0.0f is +0.0f).
void add_bias_and_activate(const ConvParams& p, float* y, std::int64_t count, float bias,
                           bool has_bias) {
  if (has_bias) {
    for (std::int64_t i = 0; i < count; ++i) y[i] = p.activation.apply(y[i] + bias);
  } else if (p.activation.kind != ops::Activation::Kind::kNone) {
    for (std::int64_t i = 0; i < count; ++i) y[i] = p.activation.apply(y[i]);
  }
}

// One output plane of a depthwise conv. The row is accumulated in place over
// (kh, kw) in order, skipping taps in the padding, exactly like the reference.
void depthwise_plane(const ConvParams& p, const float* xp, const float* wk, float bias,
                     bool has_bias, float* yp) {
  for (std::int64_t oh = 0; oh < p.out_h; ++oh) {
    float* row = yp + oh * p.out_w;
    std::fill_n(row, p.out_w, 0.0f);
    for (std::int64_t kh = 0; kh < p.kernel_h; ++kh) {
      const std::int64_t ih = oh * p.stride_h - p.pad_top + kh * p.dilation_h;
      if (!inside(ih, p.in_h)) continue;
      const float* xrow = xp + ih * p.in_w;
      for (std::int64_t kw = 0; kw < p.kernel_w; ++kw) {
        const float wv = wk[kh * p.kernel_w + kw];
        const std::int64_t offset = kw * p.dilation_w - p.pad_left;
        const Range r = valid_range(offset, p.stride_w, p.in_w, p.out_w);
        if (p.stride_w == 1) {
          for (std::int64_t ow = r.lo; ow < r.hi; ++ow) row[ow] += wv * xrow[ow + offset];
        } else {
          for (std::int64_t ow = r.lo; ow < r.hi; ++ow)
            row[ow] += wv * xrow[ow * p.stride_w + offset];
        }
      }
    }
    add_bias_and_activate(p, row, p.out_w, bias, has_bias);
  }
}

// Scatters the GEMM columns of one output plane into it: column row
// (ocg, kh, kw) at input (ih, iw) lands on (ih * stride - pad + kh * dilation, ...).
// Contributions arrive in (kh, kw, ih, iw) order, fixed whatever the threads.
void col2im_plane(const ConvParams& p, const float* col, std::int64_t ocg, float bias,
                  bool has_bias, float* yp) {
  const std::int64_t in_pixels = p.in_h * p.in_w;
  std::fill_n(yp, p.out_h * p.out_w, 0.0f);
  for (std::int64_t kh = 0; kh < p.kernel_h; ++kh) {
    for (std::int64_t kw = 0; kw < p.kernel_w; ++kw) {
      const float* crow = col + ((ocg * p.kernel_h + kh) * p.kernel_w + kw) * in_pixels;
      const std::int64_t offset = kw * p.dilation_w - p.pad_left;
      const Range r = valid_range(offset, p.stride_w, p.out_w, p.in_w);
      for (std::int64_t ih = 0; ih < p.in_h; ++ih) {
        const std::int64_t oh = ih * p.stride_h - p.pad_top + kh * p.dilation_h;
        if (!inside(oh, p.out_h)) continue;
        float* yrow = yp + oh * p.out_w;
        const float* src = crow + ih * p.in_w;
        for (std::int64_t iw = r.lo; iw < r.hi; ++iw) yrow[iw * p.stride_w + offset] += src[iw];
      }
    }
  }
  add_bias_and_activate(p, yp, p.out_h * p.out_w, bias, has_bias);
}

}  // namespace

bool is_depthwise(const ConvParams& p) { return p.in_per_group() == 1; }

std::vector<float> pack_conv_weights(const ConvParams& p, const float* w) {
  const std::int64_t mg = p.out_per_group(), depth = p.in_per_group() * p.kernel_h * p.kernel_w;
  const std::int64_t block = packed_a_size(mg, depth);
  std::vector<float> packed(static_cast<std::size_t>(block * p.group));
  for (std::int64_t g = 0; g < p.group; ++g) {
    pack_a({w + g * mg * depth, depth, 1}, 0, mg, depth, packed.data() + g * block);
  }
  return packed;
}

void conv_gemm(const ConvParams& p, const float* x, const float* w, const float* packed_w,
               const float* bias, float* y, ThreadPool& pool) {
  const std::int64_t cg = p.in_per_group(), mg = p.out_per_group();
  const std::int64_t depth = cg * p.kernel_h * p.kernel_w, pixels = p.out_h * p.out_w;
  const bool pointwise = is_pointwise(p);
  Epilogue epilogue;
  epilogue.activation = p.activation;
  for (std::int64_t n = 0; n < p.batch; ++n) {
    for (std::int64_t g = 0; g < p.group; ++g) {
      const float* xg = x + (n * p.in_channels + g * cg) * p.in_h * p.in_w;
      float* yg = y + (n * p.out_channels + g * mg) * pixels;
      const GemmOperand a = packed_w ? prepacked(packed_w + g * packed_a_size(mg, depth))
                                     : a_operand({w + g * mg * depth, depth, 1}, depth);
      const GemmOperand b =
          pointwise
              ? b_operand({xg, p.in_h * p.in_w, 1}, depth)
              : GemmOperand{nullptr, [&p, xg](std::int64_t first, std::int64_t count, float* out) {
                              pack_im2col(p, xg, first, count, out);
                            }};
      epilogue.bias = bias ? MatrixView{bias + g * mg, 1, 0} : MatrixView{};
      sgemm(mg, pixels, depth, a, b, yg, pixels, epilogue, &pool);
    }
  }
}

void conv_depthwise(const ConvParams& p, const float* x, const float* w, const float* bias,
                    float* y, ThreadPool& pool) {
  const std::int64_t kernel_size = p.kernel_h * p.kernel_w;
  pool.parallel_for(p.batch * p.out_channels, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const std::int64_t n = i / p.out_channels, oc = i % p.out_channels;
      const std::int64_t ic = oc / p.out_per_group();
      const float* xp = x + (n * p.in_channels + ic) * p.in_h * p.in_w;
      depthwise_plane(p, xp, w + oc * kernel_size, bias ? bias[oc] : 0.0f, bias != nullptr,
                      y + i * p.out_h * p.out_w);
    }
  });
}

std::vector<float> pack_conv_transpose_weights(const ConvParams& p, const float* w) {
  const std::int64_t cg = p.in_per_group();
  const std::int64_t rows = p.out_per_group() * p.kernel_h * p.kernel_w;
  const std::int64_t block = packed_a_size(rows, cg);
  std::vector<float> packed(static_cast<std::size_t>(block * p.group));
  for (std::int64_t g = 0; g < p.group; ++g) {
    pack_a({w + g * cg * rows, 1, rows}, 0, rows, cg, packed.data() + g * block);
  }
  return packed;
}

void conv_transpose(const ConvParams& p, const float* x, const float* w, const float* packed_w,
                    const float* bias, float* y, ThreadPool& pool) {
  const std::int64_t cg = p.in_per_group(), mg = p.out_per_group();
  const std::int64_t rows = mg * p.kernel_h * p.kernel_w, in_pixels = p.in_h * p.in_w;
  // columns[(ocg, kh, kw)][input pixel] = sum over c of w[c][ocg][kh][kw] * x[c][pixel]
  std::vector<float> columns(static_cast<std::size_t>(rows * in_pixels));
  for (std::int64_t n = 0; n < p.batch; ++n) {
    for (std::int64_t g = 0; g < p.group; ++g) {
      const GemmOperand a = packed_w ? prepacked(packed_w + g * packed_a_size(rows, cg))
                                     : a_operand({w + g * cg * rows, 1, rows}, cg);
      const GemmOperand b =
          b_operand({x + (n * p.in_channels + g * cg) * in_pixels, in_pixels, 1}, cg);
      sgemm(rows, in_pixels, cg, a, b, columns.data(), in_pixels, Epilogue{}, &pool);
      pool.parallel_for(mg, 1, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t ocg = begin; ocg < end; ++ocg) {
          const std::int64_t oc = g * mg + ocg;
          col2im_plane(p, columns.data(), ocg, bias ? bias[oc] : 0.0f, bias != nullptr,
                       y + (n * p.out_channels + oc) * p.out_h * p.out_w);
        }
      });
    }
  }
}

}  // namespace rknn::sim::optimized
