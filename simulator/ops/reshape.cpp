// Reshape, Flatten, Squeeze, Unsqueeze: new shape, same bytes in the same
// order. The executor gives every value its own buffer, so the kernel copies.
// Quantized codes move unchanged: the output must carry the input's parameters.
#include <algorithm>

#include "kernels/reference/quantized_elementwise.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

Prepared copy_with_shape(DType dtype, Shape shape) {
  Prepared p;
  p.outputs.push_back({dtype, std::move(shape)});
  p.kernel =
      make_kernel([](std::span<const Tensor* const> in, std::span<Tensor* const> out, ThreadPool& pool) {
        parallel_copy(out[0]->raw(), in[0]->raw(), in[0]->byte_size(), pool);
      });
  return p;
}

// Resolves Reshape's requested shape: 0 copies the input dimension (unless
// allowzero), one -1 is inferred from the element count.
Shape resolve_reshape(const Shape& input, const std::vector<std::int64_t>& requested, bool allow_zero) {
  Shape out(requested.size());
  int inferred = -1;
  bool has_zero = false;
  for (std::size_t i = 0; i < requested.size(); ++i) {
    const std::int64_t d = requested[i];
    if (d == -1) {
      if (inferred >= 0) throw Error("shape " + shape_to_string(requested) + " has more than one -1");
      inferred = static_cast<int>(i);
      out[i] = 1;
    } else if (d == 0 && !allow_zero) {
      if (i >= input.size()) {
        throw Error("shape " + shape_to_string(requested) + " copies dimension " + std::to_string(i) +
                    " (0) but the input " + shape_to_string(input) + " has rank " +
                    std::to_string(input.size()));
      }
      out[i] = input[i];
    } else if (d < 0) {
      throw Error("shape " + shape_to_string(requested) + " has invalid dimension " + std::to_string(d));
    } else {
      has_zero = has_zero || d == 0;
      out[i] = d;
    }
  }
  if (inferred >= 0 && has_zero) {
    throw Error("shape " + shape_to_string(requested) + " has both -1 and 0 with allowzero=1");
  }
  const std::int64_t total = element_count(input);
  const std::int64_t known = element_count(out);
  if (inferred >= 0) {
    if (known == 0 || total % known != 0) {
      throw Error("cannot reshape " + shape_to_string(input) + " to " + shape_to_string(requested) +
                  ": the -1 dimension cannot be inferred");
    }
    out[static_cast<std::size_t>(inferred)] = total / known;
  } else if (known != total) {
    throw Error("cannot reshape " + shape_to_string(input) + " (" + std::to_string(total) + " elements) to " +
                shape_to_string(out) + " (" + std::to_string(known) + " elements)");
  }
  return out;
}

// Axes given as a constant input, each normalized to [0, rank); duplicates are an error.
std::vector<int> read_axes(const Tensor& axes, std::size_t rank) {
  std::vector<int> result;
  for (std::int64_t a : axes.to_int64_vector()) {
    const int axis = normalize_axis(a, rank, "axes");
    if (std::find(result.begin(), result.end(), axis) != result.end()) {
      throw Error("axes has axis " + std::to_string(a) + " more than once");
    }
    result.push_back(axis);
  }
  return result;
}

}  // namespace

Prepared prepare_reshape(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions&) {
  expect_input_count(inputs, 2, 2);
  const std::vector<std::int64_t> shape = require_constant_ints(inputs, 1, "shape");
  const bool allow_zero = node.attrs.get_int("allowzero", 0) != 0;
  reference::expect_same_params(node, inputs[0]);
  return copy_with_shape(inputs[0].type.dtype, resolve_reshape(inputs[0].type.shape, shape, allow_zero));
}

Prepared prepare_flatten(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions&) {
  expect_input_count(inputs, 1, 1);
  reference::expect_same_params(node, inputs[0]);
  const Shape& in = inputs[0].type.shape;
  const auto rank = static_cast<std::int64_t>(in.size());
  std::int64_t axis = node.attrs.get_int("axis", 1);
  if (axis < -rank || axis > rank) {
    throw Error("axis " + std::to_string(axis) + " is out of range [" + std::to_string(-rank) + ", " +
                std::to_string(rank) + "]");
  }
  if (axis < 0) axis += rank;
  const auto split = in.begin() + axis;
  const std::int64_t outer = element_count(std::span(in.begin(), split));
  const std::int64_t inner = element_count(std::span(split, in.end()));
  return copy_with_shape(inputs[0].type.dtype, {outer, inner});
}

Prepared prepare_squeeze(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions&) {
  expect_input_count(inputs, 1, 2);
  reference::expect_same_params(node, inputs[0]);
  const Shape& in = inputs[0].type.shape;
  std::vector<bool> drop(in.size(), false);
  if (optional_input(inputs, 1)) {
    for (int axis : read_axes(require_constant(inputs, 1, "axes"), in.size())) {
      if (in[static_cast<std::size_t>(axis)] != 1) {
        throw Error("cannot squeeze axis " + std::to_string(axis) + " of shape " + shape_to_string(in) +
                    ": its size is not 1");
      }
      drop[static_cast<std::size_t>(axis)] = true;
    }
  } else {
    for (std::size_t i = 0; i < in.size(); ++i) drop[i] = in[i] == 1;
  }
  Shape out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (!drop[i]) out.push_back(in[i]);
  }
  return copy_with_shape(inputs[0].type.dtype, std::move(out));
}

Prepared prepare_unsqueeze(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions&) {
  expect_input_count(inputs, 2, 2);
  reference::expect_same_params(node, inputs[0]);
  const Shape& in = inputs[0].type.shape;
  const Tensor& axes = require_constant(inputs, 1, "axes");
  // Axes index the output, whose rank counts the new axes too.
  const std::size_t rank = in.size() + static_cast<std::size_t>(axes.element_count());
  std::vector<bool> inserted(rank, false);
  for (int axis : read_axes(axes, rank)) inserted[static_cast<std::size_t>(axis)] = true;
  Shape out;
  auto next = in.begin();
  for (std::size_t i = 0; i < rank; ++i) out.push_back(inserted[i] ? 1 : *next++);
  return copy_with_shape(inputs[0].type.dtype, std::move(out));
}

}  // namespace rknn::sim::ops
