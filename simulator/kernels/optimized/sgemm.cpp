#include "kernels/optimized/sgemm.h"

#include <algorithm>
#include <vector>

namespace rknn::sim::optimized {
namespace {

constexpr std::int64_t kMR = kTileRows;
constexpr std::int64_t kNR = kTileCols;
// Blocks of C one task computes; multiples of the tile. A block of A
// (kBlockRows x kDepthBlock) stays in L2 while a B panel (kDepthBlock x kNR)
// stays in L1.
constexpr std::int64_t kBlockRows = 32 * kMR;
constexpr std::int64_t kBlockCols = 8 * kNR;
constexpr std::int64_t kDepthBlock = 256;

std::int64_t round_up(std::int64_t v, std::int64_t m) { return (v + m - 1) / m * m; }

// acc = (first ? 0 : C) + sum over l of a[l] * b[l], for one full kMR x kNR tile.
void micro_kernel(std::int64_t depth, const float* a, const float* b, float* c, std::int64_t ldc,
                  bool first) {
  float acc[kMR][kNR];
  for (std::int64_t i = 0; i < kMR; ++i) {
    for (std::int64_t j = 0; j < kNR; ++j) acc[i][j] = first ? 0.0f : c[i * ldc + j];
  }
  for (std::int64_t l = 0; l < depth; ++l) {
    const float* al = a + l * kMR;
    const float* bl = b + l * kNR;
    for (std::int64_t i = 0; i < kMR; ++i) {
      for (std::int64_t j = 0; j < kNR; ++j) acc[i][j] += al[i] * bl[j];
    }
  }
  for (std::int64_t i = 0; i < kMR; ++i) {
    for (std::int64_t j = 0; j < kNR; ++j) c[i * ldc + j] = acc[i][j];
  }
}

// A tile at the edge of C: computed in a full-size scratch tile, of which
// only rows x cols are read and written back.
void edge_kernel(std::int64_t depth, const float* a, const float* b, float* c, std::int64_t ldc,
                 std::int64_t rows, std::int64_t cols, bool first) {
  float tile[kMR * kNR] = {};
  if (!first) {
    for (std::int64_t i = 0; i < rows; ++i) std::copy_n(c + i * ldc, cols, tile + i * kNR);
  }
  micro_kernel(depth, a, b, tile, kNR, first);
  for (std::int64_t i = 0; i < rows; ++i) std::copy_n(tile + i * kNR, cols, c + i * ldc);
}

void apply_epilogue(const Epilogue& e, float* c, std::int64_t ldc, std::int64_t r0,
                    std::int64_t rows, std::int64_t c0, std::int64_t cols) {
  const bool identity =
      e.alpha == 1.0f && !e.bias.data && e.activation.kind == ops::Activation::Kind::kNone;
  if (identity) return;
  for (std::int64_t i = 0; i < rows; ++i) {
    float* row = c + i * ldc;
    for (std::int64_t j = 0; j < cols; ++j) row[j] = e.apply(row[j], r0 + i, c0 + j);
  }
}

// Scratch for panels packed during a task; one per thread, grown as needed.
float* scratch(std::vector<float>& buffer, std::int64_t size) {
  if (static_cast<std::int64_t>(buffer.size()) < size)
    buffer.resize(static_cast<std::size_t>(size));
  return buffer.data();
}

struct Problem {
  std::int64_t m, n, k;
  const GemmOperand* a;
  const GemmOperand* b;
  float* c;
  std::int64_t ldc;
  const Epilogue* epilogue;
};

// Computes the block of C at rows [r0, r0 + rows), columns [c0, c0 + cols).
void run_block(const Problem& p, std::int64_t r0, std::int64_t rows, std::int64_t c0,
               std::int64_t cols) {
  thread_local std::vector<float> a_buffer, b_buffer;
  const float* pa = p.a->packed ? p.a->packed + r0 * p.k : nullptr;
  if (!pa) {
    float* out = scratch(a_buffer, packed_a_size(rows, p.k));
    p.a->pack(r0, rows, out);
    pa = out;
  }
  const float* pb = p.b->packed ? p.b->packed + c0 * p.k : nullptr;
  if (!pb) {
    float* out = scratch(b_buffer, packed_b_size(p.k, cols));
    p.b->pack(c0, cols, out);
    pb = out;
  }
  float* cb = p.c + r0 * p.ldc + c0;
  // At least one pass, so that k == 0 still stores zeros.
  for (std::int64_t l0 = 0; l0 == 0 || l0 < p.k; l0 += kDepthBlock) {
    const std::int64_t depth = std::min(kDepthBlock, p.k - l0);
    for (std::int64_t j = 0; j < cols; j += kNR) {
      const float* b_panel = pb + j * p.k + l0 * kNR;
      for (std::int64_t i = 0; i < rows; i += kMR) {
        const float* a_panel = pa + i * p.k + l0 * kMR;
        float* tile = cb + i * p.ldc + j;
        if (i + kMR <= rows && j + kNR <= cols) {
          micro_kernel(depth, a_panel, b_panel, tile, p.ldc, l0 == 0);
        } else {
          edge_kernel(depth, a_panel, b_panel, tile, p.ldc, std::min(kMR, rows - i),
                      std::min(kNR, cols - j), l0 == 0);
        }
      }
    }
  }
  apply_epilogue(*p.epilogue, cb, p.ldc, r0, rows, c0, cols);
}

}  // namespace

std::int64_t packed_a_size(std::int64_t rows, std::int64_t depth) {
  return round_up(rows, kMR) * depth;
}

std::int64_t packed_b_size(std::int64_t depth, std::int64_t cols) {
  return round_up(cols, kNR) * depth;
}

void pack_a(MatrixView a, std::int64_t row0, std::int64_t rows, std::int64_t depth, float* out) {
  for (std::int64_t p = 0; p < rows; p += kMR) {
    float* panel = out + p * depth;
    const std::int64_t valid = std::min(kMR, rows - p);
    for (std::int64_t i = 0; i < kMR; ++i) {
      if (i >= valid) {
        for (std::int64_t l = 0; l < depth; ++l) panel[l * kMR + i] = 0.0f;
        continue;
      }
      const float* src = a.data + (row0 + p + i) * a.row_stride;
      for (std::int64_t l = 0; l < depth; ++l) panel[l * kMR + i] = src[l * a.col_stride];
    }
  }
}

void pack_b(MatrixView b, std::int64_t col0, std::int64_t cols, std::int64_t depth, float* out) {
  for (std::int64_t p = 0; p < cols; p += kNR) {
    float* panel = out + p * depth;
    const std::int64_t valid = std::min(kNR, cols - p);
    for (std::int64_t l = 0; l < depth; ++l) {
      const float* src = b.data + l * b.row_stride + (col0 + p) * b.col_stride;
      float* dst = panel + l * kNR;
      if (valid == kNR && b.col_stride == 1) {
        std::copy_n(src, kNR, dst);
        continue;
      }
      for (std::int64_t j = 0; j < valid; ++j) dst[j] = src[j * b.col_stride];
      for (std::int64_t j = valid; j < kNR; ++j) dst[j] = 0.0f;
    }
  }
}

GemmOperand prepacked(const float* packed) { return {packed, {}}; }

GemmOperand a_operand(MatrixView a, std::int64_t depth) {
  return {nullptr, [a, depth](std::int64_t begin, std::int64_t count, float* out) {
            pack_a(a, begin, count, depth, out);
          }};
}

GemmOperand b_operand(MatrixView b, std::int64_t depth) {
  return {nullptr, [b, depth](std::int64_t begin, std::int64_t count, float* out) {
            pack_b(b, begin, count, depth, out);
          }};
}

void sgemm(std::int64_t m, std::int64_t n, std::int64_t k, const GemmOperand& a,
           const GemmOperand& b, float* c, std::int64_t ldc, const Epilogue& epilogue,
           ThreadPool* pool) {
  if (m <= 0 || n <= 0) return;
  const Problem p{m, n, k, &a, &b, c, ldc, &epilogue};
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

}  // namespace rknn::sim::optimized
