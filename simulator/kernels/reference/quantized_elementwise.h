// Integer rules of the element-wise, data-movement, concatenation and
// reduction ops on quantized tensors (docs/quantization-elementwise.md is the
// same text written out for board runtimes). Each rule is decoded once at
// prepare from the tensors' scales into integer multipliers and shifts; its
// apply() is the per-element arithmetic, pure integer, and both the
// reference loops and any fast loop call it, so they agree by construction.
//
// Only per-tensor activation parameters exist: every rule here rejects
// per-channel parameters with UnsupportedError.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "rknn/sim/op.h"
#include "rknn/sim/quant.h"

namespace rknn::sim::reference {

// The per-tensor parameters of one quantized tensor and its code range.
struct QScale {
  double scale = 1.0;
  std::int32_t zero_point = 0;
  DType dtype = DType::kUInt8;
  CodeRange range{0, 255};

  double dequantize(std::int64_t q) const { return scale * static_cast<double>(q - zero_point); }
  // Rule 1 of docs/quantization.md (round half to even, saturate).
  std::int64_t quantize(double real) const;
};

// ---- Prepare-time decoding -------------------------------------------------

// uint8, int8 or int16: the element types of quantized activations.
bool is_code_type(DType dtype);

// The quantized path is taken for an input of a code type that carries
// quantization parameters; plain integer tensors keep exact integer semantics.
bool is_quantized(const InputInfo& input);

// Per-tensor parameters of `params` for a tensor of `dtype`; UnsupportedError
// naming `what` for per-channel parameters.
QScale per_tensor(const QuantParams& params, DType dtype, std::string_view what);

// The parameters of a quantized input (is_quantized must hold).
QScale input_scale(const InputInfo& input, std::string_view what);

// The parameters of output `index` (node.output_quant, set by the executor);
// Error when the output has none.
QScale output_scale(const OpNode& node, std::size_t index, DType dtype);

// Ops that only move codes: when `input` is quantized, output
// `output_index` must have exactly its parameters (the compiler guarantees
// it); throws Error naming both otherwise, UnsupportedError for per-channel
// parameters. No-op for inputs that are not quantized and for outputs
// without recorded parameters (shape-only preparation).
void expect_same_params(const OpNode& node, const InputInfo& input, std::size_t output_index = 0);

// The real values of a constant: float32 as is, or a code type with its
// quantization parameters (per-tensor, or per channel along params.axis).
// Error for other element types or a missing `params`.
std::vector<double> constant_values(const Tensor& constant, const QuantParams* params, std::string_view what);

// make_multiplier(ratio) for a ratio of scales; UnsupportedError naming
// `what` when the ratio is 2^16 or more (no sensible compiler output has
// that, and the Add/Sub alignment bound relies on it).
Multiplier ratio_multiplier(double ratio, std::string_view what);

// ---- Rules -----------------------------------------------------------------

// q_out = saturate(zp_out + round((q - zp_in) * s_in / s_out)): requantization
// of one code (Concat inputs, Max/Min operands). With identical parameters it
// is the identity and codes are passed through unchanged.
struct Requantizer {
  Multiplier multiplier;
  std::int32_t zp_in = 0;
  std::int32_t zp_out = 0;
  CodeRange range{0, 255};
  bool identity = false;

  std::int64_t apply(std::int64_t q) const {
    if (identity) return q;
    return saturate(zp_out + apply_multiplier(q - zp_in, multiplier), range);
  }
};
Requantizer make_requantizer(const QScale& in, const QScale& out);

// Add / Sub in a common precision. Each operand's multiplier M_i = s_i / s_out
// is m_i * 2^-S_i (S_i = 31 + shift_i). The terms t_i = (q_i - zp_i) * m_i
// (|t_i| < 2^47) are brought to one exponent S = min(max S_i, min S_i + 15,
// 62): a left shift of at most 15 bits (so |aligned| < 2^62 and the sum fits
// int64), or, for a term finer than S, a right shift rounding half up. The
// sum is rounded half up by S, the output zero point added, then saturated.
struct AddRule {
  std::int64_t m_a = 0;
  std::int64_t m_b = 0;  // negative for Sub
  int left_a = 0, left_b = 0;    // alignment left shifts
  int right_a = 0, right_b = 0;  // alignment rounding right shifts
  int shift = 1;                 // S
  std::int32_t zp_a = 0, zp_b = 0, zp_out = 0;
  CodeRange range{0, 255};

  std::int64_t apply(std::int64_t qa, std::int64_t qb) const {
    const std::int64_t sum = align((qa - zp_a) * m_a, left_a, right_a) + align((qb - zp_b) * m_b, left_b, right_b);
    return saturate(zp_out + ((sum + (std::int64_t{1} << (shift - 1))) >> shift), range);
  }

  static std::int64_t align(std::int64_t t, int left, int right) {
    if (right > 0) return (t + (std::int64_t{1} << (right - 1))) >> right;
    return t * (std::int64_t{1} << left);
  }
};
// Throws UnsupportedError when a scale ratio s_i / s_out is 2^16 or more.
AddRule make_add_rule(const QScale& a, const QScale& b, const QScale& out, bool subtract);

// Mul: the product of the offset codes (|.| <= 2^32, int64) requantized by
// s_a * s_b / s_out.
struct MulRule {
  Multiplier multiplier;
  std::int32_t zp_a = 0, zp_b = 0, zp_out = 0;
  CodeRange range{0, 255};

  std::int64_t apply(std::int64_t qa, std::int64_t qb) const {
    return saturate(zp_out + apply_multiplier((qa - zp_a) * (qb - zp_b), multiplier), range);
  }
};
MulRule make_mul_rule(const QScale& a, const QScale& b, const QScale& out);

// Max / Min: each operand is requantized to the output parameters, then the
// codes are compared (requantization is monotonic, so this is the max/min of
// the real values up to rounding).
struct MinMaxRule {
  Requantizer a;
  Requantizer b;
  bool max = true;

  std::int64_t apply(std::int64_t qa, std::int64_t qb) const {
    const std::int64_t x = a.apply(qa);
    const std::int64_t y = b.apply(qb);
    return max ? (x < y ? y : x) : (y < x ? y : x);
  }
};

// PRelu with a constant slope: for d = q - zp_x >= 0 the multiplier is
// s_x / s_out, for d < 0 it is |slope| * s_x / s_out applied to d or -d (the
// sign of the slope), so the product is rounded half up as a whole.
struct SlopeMultiplier {
  Multiplier multiplier;  // |slope| * s_x / s_out; m = 0 for a zero slope
  bool negative = false;
};
struct PReluRule {
  Multiplier positive;
  std::int32_t zp_x = 0, zp_out = 0;
  CodeRange range{0, 255};

  std::int64_t apply(std::int64_t q, const SlopeMultiplier& slope) const {
    const std::int64_t d = q - zp_x;
    const std::int64_t v = d >= 0 ? apply_multiplier(d, positive)
                                  : apply_multiplier(slope.negative ? -d : d, slope.multiplier);
    return saturate(zp_out + v, range);
  }
};
PReluRule make_prelu_rule(const QScale& x, const QScale& out);
SlopeMultiplier make_slope_multiplier(double slope, const QScale& x, const QScale& out);

// Calls f(T{}) with T the element type of a code type (uint8, int8, int16).
template <class F>
decltype(auto) with_code_type(DType dtype, F&& f) {
  switch (dtype) {
    case DType::kUInt8: return f(std::uint8_t{});
    case DType::kInt8: return f(std::int8_t{});
    default: return f(std::int16_t{});
  }
}

}  // namespace rknn::sim::reference
