#include "kernels/optimized/quantized_gemm.h"

#include <algorithm>
#include <vector>

namespace rknn::sim::optimized {
namespace {

constexpr std::int64_t kMR = kQTileRows;
constexpr std::int64_t kNR = kQTileCols;
// A block of C per task; an A block (kBlockRows x kDepthBlock) stays in L2
// while a B panel (kDepthBlock x kNR) stays in L1.
constexpr std::int64_t kBlockRows = 16 * kMR;
constexpr std::int64_t kBlockCols = 8 * kNR;
constexpr std::int64_t kDepthBlock = 512;

std::int64_t round_up(std::int64_t v, std::int64_t m) { return (v + m - 1) / m * m; }

std::int32_t zero_point_at(std::span<const std::int32_t> zp, std::int64_t i) {
  return zp.size() == 1 ? zp[0] : zp[static_cast<std::size_t>(i)];
}

// One full kMR x kNR tile: out (row stride ldo) += or = the products over `depth`.
template <class P, class Acc>
void micro_kernel(std::int64_t depth, const P* a, const P* b, Acc* out, std::int64_t ldo,
                  bool first) {
  Acc acc[kMR][kNR] = {};
  for (std::int64_t l = 0; l < depth; ++l) {
    const P* al = a + l * kMR;
    const P* bl = b + l * kNR;
    for (std::int64_t i = 0; i < kMR; ++i) {
      const Acc ai = al[i];
      for (std::int64_t j = 0; j < kNR; ++j) acc[i][j] += ai * static_cast<Acc>(bl[j]);
    }
  }
  for (std::int64_t i = 0; i < kMR; ++i) {
    Acc* row = out + i * ldo;
    if (first) {
      for (std::int64_t j = 0; j < kNR; ++j) row[j] = acc[i][j];
    } else {
      for (std::int64_t j = 0; j < kNR; ++j) row[j] += acc[i][j];
    }
  }
}

template <class P>
P* scratch(std::vector<P>& buffer, std::int64_t size) {
  if (static_cast<std::int64_t>(buffer.size()) < size) buffer.resize(static_cast<std::size_t>(size));
  return buffer.data();
}

template <class P, class Acc>
struct Problem {
  std::int64_t m, n, k;
  const QOperand<P>* a;
  const QOperand<P>* b;
  const QStoreFn<Acc>* store;
};

template <class P>
const P* operand_block(const QOperand<P>& op, std::int64_t first, std::int64_t count,
                       std::int64_t size, std::int64_t k, std::vector<P>& buffer) {
  if (op.packed) return op.packed + first * k;
  P* out = scratch(buffer, size);
  op.pack(first, count, out);
  return out;
}

// The block of C at rows [r0, r0 + rows), columns [c0, c0 + cols), summed
// into a tile-aligned scratch block and handed to the store function.
template <class P, class Acc>
void run_block(const Problem<P, Acc>& p, std::int64_t r0, std::int64_t rows, std::int64_t c0,
               std::int64_t cols) {
  thread_local std::vector<P> a_buffer, b_buffer;
  thread_local std::vector<Acc> c_buffer;
  const P* pa = operand_block(*p.a, r0, rows, qpacked_a_size(rows, p.k), p.k, a_buffer);
  const P* pb = operand_block(*p.b, c0, cols, qpacked_b_size(p.k, cols), p.k, b_buffer);
  const std::int64_t ldc = round_up(cols, kNR);
  Acc* cb = scratch(c_buffer, round_up(rows, kMR) * ldc);
  if (p.k == 0) std::fill_n(cb, round_up(rows, kMR) * ldc, Acc{0});
  for (std::int64_t l0 = 0; l0 < p.k; l0 += kDepthBlock) {
    const std::int64_t depth = std::min(kDepthBlock, p.k - l0);
    for (std::int64_t j = 0; j < cols; j += kNR) {
      const P* b_panel = pb + j * p.k + l0 * kNR;
      for (std::int64_t i = 0; i < rows; i += kMR) {
        micro_kernel<P, Acc>(depth, pa + i * p.k + l0 * kMR, b_panel, cb + i * ldc + j, ldc,
                             l0 == 0);
      }
    }
  }
  // Compact the rows to the store's stride (cols) in place: row i moves down, never overlapping ahead.
  for (std::int64_t i = 1; i < rows; ++i) std::copy_n(cb + i * ldc, cols, cb + i * cols);
  (*p.store)(r0, rows, c0, cols, cb);
}

}  // namespace

std::int64_t qpacked_a_size(std::int64_t rows, std::int64_t depth) {
  return round_up(rows, kMR) * depth;
}

std::int64_t qpacked_b_size(std::int64_t depth, std::int64_t cols) {
  return round_up(cols, kNR) * depth;
}

template <class T>
void qpack_a(CodeMatrix<T> a, std::span<const std::int32_t> zero_point, std::int64_t row0,
             std::int64_t rows, std::int64_t depth, Offset<T>* out) {
  using P = Offset<T>;
  for (std::int64_t p = 0; p < rows; p += kMR) {
    P* panel = out + p * depth;
    const std::int64_t valid = std::min(kMR, rows - p);
    for (std::int64_t i = 0; i < kMR; ++i) {
      if (i >= valid) {
        for (std::int64_t l = 0; l < depth; ++l) panel[l * kMR + i] = 0;
        continue;
      }
      const std::int64_t row = row0 + p + i;
      const std::int32_t zp = zero_point_at(zero_point, row);
      for (std::int64_t l = 0; l < depth; ++l) panel[l * kMR + i] = static_cast<P>(a.at(row, l) - zp);
    }
  }
}

template <class T>
void qpack_b(CodeMatrix<T> b, std::span<const std::int32_t> zero_point, std::int64_t col0,
             std::int64_t cols, std::int64_t depth, Offset<T>* out) {
  using P = Offset<T>;
  for (std::int64_t p = 0; p < cols; p += kNR) {
    P* panel = out + p * depth;
    const std::int64_t valid = std::min(kNR, cols - p);
    std::int32_t zp[kNR] = {};
    for (std::int64_t j = 0; j < valid; ++j) zp[j] = zero_point_at(zero_point, col0 + p + j);
    for (std::int64_t l = 0; l < depth; ++l) {
      P* dst = panel + l * kNR;
      for (std::int64_t j = 0; j < valid; ++j) dst[j] = static_cast<P>(b.at(l, col0 + p + j) - zp[j]);
      for (std::int64_t j = valid; j < kNR; ++j) dst[j] = 0;
    }
  }
}

template <class P, class Acc>
void qgemm(std::int64_t m, std::int64_t n, std::int64_t k, const QOperand<P>& a,
           const QOperand<P>& b, const QStoreFn<Acc>& store, ThreadPool* pool) {
  if (m <= 0 || n <= 0) return;
  const Problem<P, Acc> p{m, n, k, &a, &b, &store};
  const std::int64_t row_blocks = (m + kBlockRows - 1) / kBlockRows;
  const std::int64_t col_blocks = (n + kBlockCols - 1) / kBlockCols;
  auto body = [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t t = begin; t < end; ++t) {
      const std::int64_t r0 = t / col_blocks * kBlockRows, c0 = t % col_blocks * kBlockCols;
      run_block(p, r0, std::min(kBlockRows, m - r0), c0, std::min(kBlockCols, n - c0));
    }
  };
  if (pool) {
    pool->parallel_for(row_blocks * col_blocks, 1, body);
  } else {
    body(0, row_blocks * col_blocks);
  }
}

template <class T>
QOperand<Offset<T>> qa_operand(CodeMatrix<T> a, std::span<const std::int32_t> zero_point,
                               std::int64_t depth) {
  return {nullptr, [a, zero_point, depth](std::int64_t begin, std::int64_t count, Offset<T>* out) {
            qpack_a<T>(a, zero_point, begin, count, depth, out);
          }};
}

template <class T>
QOperand<Offset<T>> qb_operand(CodeMatrix<T> b, std::span<const std::int32_t> zero_point,
                               std::int64_t depth) {
  return {nullptr, [b, zero_point, depth](std::int64_t begin, std::int64_t count, Offset<T>* out) {
            qpack_b<T>(b, zero_point, begin, count, depth, out);
          }};
}

template <class T, class Acc>
void quantized_gemm(const reference::QuantizedGemmParams& p, const QOperand<Offset<T>>& a,
                    const QOperand<Offset<T>>& b, const std::int32_t* bias, T* c,
                    std::int64_t ldc, ThreadPool* pool) {
  const QStoreFn<Acc> store = [&p, bias, c, ldc](std::int64_t r0, std::int64_t rows,
                                                 std::int64_t c0, std::int64_t cols,
                                                 const Acc* acc) {
    for (std::int64_t i = 0; i < rows; ++i) {
      T* dst = c + (r0 + i) * ldc;
      for (std::int64_t j = c0; j < c0 + cols; ++j) {
        std::int64_t v = acc[i * cols + (j - c0)];
        if (bias) v += bias[j * p.bias_stride];
        dst[j] = static_cast<T>(p.stage.apply(v, static_cast<std::size_t>(j)));
      }
    }
  };
  qgemm<Offset<T>, Acc>(p.m, p.n, p.k, a, b, store, pool);
}

#define RKNN_INSTANTIATE_GEMM(T, Acc)                                                          \
  template void quantized_gemm<T, Acc>(const reference::QuantizedGemmParams&,                  \
                                       const QOperand<Offset<T>>&, const QOperand<Offset<T>>&, \
                                       const std::int32_t*, T*, std::int64_t, ThreadPool*);
RKNN_INSTANTIATE_GEMM(std::uint8_t, std::int32_t)
RKNN_INSTANTIATE_GEMM(std::uint8_t, std::int64_t)
RKNN_INSTANTIATE_GEMM(std::int8_t, std::int32_t)
RKNN_INSTANTIATE_GEMM(std::int8_t, std::int64_t)
RKNN_INSTANTIATE_GEMM(std::int16_t, std::int64_t)
#undef RKNN_INSTANTIATE_GEMM

#define RKNN_INSTANTIATE_PACK(T)                                                              \
  template void qpack_a<T>(CodeMatrix<T>, std::span<const std::int32_t>, std::int64_t,        \
                           std::int64_t, std::int64_t, Offset<T>*);                           \
  template void qpack_b<T>(CodeMatrix<T>, std::span<const std::int32_t>, std::int64_t,        \
                           std::int64_t, std::int64_t, Offset<T>*);                           \
  template QOperand<Offset<T>> qa_operand<T>(CodeMatrix<T>, std::span<const std::int32_t>,    \
                                             std::int64_t);                                   \
  template QOperand<Offset<T>> qb_operand<T>(CodeMatrix<T>, std::span<const std::int32_t>,    \
                                             std::int64_t);
RKNN_INSTANTIATE_PACK(std::uint8_t)
RKNN_INSTANTIATE_PACK(std::int8_t)
RKNN_INSTANTIATE_PACK(std::int16_t)
#undef RKNN_INSTANTIATE_PACK

template void qgemm<std::int16_t, std::int32_t>(std::int64_t, std::int64_t, std::int64_t,
                                                const QOperand<std::int16_t>&,
                                                const QOperand<std::int16_t>&,
                                                const QStoreFn<std::int32_t>&, ThreadPool*);
template void qgemm<std::int16_t, std::int64_t>(std::int64_t, std::int64_t, std::int64_t,
                                                const QOperand<std::int16_t>&,
                                                const QOperand<std::int16_t>&,
                                                const QStoreFn<std::int64_t>&, ThreadPool*);
template void qgemm<std::int32_t, std::int64_t>(std::int64_t, std::int64_t, std::int64_t,
                                                const QOperand<std::int32_t>&,
                                                const QOperand<std::int32_t>&,
                                                const QStoreFn<std::int64_t>&, ThreadPool*);

}  // namespace rknn::sim::optimized
