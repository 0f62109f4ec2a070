// Split: the inverse of Concat. Seen as [outer, axis * inner] rows, every
// output takes one contiguous block of each input row.
//
// Without a `split` input the parts are equal, and their number is the
// node's output count (or the opset-18 `num_outputs` attribute when given).
#include <algorithm>
#include <cstring>

#include "kernels/reference/quantized_elementwise.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

struct SplitParams {
  std::int64_t outer = 1;
  std::vector<std::int64_t> block_bytes;  // per output: its axis size * inner * element size
  std::int64_t row_bytes = 0;
};

void run_split(const SplitParams& p, const Tensor& in, std::span<Tensor* const> out, ThreadPool& pool) {
  const std::int64_t grain = std::max<std::int64_t>(1, 64 * 1024 / std::max<std::int64_t>(p.row_bytes, 1));
  pool.parallel_for(p.outer, grain, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t row = begin; row < end; ++row) {
      const std::byte* src = in.raw() + row * p.row_bytes;
      for (std::size_t i = 0; i < out.size(); ++i) {
        const std::int64_t n = p.block_bytes[i];
        if (out[i] && n) std::memcpy(out[i]->raw() + row * n, src, static_cast<std::size_t>(n));
        src += n;
      }
    }
  });
}

std::vector<std::int64_t> part_sizes(const OpNode& node, std::span<const InputInfo> inputs,
                                     std::int64_t axis_size) {
  if (optional_input(inputs, 1)) {
    std::vector<std::int64_t> sizes = require_constant(inputs, 1, "split").to_int64_vector();
    std::int64_t total = 0;
    for (std::int64_t s : sizes) {
      if (s < 0) throw Error("split " + shape_to_string(sizes) + " has a negative size");
      total += s;
    }
    if (sizes.empty() || total != axis_size) {
      throw Error("split " + shape_to_string(sizes) + " must sum to the axis size " +
                  std::to_string(axis_size));
    }
    return sizes;
  }
  const std::int64_t parts = node.attrs.get_int("num_outputs", static_cast<std::int64_t>(node.output_count));
  if (parts <= 0 || axis_size % parts != 0) {
    throw Error("axis size " + std::to_string(axis_size) + " cannot be split into " + std::to_string(parts) +
                " equal parts");
  }
  return std::vector<std::int64_t>(static_cast<std::size_t>(parts), axis_size / parts);
}

}  // namespace

Prepared prepare_split(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions&) {
  expect_input_count(inputs, 1, 2);
  const TensorType& in = inputs[0].type;
  if (in.shape.empty()) throw Error("cannot split a scalar");
  const auto axis =
      static_cast<std::size_t>(normalize_axis(node.attrs.get_int("axis", 0), in.shape.size(), "axis"));
  const std::vector<std::int64_t> sizes = part_sizes(node, inputs, in.shape[axis]);
  for (std::size_t i = 0; i < sizes.size(); ++i) reference::expect_same_params(node, inputs[0], i);
  SplitParams params;
  params.outer = element_count(std::span(in.shape).first(axis));
  const std::int64_t inner = element_count(std::span(in.shape).subspan(axis + 1));
  const auto element = static_cast<std::int64_t>(dtype_size(in.dtype));
  Prepared p;
  for (std::int64_t s : sizes) {
    Shape shape = in.shape;
    shape[axis] = s;
    p.outputs.push_back({in.dtype, std::move(shape)});
    params.block_bytes.push_back(s * inner * element);
    params.row_bytes += params.block_bytes.back();
  }
  p.kernel = make_kernel([params](std::span<const Tensor* const> in_tensors, std::span<Tensor* const> out,
                                  ThreadPool& pool) { run_split(params, *in_tensors[0], out, pool); });
  return p;
}

}  // namespace rknn::sim::ops
