#include "kernels/reference/window.h"

#include <algorithm>

#include "rknn/sim/error.h"

namespace rknn::sim::reference {
namespace {

std::string join(const std::vector<std::int64_t>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s + "]";
}

// Window sizes, strides, dilations and pads beyond this are refused: no real
// model comes near it, and it keeps every window computation far from overflow.
constexpr std::int64_t kMaxWindowValue = std::int64_t{1} << 20;

// Reads an ints attribute of `count` values, each in [min_value, kMaxWindowValue].
std::vector<std::int64_t> read_ints(const Attributes& attrs, const char* name, std::size_t count,
                                    std::int64_t fallback, std::int64_t min_value) {
  std::vector<std::int64_t> v = attrs.get_ints(name, std::vector<std::int64_t>(count, fallback));
  if (v.size() != count) {
    throw Error(std::string(name) + " has " + std::to_string(v.size()) + " values " + join(v) +
                ", expected " + std::to_string(count));
  }
  for (std::int64_t x : v) {
    if (x < min_value || x > kMaxWindowValue) {
      throw Error(std::string(name) + " " + join(v) + " must hold values from " + std::to_string(min_value) +
                  " to " + std::to_string(kMaxWindowValue));
    }
  }
  return v;
}

AutoPad parse_auto_pad(const std::string& s) {
  if (s.empty() || s == "NOTSET") return AutoPad::kNotSet;
  if (s == "SAME_UPPER") return AutoPad::kSameUpper;
  if (s == "SAME_LOWER") return AutoPad::kSameLower;
  if (s == "VALID") return AutoPad::kValid;
  throw Error("auto_pad '" + s + "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
}

}  // namespace

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return -floor_div(-a, b); }

Range valid_range(std::int64_t offset, std::int64_t step, std::int64_t size, std::int64_t count) {
  const std::int64_t lo = std::min(count, offset >= 0 ? 0 : ceil_div(-offset, step));
  const std::int64_t hi = std::min(count, floor_div(size - 1 - offset, step) + 1);
  return {lo, std::max(lo, hi)};
}

WindowAttrs read_window_attrs(const Attributes& attrs, std::size_t rank,
                              const std::vector<std::int64_t>& kernel_default) {
  WindowAttrs w;
  if (attrs.has("kernel_shape") || kernel_default.empty()) {
    if (!attrs.has("kernel_shape")) throw Error("missing required attribute 'kernel_shape'");
    w.kernel = read_ints(attrs, "kernel_shape", rank, 1, 1);
  } else {
    w.kernel = kernel_default;
  }
  w.strides = read_ints(attrs, "strides", rank, 1, 1);
  w.dilations = read_ints(attrs, "dilations", rank, 1, 1);
  w.pads = read_ints(attrs, "pads", 2 * rank, 0, 0);
  w.auto_pad = parse_auto_pad(attrs.get_string("auto_pad", "NOTSET"));
  return w;
}

WindowAxis forward_window_axis(std::int64_t in, std::int64_t kernel, std::int64_t stride,
                               std::int64_t dilation, std::int64_t pad_begin, std::int64_t pad_end,
                               AutoPad auto_pad, bool ceil_mode) {
  const std::int64_t extent = (kernel - 1) * dilation + 1;
  WindowAxis a;
  switch (auto_pad) {
    case AutoPad::kSameUpper:
    case AutoPad::kSameLower: {
      // Output covers ceil(in / stride); the padding needed is split, the odd
      // value going to the end (UPPER) or the beginning (LOWER).
      a.out = ceil_div(in, stride);
      const std::int64_t total = std::max<std::int64_t>(0, (a.out - 1) * stride + extent - in);
      a.pad_begin = auto_pad == AutoPad::kSameUpper ? total / 2 : total - total / 2;
      a.pad_end = total - a.pad_begin;
      return a;
    }
    case AutoPad::kValid:
      pad_begin = pad_end = 0;
      break;
    case AutoPad::kNotSet:
      break;
  }
  a.pad_begin = pad_begin;
  a.pad_end = pad_end;
  const std::int64_t span = in + pad_begin + pad_end - extent;
  if (span < 0) {
    throw Error("kernel extent " + std::to_string(extent) + " (kernel " + std::to_string(kernel) +
                ", dilation " + std::to_string(dilation) + ") exceeds the padded input size " +
                std::to_string(in + pad_begin + pad_end));
  }
  a.out = (ceil_mode ? ceil_div(span, stride) : span / stride) + 1;
  // A window may not start in the end padding: the last one is dropped then.
  if (ceil_mode && (a.out - 1) * stride >= in + pad_begin) --a.out;
  return a;
}

}  // namespace rknn::sim::reference
