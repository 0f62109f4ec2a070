// MatMul (ONNX opset 17) with numpy semantics: a 1-D A is a row vector and a
// 1-D B a column vector (that axis is dropped from the output); leading batch
// axes broadcast.
//
// Quantized A and B (uint8, int8, int16 with per-tensor quantization
// parameters) take the integer path of docs/quantization-nn.md: exact sums,
// one multiplier a_scale * b_scale / y_scale, no bias.
#include <algorithm>
#include <utility>
#include <vector>

#include "kernels/optimized/quantized_gemm.h"
#include "kernels/optimized/sgemm.h"
#include "kernels/reference/gemm.h"
#include "kernels/reference/quantized_gemm.h"
#include "kernels/reference/quantized_setup.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

using reference::MatrixView;

struct MatMulParams {
  std::int64_t m = 0, n = 0, k = 0;
  // Element offset of the A and B matrix of each output batch; output batch i is at i * m * n.
  std::vector<std::int64_t> a_offsets, b_offsets;
  // B is one matrix shared by every batch and A's batches are contiguous: the
  // product is a single [batch * m, k] x [k, n] GEMM.
  bool folded = false;

  std::int64_t batches() const { return static_cast<std::int64_t>(a_offsets.size()); }
};

// Element offsets of each output batch's matrix in an operand with batch shape
// `batch` broadcast to `out_batch`.
std::vector<std::int64_t> batch_offsets(const Shape& batch, const Shape& out_batch,
                                        std::int64_t matrix_size) {
  const std::vector<std::int64_t> strides = broadcast_strides(batch, out_batch);
  const std::int64_t count = element_count(out_batch);
  std::vector<std::int64_t> offsets(static_cast<std::size_t>(count));
  std::vector<std::int64_t> index(out_batch.size(), 0);
  for (std::int64_t i = 0; i < count; ++i) {
    std::int64_t offset = 0;
    for (std::size_t d = 0; d < index.size(); ++d) offset += index[d] * strides[d];
    offsets[static_cast<std::size_t>(i)] = offset * matrix_size;
    for (std::size_t d = index.size(); d-- > 0;) {  // odometer increment
      if (++index[d] < out_batch[d]) break;
      index[d] = 0;
    }
  }
  return offsets;
}

bool can_fold(const MatMulParams& p) {
  for (std::int64_t i = 0; i < p.batches(); ++i) {
    const auto u = static_cast<std::size_t>(i);
    if (p.b_offsets[u] != 0 || p.a_offsets[u] != i * p.m * p.k) return false;
  }
  return true;
}

// Decodes shapes into params; returns the output shape.
Shape decode(const InputInfo& a, const InputInfo& b, MatMulParams& p) {
  Shape as = a.type.shape, bs = b.type.shape;
  if (as.empty() || bs.empty()) {
    throw Error("A " + a.type.to_string() + " and B " + b.type.to_string() +
                " must have rank >= 1");
  }
  const bool a_vector = as.size() == 1, b_vector = bs.size() == 1;
  if (a_vector) as.insert(as.begin(), 1);
  if (b_vector) bs.push_back(1);
  p.m = as[as.size() - 2];
  p.k = as.back();
  p.n = bs.back();
  if (bs[bs.size() - 2] != p.k) {
    throw Error("inner dimensions differ: A " + a.type.to_string() +
                " has K=" + std::to_string(p.k) + ", B " + b.type.to_string() +
                " has K=" + std::to_string(bs[bs.size() - 2]));
  }
  const Shape a_batch(as.begin(), as.end() - 2), b_batch(bs.begin(), bs.end() - 2);
  Shape out = broadcast_shapes(a_batch, b_batch, "batch dimensions of A and B");
  p.a_offsets = batch_offsets(a_batch, out, p.m * p.k);
  p.b_offsets = batch_offsets(b_batch, out, p.k * p.n);
  p.folded = can_fold(p);
  if (!a_vector) out.push_back(p.m);
  if (!b_vector) out.push_back(p.n);
  return out;
}

// Packs every matrix of a constant operand; matrix i starts at i * size.
std::vector<float> pack_all(const Tensor& t, std::int64_t rows, std::int64_t cols, bool as_a) {
  const std::int64_t count = rows * cols == 0 ? 0 : t.element_count() / (rows * cols);
  const std::int64_t size =
      as_a ? optimized::packed_a_size(rows, cols) : optimized::packed_b_size(rows, cols);
  std::vector<float> packed(static_cast<std::size_t>(count * size));
  const float* data = t.data<float>();
  for (std::int64_t i = 0; i < count; ++i) {
    const MatrixView v{data + i * rows * cols, cols, 1};
    if (as_a) {
      optimized::pack_a(v, 0, rows, cols, packed.data() + i * size);
    } else {
      optimized::pack_b(v, 0, cols, rows, packed.data() + i * size);
    }
  }
  return packed;
}

struct FastMatMul {
  MatMulParams p;
  std::vector<float> packed_a, packed_b;  // empty unless the operand is constant

  optimized::GemmOperand a_operand(const float* a, std::int64_t batch) const {
    const std::int64_t offset = p.a_offsets[static_cast<std::size_t>(batch)];
    if (packed_a.empty()) return optimized::a_operand({a + offset, p.k, 1}, p.k);
    return optimized::prepacked(packed_a.data() +
                                offset / (p.m * p.k) * optimized::packed_a_size(p.m, p.k));
  }
  optimized::GemmOperand b_operand(const float* b, std::int64_t batch) const {
    const std::int64_t offset = p.b_offsets[static_cast<std::size_t>(batch)];
    if (packed_b.empty()) return optimized::b_operand({b + offset, p.n, 1}, p.k);
    return optimized::prepacked(packed_b.data() +
                                offset / (p.k * p.n) * optimized::packed_b_size(p.k, p.n));
  }

  void run(const float* a, const float* b, float* y, ThreadPool& pool) const {
    const optimized::Epilogue none;
    if (p.batches() == 0) return;
    if (p.folded) {
      // A's rows of all batches form one matrix (a prepacked A cannot be reused: panels would
      // straddle batches).
      const optimized::GemmOperand fa = optimized::a_operand({a, p.k, 1}, p.k);
      optimized::sgemm(p.batches() * p.m, p.n, p.k, fa, b_operand(b, 0), y, p.n, none, &pool);
      return;
    }
    auto one = [&](std::int64_t i, ThreadPool* inner) {
      optimized::sgemm(p.m, p.n, p.k, a_operand(a, i), b_operand(b, i), y + i * p.m * p.n, p.n,
                       none, inner);
    };
    if (p.batches() >= pool.thread_count()) {
      // Many matrices: one thread per product.
      pool.parallel_for(p.batches(), 1, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) one(i, nullptr);
      });
    } else {
      for (std::int64_t i = 0; i < p.batches(); ++i) one(i, &pool);
    }
  }
};

std::unique_ptr<Kernel> make_matmul_kernel(MatMulParams p, std::span<const InputInfo> inputs,
                                           const KernelOptions& options) {
  if (options.reference) {
    return make_kernel([p = std::move(p)](std::span<const Tensor* const> in,
                                          std::span<Tensor* const> out, ThreadPool& pool) {
      const float* a = in[0]->data<float>();
      const float* b = in[1]->data<float>();
      float* y = out[0]->data<float>();
      for (std::int64_t i = 0; i < p.batches(); ++i) {
        const auto u = static_cast<std::size_t>(i);
        reference::gemm(p.m, p.n, p.k, {a + p.a_offsets[u], p.k, 1}, {b + p.b_offsets[u], p.n, 1},
                        y + i * p.m * p.n, p.n, {}, pool);
      }
    });
  }
  FastMatMul fast{std::move(p), {}, {}};
  if (inputs[0].constant && !fast.p.folded)
    fast.packed_a = pack_all(*inputs[0].constant, fast.p.m, fast.p.k, true);
  if (inputs[1].constant) fast.packed_b = pack_all(*inputs[1].constant, fast.p.k, fast.p.n, false);
  return make_kernel([fast = std::move(fast)](std::span<const Tensor* const> in,
                                              std::span<Tensor* const> out, ThreadPool& pool) {
    fast.run(in[0]->data<float>(), in[1]->data<float>(), out[0]->data<float>(), pool);
  });
}

// ---- Quantized path ----

struct QuantizedMatMul {
  MatMulParams geometry;
  reference::QuantizedGemmParams q;  // one matrix product
  bool int32_accumulators = false;
  bool reference = false;

  // Every batch's product; the fast one packs both operands block by block.
  template <class T, class Acc>
  void run(const T* a, const T* b, T* y, ThreadPool& pool) const {
    const MatMulParams& p = geometry;
    for (std::int64_t i = 0; i < p.batches(); ++i) {
      const auto u = static_cast<std::size_t>(i);
      const reference::CodeMatrix<T> av{a + p.a_offsets[u], p.k, 1}, bv{b + p.b_offsets[u], p.n, 1};
      T* yi = y + i * p.m * p.n;
      if (reference) {
        reference::quantized_gemm<T>(q, av, bv, nullptr, yi, p.n, pool);
        continue;
      }
      const std::span<const std::int32_t> a_zp(&q.a_zero_point, 1);
      optimized::quantized_gemm<T, Acc>(q, optimized::qa_operand<T>(av, a_zp, p.k),
                                        optimized::qb_operand<T>(bv, q.b_zero_point, p.k), nullptr,
                                        yi, p.n, &pool);
    }
  }
};

QuantizedMatMul decode_quantized(const OpNode& node, std::span<const InputInfo> inputs,
                                 MatMulParams p, const KernelOptions& options) {
  const DType type = inputs[0].type.dtype;
  expect_dtype(inputs[1], {type}, "B");
  const QuantParams& aq = require_input_quant(inputs[0], "A");
  const QuantParams& bq = require_input_quant(inputs[1], "B");
  const QuantParams& yq = require_output_quant(node);
  expect_per_tensor(aq, "A");
  expect_per_tensor(bq, "B");
  expect_per_tensor(yq, "Y");
  const auto n = static_cast<std::size_t>(p.n);
  const std::vector<double> multiplier(
      n, static_cast<double>(aq.scale[0]) * bq.scale[0] / yq.scale[0]);
  QuantizedMatMul qm;
  qm.q = {p.m, p.n, p.k, aq.zero_point[0], std::vector<std::int32_t>(n, bq.zero_point[0]), 1,
          reference::make_output_stage(multiplier, yq, type, {})};
  qm.int32_accumulators = type != DType::kInt16 &&
                          fits_int32(p.k, reference::max_code_offset(type, aq.zero_point[0]),
                                     reference::max_code_offset(type, bq.zero_point[0]));
  qm.reference = options.reference;
  qm.geometry = std::move(p);
  return qm;
}

template <class T>
std::unique_ptr<Kernel> quantized_kernel(QuantizedMatMul qm) {
  const bool narrow = sizeof(T) == 1 && qm.int32_accumulators;
  return make_kernel([qm = std::move(qm), narrow](std::span<const Tensor* const> in,
                                                  std::span<Tensor* const> out, ThreadPool& pool) {
    if constexpr (sizeof(T) == 1) {
      if (narrow) {
        qm.run<T, std::int32_t>(in[0]->data<T>(), in[1]->data<T>(), out[0]->data<T>(), pool);
        return;
      }
    }
    qm.run<T, std::int64_t>(in[0]->data<T>(), in[1]->data<T>(), out[0]->data<T>(), pool);
  });
}

Prepared prepare_quantized_matmul(const OpNode& node, std::span<const InputInfo> inputs,
                                  const KernelOptions& options) {
  MatMulParams p;
  const Shape out = decode(inputs[0], inputs[1], p);
  QuantizedMatMul qm = decode_quantized(node, inputs, std::move(p), options);
  const DType type = inputs[0].type.dtype;
  Prepared prepared;
  prepared.outputs.push_back({type, out});
  prepared.kernel = reference::visit_quantized(
      type, [&](auto t) { return quantized_kernel<decltype(t)>(std::move(qm)); });
  return prepared;
}

}  // namespace

Prepared prepare_matmul(const OpNode& node, std::span<const InputInfo> inputs,
                        const KernelOptions& options) {
  expect_input_count(inputs, 2, 2);
  if (reference::is_quantized_type(inputs[0].type.dtype)) {
    return prepare_quantized_matmul(node, inputs, options);
  }
  expect_dtype(inputs[0], {DType::kFloat32}, "A");
  expect_dtype(inputs[1], {DType::kFloat32}, "B");
  MatMulParams p;
  const Shape out = decode(inputs[0], inputs[1], p);
  Prepared prepared;
  prepared.outputs.push_back({DType::kFloat32, out});
  prepared.kernel = make_matmul_kernel(std::move(p), inputs, options);
  return prepared;
}

}  // namespace rknn::sim::ops
