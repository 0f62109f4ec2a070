// Plain convolution loops: the definition the fast kernels are checked against.
// Layout is NCHW; 1-D convolutions run as 2-D with a height of one.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/reference/window.h"
#include "ops/activation.h"
#include "rknn/sim/thread_pool.h"

namespace rknn::sim::reference {

// Parameters of a Conv or ConvTranspose node, decoded once at prepare.
// Conv:          x [batch, in_channels, in_h, in_w], w [out_channels, in_channels/group, kh, kw]
// ConvTranspose: x [batch, in_channels, in_h, in_w], w [in_channels, out_channels/group, kh, kw]
// y is [batch, out_channels, out_h, out_w].
struct ConvParams : PlaneWindow {
  std::int64_t batch = 1;
  std::int64_t group = 1;
  std::int64_t in_channels = 1;
  std::int64_t out_channels = 1;
  ops::Activation activation;

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
