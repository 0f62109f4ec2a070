// Table-driven quantized kernels: unary activations by lookup table, and the
// integer softmax (docs/quantization-elementwise.md). Tables are computed
// once at prepare in double precision with the C library's libm; run() only
// looks entries up and does integer arithmetic. A board runtime must build
// the same tables (the device issue compares x86-64 and aarch64 bytes).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "kernels/reference/quantized_elementwise.h"

namespace rknn::sim::reference {

// entry[v - lowest] = out.quantize(f(in.dequantize(v))) for every value v the
// input's storage type can hold (256 entries for 8-bit types, 65536 for
// int16; `lowest` is 0, -128 or -32768). f is evaluated in double.
std::vector<std::int32_t> build_unary_table(const std::function<double(double)>& f, const QScale& in,
                                            const QScale& out);

// Integer softmax of one column of n codes. With d_j = max - q_j (0 <= d_j
// <= 65535) and E[d] = round_half_even(exp(-d * s_in) * 2^30) (the table),
//   sum = sum_j E[d_j]                                  (int64: n < 2^32)
//   q_j = saturate(zp_out + floor((2 * E[d_j] * m + D) / (2 * D)))
// where 1 / s_out = m * 2^-T (make_multiplier: T = 31 + shift) and
// D = sum * 2^T, all in unsigned 128-bit integers (T < 0 scales the
// numerator instead): round half up of E[d_j] / (sum * s_out).
struct SoftmaxTable {
  std::vector<std::int64_t> exp;  // E[d] for d = 0 .. storage span of the input type
  std::uint64_t m = 0;            // 1 / s_out = m * 2^-t
  int t = 0;
  std::int32_t zp_out = 0;
  CodeRange range{0, 255};
};
SoftmaxTable make_softmax_table(const QScale& in, const QScale& out);

// One column of n codes, `stride` elements apart.
template <class T>
void softmax_column(const SoftmaxTable& table, const T* x, T* y, std::int64_t n, std::int64_t stride);

}  // namespace rknn::sim::reference
