// Slice: per axis, elements start, start + step, ... up to (not including)
// end, a strided view of the input. Starts and ends follow ONNX's clamping:
// negative values count from the back, then they are clamped into the axis
// ([0, dim] for positive steps, [-1, dim - 1] for negative ones), so
// INT64_MAX / INT64_MIN mean "to the end" in either direction.
#include <algorithm>

#include "kernels/reference/quantized_elementwise.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

struct AxisRange {
  std::int64_t start = 0;
  std::int64_t step = 1;
  std::int64_t count = 0;
};

AxisRange clamp_range(std::int64_t start, std::int64_t end, std::int64_t step, std::int64_t dim) {
  if (dim == 0) return {0, 1, 0};
  if (start < 0) start += dim;
  if (end < 0) end += dim;
  AxisRange r;
  if (step > 0) {
    start = std::clamp<std::int64_t>(start, 0, dim);
    end = std::clamp<std::int64_t>(end, 0, dim);
    r.count = end > start ? (end - start - 1) / step + 1 : 0;
  } else {
    start = std::clamp<std::int64_t>(start, 0, dim - 1);
    end = std::clamp<std::int64_t>(end, -1, dim - 1);
    // Division truncates toward zero, so this never negates step (INT64_MIN).
    r.count = start > end ? 1 - (start - end - 1) / step : 0;
  }
  r.start = start;
  // With at most one element the step is irrelevant; 1 keeps the stride from overflowing.
  r.step = r.count > 1 ? step : 1;
  return r;
}

}  // namespace

Prepared prepare_slice(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions&) {
  expect_input_count(inputs, 3, 5);
  reference::expect_same_params(node, inputs[0]);  // codes move unchanged
  const TensorType& in = inputs[0].type;
  const std::size_t rank = in.shape.size();
  const std::vector<std::int64_t> starts = require_constant_ints(inputs, 1, "starts");
  const std::vector<std::int64_t> ends = require_constant_ints(inputs, 2, "ends");
  const std::size_t n = starts.size();
  std::vector<std::int64_t> axes(n), steps(n, 1);
  for (std::size_t i = 0; i < n; ++i) axes[i] = static_cast<std::int64_t>(i);
  if (optional_input(inputs, 3)) axes = require_constant_ints(inputs, 3, "axes");
  if (optional_input(inputs, 4)) steps = require_constant_ints(inputs, 4, "steps");
  if (ends.size() != n || axes.size() != n || steps.size() != n) {
    throw Error("starts, ends, axes and steps must have the same length, got " + std::to_string(n) + ", " +
                std::to_string(ends.size()) + ", " + std::to_string(axes.size()) + ", " +
                std::to_string(steps.size()));
  }
  std::vector<AxisRange> ranges(rank);
  std::vector<bool> seen(rank, false);
  for (std::size_t k = 0; k < rank; ++k) ranges[k] = {0, 1, in.shape[k]};
  for (std::size_t i = 0; i < n; ++i) {
    const auto axis = static_cast<std::size_t>(normalize_axis(axes[i], rank, "axes"));
    if (seen[axis]) throw Error("axes has axis " + std::to_string(axes[i]) + " more than once");
    seen[axis] = true;
    if (steps[i] == 0) throw Error("steps must not be 0");
    ranges[axis] = clamp_range(starts[i], ends[i], steps[i], in.shape[axis]);
  }
  const std::vector<std::int64_t> in_strides = strides_of(in.shape);
  Shape out_shape(rank);
  std::vector<std::int64_t> strides(rank);
  std::int64_t offset = 0;
  for (std::size_t k = 0; k < rank; ++k) {
    out_shape[k] = ranges[k].count;
    strides[k] = in_strides[k] * ranges[k].step;
    offset += ranges[k].start * in_strides[k];
  }
  StridedCopy copy(out_shape, strides, offset, dtype_size(in.dtype));
  return prepare_strided_copy(in.dtype, std::move(out_shape), std::move(copy));
}

}  // namespace rknn::sim::ops
