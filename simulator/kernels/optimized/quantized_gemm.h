// Fast integer GEMM with packed panels for the quantized Conv, Gemm and
// MatMul. Operands are packed as offsets from their zero points (x - zx,
// w - zw[c]): int16 for 8-bit codes, int32 for int16 codes, so the
// micro-kernel is a plain widening multiply-add that GCC auto-vectorizes and
// padding packs as 0. Sums are exact: int32 accumulators for 8-bit codes when
// ops::fits_int32 says no sum can overflow, int64 otherwise. Exact integer
// sums do not depend on the order, so any blocking or thread split gives the
// reference's bytes; the caller's store function applies the same
// OutputStage as the reference kernel.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <type_traits>

#include "kernels/reference/quantized_common.h"
#include "kernels/reference/quantized_gemm.h"
#include "rknn/sim/thread_pool.h"

namespace rknn::sim::optimized {

using reference::CodeMatrix;

// The packed element type of codes T.
template <class T>
using Offset = std::conditional_t<sizeof(T) == 1, std::int16_t, std::int32_t>;

inline constexpr std::int64_t kQTileRows = 4;
inline constexpr std::int64_t kQTileCols = 16;

// Same panel layout as sgemm.h: A in panels of kQTileRows rows, each holding
// its rows' values for every k in order; B in panels of kQTileCols columns.
std::int64_t qpacked_a_size(std::int64_t rows, std::int64_t depth);
std::int64_t qpacked_b_size(std::int64_t depth, std::int64_t cols);

// zero_point holds one value, or one per row of A (per column of B), indexed
// from row (column) 0 of the whole matrix.
template <class T>
void qpack_a(CodeMatrix<T> a, std::span<const std::int32_t> zero_point, std::int64_t row0,
             std::int64_t rows, std::int64_t depth, Offset<T>* out);
template <class T>
void qpack_b(CodeMatrix<T> b, std::span<const std::int32_t> zero_point, std::int64_t col0,
             std::int64_t cols, std::int64_t depth, Offset<T>* out);

template <class P>
using QPackFn = std::function<void(std::int64_t begin, std::int64_t count, P* out)>;

// Packed in full ahead of time (constant weights), or block by block while running.
template <class P>
struct QOperand {
  const P* packed = nullptr;
  QPackFn<P> pack;
};

// Receives each finished block of C: rows [r0, r0 + rows), columns
// [c0, c0 + cols), the exact sums at acc[i * cols + j].
template <class Acc>
using QStoreFn = std::function<void(std::int64_t r0, std::int64_t rows, std::int64_t c0,
                                    std::int64_t cols, const Acc* acc)>;

// P/Acc: int16/int32, int16/int64 or int32/int64. Parallel over blocks of C
// when pool is given.
template <class P, class Acc>
void qgemm(std::int64_t m, std::int64_t n, std::int64_t k, const QOperand<P>& a,
           const QOperand<P>& b, const QStoreFn<Acc>& store, ThreadPool* pool);

// Operands packed block by block while the product runs; the matrix and the
// zero points must outlive the call.
template <class T>
QOperand<Offset<T>> qa_operand(CodeMatrix<T> a, std::span<const std::int32_t> zero_point,
                               std::int64_t depth);
template <class T>
QOperand<Offset<T>> qb_operand(CodeMatrix<T> b, std::span<const std::int32_t> zero_point,
                               std::int64_t depth);

// The fast twin of reference::quantized_gemm: C (row stride ldc) =
// p.stage(A * B + bias), output channels on the columns; the operands are
// packed with p.a_zero_point and p.b_zero_point.
template <class T, class Acc>
void quantized_gemm(const reference::QuantizedGemmParams& p, const QOperand<Offset<T>>& a,
                    const QOperand<Offset<T>>& b, const std::int32_t* bias, T* c,
                    std::int64_t ldc, ThreadPool* pool);

}  // namespace rknn::sim::optimized
