// Softmax and LogSoftmax along one axis (opset 13 semantics, axis default -1).
//
// The input is viewed as [outer, n, inner]: each of the outer * inner columns
// of n values is normalized on its own. Numerically stable: the column max is
// subtracted before exp. The denominator is summed in double, in index order,
// inside one task, so the bytes do not depend on the thread count.
//
// softmax_each (the reference) finishes one column at a time; softmax_rows,
// used when inner > 1, processes neighbouring columns side by side so reads
// are sequential. Each column sees the same float operations in both.
//
// A quantized input runs the integer softmax of kernels/reference/
// quantized_tables.h, one column at a time (its only loop); LogSoftmax of a
// quantized input is UnsupportedError (the compiler keeps it in float).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "kernels/reference/quantized_tables.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

// Input elements per task, roughly.
constexpr std::int64_t kGrain = 1 << 14;

struct SoftmaxPlan {
  std::int64_t n = 1;      // length of the softmax axis
  std::int64_t inner = 1;  // elements after it (the column stride)
};

// A NaN, once seen, stays the max (and so makes the column NaN).
float max_step(float m, float v) { return (m < v || v != v) ? v : m; }

// One column of n values, `stride` apart.
template <bool kLog>
void softmax_column(const float* x, float* y, std::int64_t n, std::int64_t stride) {
  float m = -std::numeric_limits<float>::infinity();
  for (std::int64_t i = 0; i < n; ++i) m = max_step(m, x[i * stride]);
  double sum = 0.0;
  for (std::int64_t i = 0; i < n; ++i) {
    const float e = std::exp(x[i * stride] - m);
    if constexpr (!kLog) y[i * stride] = e;
    sum += e;
  }
  if constexpr (kLog) {
    const auto log_sum = static_cast<float>(std::log(sum));
    for (std::int64_t i = 0; i < n; ++i) y[i * stride] = (x[i * stride] - m) - log_sum;
  } else {
    for (std::int64_t i = 0; i < n; ++i) y[i * stride] = static_cast<float>(y[i * stride] / sum);
  }
}

template <bool kLog>
void softmax_each(const SoftmaxPlan& p, const float* x, float* y, std::int64_t begin, std::int64_t end) {
  for (std::int64_t c = begin; c < end; ++c) {
    const std::int64_t base = c / p.inner * p.n * p.inner + c % p.inner;
    softmax_column<kLog>(x + base, y + base, p.n, p.inner);
  }
}

// Columns j0 .. j0+w of one outer block, updated together.
template <bool kLog>
void softmax_block(const float* x, float* y, std::int64_t n, std::int64_t stride, std::size_t w,
                   std::vector<float>& m, std::vector<double>& sum) {
  std::fill_n(m.begin(), w, -std::numeric_limits<float>::infinity());
  std::fill_n(sum.begin(), w, 0.0);
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < w; ++k) m[k] = max_step(m[k], x[i * stride + static_cast<std::int64_t>(k)]);
  }
  for (std::int64_t i = 0; i < n; ++i) {
    const float* xi = x + i * stride;
    float* yi = y + i * stride;
    for (std::size_t k = 0; k < w; ++k) {
      const float e = std::exp(xi[k] - m[k]);
      if constexpr (!kLog) yi[k] = e;
      sum[k] += e;
    }
  }
  if constexpr (kLog) {
    for (std::size_t k = 0; k < w; ++k) sum[k] = static_cast<float>(std::log(sum[k]));
  }
  for (std::int64_t i = 0; i < n; ++i) {
    const float* xi = x + i * stride;
    float* yi = y + i * stride;
    for (std::size_t k = 0; k < w; ++k) {
      if constexpr (kLog) yi[k] = (xi[k] - m[k]) - static_cast<float>(sum[k]);
      else yi[k] = static_cast<float>(yi[k] / sum[k]);
    }
  }
}

template <bool kLog>
void softmax_rows(const SoftmaxPlan& p, const float* x, float* y, std::int64_t begin, std::int64_t end) {
  const auto most = static_cast<std::size_t>(std::min(p.inner, end - begin));
  std::vector<float> m(most);
  std::vector<double> sum(most);
  for (std::int64_t c = begin; c < end;) {
    const std::int64_t j = c % p.inner;
    const std::int64_t w = std::min(p.inner - j, end - c);
    const std::int64_t base = c / p.inner * p.n * p.inner + j;
    softmax_block<kLog>(x + base, y + base, p.n, p.inner, static_cast<std::size_t>(w), m, sum);
    c += w;
  }
}

using SoftmaxFn = void (*)(const SoftmaxPlan&, const float*, float*, std::int64_t, std::int64_t);

template <bool kLog>
SoftmaxFn choose(const SoftmaxPlan& p, bool reference) {
  return reference || p.inner == 1 ? softmax_each<kLog> : softmax_rows<kLog>;
}

std::unique_ptr<Kernel> quantized_kernel(const OpNode& node, const InputInfo& x, SoftmaxPlan plan,
                                         std::int64_t columns, std::int64_t grain) {
  if (node.op == "LogSoftmax") {
    throw UnsupportedError("LogSoftmax of a quantized input has no integer kernel; the compiler keeps it in float");
  }
  const reference::QScale in = reference::input_scale(x, "input");
  reference::SoftmaxTable table = reference::make_softmax_table(in, reference::output_scale(node, 0, in.dtype));
  return reference::with_code_type(in.dtype, [&](auto zero) -> std::unique_ptr<Kernel> {
    using T = decltype(zero);
    return make_kernel([plan, columns, grain, table = std::move(table)](
                           std::span<const Tensor* const> in_tensors, std::span<Tensor* const> out, ThreadPool& pool) {
      const T* px = in_tensors[0]->data<T>();
      T* py = out[0]->data<T>();
      pool.parallel_for(columns, grain, [&](std::int64_t b, std::int64_t e) {
        for (std::int64_t c = b; c < e; ++c) {
          const std::int64_t base = c / plan.inner * plan.n * plan.inner + c % plan.inner;
          reference::softmax_column(table, px + base, py + base, plan.n, plan.inner);
        }
      });
    });
  });
}

}  // namespace

Prepared prepare_softmax(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions& options) {
  expect_input_count(inputs, 1, 1);
  const InputInfo& x = inputs[0];
  const bool quantized = reference::is_quantized(x);
  if (!quantized) expect_dtype(x, {DType::kFloat32}, "input");
  const Shape& shape = x.type.shape;
  const int axis = normalize_axis(node.attrs.get_int("axis", -1), shape.size(), "axis");
  SoftmaxPlan plan;
  plan.n = shape[static_cast<std::size_t>(axis)];
  for (std::size_t d = static_cast<std::size_t>(axis) + 1; d < shape.size(); ++d) plan.inner *= shape[d];
  const bool log = node.op == "LogSoftmax";
  const std::int64_t columns = plan.n == 0 ? 0 : x.type.element_count() / plan.n;
  const std::int64_t grain = std::max<std::int64_t>(1, kGrain / std::max<std::int64_t>(plan.n, 1));
  Prepared prepared;
  prepared.outputs = {x.type};
  if (quantized) {
    prepared.kernel = quantized_kernel(node, x, plan, columns, grain);
    return prepared;
  }
  const SoftmaxFn fn = log ? choose<true>(plan, options.reference) : choose<false>(plan, options.reference);
  prepared.kernel = make_kernel([plan, fn, columns, grain](std::span<const Tensor* const> in,
                                                          std::span<Tensor* const> out, ThreadPool& pool) {
    const float* px = in[0]->data<float>();
    float* py = out[0]->data<float>();
    pool.parallel_for(columns, grain, [&](std::int64_t b, std::int64_t e) { fn(plan, px, py, b, e); });
  });
  return prepared;
}

}  // namespace rknn::sim::ops
