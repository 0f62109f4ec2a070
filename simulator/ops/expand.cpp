// Expand: broadcasts the input to the numpy-style broadcast of its shape and
// the requested shape, a strided view with stride 0 on broadcast axes.
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {

Prepared prepare_expand(const OpNode&, std::span<const InputInfo> inputs, const KernelOptions&) {
  expect_input_count(inputs, 2, 2);
  const TensorType& in = inputs[0].type;
  const Tensor& shape_tensor = require_constant(inputs, 1, "shape");
  if (shape_tensor.shape().size() != 1) {
    throw Error("shape must be 1-D, got " + shape_tensor.type().to_string());
  }
  const std::vector<std::int64_t> requested = shape_tensor.to_int64_vector();
  for (std::int64_t d : requested) {
    if (d < 0) throw Error("shape " + shape_to_string(requested) + " has a negative dimension");
  }
  Shape out_shape = broadcast_shapes(in.shape, requested, "input and shape");
  StridedCopy copy(out_shape, broadcast_strides(in.shape, out_shape), 0, dtype_size(in.dtype));
  Prepared p;
  p.outputs.push_back({in.dtype, std::move(out_shape)});
  p.kernel = make_kernel(
      [copy = std::move(copy)](std::span<const Tensor* const> in_tensors, std::span<Tensor* const> out,
                               ThreadPool& pool) { copy.run(in_tensors[0]->raw(), out[0]->raw(), pool); });
  return p;
}

}  // namespace rknn::sim::ops
