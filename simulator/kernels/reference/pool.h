// Pooling loops (NCHW; 1-D pools run as 2-D with a height of one). They are
// also the fast path: each output reads only its window, with the in-bounds
// tap range computed once per row and column instead of tested per tap.
// Parallel over N*C planes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "rknn/sim/thread_pool.h"

namespace rknn::sim::reference {

struct PoolParams {
  std::int64_t planes = 1;  // N * C
  std::int64_t in_h = 1, in_w = 1;
  std::int64_t out_h = 1, out_w = 1;
  std::int64_t kernel_h = 1, kernel_w = 1;
  std::int64_t stride_h = 1, stride_w = 1;
  std::int64_t dilation_h = 1, dilation_w = 1;
  std::int64_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  bool count_include_pad =
      false;  // AveragePool: divide by the window size clipped to the padded input
  bool column_major_indices = false;  // MaxPool storage_order = 1

  struct Axis {
    std::int64_t in, out, kernel, stride, dilation, pad_begin, pad_end;
  };
  void set_axis(std::size_t spatial_rank, std::size_t axis, const Axis& a) {
    const bool height = spatial_rank == 2 && axis == 0;
    (height ? in_h : in_w) = a.in;
    (height ? out_h : out_w) = a.out;
    (height ? kernel_h : kernel_w) = a.kernel;
    (height ? stride_h : stride_w) = a.stride;
    (height ? dilation_h : dilation_w) = a.dilation;
    (height ? pad_top : pad_left) = a.pad_begin;
    (height ? pad_bottom : pad_right) = a.pad_end;
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

}  // namespace rknn::sim::reference
