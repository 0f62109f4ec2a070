// Fast integer GEMM with packed panels for the quantized Conv, Gemm and
// MatMul. Operands are packed as offsets from their zero points (x - zx,
// w - zw[c]): int16 for 8-bit codes, int32 for int16 codes, padding packs as
// 0. Panels hold the depth in pairs (k, k + 1) side by side, so the SSE2
// micro-kernel multiplies and adds a pair in one pmaddwd; the portable
// micro-kernel (aarch64, and tested on x86) reads the same layout. Sums are
// exact: int32 accumulators for 8-bit codes when ops::fits_int32 says no sum
// can overflow, int64 otherwise. Exact integer sums do not depend on the
// order, so any blocking, micro-kernel or thread split gives the reference's
// bytes; the caller's store function applies the same OutputStage as the
// reference kernel (through optimized::Requantizer).
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
inline constexpr std::int64_t kQTileCols = 8;

// A in panels of kQTileRows rows, B in panels of kQTileCols columns. A panel
// holds depth pair q (k = 2q, 2q + 1) at [q * 2 * width, (q + 1) * 2 * width):
// for each row (column) of the panel in order, its values at k = 2q and
// 2q + 1. The depth is padded to even with zeros.
inline std::int64_t qpadded_depth(std::int64_t depth) { return (depth + 1) / 2 * 2; }
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

// The micro-kernels: kBest takes the SSE2 ones (pmaddwd) where they are
// compiled in (x86-64), kPortable the plain C++ ones (the only ones on
// aarch64). Both give the same exact sums.
enum class QMicroKernel { kBest, kPortable };

// One full kQTileRows x kQTileCols tile over `pairs` depth pairs of packed
// panels: out (row stride ldo) = (first) or += the products.
template <class P, class Acc>
void qmicro_kernel_portable(std::int64_t pairs, const P* a, const P* b, Acc* out,
                            std::int64_t ldo, bool first);
#if defined(__SSE2__)
void qmicro_kernel_sse2(std::int64_t pairs, const std::int16_t* a, const std::int16_t* b,
                        std::int32_t* out, std::int64_t ldo, bool first);
#endif

// int16 codes (int32 offsets, int64 sums) run in a split form when every A
// offset of a block fits in int16 (zero points 0, as dynamic fixed point
// has) and every B offset in [-65536, 65535] (always, for int16 codes): B's
// offsets become 256 * hi + lo with hi in [-256, 255] and lo in [0, 255],
// each depth pair's panel row holding the 2 * kQTileCols high values then
// the 2 * kQTileCols low values, so that int16 products still go through
// pmaddwd. Otherwise they take qmicro_kernel_portable<int32, int64>.
void qmicro_kernel_split_portable(std::int64_t pairs, const std::int16_t* a, const std::int16_t* b,
                                  std::int64_t* out, std::int64_t ldo, bool first);
#if defined(__SSE2__)
void qmicro_kernel_split_sse2(std::int64_t pairs, const std::int16_t* a, const std::int16_t* b,
                              std::int64_t* out, std::int64_t ldo, bool first);
#endif

// P/Acc: int16/int32, int16/int64 or int32/int64. Parallel over blocks of C
// when pool is given.
template <class P, class Acc>
void qgemm(std::int64_t m, std::int64_t n, std::int64_t k, const QOperand<P>& a,
           const QOperand<P>& b, const QStoreFn<Acc>& store, ThreadPool* pool,
           QMicroKernel kernel = QMicroKernel::kBest);

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
