// Gather: out[o, j, i] = data[o, indices[j], i] with o over the axes before
// `axis` and i over the axes after it, so each index selects one contiguous
// block of the input. Indices may be negative (counted from the back) and
// may arrive at run time.
//
// An index outside [-dim, dim) is invalid ONNX; run() must not fail, so
// instead of reading out of bounds (or clamping, which would hide the bug)
// it writes zeros for that block.
#include <algorithm>
#include <cstring>

#include "kernels/reference/quantized_elementwise.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

struct GatherParams {
  std::int64_t outer = 1;        // product of the data dimensions before the axis
  std::int64_t axis_dim = 0;     // data dimension along the axis
  std::int64_t index_count = 0;  // number of indices
  std::int64_t block_bytes = 0;  // one selected block: inner elements * element size
};

template <class Index>
void gather_blocks(const GatherParams& p, const std::byte* data, const Index* indices, std::byte* out,
                   std::int64_t begin, std::int64_t end) {
  for (std::int64_t b = begin; b < end; ++b) {
    const std::int64_t o = b / p.index_count;
    auto index = static_cast<std::int64_t>(indices[b % p.index_count]);
    if (index < 0) index += p.axis_dim;
    std::byte* dst = out + b * p.block_bytes;
    const auto n = static_cast<std::size_t>(p.block_bytes);
    if (index < 0 || index >= p.axis_dim) {
      std::memset(dst, 0, n);  // invalid index: zeros, see the file comment
    } else {
      std::memcpy(dst, data + (o * p.axis_dim + index) * p.block_bytes, n);
    }
  }
}

template <class Index>
void run_gather(const GatherParams& p, const Tensor& data, const Tensor& indices, Tensor& out,
                ThreadPool& pool) {
  const std::int64_t blocks = p.outer * p.index_count;
  const std::int64_t grain = std::max<std::int64_t>(1, 64 * 1024 / std::max<std::int64_t>(p.block_bytes, 1));
  const Index* index_values = indices.data<Index>();
  pool.parallel_for(blocks, grain, [&](std::int64_t begin, std::int64_t end) {
    gather_blocks(p, data.raw(), index_values, out.raw(), begin, end);
  });
}

}  // namespace

Prepared prepare_gather(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions&) {
  expect_input_count(inputs, 2, 2);
  reference::expect_same_params(node, inputs[0]);  // codes move unchanged
  const TensorType& data = inputs[0].type;
  const TensorType& indices = inputs[1].type;
  expect_dtype(inputs[1], {DType::kInt32, DType::kInt64}, "indices");
  if (data.shape.empty()) throw Error("data must have rank >= 1, got a scalar");
  const auto axis =
      static_cast<std::size_t>(normalize_axis(node.attrs.get_int("axis", 0), data.shape.size(), "axis"));
  GatherParams params;
  params.outer = element_count(std::span(data.shape).first(axis));
  params.axis_dim = data.shape[axis];
  params.index_count = indices.element_count();
  params.block_bytes = element_count(std::span(data.shape).subspan(axis + 1)) *
                       static_cast<std::int64_t>(dtype_size(data.dtype));
  Shape out_shape(data.shape.begin(), data.shape.begin() + static_cast<std::ptrdiff_t>(axis));
  out_shape.insert(out_shape.end(), indices.shape.begin(), indices.shape.end());
  out_shape.insert(out_shape.end(), data.shape.begin() + static_cast<std::ptrdiff_t>(axis) + 1,
                   data.shape.end());
  Prepared p;
  p.outputs.push_back({data.dtype, std::move(out_shape)});
  if (indices.dtype == DType::kInt32) {
    p.kernel = make_kernel(
        [params](std::span<const Tensor* const> in, std::span<Tensor* const> out, ThreadPool& pool) {
          run_gather<std::int32_t>(params, *in[0], *in[1], *out[0], pool);
        });
  } else {
    p.kernel = make_kernel(
        [params](std::span<const Tensor* const> in, std::span<Tensor* const> out, ThreadPool& pool) {
          run_gather<std::int64_t>(params, *in[0], *in[1], *out[0], pool);
        });
  }
  return p;
}

}  // namespace rknn::sim::ops
