// Sliding-window geometry shared by Conv, ConvTranspose and the pools: the
// kernel_shape / strides / dilations / pads / auto_pad attributes and ONNX's
// output-size formulas, resolved once at prepare time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "rknn/sim/attributes.h"

namespace rknn::sim::reference {

enum class AutoPad { kNotSet, kSameUpper, kSameLower, kValid };

// The window attributes of a node with `rank` spatial axes. pads holds the
// begin values of every axis, then the end values (ONNX order).
struct WindowAttrs {
  std::vector<std::int64_t> kernel;
  std::vector<std::int64_t> strides;
  std::vector<std::int64_t> dilations;
  std::vector<std::int64_t> pads;
  AutoPad auto_pad = AutoPad::kNotSet;
};

// Reads and checks the attributes; throws Error naming the attribute. When
// kernel_shape is absent, `kernel_default` is used (Conv infers it from W);
// an empty default makes kernel_shape required.
WindowAttrs read_window_attrs(const Attributes& attrs, std::size_t rank,
                              const std::vector<std::int64_t>& kernel_default);

// The window geometry of a 1-D or 2-D NCHW op, as its kernel loops read it.
// A 1-D window has only the width axis; its height axis keeps the defaults
// (size 1, kernel 1, no padding). pad_top/pad_left are the begin pads.
struct PlaneWindow {
  std::int64_t in_h = 1, in_w = 1;
  std::int64_t out_h = 1, out_w = 1;
  std::int64_t kernel_h = 1, kernel_w = 1;
  std::int64_t stride_h = 1, stride_w = 1;
  std::int64_t dilation_h = 1, dilation_w = 1;
  std::int64_t pad_top = 0, pad_left = 0;

  struct Axis {
    std::int64_t in, out, kernel, stride, dilation, pad_begin;
  };
  // Axis `axis` of `spatial_rank`: the height is axis 0 of a 2-D window.
  static bool is_height(std::size_t spatial_rank, std::size_t axis) {
    return spatial_rank == 2 && axis == 0;
  }
  void set_axis(std::size_t spatial_rank, std::size_t axis, const Axis& a) {
    const bool height = is_height(spatial_rank, axis);
    (height ? in_h : in_w) = a.in;
    (height ? out_h : out_w) = a.out;
    (height ? kernel_h : kernel_w) = a.kernel;
    (height ? stride_h : stride_w) = a.stride;
    (height ? dilation_h : dilation_w) = a.dilation;
    (height ? pad_top : pad_left) = a.pad_begin;
  }
};

// One spatial axis after auto_pad and ceil_mode are resolved.
struct WindowAxis {
  std::int64_t pad_begin = 0;
  std::int64_t pad_end = 0;
  std::int64_t out = 0;
};

// Output size of a forward window (Conv, pools) over an axis of `in` values.
// Throws Error when the dilated kernel does not fit the padded input.
WindowAxis forward_window_axis(std::int64_t in, std::int64_t kernel, std::int64_t stride,
                               std::int64_t dilation, std::int64_t pad_begin, std::int64_t pad_end,
                               AutoPad auto_pad, bool ceil_mode);

// The positions t in [0, count) with 0 <= t * step + offset < size form one
// range [lo, hi) (empty when lo == hi): the kernel taps that land inside the
// input, or the inputs whose scatter lands inside the output.
struct Range {
  std::int64_t lo = 0;
  std::int64_t hi = 0;
};
Range valid_range(std::int64_t offset, std::int64_t step, std::int64_t size, std::int64_t count);

std::int64_t ceil_div(std::int64_t a, std::int64_t b);   // b > 0, any sign of a
std::int64_t floor_div(std::int64_t a, std::int64_t b);  // b > 0, any sign of a

}  // namespace rknn::sim::reference
