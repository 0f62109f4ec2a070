// The fast twin of reference::OutputStage::apply: the same rounding rule
// (round(acc * M) half up, then + zero point, then the clamp) in 64-bit
// arithmetic instead of a 128-bit product behind a call, and on x86-64 four
// values at a time with SSE2 for the usual case of 8-bit codes.
//
// M = m * 2^-s with m < 2^31 (quant.h). For |acc| <= 2^32, which covers every
// int32 sum plus an int32 bias, the product p = acc * m fits in int64
// (|p| < 2^63), and for 1 <= s <= 63
//
//   floor((p + 2^(s-1)) / 2^s) = ((p >> (s-1)) + 1) >> 1
//
// with arithmetic shifts (floor(floor(x) / 2) = floor(x / 2) for the outer
// halving). For s >= 64 every such p rounds to 0, as in apply_multiplier, so
// the channel stores m = 0. A larger accumulator or a channel with s <= 0
// (M >= 1, a left shift) takes the reference's own apply(). requantize.cpp
// explains the SSE2 rows. Same bytes for every input:
// tests/simulator/test_quantized_nn.cpp compares them value by value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/reference/quantized_common.h"

namespace rknn::sim::optimized {

class Requantizer {
 public:
  // The stage must outlive the requantizer.
  explicit Requantizer(const reference::OutputStage& stage);

  // stage.apply(acc, channel).
  std::int64_t apply(std::int64_t acc, std::size_t channel) const {
    const Channel& c = channels_[channel];
    if (!c.fast || !small(acc)) return stage_->apply(acc, channel);
    return clamp(scale(acc, c) + zero_point_);
  }

  // out[i] = stage.apply(acc[i] + bias, channel) for one channel's run of
  // values. portable: skip the SSE2 rows (for tests on x86).
  template <class T, class Acc>
  void apply_row(const Acc* acc, std::int64_t bias, std::size_t channel, std::int64_t count, T* out,
                 bool portable = false) const {
    std::int64_t done = 0;
    if constexpr (sizeof(T) == 1 && sizeof(Acc) == 4) {
      if (!portable) done = vector_row(acc, bias, channel, count, out);
    }
    const Channel c = channels_[channel];  // a copy: stores through T* may alias members
    if (!c.fast || leaky_) {
      for (std::int64_t i = done; i < count; ++i) {
        out[i] = static_cast<T>(apply(static_cast<std::int64_t>(acc[i]) + bias, channel));
      }
      return;
    }
    const std::int64_t zero_point = zero_point_, lo = lo_, hi = hi_;
    for (std::int64_t i = done; i < count; ++i) {
      const std::int64_t v = static_cast<std::int64_t>(acc[i]) + bias;
      std::int64_t q;
      if (small(v)) {
        q = round_shift(v, c.positive) + zero_point;
        q = q < lo ? lo : (q > hi ? hi : q);
      } else {
        q = stage_->apply(v, channel);
      }
      out[i] = static_cast<T>(q);
    }
  }

 private:
  struct Factor {
    std::int64_t m = 0;
    int shift = 0;  // s - 1
  };
  struct Channel {
    Factor positive;
    Factor negative;  // LeakyRelu: for acc < 0
    bool fast = false;
    // The SSE2 row form (requantize.cpp), for M = vector_m * 2^-vector_s
    // with 32 <= vector_s <= 62.
    bool vector = false;
    std::int64_t vector_m = 0;
    int vector_s = 0;
  };

  static bool small(std::int64_t v) {
    return static_cast<std::uint64_t>(v + (std::int64_t{1} << 32)) <= (std::uint64_t{1} << 33);
  }
  static std::int64_t round_shift(std::int64_t v, Factor f) {
    return (((v * f.m) >> f.shift) + 1) >> 1;
  }
  std::int64_t scale(std::int64_t v, const Channel& c) const {
    if (v < 0 && leaky_) return round_shift(negate_negative_ ? -v : v, c.negative);
    return round_shift(v, c.positive);
  }
  std::int64_t clamp(std::int64_t v) const { return v < lo_ ? lo_ : (v > hi_ ? hi_ : v); }

  // Requantizes a leading multiple of 8 values with SSE2 when the channel and
  // bias allow it; returns how many (0 without SSE2).
  template <class T>  // std::uint8_t or std::int8_t
  std::int64_t vector_row(const std::int32_t* acc, std::int64_t bias, std::size_t channel, std::int64_t count,
                          T* out) const;

  const reference::OutputStage* stage_;
  std::vector<Channel> channels_;
  bool leaky_ = false;
  bool negate_negative_ = false;
  std::int64_t zero_point_ = 0, lo_ = 0, hi_ = 0;
};

}  // namespace rknn::sim::optimized
