// Tile: the output repeats the input repeats[k] times along each axis k.
// Splitting every output axis into (repeat, input position) makes it a
// strided view of the input with stride 0 on the repeat axes.
#include "kernels/reference/quantized_elementwise.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {

Prepared prepare_tile(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions&) {
  expect_input_count(inputs, 2, 2);
  reference::expect_same_params(node, inputs[0]);  // codes move unchanged
  const TensorType& in = inputs[0].type;
  const Tensor& repeats_tensor = require_constant(inputs, 1, "repeats");
  const std::vector<std::int64_t> repeats = repeats_tensor.to_int64_vector();
  if (repeats_tensor.shape().size() != 1 || repeats.size() != in.shape.size()) {
    throw Error("repeats must be 1-D with one value per input axis (" + std::to_string(in.shape.size()) +
                "), got " + repeats_tensor.type().to_string());
  }
  const std::vector<std::int64_t> in_strides = strides_of(in.shape);
  Shape out_shape, view_shape;
  std::vector<std::int64_t> view_strides;
  for (std::size_t k = 0; k < repeats.size(); ++k) {
    if (repeats[k] < 0) throw Error("repeats " + shape_to_string(repeats) + " has a negative value");
    out_shape.push_back(in.shape[k] * repeats[k]);
    view_shape.insert(view_shape.end(), {repeats[k], in.shape[k]});
    view_strides.insert(view_strides.end(), {0, in_strides[k]});
  }
  StridedCopy copy(view_shape, view_strides, 0, dtype_size(in.dtype));
  return prepare_strided_copy(in.dtype, std::move(out_shape), std::move(copy));
}

}  // namespace rknn::sim::ops
