// Cache-blocked, register-tiled single-precision GEMM with packed panels.
// Conv (via im2col), ConvTranspose, Gemm and MatMul all run on it.
//
// Plain C++ that GCC auto-vectorizes: the micro-kernel keeps a kRows x kCols
// tile of C in registers and walks the depth once; no intrinsics, no -march.
//
// Determinism: every element of C is summed over k in order, starting from
// zero, whatever the blocking or the thread split (a depth block resumes from
// the partial sum it stored), so the bytes never depend on the thread count
// and match reference::gemm.
#pragma once

#include <cstdint>
#include <functional>

#include "kernels/reference/gemm.h"
#include "rknn/sim/thread_pool.h"

namespace rknn::sim::optimized {

using reference::Epilogue;
using reference::MatrixView;

// Register tile of the micro-kernel: rows of A per panel, columns of B per panel.
inline constexpr std::int64_t kTileRows = 4;
inline constexpr std::int64_t kTileCols = 8;

// Packed layouts. A is cut into panels of kTileRows rows; a panel holds, for
// each k in order, its kTileRows values (zero past the last row). B is cut
// into panels of kTileCols columns the same way. Panel p of a matrix with
// depth k starts at p * kTile* * k, so a row (column) block that starts on a
// panel boundary r starts at r * k.
std::int64_t packed_a_size(std::int64_t rows, std::int64_t depth);
std::int64_t packed_b_size(std::int64_t depth, std::int64_t cols);
void pack_a(MatrixView a, std::int64_t row0, std::int64_t rows, std::int64_t depth, float* out);
void pack_b(MatrixView b, std::int64_t col0, std::int64_t cols, std::int64_t depth, float* out);

// Writes the packed panels of rows (A) or columns (B) [begin, begin + count).
using PackFn = std::function<void(std::int64_t begin, std::int64_t count, float* out)>;

// An operand either packed in full ahead of time (constant weights) or packed
// block by block while the product runs (activations, im2col).
struct GemmOperand {
  const float* packed = nullptr;
  PackFn pack;
};

GemmOperand prepacked(const float* packed);
GemmOperand a_operand(MatrixView a, std::int64_t depth);
GemmOperand b_operand(MatrixView b, std::int64_t depth);

// C[m x n] (row stride ldc) = epilogue(A[m x k] * B[k x n]). Parallel over
// blocks of C when pool is given, serial otherwise.
void sgemm(std::int64_t m, std::int64_t n, std::int64_t k, const GemmOperand& a,
           const GemmOperand& b, float* c, std::int64_t ldc, const Epilogue& epilogue,
           ThreadPool* pool);

}  // namespace rknn::sim::optimized
