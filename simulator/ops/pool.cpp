// MaxPool, AveragePool (1-D and 2-D) and GlobalAveragePool, GlobalMaxPool
// (any rank >= 3), ONNX opset 17, NCHW. One implementation serves both the
// reference and the fast mode: the plain window loop is already the fast one.
#include "kernels/reference/pool.h"

#include "kernels/reference/window.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

using reference::PoolParams;

// Decodes the window attributes; returns the output shape.
Shape decode_window(const OpNode& node, const InputInfo& x, PoolParams& p) {
  expect_dtype(x, {DType::kFloat32}, "X");
  const std::size_t rank = window_spatial_rank(x, "pooling");
  const Shape& xs = x.type.shape;
  const reference::WindowAttrs wa = reference::read_window_attrs(node.attrs, rank, {});
  const bool ceil_mode = node.attrs.get_int("ceil_mode", 0) != 0;
  p.planes = xs[0] * xs[1];
  Shape out{xs[0], xs[1]};
  for (std::size_t i = 0; i < rank; ++i) {
    const reference::WindowAxis a =
        reference::forward_window_axis(xs[2 + i], wa.kernel[i], wa.strides[i], wa.dilations[i],
                                       wa.pads[i], wa.pads[rank + i], wa.auto_pad, ceil_mode);
    p.set_axis(rank, i,
               {xs[2 + i], a.out, wa.kernel[i], wa.strides[i], wa.dilations[i], a.pad_begin},
               a.pad_end);
    out.push_back(a.out);
  }
  return out;
}

Shape global_output_shape(const InputInfo& x) {
  expect_dtype(x, {DType::kFloat32}, "X");
  const Shape& xs = x.type.shape;
  if (xs.size() < 3)
    throw Error("X must have rank >= 3 (N, C, spatial...), got " + x.type.to_string());
  Shape out(xs.size(), 1);
  out[0] = xs[0];
  out[1] = xs[1];
  return out;
}

// GlobalAveragePool and GlobalMaxPool: `reduce` turns each N*C plane into one value.
using GlobalPool = void (*)(std::int64_t planes, std::int64_t plane_size, const float* x, float* y,
                            ThreadPool& pool);

Prepared prepare_global_pool(std::span<const InputInfo> inputs, GlobalPool reduce) {
  expect_input_count(inputs, 1, 1);
  const Shape out = global_output_shape(inputs[0]);
  const Shape& xs = inputs[0].type.shape;
  const std::int64_t planes = xs[0] * xs[1];
  const std::int64_t plane_size = planes == 0 ? 0 : element_count(xs) / planes;
  Prepared prepared;
  prepared.outputs.push_back({DType::kFloat32, out});
  prepared.kernel =
      make_kernel([planes, plane_size, reduce](std::span<const Tensor* const> in,
                                               std::span<Tensor* const> o, ThreadPool& pool) {
        reduce(planes, plane_size, in[0]->data<float>(), o[0]->data<float>(), pool);
      });
  return prepared;
}

}  // namespace

Prepared prepare_max_pool(const OpNode& node, std::span<const InputInfo> inputs,
                          const KernelOptions&) {
  expect_input_count(inputs, 1, 1);
  PoolParams p;
  const Shape out = decode_window(node, inputs[0], p);
  const std::int64_t storage_order = node.attrs.get_int("storage_order", 0);
  if (storage_order != 0 && storage_order != 1) {
    throw Error("storage_order must be 0 (row major) or 1 (column major), got " +
                std::to_string(storage_order));
  }
  p.column_major_indices = storage_order == 1;
  Prepared prepared;
  prepared.outputs.push_back({DType::kFloat32, out});
  prepared.outputs.push_back(
      {DType::kInt64, out});  // Indices, computed only when the graph uses it
  prepared.kernel = make_kernel(
      [p](std::span<const Tensor* const> in, std::span<Tensor* const> o, ThreadPool& pool) {
        std::int64_t* indices = o.size() > 1 && o[1] ? o[1]->data<std::int64_t>() : nullptr;
        reference::max_pool(p, in[0]->data<float>(), o[0]->data<float>(), indices, pool);
      });
  return prepared;
}

Prepared prepare_average_pool(const OpNode& node, std::span<const InputInfo> inputs,
                              const KernelOptions&) {
  expect_input_count(inputs, 1, 1);
  PoolParams p;
  const Shape out = decode_window(node, inputs[0], p);
  p.count_include_pad = node.attrs.get_int("count_include_pad", 0) != 0;
  Prepared prepared;
  prepared.outputs.push_back({DType::kFloat32, out});
  prepared.kernel = make_kernel(
      [p](std::span<const Tensor* const> in, std::span<Tensor* const> o, ThreadPool& pool) {
        reference::average_pool(p, in[0]->data<float>(), o[0]->data<float>(), pool);
      });
  return prepared;
}

Prepared prepare_global_average_pool(const OpNode&, std::span<const InputInfo> inputs,
                                     const KernelOptions&) {
  return prepare_global_pool(inputs, reference::global_average_pool);
}

Prepared prepare_global_max_pool(const OpNode&, std::span<const InputInfo> inputs,
                                 const KernelOptions&) {
  return prepare_global_pool(inputs, reference::global_max_pool);
}

}  // namespace rknn::sim::ops
