// Gemm (ONNX opset 17): Y = activation(alpha * A' * B' + beta * C), A' and B'
// optionally transposed, C optional and unidirectionally broadcast to [M, N].
#include "kernels/reference/gemm.h"

#include <utility>
#include <vector>

#include "activation.h"
#include "kernels/optimized/sgemm.h"
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
  if (const InputInfo* c = optional_input(inputs, 2)) check_c(*c, p);
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

}  // namespace

Prepared prepare_gemm(const OpNode& node, std::span<const InputInfo> inputs,
                      const KernelOptions& options) {
  expect_input_count(inputs, 2, 3);
  expect_dtype(inputs[0], {DType::kFloat32}, "A");
  expect_dtype(inputs[1], {DType::kFloat32}, "B");
  const GemmParams p = decode(node, inputs);
  Prepared prepared;
  prepared.outputs.push_back({DType::kFloat32, {p.m, p.n}});
  prepared.kernel = make_gemm_kernel(p, inputs, options);
  return prepared;
}

}  // namespace rknn::sim::ops
