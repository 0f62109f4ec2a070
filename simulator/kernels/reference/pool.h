// Pooling loops (NCHW; 1-D pools run as 2-D with a height of one). They are
// also the fast path: each output reads only its window, with the in-bounds
// tap range computed once per row and column instead of tested per tap.
// Parallel over N*C planes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/reference/window.h"
#include "rknn/sim/thread_pool.h"

namespace rknn::sim::reference {

// The pools also keep the end pads: count_include_pad divides by the taps
// inside the padded input.
struct PoolParams : PlaneWindow {
  std::int64_t planes = 1;  // N * C
  std::int64_t pad_bottom = 0, pad_right = 0;
  bool count_include_pad =
      false;  // AveragePool: divide by the window size clipped to the padded input
  bool column_major_indices = false;  // MaxPool storage_order = 1

  // Hides PlaneWindow::set_axis so that no axis is set without its end pad.
  void set_axis(std::size_t spatial_rank, std::size_t axis, const Axis& a, std::int64_t pad_end) {
    PlaneWindow::set_axis(spatial_rank, axis, a);
    (is_height(spatial_rank, axis) ? pad_bottom : pad_right) = pad_end;
  }
};

// indices may be null; otherwise it receives the flat index of each maximum
// in the input tensor (row-major, or column-major within the plane).
void max_pool(const PoolParams& p, const float* x, float* y, std::int64_t* indices,
              ThreadPool& pool);

void average_pool(const PoolParams& p, const float* x, float* y, ThreadPool& pool);

// y[plane] = max or mean of x's plane_size values of that plane.
void global_max_pool(std::int64_t planes, std::int64_t plane_size, const float* x, float* y,
                     ThreadPool& pool);
void global_average_pool(std::int64_t planes, std::int64_t plane_size, const float* x, float* y,
                         ThreadPool& pool);

// Taps of output row oh (column ow) that land inside the input; shared by
// the float and the quantized pools.
Range taps_h(const PoolParams& p, std::int64_t oh);
Range taps_w(const PoolParams& p, std::int64_t ow);

// Taps inside the padded input: the count_include_pad divisor (ceil_mode may
// push a window past the end padding).
std::int64_t padded_taps(std::int64_t start, std::int64_t dilation, std::int64_t padded_size, std::int64_t kernel);

}  // namespace rknn::sim::reference
