// Transpose: output axis k is input axis perm[k], a strided view of the input.
#include <algorithm>

#include "kernels/reference/quantized_elementwise.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {

Prepared prepare_transpose(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions&) {
  expect_input_count(inputs, 1, 1);
  reference::expect_same_params(node, inputs[0]);  // codes move unchanged
  const TensorType& in = inputs[0].type;
  const std::size_t rank = in.shape.size();
  std::vector<std::int64_t> perm(rank);
  for (std::size_t k = 0; k < rank; ++k) perm[k] = static_cast<std::int64_t>(rank - 1 - k);  // reversed
  perm = node.attrs.get_ints("perm", perm);
  std::vector<bool> seen(rank, false);
  bool valid = perm.size() == rank;
  for (std::size_t k = 0; valid && k < rank; ++k) {
    valid =
        perm[k] >= 0 && perm[k] < static_cast<std::int64_t>(rank) && !seen[static_cast<std::size_t>(perm[k])];
    if (valid) seen[static_cast<std::size_t>(perm[k])] = true;
  }
  if (!valid) {
    throw Error("perm " + shape_to_string(perm) + " is not a permutation of the " + std::to_string(rank) +
                " axes of " + in.to_string());
  }
  const std::vector<std::int64_t> in_strides = strides_of(in.shape);
  Shape out_shape(rank);
  std::vector<std::int64_t> strides(rank);
  for (std::size_t k = 0; k < rank; ++k) {
    out_shape[k] = in.shape[static_cast<std::size_t>(perm[k])];
    strides[k] = in_strides[static_cast<std::size_t>(perm[k])];
  }
  StridedCopy copy(out_shape, strides, 0, dtype_size(in.dtype));
  return prepare_strided_copy(in.dtype, std::move(out_shape), std::move(copy));
}

}  // namespace rknn::sim::ops
