// Quantized arithmetic shared by every integer kernel. docs/quantization.md
// is the contract written out; a board runtime must match it bit for bit.
//
//   real = scale[c] * (q - zero_point[c])
//
// asymmetric_u8 stores uint8 codes with any zero point; dynamic fixed point
// (int8/int16) is the special case scale = 2^-fl, zero_point = 0. Two rounding
// rules, each used everywhere it applies:
//   * real -> code (weights, constants, inputs): round half to even, saturate;
//   * requantization of an integer accumulator: multiply by a 31-bit
//     multiplier and shift right, rounding half up (toward +infinity).
#pragma once

#include <cstdint>
#include <vector>

#include "rknn/sim/dtype.h"

namespace rknn::sim {

struct QuantParams {
  std::vector<float> scale;              // one value, or one per channel along `axis`
  std::vector<std::int32_t> zero_point;  // same length as scale
  int axis = -1;                         // channel axis of per-channel parameters, -1 per tensor

  bool per_channel() const { return scale.size() > 1; }
  float scale_at(std::size_t c) const { return scale[scale.size() == 1 ? 0 : c]; }
  std::int32_t zero_point_at(std::size_t c) const { return zero_point[zero_point.size() == 1 ? 0 : c]; }
  bool operator==(const QuantParams&) const = default;
};

// scale 2^-fl, zero point 0.
QuantParams fixed_point_params(int fl);

// The code range of a quantized element type: uint8 [0, 255], int8
// [-127, 127], int16 [-32767, 32767] (symmetric, as dynamic fixed point
// defines it), int32 (biases) the full range.
struct CodeRange {
  std::int64_t min;
  std::int64_t max;
};
CodeRange code_range(DType type);

// real -> code: round half to even, then saturate to the type's range.
std::int64_t quantize_value(double real, float scale, std::int32_t zero_point, DType type);

// A positive real multiplier M as m * 2^-(31 + shift) with m in [2^30, 2^31).
// Computed once at prepare time from float scales (exact IEEE arithmetic).
struct Multiplier {
  std::int32_t m = 0;
  int shift = 0;  // may be negative (a left shift)
};
Multiplier make_multiplier(double real);

// round(acc * M), rounding half up: (acc * m + 2^(s-1)) >> s with s = 31 + shift,
// computed in 128 bits so no intermediate overflows.
std::int64_t apply_multiplier(std::int64_t acc, Multiplier multiplier);

// Saturating conversion to the type's range.
inline std::int64_t saturate(std::int64_t v, CodeRange r) { return v < r.min ? r.min : (v > r.max ? r.max : v); }

}  // namespace rknn::sim
