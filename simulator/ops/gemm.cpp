// Gemm (ONNX opset 17): Y = activation(alpha * A' * B' + beta * C), A' and B'
// optionally transposed, C optional and unidirectionally broadcast to [M, N].
//
// Quantized A and B (uint8, int8, int16 with quantization parameters) take
// the integer path of docs/quantization-nn.md: the output channels are the
// columns (B may be quantized per column), alpha is folded into the
// multipliers, and C is an int32 bias in accumulator units, of shape [N] or
// a scalar, whose scale is therefore alpha * a_scale * b_scale[j] / beta.
#include "kernels/reference/gemm.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "activation.h"
#include "kernels/optimized/quantized_gemm.h"
#include "kernels/optimized/sgemm.h"
#include "kernels/reference/quantized_gemm.h"
#include "kernels/reference/quantized_setup.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

using reference::Epilogue;
using reference::MatrixView;

struct GemmParams {
  std::int64_t m = 0, n = 0, k = 0;
  bool trans_a = false, trans_b = false;
  std::int64_t c_row_stride = 0, c_col_stride = 0;  // broadcast strides of C over [M, N]
  Epilogue epilogue;                                // bias.data is filled in at run time

  // A is [M, K] or, transposed, [K, M]; B is [K, N] or [N, K].
  MatrixView a_view(const float* a) const {
    return trans_a ? MatrixView{a, 1, m} : MatrixView{a, k, 1};
  }
  MatrixView b_view(const float* b) const {
    return trans_b ? MatrixView{b, 1, k} : MatrixView{b, n, 1};
  }
  Epilogue epilogue_with(const Tensor* c) const {
    Epilogue e = epilogue;
    if (c) e.bias = {c->data<float>(), c_row_stride, c_col_stride};
    return e;
  }
};

void check_c(const InputInfo& c, GemmParams& p) {
  expect_dtype(c, {DType::kFloat32}, "C");
  const Shape& s = c.type.shape;
  const Shape target{p.m, p.n};
  bool ok = s.size() <= 2;
  for (std::size_t i = 0; ok && i < s.size(); ++i) {
    const std::int64_t want = target[2 - s.size() + i];
    ok = s[i] == want || s[i] == 1;
  }
  if (!ok) {
    throw Error("C " + c.type.to_string() + " cannot be broadcast to the output shape [" +
                std::to_string(p.m) + "," + std::to_string(p.n) + "]");
  }
  const std::vector<std::int64_t> strides = broadcast_strides(s, target);
  p.c_row_stride = strides[0];
  p.c_col_stride = strides[1];
}

GemmParams decode(const OpNode& node, std::span<const InputInfo> inputs) {
  const InputInfo& a = inputs[0];
  const InputInfo& b = inputs[1];
  expect_rank(a, 2, "A");
  expect_rank(b, 2, "B");
  GemmParams p;
  p.trans_a = node.attrs.get_int("transA", 0) != 0;
  p.trans_b = node.attrs.get_int("transB", 0) != 0;
  const Shape& as = a.type.shape;
  const Shape& bs = b.type.shape;
  p.m = p.trans_a ? as[1] : as[0];
  p.k = p.trans_a ? as[0] : as[1];
  p.n = p.trans_b ? bs[0] : bs[1];
  const std::int64_t kb = p.trans_b ? bs[1] : bs[0];
  if (kb != p.k) {
    throw Error("inner dimensions differ: A " + a.type.to_string() +
                (p.trans_a ? " (transposed)" : "") + " has K=" + std::to_string(p.k) + ", B " +
                b.type.to_string() + (p.trans_b ? " (transposed)" : "") +
                " has K=" + std::to_string(kb));
  }
  p.epilogue.alpha = node.attrs.get_float("alpha", 1.0f);
  p.epilogue.beta = node.attrs.get_float("beta", 1.0f);
  p.epilogue.activation = parse_activation(node.attrs);
  return p;
}

std::unique_ptr<Kernel> make_gemm_kernel(const GemmParams& p, std::span<const InputInfo> inputs,
                                         const KernelOptions& options) {
  if (options.reference) {
    return make_kernel([p](std::span<const Tensor* const> in, std::span<Tensor* const> out,
                           ThreadPool& pool) {
      reference::gemm(p.m, p.n, p.k, p.a_view(in[0]->data<float>()), p.b_view(in[1]->data<float>()),
                      out[0]->data<float>(), p.n, p.epilogue_with(optional_tensor(in, 2)), pool);
    });
  }
  // Constant operands (weights) are packed once; the others per block while running.
  std::vector<float> packed_a, packed_b;
  if (inputs[0].constant) {
    packed_a.resize(static_cast<std::size_t>(optimized::packed_a_size(p.m, p.k)));
    optimized::pack_a(p.a_view(inputs[0].constant->data<float>()), 0, p.m, p.k, packed_a.data());
  }
  if (inputs[1].constant) {
    packed_b.resize(static_cast<std::size_t>(optimized::packed_b_size(p.k, p.n)));
    optimized::pack_b(p.b_view(inputs[1].constant->data<float>()), 0, p.n, p.k, packed_b.data());
  }
  return make_kernel([p, packed_a = std::move(packed_a), packed_b = std::move(packed_b)](
                         std::span<const Tensor* const> in, std::span<Tensor* const> out,
                         ThreadPool& pool) {
    const optimized::GemmOperand a = packed_a.empty()
                                         ? optimized::a_operand(p.a_view(in[0]->data<float>()), p.k)
                                         : optimized::prepacked(packed_a.data());
    const optimized::GemmOperand b = packed_b.empty()
                                         ? optimized::b_operand(p.b_view(in[1]->data<float>()), p.k)
                                         : optimized::prepacked(packed_b.data());
    optimized::sgemm(p.m, p.n, p.k, a, b, out[0]->data<float>(), p.n,
                     p.epilogue_with(optional_tensor(in, 2)), &pool);
  });
}

// ---- Quantized path ----

template <class T>
reference::CodeMatrix<T> code_view(reference::MatrixView v, const T* data) {
  return {data, v.row_stride, v.col_stride};
}

struct QuantizedGemm {
  GemmParams geometry;  // shapes, transposes and views; its epilogue is unused
  reference::QuantizedGemmParams q;
  bool int32_accumulators = false;
};

// C as an int32 bias: [N], [1, N] or one value; returns its stride over the columns.
std::int64_t check_quantized_c(const InputInfo& c, std::span<const double> scale) {
  const Shape& s = c.type.shape;
  const std::int64_t n = static_cast<std::int64_t>(scale.size());
  const bool row = (s.size() == 1 && s[0] == n) || (s.size() == 2 && s[0] == 1 && s[1] == n);
  if (!row && c.type.element_count() != 1) {
    throw UnsupportedError("C " + c.type.to_string() +
                           " of a quantized Gemm must be an int32 bias of shape [N] or a scalar");
  }
  check_int32_bias(c, scale, true, "C");
  return row && n != 1 ? 1 : 0;
}

QuantizedGemm decode_quantized(const OpNode& node, std::span<const InputInfo> inputs) {
  const DType type = inputs[0].type.dtype;
  expect_dtype(inputs[1], {type}, "B");
  QuantizedGemm g{decode(node, inputs), {}, false};
  const GemmParams& p = g.geometry;
  const float alpha = p.epilogue.alpha, beta = p.epilogue.beta;
  if (!(alpha > 0.0f)) throw UnsupportedError("a quantized Gemm needs alpha > 0");
  const QuantParams& aq = require_input_quant(inputs[0], "A");
  expect_per_tensor(aq, "A");
  const ChannelQuant bq = expand_channels(require_input_quant(inputs[1], "B"), p.n,
                                          p.trans_b ? 0 : 1, p.n, "B");
  const QuantParams& yq = require_output_quant(node);
  expect_per_tensor(yq, "Y");
  std::vector<double> multiplier, c_scale;
  for (double bs : bq.scale) {
    const double acc_scale = static_cast<double>(alpha) * aq.scale[0] * bs;
    multiplier.push_back(acc_scale / yq.scale[0]);
    c_scale.push_back(acc_scale / beta);
  }
  g.q = {p.m, p.n, p.k, aq.zero_point[0], bq.zero_point, 1,
         reference::make_output_stage(multiplier, yq, type, p.epilogue.activation)};
  const InputInfo* c = optional_input(inputs, 2);
  if (c && beta != 0.0f) {
    if (!(beta > 0.0f)) throw UnsupportedError("a quantized Gemm needs beta >= 0");
    g.q.bias_stride = check_quantized_c(*c, c_scale);
  }
  std::int64_t max_b = 0;
  for (std::int32_t zp : bq.zero_point) max_b = std::max(max_b, reference::max_code_offset(type, zp));
  g.int32_accumulators = type != DType::kInt16 &&
                         fits_int32(p.k, reference::max_code_offset(type, aq.zero_point[0]), max_b);
  return g;
}

const std::int32_t* quantized_bias(const QuantizedGemm& g, std::span<const Tensor* const> in) {
  const Tensor* c = optional_tensor(in, 2);
  return c && g.geometry.epilogue.beta != 0.0f ? c->data<std::int32_t>() : nullptr;
}

template <class T>
std::unique_ptr<Kernel> reference_quantized_kernel(QuantizedGemm g) {
  return make_kernel([g = std::move(g)](std::span<const Tensor* const> in,
                                        std::span<Tensor* const> out, ThreadPool& pool) {
    reference::quantized_gemm<T>(g.q, code_view(g.geometry.a_view(nullptr), in[0]->data<T>()),
                                 code_view(g.geometry.b_view(nullptr), in[1]->data<T>()),
                                 quantized_bias(g, in), out[0]->data<T>(), g.q.n, pool);
  });
}

// Constant operands are packed once; the others per block while running.
template <class T, class Acc>
std::unique_ptr<Kernel> fast_quantized_kernel(QuantizedGemm g, std::span<const InputInfo> inputs) {
  using P = optimized::Offset<T>;
  std::vector<P> packed_a, packed_b;
  if (inputs[0].constant) {
    packed_a.resize(static_cast<std::size_t>(optimized::qpacked_a_size(g.q.m, g.q.k)));
    optimized::qpack_a<T>(code_view(g.geometry.a_view(nullptr), inputs[0].constant->data<T>()),
                          {&g.q.a_zero_point, 1}, 0, g.q.m, g.q.k, packed_a.data());
  }
  if (inputs[1].constant) {
    packed_b.resize(static_cast<std::size_t>(optimized::qpacked_b_size(g.q.k, g.q.n)));
    optimized::qpack_b<T>(code_view(g.geometry.b_view(nullptr), inputs[1].constant->data<T>()),
                          g.q.b_zero_point, 0, g.q.n, g.q.k, packed_b.data());
  }
  return make_kernel([g = std::move(g), packed_a = std::move(packed_a),
                      packed_b = std::move(packed_b)](std::span<const Tensor* const> in,
                                                      std::span<Tensor* const> out,
                                                      ThreadPool& pool) {
    const std::span<const std::int32_t> a_zp(&g.q.a_zero_point, 1);
    const optimized::QOperand<P> a =
        packed_a.empty()
            ? optimized::qa_operand<T>(code_view(g.geometry.a_view(nullptr), in[0]->data<T>()),
                                       a_zp, g.q.k)
            : optimized::QOperand<P>{packed_a.data(), {}};
    const optimized::QOperand<P> b =
        packed_b.empty()
            ? optimized::qb_operand<T>(code_view(g.geometry.b_view(nullptr), in[1]->data<T>()),
                                       g.q.b_zero_point, g.q.k)
            : optimized::QOperand<P>{packed_b.data(), {}};
    optimized::quantized_gemm<T, Acc>(g.q, a, b, quantized_bias(g, in), out[0]->data<T>(), g.q.n,
                                      &pool);
  });
}

template <class T>
std::unique_ptr<Kernel> quantized_kernel(QuantizedGemm g, std::span<const InputInfo> inputs,
                                         const KernelOptions& options) {
  if (options.reference) return reference_quantized_kernel<T>(std::move(g));
  if constexpr (sizeof(T) == 1) {
    if (g.int32_accumulators) return fast_quantized_kernel<T, std::int32_t>(std::move(g), inputs);
  }
  return fast_quantized_kernel<T, std::int64_t>(std::move(g), inputs);
}

Prepared prepare_quantized_gemm(const OpNode& node, std::span<const InputInfo> inputs,
                                const KernelOptions& options) {
  QuantizedGemm g = decode_quantized(node, inputs);
  const DType type = inputs[0].type.dtype;
  Prepared prepared;
  prepared.outputs.push_back({type, {g.q.m, g.q.n}});
  prepared.kernel = reference::visit_quantized(type, [&](auto t) {
    return quantized_kernel<decltype(t)>(std::move(g), inputs, options);
  });
  return prepared;
}

}  // namespace

Prepared prepare_gemm(const OpNode& node, std::span<const InputInfo> inputs,
                      const KernelOptions& options) {
  expect_input_count(inputs, 2, 3);
  if (reference::is_quantized_type(inputs[0].type.dtype)) {
    return prepare_quantized_gemm(node, inputs, options);
  }
  expect_dtype(inputs[0], {DType::kFloat32}, "A");
  expect_dtype(inputs[1], {DType::kFloat32}, "B");
  GemmParams p = decode(node, inputs);
  if (const InputInfo* c = optional_input(inputs, 2)) check_c(*c, p);
  Prepared prepared;
  prepared.outputs.push_back({DType::kFloat32, {p.m, p.n}});
  prepared.kernel = make_gemm_kernel(p, inputs, options);
  return prepared;
}

}  // namespace rknn::sim::ops
