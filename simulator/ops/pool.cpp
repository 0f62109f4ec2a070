// MaxPool, AveragePool (1-D and 2-D) and GlobalAveragePool, GlobalMaxPool
// (any rank >= 3), ONNX opset 17, NCHW. One implementation serves both the
// reference and the fast mode: the plain window loop is already the fast one.
//
// Integer X (uint8, int8, int16) takes the integer kernels of
// kernels/reference/quantized_pool.h: max pools compare codes (output
// parameters, when both sides record them, must equal the input's); average
// pools need per-tensor parameters on both sides and divide exact sums with
// rounding half away from zero (docs/quantization-nn.md).
#include "kernels/reference/pool.h"

#include "kernels/reference/quantized_common.h"
#include "kernels/reference/quantized_pool.h"
#include "kernels/reference/quantized_setup.h"
#include "kernels/reference/window.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

using reference::PoolParams;

// Decodes the window attributes; returns the output shape.
Shape decode_window(const OpNode& node, const InputInfo& x, PoolParams& p) {
  expect_dtype(x, {DType::kFloat32, DType::kUInt8, DType::kInt8, DType::kInt16}, "X");
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
  expect_dtype(x, {DType::kFloat32, DType::kUInt8, DType::kInt8, DType::kInt16}, "X");
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

std::int64_t plane_size_of(const Shape& xs) {
  const std::int64_t planes = xs[0] * xs[1];
  return planes == 0 ? 0 : element_count(xs) / planes;
}

Prepared prepare_global_pool(std::span<const InputInfo> inputs, GlobalPool reduce) {
  const Shape out = global_output_shape(inputs[0]);
  const Shape& xs = inputs[0].type.shape;
  const std::int64_t planes = xs[0] * xs[1];
  const std::int64_t plane_size = plane_size_of(xs);
  Prepared prepared;
  prepared.outputs.push_back({DType::kFloat32, out});
  prepared.kernel =
      make_kernel([planes, plane_size, reduce](std::span<const Tensor* const> in,
                                               std::span<Tensor* const> o, ThreadPool& pool) {
        reduce(planes, plane_size, in[0]->data<float>(), o[0]->data<float>(), pool);
      });
  return prepared;
}

// ---- Integer paths ----

bool is_integer(const InputInfo& x) { return reference::is_quantized_type(x.type.dtype); }

// A max pool passes codes through: if both sides record parameters they must agree.
void check_same_params(const OpNode& node, const InputInfo& x) {
  const QuantParams* y = output_quant(node);
  if (x.quant && y && !(*x.quant == *y)) {
    throw Error("the output's quantization parameters must equal the input's: a max pool "
                "compares and copies codes");
  }
}

// Input and output parameters of an average pool: mean offsets times x_scale / y_scale.
reference::QuantizedAverage quantized_average(const OpNode& node, const InputInfo& x) {
  const QuantParams& xq = require_input_quant(x, "X");
  const QuantParams& yq = require_output_quant(node);
  expect_per_tensor(xq, "X");
  expect_per_tensor(yq, "Y");
  return {xq.zero_point[0], yq.zero_point[0],
          make_multiplier(static_cast<double>(xq.scale[0]) / yq.scale[0]),
          code_range(x.type.dtype)};
}

template <class T>
std::unique_ptr<Kernel> integer_max_pool_kernel(const PoolParams& p) {
  return make_kernel(
      [p](std::span<const Tensor* const> in, std::span<Tensor* const> o, ThreadPool& pool) {
        std::int64_t* indices = o.size() > 1 && o[1] ? o[1]->data<std::int64_t>() : nullptr;
        reference::quantized_max_pool<T>(p, in[0]->data<T>(), o[0]->data<T>(), indices, pool);
      });
}

template <class T>
std::unique_ptr<Kernel> integer_average_pool_kernel(const PoolParams& p,
                                                    const reference::QuantizedAverage& q) {
  return make_kernel(
      [p, q](std::span<const Tensor* const> in, std::span<Tensor* const> o, ThreadPool& pool) {
        reference::quantized_average_pool<T>(p, q, in[0]->data<T>(), o[0]->data<T>(), pool);
      });
}

Prepared prepare_integer_global_max_pool(const OpNode& node, const InputInfo& x) {
  check_same_params(node, x);
  const Shape out = global_output_shape(x);
  const std::int64_t planes = x.type.shape[0] * x.type.shape[1];
  const std::int64_t size = plane_size_of(x.type.shape);
  Prepared prepared;
  prepared.outputs.push_back({x.type.dtype, out});
  prepared.kernel = reference::visit_quantized(x.type.dtype, [&](auto t) {
    using T = decltype(t);
    return make_kernel([planes, size](std::span<const Tensor* const> in,
                                      std::span<Tensor* const> o, ThreadPool& pool) {
      reference::quantized_global_max_pool<T>(planes, size, in[0]->data<T>(), o[0]->data<T>(),
                                              pool);
    });
  });
  return prepared;
}

Prepared prepare_integer_global_average_pool(const OpNode& node, const InputInfo& x) {
  const reference::QuantizedAverage q = quantized_average(node, x);
  const Shape out = global_output_shape(x);
  const std::int64_t planes = x.type.shape[0] * x.type.shape[1];
  const std::int64_t size = plane_size_of(x.type.shape);
  Prepared prepared;
  prepared.outputs.push_back({x.type.dtype, out});
  prepared.kernel = reference::visit_quantized(x.type.dtype, [&](auto t) {
    using T = decltype(t);
    return make_kernel([planes, size, q](std::span<const Tensor* const> in,
                                         std::span<Tensor* const> o, ThreadPool& pool) {
      reference::quantized_global_average_pool<T>(planes, size, q, in[0]->data<T>(),
                                                  o[0]->data<T>(), pool);
    });
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
  prepared.outputs.push_back({inputs[0].type.dtype, out});
  prepared.outputs.push_back(
      {DType::kInt64, out});  // Indices, computed only when the graph uses it
  if (is_integer(inputs[0])) {
    check_same_params(node, inputs[0]);
    prepared.kernel = reference::visit_quantized(
        inputs[0].type.dtype, [&](auto t) { return integer_max_pool_kernel<decltype(t)>(p); });
    return prepared;
  }
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
  prepared.outputs.push_back({inputs[0].type.dtype, out});
  if (is_integer(inputs[0])) {
    const reference::QuantizedAverage q = quantized_average(node, inputs[0]);
    prepared.kernel = reference::visit_quantized(inputs[0].type.dtype, [&](auto t) {
      return integer_average_pool_kernel<decltype(t)>(p, q);
    });
    return prepared;
  }
  prepared.kernel = make_kernel(
      [p](std::span<const Tensor* const> in, std::span<Tensor* const> o, ThreadPool& pool) {
        reference::average_pool(p, in[0]->data<float>(), o[0]->data<float>(), pool);
      });
  return prepared;
}

Prepared prepare_global_average_pool(const OpNode& node, std::span<const InputInfo> inputs,
                                     const KernelOptions&) {
  expect_input_count(inputs, 1, 1);
  if (is_integer(inputs[0])) return prepare_integer_global_average_pool(node, inputs[0]);
  return prepare_global_pool(inputs, reference::global_average_pool);
}

Prepared prepare_global_max_pool(const OpNode& node, std::span<const InputInfo> inputs,
                                 const KernelOptions&) {
  expect_input_count(inputs, 1, 1);
  if (is_integer(inputs[0])) return prepare_integer_global_max_pool(node, inputs[0]);
  return prepare_global_pool(inputs, reference::global_max_pool);
}

}  // namespace rknn::sim::ops
