// IEEE 754 binary16 conversion, round to nearest even, for float16 tensors
// and the float16 quantization type (every output of a float16 model is
// rounded through half). Inline and branch-free (selects only), so a loop
// over a tensor inlines and vectorizes; the bytes equal the case-by-case
// definition (tests/simulator/test_quantized_kernels.cpp checks every
// rounding position of every exponent, and every half). Needs the default
// floating-point environment (round to nearest; a flush-to-zero mode changes
// nothing: the values it would flush round to 0 anyway).
#pragma once

#include <bit>
#include <cstdint>

namespace rknn::sim {

namespace half_detail {
// c ? a : b as bit masks, which GCC vectorizes where it would branch on a ?:.
inline std::uint32_t select(bool c, std::uint32_t a, std::uint32_t b) {
  const std::uint32_t mask = 0u - static_cast<std::uint32_t>(c);
  return (a & mask) | (b & ~mask);
}
}  // namespace half_detail

inline std::uint16_t float_to_half(float value) {
  const std::uint32_t f = std::bit_cast<std::uint32_t>(value);
  const std::uint32_t sign = (f >> 16) & 0x8000u;
  const std::uint32_t abs = f & 0x7fffffffu;
  // Normal half: rebias the exponent (127 -> 15) and round 23 mantissa bits
  // to 10, nearest even: add 0xfff plus the kept LSB, then cut. A carry out
  // of the mantissa steps the exponent, and everything from 65520 up lands
  // at or above 0x7c00 (inf).
  std::uint32_t normal = (abs - 0x38000000u + 0xfffu + ((abs >> 13) & 1u)) >> 13;
  normal = half_detail::select(normal < 0x7c00u, normal, 0x7c00u);
  // Below 2^-14 (subnormal half or zero): adding 0.5f leaves the sum's ULP at
  // 2^-24, the half subnormal step, so the float adder rounds to the nearest
  // even multiple of it and the low bits are the half mantissa (0x400 when
  // it rounds up to the smallest normal).
  const std::uint32_t subnormal =
      std::bit_cast<std::uint32_t>(std::bit_cast<float>(abs) + 0.5f) - 0x3f000000u;
  std::uint32_t h = half_detail::select(abs < 0x38800000u, subnormal, normal);
  h = half_detail::select(abs > 0x7f800000u, 0x7e00u, h);  // NaN stays a quiet NaN
  return static_cast<std::uint16_t>(sign | h);
}

inline float half_to_float(std::uint16_t bits) {
  const std::uint32_t sign = static_cast<std::uint32_t>(bits & 0x8000u) << 16;
  const std::uint32_t magnitude = bits & 0x7fffu;
  // Normal: shift into place and rebias the exponent by 112 (15 -> 127);
  // inf and NaN (exponent 31) by 224 to reach 255, keeping the payload.
  const std::uint32_t normal =
      (magnitude << 13) + half_detail::select(magnitude >= 0x7c00u, 0x70000000u, 0x38000000u);
  // Subnormal or zero: mantissa * 2^-24, exact in float.
  const float subnormal = static_cast<float>(static_cast<std::int32_t>(magnitude)) * 0x1p-24f;
  const std::uint32_t f =
      half_detail::select(magnitude < 0x400u, std::bit_cast<std::uint32_t>(subnormal), normal);
  return std::bit_cast<float>(sign | f);
}

}  // namespace rknn::sim
