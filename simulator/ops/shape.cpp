// Shape, Size and ConstantOfShape. Shapes are static, so Shape and Size are
// known at prepare; their kernels only write the precomputed values.
#include <algorithm>
#include <cstring>

#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

Prepared write_int64s(std::vector<std::int64_t> values, Shape shape) {
  Prepared p;
  p.outputs.push_back({DType::kInt64, std::move(shape)});
  p.kernel = make_kernel([values = std::move(values)](std::span<const Tensor* const>,
                                                      std::span<Tensor* const> out, ThreadPool&) {
    if (!values.empty()) std::memcpy(out[0]->raw(), values.data(), values.size() * sizeof(std::int64_t));
  });
  return p;
}

// Shape's start/end: negative counts from the back, then clamped to [0, rank].
std::int64_t clamp_dim_index(std::int64_t index, std::int64_t rank) {
  if (index < 0) index += rank;
  return std::clamp<std::int64_t>(index, 0, rank);
}

}  // namespace

Prepared prepare_shape(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions&) {
  expect_input_count(inputs, 1, 1);
  const Shape& in = inputs[0].type.shape;
  const auto rank = static_cast<std::int64_t>(in.size());
  const std::int64_t start = clamp_dim_index(node.attrs.get_int("start", 0), rank);
  const std::int64_t end = clamp_dim_index(node.attrs.get_int("end", rank), rank);
  std::vector<std::int64_t> dims;
  if (start < end) dims.assign(in.begin() + start, in.begin() + end);
  const auto count = static_cast<std::int64_t>(dims.size());
  return write_int64s(std::move(dims), {count});
}

Prepared prepare_size(const OpNode&, std::span<const InputInfo> inputs, const KernelOptions&) {
  expect_input_count(inputs, 1, 1);
  return write_int64s({inputs[0].type.element_count()}, {});
}

Prepared prepare_constant_of_shape(const OpNode& node, std::span<const InputInfo> inputs,
                                   const KernelOptions&) {
  expect_input_count(inputs, 1, 1);
  const Tensor& shape_input = require_constant(inputs, 0, "shape");
  if (shape_input.dtype() != DType::kInt64 || shape_input.shape().size() != 1) {
    throw Error("shape must be a 1-D int64 tensor, got " + shape_input.type().to_string());
  }
  Shape shape = shape_input.to_int64_vector();
  for (std::int64_t d : shape) {
    if (d < 0) throw Error("shape " + shape_to_string(shape) + " has a negative dimension");
  }
  // The fill value: one element of any type, float32 0 by default.
  Tensor value(DType::kFloat32, {1});
  if (node.attrs.has("value")) {
    value = node.attrs.get_tensor("value");
    if (value.element_count() != 1) {
      throw Error("value must have exactly one element, got " + value.type().to_string());
    }
  }
  Prepared p;
  p.outputs.push_back({value.dtype(), std::move(shape)});
  p.kernel = make_kernel(
      [value = std::move(value)](std::span<const Tensor* const>, std::span<Tensor* const> out, ThreadPool&) {
        const std::size_t size = value.byte_size();
        std::byte* dst = out[0]->raw();
        const auto count = static_cast<std::size_t>(out[0]->element_count());
        for (std::size_t i = 0; i < count; ++i) std::memcpy(dst + i * size, value.raw(), size);
      });
  return p;
}

}  // namespace rknn::sim::ops
