#include "kernels/optimized/requantize.h"

#include <type_traits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace rknn::sim::optimized {
namespace {

// The fast form of one multiplier, or nothing when s = 31 + shift <= 0.
bool make_factor(Multiplier multiplier, std::int64_t& m, int& shift) {
  const int s = 31 + multiplier.shift;
  if (s <= 0) return false;
  if (s >= 64) {  // every |p| < 2^63 rounds to 0: ((0 >> 0) + 1) >> 1 == 0
    m = 0;
    shift = 0;
    return true;
  }
  m = multiplier.m;
  shift = s - 1;
  return true;
}

#if defined(__SSE2__)
// SSE2 has no signed 32 x 32 -> 64 multiply and no 64-bit arithmetic shift,
// so the rows work on unsigned values. With u = acc + 2^31 (acc ^ 0x80000000,
// in [0, 2^32)) and v = acc + bias:
//
//   t = u * m + C,  C = 2^(s-1) - 2^31 * m + bias * m + 2^63   (mod 2^64)
//     = v * m + 2^(s-1) + 2^63
//
// For |bias| <= 2^30 and s <= 62, |v * m| < 0.75 * 2^63 and 2^(s-1) <= 2^61,
// so t lies in (0, 2^64): the unsigned pmuludq/paddq give it exactly, and
// t >> s (psrlq) = round_half_up(v * M) + 2^(63-s). With s >= 32, M < 1/2
// keeps the result below 2^31 in magnitude, so the low 32 bits minus
// 2^(63-s) are the rounded value as int32. It then saturates to int16
// (packssdw), adds the zero point with int16 saturation and clamps with
// pmaxsw/pminsw; saturating early cannot change the clamped 8-bit code
// because |zero point| <= 255 and the clamp lies inside [-128, 255].
constexpr std::int64_t kVectorBiasLimit = std::int64_t{1} << 30;

struct VectorRow {
  __m128i m, c, shift, sign, low, offset;

  VectorRow(std::int64_t mult, int s, std::int64_t bias) {
    const std::uint64_t um = static_cast<std::uint64_t>(mult);
    const std::uint64_t cc = (std::uint64_t{1} << (s - 1)) - (um << 31) +
                             static_cast<std::uint64_t>(bias) * um + (std::uint64_t{1} << 63);
    m = _mm_set1_epi32(static_cast<std::int32_t>(mult));
    c = _mm_set1_epi64x(static_cast<long long>(cc));
    shift = _mm_cvtsi32_si128(s);
    sign = _mm_set1_epi32(static_cast<std::int32_t>(0x80000000u));
    low = _mm_set1_epi64x(0xffffffffLL);
    offset = _mm_set1_epi32(static_cast<std::int32_t>(std::int64_t{1} << (63 - s)));
  }

  // Four accumulators to four rounded int32 values.
  __m128i round4(__m128i acc) const {
    const __m128i u = _mm_xor_si128(acc, sign);
    __m128i even = _mm_mul_epu32(u, m);                         // lanes 0 and 2
    __m128i odd = _mm_mul_epu32(_mm_srli_epi64(u, 32), m);      // lanes 1 and 3
    even = _mm_srl_epi64(_mm_add_epi64(even, c), shift);
    odd = _mm_srl_epi64(_mm_add_epi64(odd, c), shift);
    const __m128i q = _mm_or_si128(_mm_and_si128(even, low), _mm_slli_epi64(odd, 32));
    return _mm_sub_epi32(q, offset);
  }
};

// Eight accumulators to eight clamped int16 codes.
__m128i codes8(const VectorRow& row, const std::int32_t* acc, __m128i zero_point, __m128i lo,
               __m128i hi) {
  const __m128i a0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(acc));
  const __m128i a1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(acc + 4));
  __m128i v = _mm_packs_epi32(row.round4(a0), row.round4(a1));
  v = _mm_adds_epi16(v, zero_point);
  return _mm_min_epi16(_mm_max_epi16(v, lo), hi);
}
#endif

}  // namespace

Requantizer::Requantizer(const reference::OutputStage& stage)
    : stage_(&stage),
      leaky_(!stage.negative.empty()),
      negate_negative_(stage.negate_negative),
      zero_point_(stage.zero_point),
      lo_(stage.lo),
      hi_(stage.hi) {
  channels_.resize(stage.multiplier.size());
  for (std::size_t c = 0; c < channels_.size(); ++c) {
    Channel& ch = channels_[c];
    ch.fast = make_factor(stage.multiplier[c], ch.positive.m, ch.positive.shift);
    if (leaky_) ch.fast = make_factor(stage.negative[c], ch.negative.m, ch.negative.shift) && ch.fast;
    const int s = 31 + stage.multiplier[c].shift;
    ch.vector = ch.fast && !leaky_ && s >= 32 && s <= 62;
    ch.vector_m = stage.multiplier[c].m;
    ch.vector_s = s;
  }
}

#if defined(__SSE2__)
template <class T>
std::int64_t Requantizer::vector_row(const std::int32_t* acc, std::int64_t bias, std::size_t channel,
                                     std::int64_t count, T* out) const {
  const Channel& ch = channels_[channel];
  if (!ch.vector || bias > kVectorBiasLimit || bias < -kVectorBiasLimit) return 0;
  const VectorRow row(ch.vector_m, ch.vector_s, bias);
  const __m128i zp = _mm_set1_epi16(static_cast<std::int16_t>(zero_point_));
  const __m128i lo = _mm_set1_epi16(static_cast<std::int16_t>(lo_));
  const __m128i hi = _mm_set1_epi16(static_cast<std::int16_t>(hi_));
  std::int64_t i = 0;
  for (; i + 8 <= count; i += 8) {
    const __m128i v = codes8(row, acc + i, zp, lo, hi);  // already clamped to T's range
    const __m128i packed = std::is_signed_v<T> ? _mm_packs_epi16(v, v) : _mm_packus_epi16(v, v);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out + i), packed);
  }
  return i;
}
#else
template <class T>
std::int64_t Requantizer::vector_row(const std::int32_t*, std::int64_t, std::size_t, std::int64_t, T*) const {
  return 0;
}
#endif

template std::int64_t Requantizer::vector_row(const std::int32_t*, std::int64_t, std::size_t, std::int64_t,
                                              std::uint8_t*) const;
template std::int64_t Requantizer::vector_row(const std::int32_t*, std::int64_t, std::size_t, std::int64_t,
                                              std::int8_t*) const;

}  // namespace rknn::sim::optimized
