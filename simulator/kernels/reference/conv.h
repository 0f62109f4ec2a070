// Plain convolution loops: the definition the fast kernels are checked against.
// Layout is NCHW; 1-D convolutions run as 2-D with a height of one.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ops/activation.h"
#include "rknn/sim/thread_pool.h"

namespace rknn::sim::reference {

// Parameters of a Conv or ConvTranspose node, decoded once at prepare.
// Conv:          x [batch, in_channels, in_h, in_w], w [out_channels, in_channels/group, kh, kw]
// ConvTranspose: x [batch, in_channels, in_h, in_w], w [in_channels, out_channels/group, kh, kw]
// y is [batch, out_channels, out_h, out_w]; pad_top/pad_left are the begin pads.
struct ConvParams {
  std::int64_t batch = 1;
  std::int64_t group = 1;
  std::int64_t in_channels = 1;
  std::int64_t out_channels = 1;
  std::int64_t in_h = 1, in_w = 1;
  std::int64_t out_h = 1, out_w = 1;
  std::int64_t kernel_h = 1, kernel_w = 1;
  std::int64_t stride_h = 1, stride_w = 1;
  std::int64_t dilation_h = 1, dilation_w = 1;
  std::int64_t pad_top = 0, pad_left = 0;
  ops::Activation activation;

  // One spatial axis. A 1-D convolution has only the width axis; its height
  // axis keeps the defaults (size 1, kernel 1, no padding).
  struct Axis {
    std::int64_t in, out, kernel, stride, dilation, pad_begin;
  };
  void set_axis(std::size_t spatial_rank, std::size_t axis, const Axis& a) {
    const bool height = spatial_rank == 2 && axis == 0;
    (height ? in_h : in_w) = a.in;
    (height ? out_h : out_w) = a.out;
    (height ? kernel_h : kernel_w) = a.kernel;
    (height ? stride_h : stride_w) = a.stride;
    (height ? dilation_h : dilation_w) = a.dilation;
    (height ? pad_top : pad_left) = a.pad_begin;
  }

  std::int64_t in_per_group() const { return in_channels / group; }
  std::int64_t out_per_group() const { return out_channels / group; }
};

// y = activation(conv(x, w) + bias); bias may be null. Parallel over output planes.
void conv(const ConvParams& p, const float* x, const float* w, const float* bias, float* y,
          ThreadPool& pool);

// y = activation(conv_transpose(x, w) + bias), as a gather over the inputs
// that reach each output. Parallel over output planes.
void conv_transpose(const ConvParams& p, const float* x, const float* w, const float* bias,
                    float* y, ThreadPool& pool);

}  // namespace rknn::sim::reference
