#include "kernels/optimized/quantized_gemm.h"

#include <algorithm>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "kernels/optimized/requantize.h"

namespace rknn::sim::optimized {
namespace {

constexpr std::int64_t kMR = kQTileRows;
constexpr std::int64_t kNR = kQTileCols;
// Per task: one block of kBlockCols columns of C (its B block packed once),
// over all its rows or one block of kBlockRows rows. An A block
// (kBlockRows x kDepthBlock) stays in L2 while a B panel (kDepthBlock x kNR)
// stays in L1.
constexpr std::int64_t kBlockRows = 16 * kMR;
constexpr std::int64_t kBlockCols = 16 * kNR;
constexpr std::int64_t kDepthBlock = 512;  // even: blocks start on a depth pair

std::int64_t round_up(std::int64_t v, std::int64_t m) { return (v + m - 1) / m * m; }

std::int32_t zero_point_at(std::span<const std::int32_t> zp, std::int64_t i) {
  return zp.size() == 1 ? zp[0] : zp[static_cast<std::size_t>(i)];
}

template <class P>
P* scratch(std::vector<P>& buffer, std::int64_t size) {
  if (static_cast<std::int64_t>(buffer.size()) < size) buffer.resize(static_cast<std::size_t>(size));
  return buffer.data();
}

template <class PA, class PB, class Acc>
using MicroKernelFn = void (*)(std::int64_t, const PA*, const PB*, Acc*, std::int64_t, bool);
using SplitKernelFn = MicroKernelFn<std::int16_t, std::int16_t, std::int64_t>;

template <class P, class Acc>
MicroKernelFn<P, P, Acc> pick_micro_kernel(QMicroKernel kernel) {
#if defined(__SSE2__)
  if constexpr (std::is_same_v<P, std::int16_t> && std::is_same_v<Acc, std::int32_t>) {
    if (kernel == QMicroKernel::kBest) return qmicro_kernel_sse2;
  }
#endif
  (void)kernel;
  return qmicro_kernel_portable<P, Acc>;
}

// int16 codes: the split form's micro-kernel (see quantized_gemm.h), or none.
template <class P, class Acc>
SplitKernelFn pick_split_kernel(QMicroKernel kernel) {
  if constexpr (std::is_same_v<P, std::int32_t>) {
#if defined(__SSE2__)
    if (kernel == QMicroKernel::kBest) return qmicro_kernel_split_sse2;
#endif
    (void)kernel;
    return qmicro_kernel_split_portable;
  } else {
    (void)kernel;
    return nullptr;
  }
}

template <class P, class Acc>
struct Problem {
  std::int64_t m, n, k, kp;  // kp: the padded (even) depth of the panels
  const QOperand<P>* a;
  const QOperand<P>* b;
  const QStoreFn<Acc>* store;
  MicroKernelFn<P, P, Acc> micro_kernel;
  SplitKernelFn split_kernel;  // int16 codes only
  const std::int16_t* a_narrow;  // a pre-packed A as int16, when every offset fits
};

template <class P>
const P* operand_block(const QOperand<P>& op, std::int64_t first, std::int64_t count,
                       std::int64_t size, std::int64_t kp, std::vector<P>& buffer) {
  if (op.packed) return op.packed + first * kp;
  P* out = scratch(buffer, size);
  op.pack(first, count, out);
  return out;
}

// A block's int32 offsets as int16, or null when one does not fit.
const std::int16_t* narrow(const std::int32_t* values, std::int64_t size,
                           std::vector<std::int16_t>& buffer) {
  std::int16_t* out = scratch(buffer, size);
  for (std::int64_t i = 0; i < size; ++i) {
    if (values[i] < -32768 || values[i] > 32767) return nullptr;
    out[i] = static_cast<std::int16_t>(values[i]);
  }
  return out;
}

// A packed B block in the split form, or null when a value is outside
// [-65536, 65535] (its high part would not fit the sum bound).
const std::int16_t* split(const std::int32_t* pb, std::int64_t cols, std::int64_t kp,
                          std::vector<std::int16_t>& buffer) {
  const std::int64_t pairs = round_up(cols, kNR) * kp / 2;
  std::int16_t* out = scratch(buffer, pairs * 4);
  for (std::int64_t q = 0; q < pairs / kNR; ++q) {
    const std::int32_t* src = pb + q * 2 * kNR;
    std::int16_t* dst = out + q * 4 * kNR;
    for (std::int64_t e = 0; e < 2 * kNR; ++e) {
      if (src[e] < -65536 || src[e] > 65535) return nullptr;
      dst[e] = static_cast<std::int16_t>(src[e] >> 8);
      dst[2 * kNR + e] = static_cast<std::int16_t>(src[e] & 0xff);
    }
  }
  return out;
}

// C (tile-aligned, row stride ldc) = A block * B block, tile by tile. B
// panels hold `planes` values per depth and column (2 in the split form).
template <class PA, class PB, class Acc>
void multiply_block(MicroKernelFn<PA, PB, Acc> kernel, const PA* pa, const PB* pb, int planes,
                    std::int64_t rows, std::int64_t cols, std::int64_t kp, Acc* cb,
                    std::int64_t ldc) {
  if (kp == 0) std::fill_n(cb, round_up(rows, kMR) * ldc, Acc{0});
  for (std::int64_t l0 = 0; l0 < kp; l0 += kDepthBlock) {
    const std::int64_t pairs = std::min(kDepthBlock, kp - l0) / 2;
    for (std::int64_t j = 0; j < cols; j += kNR) {
      const PB* b_panel = pb + (j * kp + l0 * kNR) * planes;
      for (std::int64_t i = 0; i < rows; i += kMR) {
        kernel(pairs, pa + i * kp + l0 * kMR, b_panel, cb + i * ldc + j, ldc, l0 == 0);
      }
    }
  }
}

// Rows [r0, r0 + rows) of the columns whose packed B block is pb (and
// b_split, its split form, or null), summed into a tile-aligned scratch block
// and handed to the store function.
template <class P, class Acc>
void run_rows(const Problem<P, Acc>& p, std::int64_t r0, std::int64_t rows, std::int64_t c0,
              std::int64_t cols, const P* pb, const std::int16_t* b_split) {
  thread_local std::vector<P> a_buffer;
  thread_local std::vector<std::int16_t> a_narrow;
  thread_local std::vector<Acc> c_buffer;
  const std::int64_t a_size = qpacked_a_size(rows, p.k);
  const P* pa = operand_block(*p.a, r0, rows, a_size, p.kp, a_buffer);
  const std::int64_t ldc = round_up(cols, kNR);
  Acc* cb = scratch(c_buffer, round_up(rows, kMR) * ldc);
  const std::int16_t* pa16 = nullptr;
  if constexpr (std::is_same_v<P, std::int32_t>) {
    if (b_split) pa16 = p.a_narrow ? p.a_narrow + r0 * p.kp : narrow(pa, a_size, a_narrow);
  }
  if constexpr (std::is_same_v<Acc, std::int64_t>) {
    if (pa16) {
      multiply_block<std::int16_t, std::int16_t, Acc>(p.split_kernel, pa16, b_split, 2, rows, cols,
                                                      p.kp, cb, ldc);
    }
  }
  if (!pa16) multiply_block<P, P, Acc>(p.micro_kernel, pa, pb, 1, rows, cols, p.kp, cb, ldc);
  // Compact the rows to the store's stride (cols) in place: row i moves down, never overlapping ahead.
  for (std::int64_t i = 1; i < rows; ++i) std::copy_n(cb + i * ldc, cols, cb + i * cols);
  (*p.store)(r0, rows, c0, cols, cb);
}

// Columns [c0, c0 + cols) and rows [r0, r0 + rows), row block by row block.
template <class P, class Acc>
void run_task(const Problem<P, Acc>& p, std::int64_t r0, std::int64_t rows, std::int64_t c0,
              std::int64_t cols) {
  thread_local std::vector<P> b_buffer;
  thread_local std::vector<std::int16_t> b_split_buffer;
  const P* pb = operand_block(*p.b, c0, cols, qpacked_b_size(p.k, cols), p.kp, b_buffer);
  const std::int16_t* b_split = nullptr;
  if constexpr (std::is_same_v<P, std::int32_t>) {
    if (p.split_kernel) b_split = split(pb, cols, p.kp, b_split_buffer);
  }
  for (std::int64_t r = r0; r < r0 + rows; r += kBlockRows) {
    run_rows(p, r, std::min(kBlockRows, r0 + rows - r), c0, cols, pb, b_split);
  }
}

}  // namespace

template <class P, class Acc>
void qmicro_kernel_portable(std::int64_t pairs, const P* a, const P* b, Acc* out,
                            std::int64_t ldo, bool first) {
  Acc acc[kMR][kNR] = {};
  for (std::int64_t q = 0; q < pairs; ++q) {
    const P* aq = a + q * 2 * kMR;
    const P* bq = b + q * 2 * kNR;
    for (std::int64_t i = 0; i < kMR; ++i) {
      const Acc a0 = aq[2 * i], a1 = aq[2 * i + 1];
      for (std::int64_t j = 0; j < kNR; ++j) {
        acc[i][j] += a0 * static_cast<Acc>(bq[2 * j]) + a1 * static_cast<Acc>(bq[2 * j + 1]);
      }
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

#if defined(__SSE2__)
// pmaddwd multiplies eight int16 pairs and adds each pair into an int32:
// with a row's pair (a(i, 2q), a(i, 2q + 1)) broadcast to every lane and B's
// pairs per column, one instruction adds four columns' products of one depth
// pair. 8-bit offsets are at most 255 in magnitude, so no pair sum wraps.
// The accumulators are named variables, not arrays, here and in the split
// kernel below: GCC at -O2 keeps arrays indexed in loops in memory (measured
// 17% slower).
void qmicro_kernel_sse2(std::int64_t pairs, const std::int16_t* a, const std::int16_t* b,
                        std::int32_t* out, std::int64_t ldo, bool first) {
  static_assert(kMR == 4 && kNR == 8, "the SSE2 micro-kernel holds a 4 x 8 tile");
  __m128i c00 = _mm_setzero_si128(), c01 = c00, c10 = c00, c11 = c00;
  __m128i c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (std::int64_t q = 0; q < pairs; ++q) {
    const __m128i av = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a + q * 2 * kMR));
    const __m128i b0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + q * 2 * kNR));
    const __m128i b1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + q * 2 * kNR + 8));
    __m128i ai = _mm_shuffle_epi32(av, 0x00);
    c00 = _mm_add_epi32(c00, _mm_madd_epi16(ai, b0));
    c01 = _mm_add_epi32(c01, _mm_madd_epi16(ai, b1));
    ai = _mm_shuffle_epi32(av, 0x55);
    c10 = _mm_add_epi32(c10, _mm_madd_epi16(ai, b0));
    c11 = _mm_add_epi32(c11, _mm_madd_epi16(ai, b1));
    ai = _mm_shuffle_epi32(av, 0xaa);
    c20 = _mm_add_epi32(c20, _mm_madd_epi16(ai, b0));
    c21 = _mm_add_epi32(c21, _mm_madd_epi16(ai, b1));
    ai = _mm_shuffle_epi32(av, 0xff);
    c30 = _mm_add_epi32(c30, _mm_madd_epi16(ai, b0));
    c31 = _mm_add_epi32(c31, _mm_madd_epi16(ai, b1));
  }
  const __m128i tile[kMR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}};
  for (std::int64_t i = 0; i < kMR; ++i) {
    for (std::int64_t h = 0; h < 2; ++h) {
      auto* dst = reinterpret_cast<__m128i*>(out + i * ldo + 4 * h);
      const __m128i v = first ? tile[i][h] : _mm_add_epi32(_mm_loadu_si128(dst), tile[i][h]);
      _mm_storeu_si128(dst, v);
    }
  }
}
#endif

// int16 codes, split form: A offsets a (int16) times B offsets
// b = 256 * hi + lo. |a * hi| <= 2^23 and |a * lo| < 2^23, so 64 depth pairs
// of pair sums stay below 2^31 in the int32 partial sums; then
// sum = 256 * sum_hi + sum_lo in int64.
constexpr std::int64_t kSplitPairs = 64;

void qmicro_kernel_split_portable(std::int64_t pairs, const std::int16_t* a, const std::int16_t* b,
                                  std::int64_t* out, std::int64_t ldo, bool first) {
  std::int64_t total[kMR][kNR] = {};
  for (std::int64_t q0 = 0; q0 < pairs; q0 += kSplitPairs) {
    std::int32_t hi[kMR][kNR] = {}, lo[kMR][kNR] = {};
    for (std::int64_t q = q0; q < std::min(pairs, q0 + kSplitPairs); ++q) {
      const std::int16_t* aq = a + q * 2 * kMR;
      const std::int16_t* bh = b + q * 4 * kNR;
      const std::int16_t* bl = bh + 2 * kNR;
      for (std::int64_t i = 0; i < kMR; ++i) {
        const std::int32_t a0 = aq[2 * i], a1 = aq[2 * i + 1];
        for (std::int64_t j = 0; j < kNR; ++j) {
          hi[i][j] += a0 * bh[2 * j] + a1 * bh[2 * j + 1];
          lo[i][j] += a0 * bl[2 * j] + a1 * bl[2 * j + 1];
        }
      }
    }
    for (std::int64_t i = 0; i < kMR; ++i) {
      for (std::int64_t j = 0; j < kNR; ++j) total[i][j] += std::int64_t{hi[i][j]} * 256 + lo[i][j];
    }
  }
  for (std::int64_t i = 0; i < kMR; ++i) {
    std::int64_t* row = out + i * ldo;
    for (std::int64_t j = 0; j < kNR; ++j) row[j] = first ? total[i][j] : row[j] + total[i][j];
  }
}

#if defined(__SSE2__)
// The split form with pmaddwd: each half of the tile's columns in turn keeps
// its 4 x 4 high and low partial sums (8 registers) over a run of kSplitPairs.
void qmicro_kernel_split_sse2(std::int64_t pairs, const std::int16_t* a, const std::int16_t* b,
                              std::int64_t* out, std::int64_t ldo, bool first) {
  std::int64_t total[kMR][kNR] = {};
  alignas(16) std::int32_t hi[kMR][kNR], lo[kMR][kNR];
  for (std::int64_t q0 = 0; q0 < pairs; q0 += kSplitPairs) {
    const std::int64_t q1 = std::min(pairs, q0 + kSplitPairs);
    for (std::int64_t h = 0; h < 2; ++h) {
      __m128i h0 = _mm_setzero_si128(), h1 = h0, h2 = h0, h3 = h0;
      __m128i l0 = h0, l1 = h0, l2 = h0, l3 = h0;
      for (std::int64_t q = q0; q < q1; ++q) {
        const __m128i av = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a + q * 2 * kMR));
        const std::int16_t* bq = b + q * 4 * kNR + 8 * h;
        const __m128i bh = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bq));
        const __m128i bl = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bq + 2 * kNR));
        __m128i ai = _mm_shuffle_epi32(av, 0x00);
        h0 = _mm_add_epi32(h0, _mm_madd_epi16(ai, bh));
        l0 = _mm_add_epi32(l0, _mm_madd_epi16(ai, bl));
        ai = _mm_shuffle_epi32(av, 0x55);
        h1 = _mm_add_epi32(h1, _mm_madd_epi16(ai, bh));
        l1 = _mm_add_epi32(l1, _mm_madd_epi16(ai, bl));
        ai = _mm_shuffle_epi32(av, 0xaa);
        h2 = _mm_add_epi32(h2, _mm_madd_epi16(ai, bh));
        l2 = _mm_add_epi32(l2, _mm_madd_epi16(ai, bl));
        ai = _mm_shuffle_epi32(av, 0xff);
        h3 = _mm_add_epi32(h3, _mm_madd_epi16(ai, bh));
        l3 = _mm_add_epi32(l3, _mm_madd_epi16(ai, bl));
      }
      const __m128i hs[kMR] = {h0, h1, h2, h3}, ls[kMR] = {l0, l1, l2, l3};
      for (std::int64_t i = 0; i < kMR; ++i) {
        _mm_store_si128(reinterpret_cast<__m128i*>(&hi[i][4 * h]), hs[i]);
        _mm_store_si128(reinterpret_cast<__m128i*>(&lo[i][4 * h]), ls[i]);
      }
    }
    for (std::int64_t i = 0; i < kMR; ++i) {
      for (std::int64_t j = 0; j < kNR; ++j) total[i][j] += std::int64_t{hi[i][j]} * 256 + lo[i][j];
    }
  }
  for (std::int64_t i = 0; i < kMR; ++i) {
    std::int64_t* row = out + i * ldo;
    for (std::int64_t j = 0; j < kNR; ++j) row[j] = first ? total[i][j] : row[j] + total[i][j];
  }
}
#endif

std::int64_t qpacked_a_size(std::int64_t rows, std::int64_t depth) {
  return round_up(rows, kMR) * qpadded_depth(depth);
}

std::int64_t qpacked_b_size(std::int64_t depth, std::int64_t cols) {
  return round_up(cols, kNR) * qpadded_depth(depth);
}

template <class T>
void qpack_a(CodeMatrix<T> a, std::span<const std::int32_t> zero_point, std::int64_t row0,
             std::int64_t rows, std::int64_t depth, Offset<T>* out) {
  using P = Offset<T>;
  const std::int64_t kp = qpadded_depth(depth);
  for (std::int64_t p = 0; p < rows; p += kMR) {
    P* panel = out + p * kp;
    std::fill_n(panel, kMR * kp, P{0});
    const std::int64_t valid = std::min(kMR, rows - p);
    for (std::int64_t i = 0; i < valid; ++i) {
      const std::int64_t row = row0 + p + i;
      const std::int32_t zp = zero_point_at(zero_point, row);
      for (std::int64_t l = 0; l < depth; ++l) {
        panel[l / 2 * 2 * kMR + 2 * i + l % 2] = static_cast<P>(a.at(row, l) - zp);
      }
    }
  }
}

// One B panel from consecutive columns with one zero point: each depth pair
// interleaves two source rows.
template <class T>
void pack_b_panel_dense(const T* src, std::int64_t row_stride, std::int32_t zp, std::int64_t depth,
                        Offset<T>* panel) {
  using P = Offset<T>;
  for (std::int64_t l = 0; l < depth; l += 2) {
    const T* r0 = src + l * row_stride;
    P* dst = panel + l * kNR;
    if (l + 1 < depth) {
      const T* r1 = r0 + row_stride;
      for (std::int64_t j = 0; j < kNR; ++j) {
        dst[2 * j] = static_cast<P>(r0[j] - zp);
        dst[2 * j + 1] = static_cast<P>(r1[j] - zp);
      }
    } else {
      for (std::int64_t j = 0; j < kNR; ++j) {
        dst[2 * j] = static_cast<P>(r0[j] - zp);
        dst[2 * j + 1] = 0;
      }
    }
  }
}

template <class T>
void qpack_b(CodeMatrix<T> b, std::span<const std::int32_t> zero_point, std::int64_t col0,
             std::int64_t cols, std::int64_t depth, Offset<T>* out) {
  using P = Offset<T>;
  const std::int64_t kp = qpadded_depth(depth);
  for (std::int64_t p = 0; p < cols; p += kNR) {
    P* panel = out + p * kp;
    const std::int64_t valid = std::min(kNR, cols - p);
    if (valid == kNR && b.col_stride == 1 && zero_point.size() == 1) {
      pack_b_panel_dense(b.data + col0 + p, b.row_stride, zero_point[0], depth, panel);
      continue;
    }
    std::int32_t zp[kNR] = {};
    for (std::int64_t j = 0; j < valid; ++j) zp[j] = zero_point_at(zero_point, col0 + p + j);
    std::fill_n(panel, kNR * kp, P{0});
    for (std::int64_t l = 0; l < depth; ++l) {
      P* dst = panel + l / 2 * 2 * kNR + l % 2;
      for (std::int64_t j = 0; j < valid; ++j) dst[2 * j] = static_cast<P>(b.at(l, col0 + p + j) - zp[j]);
    }
  }
}

template <class P, class Acc>
void qgemm(std::int64_t m, std::int64_t n, std::int64_t k, const QOperand<P>& a,
           const QOperand<P>& b, const QStoreFn<Acc>& store, ThreadPool* pool,
           QMicroKernel kernel) {
  if (m <= 0 || n <= 0) return;
  const std::int64_t kp = qpadded_depth(k);
  const SplitKernelFn split_kernel = pick_split_kernel<P, Acc>(kernel);
  // A pre-packed A (constant weights) is narrowed once, not per block.
  std::vector<std::int16_t> a_narrow;
  const std::int16_t* a16 = nullptr;
  if constexpr (std::is_same_v<P, std::int32_t>) {
    if (split_kernel && a.packed) a16 = narrow(a.packed, qpacked_a_size(m, k), a_narrow);
  }
  const Problem<P, Acc> p{m, n, k, kp, &a, &b, &store, pick_micro_kernel<P, Acc>(kernel), split_kernel,
                          a16};
  const std::int64_t col_blocks = (n + kBlockCols - 1) / kBlockCols;
  // Enough column blocks: one task each, B packed once. Few: split the rows
  // too, so every thread has work (B is then packed once per row block).
  const std::int64_t threads = pool ? pool->thread_count() : 1;
  const std::int64_t row_tasks = col_blocks >= 4 * threads ? 1 : (m + kBlockRows - 1) / kBlockRows;
  const std::int64_t rows_per_task = row_tasks == 1 ? m : kBlockRows;
  auto body = [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t t = begin; t < end; ++t) {
      const std::int64_t r0 = t / col_blocks * rows_per_task, c0 = t % col_blocks * kBlockCols;
      run_task(p, r0, std::min(rows_per_task, m - r0), c0, std::min(kBlockCols, n - c0));
    }
  };
  if (pool) {
    pool->parallel_for(row_tasks * col_blocks, 1, body);
  } else {
    body(0, row_tasks * col_blocks);
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
  const Requantizer requantize(p.stage);
  const QStoreFn<Acc> store = [&p, &requantize, bias, c, ldc](std::int64_t r0, std::int64_t rows,
                                                              std::int64_t c0, std::int64_t cols,
                                                              const Acc* acc) {
    for (std::int64_t i = 0; i < rows; ++i) {
      T* dst = c + (r0 + i) * ldc;
      for (std::int64_t j = c0; j < c0 + cols; ++j) {
        std::int64_t v = acc[i * cols + (j - c0)];
        if (bias) v += bias[j * p.bias_stride];
        dst[j] = static_cast<T>(requantize.apply(v, static_cast<std::size_t>(j)));
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

#define RKNN_INSTANTIATE_QGEMM(P, Acc)                                                         \
  template void qgemm<P, Acc>(std::int64_t, std::int64_t, std::int64_t, const QOperand<P>&,     \
                              const QOperand<P>&, const QStoreFn<Acc>&, ThreadPool*,            \
                              QMicroKernel);                                                    \
  template void qmicro_kernel_portable<P, Acc>(std::int64_t, const P*, const P*, Acc*,          \
                                               std::int64_t, bool);
RKNN_INSTANTIATE_QGEMM(std::int16_t, std::int32_t)
RKNN_INSTANTIATE_QGEMM(std::int16_t, std::int64_t)
RKNN_INSTANTIATE_QGEMM(std::int32_t, std::int64_t)
#undef RKNN_INSTANTIATE_QGEMM

}  // namespace rknn::sim::optimized
