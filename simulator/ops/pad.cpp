// Pad: modes constant, reflect and edge. pads = [x1_begin, x2_begin, ...,
// x1_end, x2_end, ...]; a negative pad removes elements from that side.
// As in onnxruntime, negative pads crop first and the positive pads then
// reflect or repeat the edges of the cropped tensor.
//
// prepare builds, per axis, the source index of every output position (-1:
// the constant), so run() only looks indices up; the middle of each
// innermost row is one memcpy.
//
// Quantized inputs: codes move unchanged (the output must carry the input's
// parameters) and the constant is decided at prepare: constant_value
// quantized with those parameters (rounding half to even), the zero point
// when it is absent.
#include <algorithm>
#include <array>
#include <cstring>

#include "kernels/reference/quantized_elementwise.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

enum class PadMode { kConstant, kReflect, kEdge };

struct PadParams {
  std::vector<std::vector<std::int64_t>> source;  // per axis, per output index: input index or -1
  std::vector<std::int64_t> in_strides;
  Shape out_shape;
  std::int64_t copy_begin = 0;  // innermost output range that is a plain copy
  std::int64_t copy_end = 0;
  std::size_t element_size = 1;
  bool fixed_fill = false;  // quantized: `fill` holds the constant's code
  std::array<std::byte, 8> fill{};
};

// Index into an axis of n >= 1 elements for position p outside [0, n).
std::int64_t outside_index(PadMode mode, std::int64_t p, std::int64_t n) {
  if (mode == PadMode::kEdge || n == 1) return std::clamp<std::int64_t>(p, 0, n - 1);
  const std::int64_t period = 2 * (n - 1);  // reflect without repeating the edge element
  std::int64_t m = p % period;
  if (m < 0) m += period;
  return m < n ? m : period - m;
}

std::vector<std::int64_t> axis_sources(PadMode mode, std::int64_t dim, std::int64_t begin, std::int64_t end) {
  const std::int64_t crop = std::max<std::int64_t>(-begin, 0);
  const std::int64_t n = dim - crop - std::max<std::int64_t>(-end, 0);
  const std::int64_t before = std::max<std::int64_t>(begin, 0);
  const std::int64_t out = n + before + std::max<std::int64_t>(end, 0);
  if (n < 0)
    throw Error("negative pads remove more than the " + std::to_string(dim) + " elements of an axis");
  if (n == 0 && out > 0 && mode != PadMode::kConstant) {
    throw Error("cannot reflect or edge-pad an axis with no elements");
  }
  std::vector<std::int64_t> source(static_cast<std::size_t>(out));
  for (std::int64_t j = 0; j < out; ++j) {
    const std::int64_t p = j - before;
    std::int64_t s = p;
    if (p < 0 || p >= n) s = mode == PadMode::kConstant ? -1 : outside_index(mode, p, n);
    source[static_cast<std::size_t>(j)] = s < 0 ? -1 : s + crop;
  }
  return source;
}

PadMode parse_mode(const std::string& mode) {
  if (mode == "constant") return PadMode::kConstant;
  if (mode == "reflect") return PadMode::kReflect;
  if (mode == "edge") return PadMode::kEdge;
  if (mode == "wrap") throw UnsupportedError("mode 'wrap' is not supported");
  throw Error("mode must be constant, reflect or edge, got '" + mode + "'");
}

// pads per axis as (begin, end), from the pads input and the optional axes input.
std::vector<std::array<std::int64_t, 2>> read_pads(std::span<const InputInfo> inputs, std::size_t rank) {
  const std::vector<std::int64_t> pads = require_constant(inputs, 1, "pads").to_int64_vector();
  std::vector<std::int64_t> axes(rank);
  for (std::size_t k = 0; k < rank; ++k) axes[k] = static_cast<std::int64_t>(k);
  if (optional_input(inputs, 3)) axes = require_constant(inputs, 3, "axes").to_int64_vector();
  if (pads.size() != 2 * axes.size()) {
    throw Error("pads must have 2 values per padded axis (" + std::to_string(2 * axes.size()) + "), got " +
                std::to_string(pads.size()));
  }
  std::vector<std::array<std::int64_t, 2>> result(rank, {0, 0});
  for (std::size_t i = 0; i < axes.size(); ++i) {
    result[static_cast<std::size_t>(normalize_axis(axes[i], rank, "axes"))] = {pads[i],
                                                                               pads[i + axes.size()]};
  }
  return result;
}

// One output row: rows whose outer source is -1 are all constant.
void pad_row(const PadParams& p, const std::byte* src, std::byte* dst, const std::byte* fill) {
  const std::vector<std::int64_t>& inner = p.source.back();
  const auto size = static_cast<std::int64_t>(p.element_size);
  const auto count = static_cast<std::int64_t>(inner.size());
  if (!src) {
    for (std::int64_t j = 0; j < count; ++j) std::memcpy(dst + j * size, fill, p.element_size);
    return;
  }
  if (p.copy_end > p.copy_begin) {
    std::memcpy(dst + p.copy_begin * size, src + inner[static_cast<std::size_t>(p.copy_begin)] * size,
                static_cast<std::size_t>((p.copy_end - p.copy_begin) * size));
  }
  for (std::int64_t j = 0; j < count; ++j) {
    if (j == p.copy_begin) j = std::max(j, p.copy_end);
    if (j >= count) break;
    const std::int64_t s = inner[static_cast<std::size_t>(j)];
    std::memcpy(dst + j * size, s < 0 ? fill : src + s * size, p.element_size);
  }
}

void pad_rows(const PadParams& p, const std::byte* src, std::byte* dst, const std::byte* fill,
              std::int64_t begin, std::int64_t end) {
  const std::size_t outer = p.out_shape.size() - 1;
  const std::int64_t row_elements = p.out_shape.back();
  const auto size = static_cast<std::int64_t>(p.element_size);
  const auto dims = std::span(p.out_shape).first(outer);
  RowIndex index = row_index(dims, begin);
  for (std::int64_t row = begin; row < end; ++row) {
    std::int64_t offset = 0;
    bool constant_row = false;
    for (std::size_t k = 0; k < outer; ++k) {
      const std::int64_t s = p.source[k][static_cast<std::size_t>(index[k])];
      constant_row = constant_row || s < 0;
      offset += s * p.in_strides[k];
    }
    pad_row(p, constant_row ? nullptr : src + offset * size, dst + row * row_elements * size, fill);
    next_row(index, dims);
  }
}

void run_pad(const PadParams& p, std::span<const Tensor* const> in, Tensor& out, ThreadPool& pool) {
  // The constant: input 2 if present and not empty, else zero.
  std::array<std::byte, 8> fill = p.fill;
  const Tensor* value = optional_tensor(in, 2);
  if (!p.fixed_fill && value && value->element_count() > 0) std::memcpy(fill.data(), value->raw(), p.element_size);
  const std::int64_t rows = element_count(p.out_shape) / std::max<std::int64_t>(p.out_shape.back(), 1);
  if (p.out_shape.back() == 0) return;
  const auto row_bytes = p.out_shape.back() * static_cast<std::int64_t>(p.element_size);
  const std::int64_t grain = std::max<std::int64_t>(1, 64 * 1024 / row_bytes);
  pool.parallel_for(rows, grain, [&](std::int64_t begin, std::int64_t end) {
    pad_rows(p, in[0]->raw(), out.raw(), fill.data(), begin, end);
  });
}

// The code of the constant for a quantized input: constant_value as a real
// number (float32 or quantized constant) quantized with the input's
// parameters, a plain code of the input's type as is, the zero point when
// absent or empty.
std::int64_t quantized_fill(const OpNode& node, std::span<const InputInfo> inputs) {
  reference::expect_same_params(node, inputs[0]);
  const reference::QScale x = reference::input_scale(inputs[0], "input");
  const InputInfo* value = optional_input(inputs, 2);
  if (!value || value->type.element_count() == 0) return x.zero_point;
  if (value->type.element_count() > 1) throw Error("constant_value must be a scalar, got " + value->type.to_string());
  const Tensor& constant = require_constant(inputs, 2, "constant_value of a quantized Pad");
  if (constant.dtype() == x.dtype && !reference::is_quantized(*value)) return constant.to_int64_vector()[0];
  return x.quantize(reference::constant_values(constant, value->quant, "constant_value")[0]);
}

void store_code(std::int64_t code, DType dtype, std::array<std::byte, 8>& fill) {
  reference::with_code_type(dtype, [&](auto zero) {
    const auto v = static_cast<decltype(zero)>(code);
    std::memcpy(fill.data(), &v, sizeof v);
  });
}

}  // namespace

Prepared prepare_pad(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions&) {
  expect_input_count(inputs, 2, 4);
  const TensorType& in = inputs[0].type;
  const PadMode mode = parse_mode(node.attrs.get_string("mode", "constant"));
  const InputInfo* value = optional_input(inputs, 2);
  const bool quantized = reference::is_quantized(inputs[0]);
  if (!quantized && value && (value->type.dtype != in.dtype || value->type.element_count() > 1)) {
    throw Error("constant_value must be a scalar of the input type " + std::string(dtype_name(in.dtype)) +
                ", got " + value->type.to_string());
  }
  const std::vector<std::array<std::int64_t, 2>> pads = read_pads(inputs, in.shape.size());
  PadParams params;
  params.element_size = dtype_size(in.dtype);
  if (quantized) {
    params.fixed_fill = true;
    store_code(quantized_fill(node, inputs), in.dtype, params.fill);
  }
  // A scalar is padded as a one-element vector with no pads.
  const Shape shape = in.shape.empty() ? Shape{1} : in.shape;
  params.in_strides = strides_of(shape);
  for (std::size_t k = 0; k < shape.size(); ++k) {
    const auto [begin, end] = in.shape.empty() ? std::array<std::int64_t, 2>{0, 0} : pads[k];
    params.source.push_back(axis_sources(mode, shape[k], begin, end));
    params.out_shape.push_back(static_cast<std::int64_t>(params.source.back().size()));
  }
  if (params.out_shape.size() > StridedCopy::kMaxRank) {
    throw UnsupportedError("rank " + std::to_string(params.out_shape.size()) + " is not supported");
  }
  const auto& last = pads.empty() ? std::array<std::int64_t, 2>{0, 0} : pads.back();
  const std::int64_t kept =
      params.out_shape.back() - std::max<std::int64_t>(last[0], 0) - std::max<std::int64_t>(last[1], 0);
  params.copy_begin = std::max<std::int64_t>(last[0], 0);
  params.copy_end = params.copy_begin + kept;
  Prepared p;
  p.outputs.push_back({in.dtype, in.shape.empty() ? Shape{} : params.out_shape});
  p.kernel = make_kernel(
      [params = std::move(params)](std::span<const Tensor* const> in_tensors, std::span<Tensor* const> out,
                                   ThreadPool& pool) { run_pad(params, in_tensors, *out[0], pool); });
  return p;
}

}  // namespace rknn::sim::ops
