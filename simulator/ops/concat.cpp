// Concat: joins the inputs along one axis. Seen as [outer, axis * inner]
// rows, every input contributes one contiguous block to each output row.
//
// Quantized inputs are each requantized to the output's parameters,
// q_out = saturate(zp_out + round((q - zp_in) * s_in / s_out)) (rounding half
// up), and copied unchanged when their parameters equal the output's.
#include <algorithm>
#include <cstring>

#include "kernels/reference/quantized_elementwise.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

struct ConcatParams {
  std::int64_t outer = 1;                 // product of the dimensions before the axis
  std::vector<std::int64_t> block_bytes;  // per input: its axis size * inner * element size
  std::int64_t row_bytes = 0;             // sum of block_bytes
};

void run_concat(const ConcatParams& p, std::span<const Tensor* const> in, Tensor& out, ThreadPool& pool) {
  if (p.outer == 1) {
    std::byte* dst = out.raw();
    for (std::size_t i = 0; i < in.size(); ++i) {
      parallel_copy(dst, in[i]->raw(), static_cast<std::size_t>(p.block_bytes[i]), pool);
      dst += p.block_bytes[i];
    }
    return;
  }
  const std::int64_t grain = std::max<std::int64_t>(1, 64 * 1024 / std::max<std::int64_t>(p.row_bytes, 1));
  pool.parallel_for(p.outer, grain, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t row = begin; row < end; ++row) {
      std::byte* dst = out.raw() + row * p.row_bytes;
      for (std::size_t i = 0; i < in.size(); ++i) {
        const std::int64_t n = p.block_bytes[i];
        if (n) std::memcpy(dst, in[i]->raw() + row * n, static_cast<std::size_t>(n));
        dst += n;
      }
    }
  });
}

// One input block of one output row, requantized; the fast path copies
// blocks whose requantization is the identity.
template <class T>
void requantize_block(const reference::Requantizer& r, const T* x, T* y, std::int64_t n, bool reference) {
  if (r.identity && !reference) {
    if (n) std::memcpy(y, x, static_cast<std::size_t>(n) * sizeof(T));
    return;
  }
  for (std::int64_t k = 0; k < n; ++k) y[k] = static_cast<T>(r.apply(x[k]));
}

template <class T>
void run_quantized_concat(const ConcatParams& p, const std::vector<reference::Requantizer>& r, bool reference,
                          std::span<const Tensor* const> in, Tensor& out, ThreadPool& pool) {
  const auto size = static_cast<std::int64_t>(sizeof(T));
  const std::int64_t row = p.row_bytes / size;
  const std::int64_t grain = std::max<std::int64_t>(1, 16 * 1024 / std::max<std::int64_t>(row, 1));
  pool.parallel_for(p.outer, grain, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t o = begin; o < end; ++o) {
      T* y = out.data<T>() + o * row;
      for (std::size_t i = 0; i < in.size(); ++i) {
        const std::int64_t n = p.block_bytes[i] / size;
        requantize_block(r[i], in[i]->data<T>() + o * n, y, n, reference);
        y += n;
      }
    }
  });
}

std::unique_ptr<Kernel> quantized_kernel(const OpNode& node, std::span<const InputInfo> inputs,
                                         ConcatParams params, bool reference) {
  const DType dtype = inputs[0].type.dtype;
  const reference::QScale y = reference::output_scale(node, 0, dtype);
  std::vector<reference::Requantizer> r;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!reference::is_quantized(inputs[i])) {
      throw Error("input " + std::to_string(i) + " (" + inputs[i].type.to_string() +
                  ") has no quantization parameters while input 0 is quantized");
    }
    r.push_back(reference::make_requantizer(reference::input_scale(inputs[i], "input " + std::to_string(i)), y));
  }
  return reference::with_code_type(dtype, [&](auto zero) -> std::unique_ptr<Kernel> {
    using T = decltype(zero);
    return make_kernel([params = std::move(params), r = std::move(r), reference](
                           std::span<const Tensor* const> in, std::span<Tensor* const> out, ThreadPool& pool) {
      run_quantized_concat<T>(params, r, reference, in, *out[0], pool);
    });
  });
}

}  // namespace

Prepared prepare_concat(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions& options) {
  if (inputs.empty()) throw Error("expects at least 1 input, got 0");
  expect_input_count(inputs, inputs.size(), inputs.size());
  const TensorType& first = inputs[0].type;
  if (first.shape.empty()) throw Error("cannot concatenate scalars");
  const int axis = normalize_axis(node.attrs.require_int("axis"), first.shape.size(), "axis");
  const auto axis_index = static_cast<std::size_t>(axis);
  Shape out_shape = first.shape;
  out_shape[axis_index] = 0;
  for (const InputInfo& input : inputs) {
    const TensorType& t = input.type;
    bool compatible = t.dtype == first.dtype && t.shape.size() == first.shape.size();
    for (std::size_t k = 0; compatible && k < t.shape.size(); ++k) {
      compatible = k == axis_index || t.shape[k] == first.shape[k];
    }
    if (!compatible) {
      throw Error("inputs " + first.to_string() + " and " + t.to_string() +
                  " differ in element type, rank or a dimension other than axis " + std::to_string(axis));
    }
    out_shape[axis_index] += t.shape[axis_index];
  }
  ConcatParams params;
  params.outer = element_count(std::span(first.shape).first(axis_index));
  const std::int64_t inner = element_count(std::span(first.shape).subspan(axis_index + 1));
  const auto size = static_cast<std::int64_t>(dtype_size(first.dtype));
  for (const InputInfo& input : inputs) {
    params.block_bytes.push_back(input.type.shape[axis_index] * inner * size);
    params.row_bytes += params.block_bytes.back();
  }
  Prepared p;
  p.outputs.push_back({first.dtype, std::move(out_shape)});
  if (reference::is_quantized(inputs[0])) {
    p.kernel = quantized_kernel(node, inputs, std::move(params), options.reference);
    return p;
  }
  p.kernel = make_kernel([params](std::span<const Tensor* const> in, std::span<Tensor* const> out,
                                  ThreadPool& pool) { run_concat(params, in, *out[0], pool); });
  return p;
}

}  // namespace rknn::sim::ops
