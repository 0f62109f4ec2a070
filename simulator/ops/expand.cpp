// Expand: broadcasts the input to the numpy-style broadcast of its shape and
// the requested shape, a strided view with stride 0 on broadcast axes.
#include "kernels/reference/quantized_elementwise.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {

Prepared prepare_expand(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions&) {
  expect_input_count(inputs, 2, 2);
  reference::expect_same_params(node, inputs[0]);  // codes move unchanged
  const TensorType& in = inputs[0].type;
  const std::vector<std::int64_t> requested = require_constant_ints(inputs, 1, "shape");
  for (std::int64_t d : requested) {
    if (d < 0) throw Error("shape " + shape_to_string(requested) + " has a negative dimension");
  }
  Shape out_shape = broadcast_shapes(in.shape, requested, "input and shape");
  StridedCopy copy(out_shape, broadcast_strides(in.shape, out_shape), 0, dtype_size(in.dtype));
  return prepare_strided_copy(in.dtype, std::move(out_shape), std::move(copy));
}

}  // namespace rknn::sim::ops
