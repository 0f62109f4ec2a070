// Resize(X, roi, scales, sizes): nearest, n-linear and cubic interpolation
// over every axis whose size changes.
//
// Each output coordinate maps back to an input coordinate (the
// coordinate_transformation_mode), and that coordinate to a few weighted
// input positions, its taps: one for nearest, two for linear, four for
// cubic. prepare computes the taps of every output position of every axis;
// run() only combines them. An output element is the tensor product of its
// axes' taps, evaluated as nested 1-D interpolations, the innermost axis
// first, as the ONNX reference does.
//
// Choices where implementations differ, following ONNX's reference and test
// data:
//   - with `scales`, align_corners uses the unrounded output length
//     in * scale, so a 0.6 downscale of 4 columns maps x to x * 3 / 1.4;
//   - taps beyond the input edge repeat the edge element;
//   - tf_crop_and_resize writes extrapolation_value where any axis maps
//     outside the input (float32 only).
//
// Quantized inputs: nearest moves codes (the output must carry the input's
// parameters). Linear interpolates the offset codes q - zp_in with the same
// taps rounded to Q11 integer weights (each position's two weights sum to
// 2048), accumulates the tensor product exactly in int64 over the L axes
// that interpolate (L <= 4), and requantizes by s_in / s_out * 2^-11L,
// rounding half up. Cubic and tf_crop_and_resize are UnsupportedError.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "kernels/reference/quantized_elementwise.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

enum class Mode { kNearest, kLinear, kCubic };
enum class Coordinates {
  kHalfPixel,
  kPytorchHalfPixel,
  kAlignCorners,
  kAsymmetric,
  kTfHalfPixelForNn,
  kTfCropAndResize
};
enum class Rounding { kRoundPreferFloor, kRoundPreferCeil, kFloor, kCeil };

struct ResizeAttrs {
  Mode mode = Mode::kNearest;
  Coordinates coordinates = Coordinates::kHalfPixel;
  Rounding rounding = Rounding::kRoundPreferFloor;
  double cubic_a = -0.75;
  bool exclude_outside = false;
  float extrapolation = 0.0f;
};

// What one axis needs to map output positions back to input coordinates.
struct AxisGeometry {
  std::int64_t in = 1;     // input length
  std::int64_t out = 1;    // output length
  double scale = 1.0;      // out / in as ONNX defines it (the scales value when given)
  double resized = 1.0;    // output length used by align_corners, in * scale
  double roi_start = 0.0;  // tf_crop_and_resize only
  double roi_end = 1.0;
};

// Taps of every output position along one axis: up to kMaxTaps (input
// offset in elements, weight) pairs; count 0 means outside (extrapolate).
constexpr int kMaxTaps = 4;
struct AxisTaps {
  std::vector<std::int64_t> offset;  // out * kMaxTaps
  std::vector<float> weight;         // out * kMaxTaps
  std::vector<std::uint8_t> count;   // out
};

struct ResizeParams {
  Shape out_shape;
  std::vector<AxisTaps> axes;
  std::size_t element_size = 4;
  bool single_taps = true;  // every position of every axis is one input element: a byte gather
  float extrapolation = 0.0f;
};

// ---- attributes ---------------------------------------------------------

Mode parse_mode(const std::string& s) {
  if (s == "nearest") return Mode::kNearest;
  if (s == "linear") return Mode::kLinear;
  if (s == "cubic") return Mode::kCubic;
  throw Error("mode must be nearest, linear or cubic, got '" + s + "'");
}

Coordinates parse_coordinates(const std::string& s) {
  if (s == "half_pixel") return Coordinates::kHalfPixel;
  if (s == "pytorch_half_pixel") return Coordinates::kPytorchHalfPixel;
  if (s == "align_corners") return Coordinates::kAlignCorners;
  if (s == "asymmetric") return Coordinates::kAsymmetric;
  if (s == "tf_half_pixel_for_nn") return Coordinates::kTfHalfPixelForNn;
  if (s == "tf_crop_and_resize") return Coordinates::kTfCropAndResize;
  if (s == "half_pixel_symmetric")
    throw UnsupportedError("coordinate_transformation_mode 'half_pixel_symmetric' is not supported");
  throw Error("unknown coordinate_transformation_mode '" + s + "'");
}

Rounding parse_rounding(const std::string& s) {
  if (s == "round_prefer_floor") return Rounding::kRoundPreferFloor;
  if (s == "round_prefer_ceil") return Rounding::kRoundPreferCeil;
  if (s == "floor") return Rounding::kFloor;
  if (s == "ceil") return Rounding::kCeil;
  throw Error("nearest_mode must be round_prefer_floor, round_prefer_ceil, floor or ceil, got '" + s + "'");
}

ResizeAttrs parse_attrs(const Attributes& attrs) {
  // Opset-18 additions; the canonical opset-17 form never has them.
  if (attrs.get_int("antialias", 0) != 0) throw UnsupportedError("antialias is not supported");
  if (attrs.has("axes")) throw UnsupportedError("the axes attribute is not supported");
  if (attrs.get_string("keep_aspect_ratio_policy", "stretch") != "stretch") {
    throw UnsupportedError("keep_aspect_ratio_policy other than stretch is not supported");
  }
  ResizeAttrs a;
  a.mode = parse_mode(attrs.get_string("mode", "nearest"));
  a.coordinates = parse_coordinates(attrs.get_string("coordinate_transformation_mode", "half_pixel"));
  a.rounding = parse_rounding(attrs.get_string("nearest_mode", "round_prefer_floor"));
  a.cubic_a = attrs.get_float("cubic_coeff_a", -0.75f);
  a.exclude_outside = attrs.get_int("exclude_outside", 0) != 0;
  a.extrapolation = attrs.get_float("extrapolation_value", 0.0f);
  return a;
}

// ---- output shape -------------------------------------------------------

// A present, non-empty input (older exporters pass empty tensors for "none").
const Tensor* given(std::span<const InputInfo> inputs, std::size_t index, std::string_view what) {
  const InputInfo* input = optional_input(inputs, index);
  if (!input || input->type.element_count() == 0) return nullptr;
  return &require_constant(inputs, index, what);
}

std::vector<AxisGeometry> axis_geometry(const ResizeAttrs& attrs, std::span<const InputInfo> inputs) {
  const Shape& in = inputs[0].type.shape;
  const std::size_t rank = in.size();
  std::vector<AxisGeometry> axes(rank);
  for (std::size_t k = 0; k < rank; ++k) axes[k].in = in[k];
  if (attrs.coordinates == Coordinates::kTfCropAndResize) {
    const Tensor* roi = given(inputs, 1, "roi");
    if (!roi) throw Error("tf_crop_and_resize needs the roi input");
    const std::vector<float> values = roi->to_float_vector();
    if (values.size() != 2 * rank) {
      throw Error("roi must have 2 * rank = " + std::to_string(2 * rank) + " values, got " +
                  std::to_string(values.size()));
    }
    for (std::size_t k = 0; k < rank; ++k) {
      axes[k].roi_start = values[k];
      axes[k].roi_end = values[k + rank];
    }
  }
  const Tensor* scales = given(inputs, 2, "scales");
  const Tensor* sizes = given(inputs, 3, "sizes");
  if ((scales != nullptr) == (sizes != nullptr)) throw Error("exactly one of scales and sizes must be given");
  if (scales) {
    const std::vector<float> values = scales->to_float_vector();
    if (values.size() != rank)
      throw Error("scales must have one value per axis (" + std::to_string(rank) + ")");
    for (std::size_t k = 0; k < rank; ++k) {
      AxisGeometry& g = axes[k];
      if (!(values[k] > 0.0f)) throw Error("scales must be positive, got " + std::to_string(values[k]));
      g.scale = values[k];
      g.resized = static_cast<double>(g.in) * g.scale;
      const double length = attrs.coordinates == Coordinates::kTfCropAndResize
                                ? g.resized * (g.roi_end - g.roi_start)
                                : g.resized;
      g.out = static_cast<std::int64_t>(std::floor(length));
    }
  } else {
    if (sizes->dtype() != DType::kInt64) throw Error("sizes must be int64, got " + sizes->type().to_string());
    const std::vector<std::int64_t> values = sizes->to_int64_vector();
    if (values.size() != rank)
      throw Error("sizes must have one value per axis (" + std::to_string(rank) + ")");
    for (std::size_t k = 0; k < rank; ++k) {
      AxisGeometry& g = axes[k];
      if (values[k] < 0 || (g.in == 0 && values[k] != 0)) {
        throw Error("cannot resize an axis of " + std::to_string(g.in) + " to " + std::to_string(values[k]));
      }
      g.out = values[k];
      g.scale = g.in == 0 ? 1.0 : static_cast<double>(g.out) / static_cast<double>(g.in);
      g.resized = static_cast<double>(g.out);
    }
  }
  return axes;
}

// ---- taps ---------------------------------------------------------------

double input_coordinate(const ResizeAttrs& attrs, const AxisGeometry& g, std::int64_t x_int) {
  const auto x = static_cast<double>(x_int);
  const auto in = static_cast<double>(g.in);
  switch (attrs.coordinates) {
    case Coordinates::kHalfPixel: return (x + 0.5) / g.scale - 0.5;
    case Coordinates::kPytorchHalfPixel: return g.out > 1 ? (x + 0.5) / g.scale - 0.5 : 0.0;
    case Coordinates::kAlignCorners: return g.resized == 1.0 ? 0.0 : x * (in - 1) / (g.resized - 1);
    case Coordinates::kAsymmetric: return x / g.scale;
    case Coordinates::kTfHalfPixelForNn: return (x + 0.5) / g.scale;
    case Coordinates::kTfCropAndResize:
      if (g.out == 1) return 0.5 * (g.roi_start + g.roi_end) * (in - 1);
      return g.roi_start * (in - 1) +
             x * (g.roi_end - g.roi_start) * (in - 1) / static_cast<double>(g.out - 1);
  }
  return 0.0;
}

std::int64_t nearest_index(Rounding rounding, double x) {
  const double lower = std::floor(x);
  if (x == lower) return static_cast<std::int64_t>(x);
  const double fraction = x - lower;
  bool up = false;
  switch (rounding) {
    case Rounding::kRoundPreferFloor: up = fraction > 0.5; break;
    case Rounding::kRoundPreferCeil: up = fraction >= 0.5; break;
    case Rounding::kFloor: up = false; break;
    case Rounding::kCeil: up = true; break;
  }
  return static_cast<std::int64_t>(lower) + (up ? 1 : 0);
}

// Keys cubic convolution weights for the taps at floor(x) - 1 .. floor(x) + 2,
// where r = x - floor(x) is in (0, 1).
std::array<double, 4> cubic_weights(double r, double a) {
  const auto near = [a](double d) { return ((a + 2) * d - (a + 3)) * d * d + 1; };       // |d| <= 1
  const auto far = [a](double d) { return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a; };  // 1 < |d| < 2
  return {far(1 + r), near(r), near(1 - r), far(2 - r)};
}

// Up to four (input index, weight) pairs for one output position.
struct PositionTaps {
  std::array<std::int64_t, kMaxTaps> index{};
  std::array<double, kMaxTaps> weight{};
  int count = 0;

  void add(std::int64_t i, double w) {
    if (w == 0.0) return;  // a zero weight contributes nothing
    for (int t = 0; t < count; ++t) {
      if (index[static_cast<std::size_t>(t)] == i) {
        weight[static_cast<std::size_t>(t)] += w;
        return;
      }
    }
    index[static_cast<std::size_t>(count)] = i;
    weight[static_cast<std::size_t>(count++)] = w;
  }
};

PositionTaps position_taps(const ResizeAttrs& attrs, std::int64_t in, double x) {
  const auto clamp = [in](std::int64_t i) { return std::clamp<std::int64_t>(i, 0, in - 1); };
  PositionTaps taps;
  const double lower = std::floor(x);
  const double r = x - lower;
  const auto i0 = static_cast<std::int64_t>(lower);
  if (attrs.mode == Mode::kNearest) {
    taps.add(clamp(nearest_index(attrs.rounding, x)), 1.0);
  } else if (r == 0.0) {
    taps.add(clamp(i0), 1.0);  // exactly on an input element
  } else if (attrs.mode == Mode::kLinear) {
    // Same index twice at the edges: the weights merge into one exact 1.
    taps.add(clamp(i0), 1.0 - r);
    taps.add(clamp(i0 + 1), r);
  } else {
    std::array<double, 4> w = cubic_weights(r, attrs.cubic_a);
    if (attrs.exclude_outside) {
      double sum = 0.0;
      for (std::size_t t = 0; t < 4; ++t) {
        const std::int64_t i = i0 - 1 + static_cast<std::int64_t>(t);
        if (i < 0 || i >= in) w[t] = 0.0;
        sum += w[t];
      }
      for (double& v : w) v /= sum;
    }
    // Kept apart (no merging) so edge taps weigh the repeated element as the reference does.
    for (std::size_t t = 0; t < 4; ++t) {
      if (w[t] == 0.0) continue;
      taps.index[static_cast<std::size_t>(taps.count)] = clamp(i0 - 1 + static_cast<std::int64_t>(t));
      taps.weight[static_cast<std::size_t>(taps.count++)] = w[t];
    }
  }
  return taps;
}

AxisTaps axis_taps(const ResizeAttrs& attrs, const AxisGeometry& g, std::int64_t stride) {
  AxisTaps result;
  const auto out = static_cast<std::size_t>(g.out);
  result.offset.assign(out * kMaxTaps, 0);
  result.weight.assign(out * kMaxTaps, 0.0f);
  result.count.assign(out, 0);
  for (std::int64_t o = 0; o < g.out; ++o) {
    const double x = input_coordinate(attrs, g, o);
    if (attrs.coordinates == Coordinates::kTfCropAndResize &&
        (x < 0.0 || x > static_cast<double>(g.in - 1))) {
      continue;  // count 0: extrapolate
    }
    const PositionTaps taps = position_taps(attrs, g.in, x);
    const auto base = static_cast<std::size_t>(o) * kMaxTaps;
    for (int t = 0; t < taps.count; ++t) {
      const auto ti = static_cast<std::size_t>(t);
      result.offset[base + ti] = taps.index[ti] * stride;
      result.weight[base + ti] = static_cast<float>(taps.weight[ti]);
    }
    result.count[static_cast<std::size_t>(o)] = static_cast<std::uint8_t>(taps.count);
  }
  return result;
}

// ---- run ----------------------------------------------------------------

// One level of the nested interpolation: the taps of one axis at its current position.
struct Level {
  const std::int64_t* offset;
  const float* weight;
  int count;
};

float interpolate(const float* x, const Level* levels, int depth, std::int64_t base) {
  if (depth == 0) return x[base];
  float sum = 0.0f;
  for (int t = 0; t < levels->count; ++t) {
    sum += levels->weight[t] * interpolate(x, levels + 1, depth - 1, base + levels->offset[t]);
  }
  return sum;
}

// The innermost level of interpolate(), written out: the same arithmetic.
float inner_sum(const float* x, const std::int64_t* offset, const float* weight, int count) {
  float sum = 0.0f;
  for (int t = 0; t < count; ++t) sum += weight[t] * x[offset[t]];
  return sum;
}

// One output row by interpolation. `levels` holds the outer axes with more
// than one tap (their single taps are already in `base`); depths 0 and 1,
// the usual 1-D and 2-D resizes, skip the recursion.
void interpolate_row(const ResizeParams& p, const float* x, std::int64_t base, Level* levels, int depth,
                     bool outside, float* out) {
  const AxisTaps& inner = p.axes.back();
  const std::int64_t width = p.out_shape.back();
  for (std::int64_t j = 0; j < width; ++j) {
    const auto o = static_cast<std::size_t>(j) * kMaxTaps;
    const int count = inner.count[static_cast<std::size_t>(j)];
    const std::int64_t* offset = &inner.offset[o];
    const float* weight = &inner.weight[o];
    if (outside || count == 0) {
      out[j] = p.extrapolation;
    } else if (depth == 0) {
      out[j] = inner_sum(x + base, offset, weight, count);
    } else if (depth == 1) {
      float sum = 0.0f;
      for (int t = 0; t < levels[0].count; ++t) {
        sum += levels[0].weight[t] * inner_sum(x + base + levels[0].offset[t], offset, weight, count);
      }
      out[j] = sum;
    } else {
      levels[depth] = {offset, weight, count};
      out[j] = interpolate(x, levels, depth + 1, base);
    }
  }
}

// One output row of single-tap positions: a byte gather. N is the element
// size, so each copy is a plain load and store.
template <std::size_t N>
void gather_row(const std::byte* src, std::int64_t base, const AxisTaps& inner, std::int64_t width,
                std::byte* out) {
  constexpr auto n = static_cast<std::int64_t>(N);
  for (std::int64_t j = 0; j < width; ++j) {
    std::memcpy(out + j * n, src + (base + inner.offset[static_cast<std::size_t>(j) * kMaxTaps]) * n, N);
  }
}

void gather_row_any(const ResizeParams& p, const std::byte* src, std::int64_t base, std::byte* out) {
  const AxisTaps& inner = p.axes.back();
  const std::int64_t width = p.out_shape.back();
  switch (p.element_size) {
    case 1: gather_row<1>(src, base, inner, width, out); break;
    case 2: gather_row<2>(src, base, inner, width, out); break;
    case 4: gather_row<4>(src, base, inner, width, out); break;
    case 8: gather_row<8>(src, base, inner, width, out); break;
    default: break;  // no other element sizes exist
  }
}

// Output rows [begin, end), each along the innermost axis: a byte gather
// when every position has a single tap (src_float null), otherwise float
// interpolation.
void resize_rows(const ResizeParams& p, const std::byte* src, const float* src_float, std::byte* dst,
                 float* dst_float, std::int64_t begin, std::int64_t end) {
  const std::size_t outer = p.out_shape.size() - 1;
  const std::int64_t width = p.out_shape.back();
  const auto dims = std::span(p.out_shape).first(outer);
  RowIndex index = row_index(dims, begin);
  std::array<Level, StridedCopy::kMaxRank> levels{};
  for (std::int64_t row = begin; row < end; ++row) {
    // The outer axes: single taps fold into the base offset, others become levels.
    std::int64_t base = 0;
    int depth = 0;
    bool outside = false;
    for (std::size_t k = 0; k < outer; ++k) {
      const AxisTaps& a = p.axes[k];
      const auto o = static_cast<std::size_t>(index[k]);
      const int count = a.count[o];
      if (count == 1) {
        base += a.offset[o * kMaxTaps];
      } else {
        outside = outside || count == 0;
        levels[static_cast<std::size_t>(depth++)] = {&a.offset[o * kMaxTaps], &a.weight[o * kMaxTaps], count};
      }
    }
    if (src_float) {
      interpolate_row(p, src_float, base, levels.data(), depth, outside, dst_float + row * width);
    } else {
      gather_row_any(p, src, base, dst + row * width * static_cast<std::int64_t>(p.element_size));
    }
    next_row(index, dims);
  }
}

void run_resize(const ResizeParams& p, const Tensor& in, Tensor& out, ThreadPool& pool) {
  const std::int64_t width = p.out_shape.back();
  if (width == 0 || out.element_count() == 0) return;
  const std::int64_t rows = out.element_count() / width;
  const std::int64_t grain = std::max<std::int64_t>(1, 16 * 1024 / width);
  // Interpolation only runs on float32 tensors (checked at prepare).
  const float* in_float = p.single_taps ? nullptr : in.data<float>();
  float* out_float = p.single_taps ? nullptr : out.data<float>();
  pool.parallel_for(rows, grain, [&](std::int64_t begin, std::int64_t end) {
    resize_rows(p, in.raw(), in_float, out.raw(), out_float, begin, end);
  });
}

// ---- quantized linear -------------------------------------------------------

constexpr int kQBits = 11;               // Q11 weights
constexpr int kQOne = 1 << kQBits;       // 2048
constexpr int kMaxInterpolatedAxes = 4;  // |acc| < 2^16 * 2^(11 * 4) = 2^60

// Two taps per output position (offset in elements, Q11 weight); a single
// tap is (offset, 2048) + (offset, 0). An axis that never needs two taps
// is not interpolated: its offsets fold into the row base.
struct QAxisTaps {
  bool interpolated = false;
  std::vector<std::int64_t> offset;  // out * 2
  std::vector<std::int32_t> weight;  // out * 2
};

QAxisTaps q_axis_taps(const ResizeAttrs& attrs, const AxisGeometry& g, std::int64_t stride) {
  QAxisTaps r;
  const auto out = static_cast<std::size_t>(g.out);
  r.offset.assign(2 * out, 0);
  r.weight.assign(2 * out, 0);
  for (std::size_t o = 0; o < out; ++o) {
    const PositionTaps taps = position_taps(attrs, g.in, input_coordinate(attrs, g, static_cast<std::int64_t>(o)));
    r.offset[2 * o] = taps.index[0] * stride;
    r.offset[2 * o + 1] = taps.index[taps.count > 1 ? 1 : 0] * stride;
    // Rounded half to even like every real-to-integer conversion at prepare.
    const double upper_real = taps.count > 1 ? std::ldexp(taps.weight[1], kQBits) : 0.0;
    const auto upper = static_cast<std::int32_t>(std::nearbyint(upper_real));
    r.weight[2 * o] = kQOne - upper;
    r.weight[2 * o + 1] = upper;
    r.interpolated = r.interpolated || taps.count > 1;
  }
  return r;
}

struct QResizeParams {
  Shape out_shape;
  std::vector<QAxisTaps> axes;
  std::int32_t zp_in = 0;
  std::int32_t zp_out = 0;
  Multiplier multiplier;  // s_in / s_out * 2^-(11 L)
  CodeRange range{0, 255};
};

struct QLevel {
  const std::int64_t* offset;
  const std::int32_t* weight;
};

// The exact tensor-product sum of weights times offset codes.
template <class T>
std::int64_t q_interpolate(const T* x, const QLevel* levels, int depth, std::int64_t base, std::int32_t zp) {
  if (depth == 0) return std::int64_t{x[base]} - zp;
  return levels->weight[0] * q_interpolate(x, levels + 1, depth - 1, base + levels->offset[0], zp) +
         levels->weight[1] * q_interpolate(x, levels + 1, depth - 1, base + levels->offset[1], zp);
}

template <class T>
void q_resize_rows(const QResizeParams& p, const T* x, T* y, std::int64_t begin, std::int64_t end) {
  const std::size_t outer = p.out_shape.size() - 1;
  const std::int64_t width = p.out_shape.back();
  const QAxisTaps& inner = p.axes.back();
  const auto dims = std::span(p.out_shape).first(outer);
  RowIndex index = row_index(dims, begin);
  std::array<QLevel, kMaxInterpolatedAxes> levels{};
  for (std::int64_t row = begin; row < end; ++row, next_row(index, dims)) {
    std::int64_t base = 0;
    int depth = 0;
    for (std::size_t k = 0; k < outer; ++k) {
      const QAxisTaps& a = p.axes[k];
      const auto o = 2 * static_cast<std::size_t>(index[k]);
      if (a.interpolated) levels[static_cast<std::size_t>(depth++)] = {&a.offset[o], &a.weight[o]};
      else base += a.offset[o];
    }
    for (std::int64_t j = 0; j < width; ++j) {
      const auto o = 2 * static_cast<std::size_t>(j);
      int d = depth;
      std::int64_t b = base;
      if (inner.interpolated) levels[static_cast<std::size_t>(d++)] = {&inner.offset[o], &inner.weight[o]};
      else b += inner.offset[o];
      const std::int64_t acc = q_interpolate(x, levels.data(), d, b, p.zp_in);
      y[row * width + j] = static_cast<T>(saturate(p.zp_out + apply_multiplier(acc, p.multiplier), p.range));
    }
  }
}

std::unique_ptr<Kernel> quantized_linear_kernel(const OpNode& node, const InputInfo& x, const ResizeAttrs& attrs,
                                                const std::vector<AxisGeometry>& geometry) {
  const reference::QScale in = reference::input_scale(x, "input");
  const reference::QScale out = reference::output_scale(node, 0, in.dtype);
  const std::vector<std::int64_t> strides = strides_of(x.type.shape);
  QResizeParams params;
  int interpolated = 0;
  for (std::size_t k = 0; k < geometry.size(); ++k) {
    params.out_shape.push_back(geometry[k].out);
    params.axes.push_back(q_axis_taps(attrs, geometry[k], strides[k]));
    interpolated += params.axes.back().interpolated ? 1 : 0;
  }
  if (interpolated > kMaxInterpolatedAxes) {
    throw UnsupportedError("quantized linear Resize interpolates " + std::to_string(interpolated) +
                           " axes; at most " + std::to_string(kMaxInterpolatedAxes) + " are supported");
  }
  params.zp_in = in.zero_point;
  params.zp_out = out.zero_point;
  params.range = out.range;
  params.multiplier = reference::ratio_multiplier(in.scale / out.scale, "input");
  params.multiplier.shift += kQBits * interpolated;  // exactly make_multiplier(ratio * 2^-11L)
  return reference::with_code_type(in.dtype, [&](auto zero) -> std::unique_ptr<Kernel> {
    using T = decltype(zero);
    return make_kernel([params = std::move(params)](std::span<const Tensor* const> in_tensors,
                                                    std::span<Tensor* const> outs, ThreadPool& pool) {
      const std::int64_t width = params.out_shape.back();
      if (width == 0 || outs[0]->element_count() == 0) return;
      const T* px = in_tensors[0]->data<T>();
      T* py = outs[0]->data<T>();
      const std::int64_t grain = std::max<std::int64_t>(1, 16 * 1024 / width);
      pool.parallel_for(outs[0]->element_count() / width, grain,
                        [&](std::int64_t b, std::int64_t e) { q_resize_rows(params, px, py, b, e); });
    });
  });
}

}  // namespace

Prepared prepare_resize(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions&) {
  expect_input_count(inputs, 1, 4);
  const TensorType& in = inputs[0].type;
  const ResizeAttrs attrs = parse_attrs(node.attrs);
  const bool quantized = reference::is_quantized(inputs[0]);
  if (quantized && (attrs.mode == Mode::kCubic || attrs.coordinates == Coordinates::kTfCropAndResize)) {
    throw UnsupportedError("cubic and tf_crop_and_resize Resize of a quantized input have no integer kernel");
  }
  if (quantized && attrs.mode == Mode::kNearest) reference::expect_same_params(node, inputs[0]);
  if (!quantized && (attrs.mode != Mode::kNearest || attrs.coordinates == Coordinates::kTfCropAndResize)) {
    expect_dtype(inputs[0], {DType::kFloat32}, "input of linear, cubic or tf_crop_and_resize Resize");
  }
  if (in.shape.empty()) throw Error("input must have rank >= 1, got a scalar");
  if (in.shape.size() > StridedCopy::kMaxRank)
    throw UnsupportedError("rank " + std::to_string(in.shape.size()) + " is not supported");
  const std::vector<AxisGeometry> geometry = axis_geometry(attrs, inputs);
  if (quantized && attrs.mode == Mode::kLinear) {
    Prepared p;
    p.kernel = quantized_linear_kernel(node, inputs[0], attrs, geometry);
    p.outputs = {{in.dtype, {}}};
    for (const AxisGeometry& g : geometry) p.outputs[0].shape.push_back(g.out);
    return p;
  }
  const std::vector<std::int64_t> strides = strides_of(in.shape);
  ResizeParams params;
  params.element_size = dtype_size(in.dtype);
  params.extrapolation = attrs.extrapolation;
  for (std::size_t k = 0; k < geometry.size(); ++k) {
    params.out_shape.push_back(geometry[k].out);
    params.axes.push_back(axis_taps(attrs, geometry[k], strides[k]));
    for (std::uint8_t c : params.axes.back().count) params.single_taps = params.single_taps && c == 1;
  }
  Prepared p;
  p.outputs.push_back({in.dtype, params.out_shape});
  p.kernel = make_kernel(
      [params = std::move(params)](std::span<const Tensor* const> in_tensors, std::span<Tensor* const> out,
                                   ThreadPool& pool) { run_resize(params, *in_tensors[0], *out[0], pool); });
  return p;
}

}  // namespace rknn::sim::ops
