// The fast integer kernels' building blocks against their definitions, value
// by value: the requantizer (scalar and SSE2 rows) against
// reference::OutputStage::apply, and every micro-kernel of the integer GEMM
// (SSE2 and portable, plain and split forms) against exact int64 sums. The
// op-level sweeps in test_quantized_nn.cpp run the default kernels only; here
// the portable ones run on x86 too. Also the float16 type's rounding through
// half (rknn/sim/half.h) against a bit-by-bit definition.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels/optimized/quantized_gemm.h"
#include "kernels/optimized/requantize.h"
#include "kernels/reference/quantized_common.h"
#include "rknn/sim/dtype.h"
#include "rknn/sim/half.h"

namespace rknn::sim {
namespace {

using optimized::QMicroKernel;
using optimized::QOperand;
using optimized::QStoreFn;
using optimized::Requantizer;
using reference::CodeMatrix;
using reference::OutputStage;

struct Rng {
  std::mt19937 gen;
  explicit Rng(std::uint32_t seed) : gen(seed) {}
  std::int64_t range(std::int64_t lo, std::int64_t hi) {  // inclusive
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(gen);
  }
  double log_uniform(double lo, double hi) {
    return std::exp(std::uniform_real_distribution<double>(std::log(lo), std::log(hi))(gen));
  }
};

// ---- Requantizer ----

// A stage for `type` with per-channel multipliers from 2^-40 to 4 (so the
// shifts cover the SSE2 range 32..62, the scalar-only s = 31 and s <= 0 and
// the s >= 63 channels that round everything to 0), a random zero point and
// activation.
OutputStage random_stage(Rng& rng, DType type, std::size_t channels) {
  std::vector<double> real;
  for (std::size_t c = 0; c < channels; ++c) {
    switch (rng.range(0, 5)) {
      case 0: real.push_back(rng.log_uniform(1e-12, 1e-9)); break;  // s >= 63
      case 1: real.push_back(rng.log_uniform(0.5, 4.0)); break;     // s <= 31
      default: real.push_back(rng.log_uniform(1e-6, 0.5)); break;
    }
  }
  const CodeRange r = code_range(type);
  const QuantParams out{{0.05f}, {static_cast<std::int32_t>(rng.range(r.min, r.max))}, -1};
  ops::Activation activation;
  switch (rng.range(0, 3)) {
    case 1: activation.kind = ops::Activation::Kind::kRelu; break;
    case 2:
      activation.kind = ops::Activation::Kind::kClip;
      activation.min = -1.0f;
      activation.max = 2.0f;
      break;
    case 3:
      activation.kind = ops::Activation::Kind::kLeakyRelu;
      activation.alpha = rng.range(0, 1) ? 0.1f : -0.2f;
      break;
    default: break;
  }
  return reference::make_output_stage(real, out, type, activation);
}

// Accumulators around interesting values: small, large, the int32 limits
// (int64: +-2^40, beyond any real sum of these tests).
template <class Acc>
std::vector<Acc> random_accumulators(Rng& rng, std::int64_t count) {
  const std::int64_t lo = std::max<std::int64_t>(std::numeric_limits<Acc>::min(), -(std::int64_t{1} << 40));
  const std::int64_t hi = std::min<std::int64_t>(std::numeric_limits<Acc>::max(), std::int64_t{1} << 40);
  std::vector<Acc> acc;
  for (std::int64_t i = 0; i < count; ++i) {
    switch (rng.range(0, 4)) {
      case 0: acc.push_back(static_cast<Acc>(rng.range(-300, 300))); break;
      case 1: acc.push_back(static_cast<Acc>(rng.range(-100000000, 100000000))); break;
      case 2: acc.push_back(static_cast<Acc>(rng.range(0, 1) ? lo + rng.range(0, 5) : hi - rng.range(0, 5))); break;
      default: acc.push_back(static_cast<Acc>(rng.range(lo, hi)));
    }
  }
  return acc;
}

std::int64_t random_bias(Rng& rng) {
  switch (rng.range(0, 3)) {
    case 0: return 0;
    case 1: return rng.range(-100000, 100000);
    case 2: return (rng.range(0, 1) ? 1 : -1) * (std::int64_t{1} << 30) + rng.range(-1, 1);  // the SSE2 limit
    default: return rng.range(std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max());
  }
}

template <class T, class Acc>
void check_requantizer(std::uint32_t seed, int stages) {
  Rng rng(seed);
  const DType type = DTypeOf<T>::value;
  for (int s = 0; s < stages; ++s) {
    const std::size_t channels = static_cast<std::size_t>(rng.range(1, 6));
    const OutputStage stage = random_stage(rng, type, channels);
    const Requantizer requantize(stage);
    for (std::size_t c = 0; c < channels; ++c) {
      const std::int64_t count = rng.range(1, 40);
      const std::vector<Acc> acc = random_accumulators<Acc>(rng, count);
      const std::int64_t bias = random_bias(rng);
      std::vector<T> fast(static_cast<std::size_t>(count)), portable(fast.size());
      requantize.apply_row(acc.data(), bias, c, count, fast.data());
      requantize.apply_row(acc.data(), bias, c, count, portable.data(), true);
      for (std::size_t i = 0; i < fast.size(); ++i) {
        const std::int64_t v = static_cast<std::int64_t>(acc[i]) + bias;
        const std::int64_t want = stage.apply(v, c);
        ASSERT_EQ(fast[i], static_cast<T>(want)) << "stage " << s << " channel " << c << " acc " << v;
        ASSERT_EQ(portable[i], static_cast<T>(want)) << "stage " << s << " channel " << c << " acc " << v;
        ASSERT_EQ(requantize.apply(v, c), want) << "stage " << s << " channel " << c << " acc " << v;
      }
    }
  }
}

TEST(QuantizedFastKernels, RequantizerMatchesOutputStage) {
  check_requantizer<std::uint8_t, std::int32_t>(1, 400);
  check_requantizer<std::int8_t, std::int32_t>(2, 400);
  check_requantizer<std::uint8_t, std::int64_t>(3, 200);
  check_requantizer<std::int16_t, std::int64_t>(4, 200);
}

// Halves round up at the edges of the SSE2 form: acc * M exactly k + 1/2.
TEST(QuantizedFastKernels, RequantizerRoundsHalvesUp) {
  const QuantParams out{{1.0f}, {0}, -1};
  for (double m : {0.25, 0.125, std::ldexp(1.0, -20)}) {
    const OutputStage stage = reference::make_output_stage(std::vector<double>{m}, out, DType::kInt8, {});
    const Requantizer requantize(stage);
    std::vector<std::int32_t> acc;
    for (std::int32_t k = -6; k <= 6; ++k) acc.push_back(static_cast<std::int32_t>(std::lround((k + 0.5) / m)));
    acc.resize(16, 0);
    std::vector<std::int8_t> got(acc.size());
    requantize.apply_row(acc.data(), 0, 0, static_cast<std::int64_t>(acc.size()), got.data());
    for (std::size_t i = 0; i < 13; ++i) {
      const auto want = static_cast<std::int8_t>(std::floor(static_cast<double>(acc[i]) * m + 0.5));
      EXPECT_EQ(got[i], want) << "M " << m << " acc " << acc[i];
      EXPECT_EQ(got[i], stage.apply(acc[i], 0)) << "M " << m << " acc " << acc[i];
    }
  }
}

// ---- GEMM micro-kernels ----

// Random codes of T with zero points; A is m x k, B is k x n, row-major.
template <class T>
struct Matrices {
  std::int64_t m = 0, n = 0, k = 0;
  std::vector<T> a, b;
  std::vector<std::int32_t> a_zp, b_zp;  // one per row of A, one per column of B (or one)
};

template <class T>
Matrices<T> random_matrices(Rng& rng, std::int64_t m, std::int64_t n, std::int64_t k, bool zero_zps,
                            bool extremes) {
  Matrices<T> x{m, n, k, {}, {}, {}, {}};
  const std::int64_t lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  auto code = [&] {
    if (extremes && rng.range(0, 3) == 0) return static_cast<T>(rng.range(0, 1) ? lo : hi);
    return static_cast<T>(rng.range(lo, hi));
  };
  for (std::int64_t i = 0; i < m * k; ++i) x.a.push_back(code());
  for (std::int64_t i = 0; i < k * n; ++i) x.b.push_back(code());
  auto zp = [&] { return zero_zps ? 0 : static_cast<std::int32_t>(rng.range(lo, hi)); };
  x.a_zp.push_back(zp());
  const std::int64_t b_zps = rng.range(0, 1) ? n : 1;
  for (std::int64_t j = 0; j < b_zps; ++j) x.b_zp.push_back(zp());
  return x;
}

template <class T>
std::vector<std::int64_t> exact_product(const Matrices<T>& x) {
  std::vector<std::int64_t> c(static_cast<std::size_t>(x.m * x.n));
  for (std::int64_t i = 0; i < x.m; ++i) {
    for (std::int64_t j = 0; j < x.n; ++j) {
      const std::int64_t bz = x.b_zp[x.b_zp.size() == 1 ? 0 : static_cast<std::size_t>(j)];
      std::int64_t acc = 0;
      for (std::int64_t l = 0; l < x.k; ++l) {
        acc += (std::int64_t{x.a[static_cast<std::size_t>(i * x.k + l)]} - x.a_zp[0]) *
               (std::int64_t{x.b[static_cast<std::size_t>(l * x.n + j)]} - bz);
      }
      c[static_cast<std::size_t>(i * x.n + j)] = acc;
    }
  }
  return c;
}

// C through qgemm with the given micro-kernels, A pre-packed or packed while running.
template <class T, class Acc>
std::vector<std::int64_t> fast_product(const Matrices<T>& x, QMicroKernel kernel, bool prepack_a,
                                       ThreadPool* pool) {
  using P = optimized::Offset<T>;
  const CodeMatrix<T> a{x.a.data(), x.k, 1}, b{x.b.data(), x.n, 1};
  std::vector<P> packed_a;
  QOperand<P> qa = optimized::qa_operand<T>(a, x.a_zp, x.k);
  if (prepack_a && x.k > 0) {  // as ops/gemm.cpp: an empty A is never pre-packed
    packed_a.resize(static_cast<std::size_t>(optimized::qpacked_a_size(x.m, x.k)));
    optimized::qpack_a<T>(a, x.a_zp, 0, x.m, x.k, packed_a.data());
    qa = {packed_a.data(), {}};
  }
  const QOperand<P> qb = optimized::qb_operand<T>(b, x.b_zp, x.k);
  std::vector<std::int64_t> c(static_cast<std::size_t>(x.m * x.n), -1);
  const QStoreFn<Acc> store = [&](std::int64_t r0, std::int64_t rows, std::int64_t c0, std::int64_t cols,
                                  const Acc* acc) {
    for (std::int64_t i = 0; i < rows; ++i) {
      for (std::int64_t j = 0; j < cols; ++j) {
        c[static_cast<std::size_t>((r0 + i) * x.n + c0 + j)] = acc[i * cols + j];
      }
    }
  };
  optimized::qgemm<P, Acc>(x.m, x.n, x.k, qa, qb, store, pool, kernel);
  return c;
}

template <class T, class Acc>
void check_gemm(std::uint32_t seed, int cases, bool zero_zps, bool extremes) {
  Rng rng(seed);
  ThreadPool pool(2);
  for (int iter = 0; iter < cases; ++iter) {
    const std::int64_t m = rng.range(1, 70), n = rng.range(1, 300);
    const std::int64_t k = rng.range(0, 3) == 0 ? rng.range(513, 1100) : rng.range(0, 140);
    const Matrices<T> x = random_matrices<T>(rng, m, n, k, zero_zps, extremes);
    const std::vector<std::int64_t> want = exact_product(x);
    const std::string what = "case " + std::to_string(iter) + " (" + std::to_string(m) + " x " +
                             std::to_string(n) + " x " + std::to_string(k) + ")";
    for (QMicroKernel kernel : {QMicroKernel::kBest, QMicroKernel::kPortable}) {
      const bool prepack = rng.range(0, 1) == 1;
      EXPECT_EQ((fast_product<T, Acc>(x, kernel, prepack, rng.range(0, 1) ? &pool : nullptr)), want)
          << what << (kernel == QMicroKernel::kBest ? " best" : " portable") << " micro-kernel"
          << (prepack ? ", A pre-packed" : "");
    }
  }
}

TEST(QuantizedFastKernels, EightBitMicroKernelsGiveExactSums) {
  check_gemm<std::uint8_t, std::int32_t>(10, 25, false, false);
  check_gemm<std::int8_t, std::int32_t>(11, 25, false, true);
  check_gemm<std::uint8_t, std::int64_t>(12, 10, false, true);
}

// int16 codes: zero points 0 take the split form (A fits int16; with
// -32768 codes too), other zero points the plain int32 form.
TEST(QuantizedFastKernels, Int16MicroKernelsGiveExactSums) {
  check_gemm<std::int16_t, std::int64_t>(20, 20, true, false);
  check_gemm<std::int16_t, std::int64_t>(21, 20, true, true);
  check_gemm<std::int16_t, std::int64_t>(22, 15, false, true);
}

// One tile straight through each micro-kernel pair, at the operand limits.
TEST(QuantizedFastKernels, MicroKernelsAgreeOnOneTile) {
  Rng rng(30);
  constexpr std::int64_t kTile = optimized::kQTileRows * optimized::kQTileCols;
  for (std::int64_t pairs : {0, 1, 7, 64, 65, 256}) {
    std::vector<std::int16_t> a(static_cast<std::size_t>(pairs * 2 * optimized::kQTileRows));
    std::vector<std::int16_t> b(static_cast<std::size_t>(pairs * 4 * optimized::kQTileCols));
    for (auto& v : a) v = static_cast<std::int16_t>(rng.range(0, 1) ? -32768 : rng.range(-32768, 32767));
    for (std::size_t i = 0; i < b.size(); ++i) {  // split form: high parts then low parts per pair
      const bool high = i / (2 * optimized::kQTileCols) % 2 == 0;
      b[i] = static_cast<std::int16_t>(high ? (rng.range(0, 1) ? -256 : rng.range(-256, 255)) : rng.range(0, 255));
    }
    std::vector<std::int64_t> want(kTile, 7), got(kTile, 7);
    optimized::qmicro_kernel_split_portable(pairs, a.data(), b.data(), want.data(), optimized::kQTileCols, false);
#if defined(__SSE2__)
    optimized::qmicro_kernel_split_sse2(pairs, a.data(), b.data(), got.data(), optimized::kQTileCols, false);
    EXPECT_EQ(got, want) << pairs << " pairs, split";
#endif
    // Check the portable split kernel itself against the plain sum.
    for (std::int64_t i = 0; i < optimized::kQTileRows; ++i) {
      for (std::int64_t j = 0; j < optimized::kQTileCols; ++j) {
        std::int64_t sum = 7;
        for (std::int64_t q = 0; q < pairs; ++q) {
          for (std::int64_t t = 0; t < 2; ++t) {
            const std::int64_t av = a[static_cast<std::size_t>(q * 2 * optimized::kQTileRows + 2 * i + t)];
            const std::size_t bi = static_cast<std::size_t>(q * 4 * optimized::kQTileCols + 2 * j + t);
            sum += av * (256 * std::int64_t{b[bi]} + b[bi + 2 * optimized::kQTileCols]);
          }
        }
        EXPECT_EQ(want[static_cast<std::size_t>(i * optimized::kQTileCols + j)], sum) << pairs << " pairs";
      }
    }
    // The 8-bit kernels on 9-bit offsets.
    std::vector<std::int16_t> b8(static_cast<std::size_t>(pairs * 2 * optimized::kQTileCols));
    for (auto& v : a) v = static_cast<std::int16_t>(rng.range(-255, 255));
    for (auto& v : b8) v = static_cast<std::int16_t>(rng.range(-255, 255));
    std::vector<std::int32_t> want8(kTile, 3), got8(kTile, 3);
    optimized::qmicro_kernel_portable<std::int16_t, std::int32_t>(pairs, a.data(), b8.data(), want8.data(),
                                                                  optimized::kQTileCols, pairs % 2 == 0);
#if defined(__SSE2__)
    optimized::qmicro_kernel_sse2(pairs, a.data(), b8.data(), got8.data(), optimized::kQTileCols, pairs % 2 == 0);
    EXPECT_EQ(got8, want8) << pairs << " pairs, 8-bit";
#endif
  }
}

// ---- float16 rounding ----

// IEEE binary16 rounding to nearest even, spelled out case by case (the
// definition half.h's branch-free form must match).
std::uint16_t half_by_definition(float value) {
  const std::uint32_t f = std::bit_cast<std::uint32_t>(value);
  const std::uint32_t sign = (f >> 16) & 0x8000u, abs = f & 0x7fffffffu;
  if (abs > 0x7f800000u) return static_cast<std::uint16_t>(sign | 0x7e00u);  // NaN: quiet
  if (abs >= 0x477ff000u) return static_cast<std::uint16_t>(sign | 0x7c00u);  // inf, or rounds to it
  std::uint32_t mantissa, shift;  // the half's bits are mantissa >> shift, rounded
  if (abs < 0x38800000u) {  // half subnormal or zero: units of 2^-24
    if (abs < 0x33000000u) return static_cast<std::uint16_t>(sign);
    mantissa = (abs & 0x7fffffu) | 0x800000u;
    shift = 126u - (abs >> 23);  // value / 2^-24 = mantissa >> shift
  } else {  // normal: drop 13 mantissa bits of the rebiased value
    mantissa = abs - 0x38000000u;
    shift = 13;
  }
  std::uint32_t h = mantissa >> shift;
  const std::uint32_t rest = mantissa & ((1u << shift) - 1u), half_unit = 1u << (shift - 1u);
  if (rest > half_unit || (rest == half_unit && (h & 1u))) ++h;
  return static_cast<std::uint16_t>(sign | h);
}

TEST(HalfRounding, MatchesTheDefinitionAtEveryBoundary) {
  // Every sign, exponent and top mantissa nibble, with the low bits just
  // below, at and above each possible rounding position.
  for (std::uint32_t high = 0; high < (1u << 13); ++high) {
    const std::uint32_t base = high << 19;
    for (std::uint32_t bit = 0; bit < 19; ++bit) {
      for (std::uint32_t low : {(1u << bit) - 1u, 1u << bit, (1u << bit) + 1u, (3u << bit) & 0x7ffffu}) {
        const float f = std::bit_cast<float>(base | low);
        ASSERT_EQ(float_to_half(f), half_by_definition(f)) << std::hex << (base | low);
      }
    }
  }
  Rng rng(64);
  for (int i = 0; i < 1000000; ++i) {
    const float f = std::bit_cast<float>(static_cast<std::uint32_t>(rng.range(0, 0xffffffffll)));
    ASSERT_EQ(float_to_half(f), half_by_definition(f)) << std::hex << std::bit_cast<std::uint32_t>(f);
  }
}

TEST(HalfRounding, WidensEveryHalfExactly) {
  for (std::uint32_t bits = 0; bits < 0x10000u; ++bits) {
    const std::uint32_t exponent = (bits >> 10) & 0x1fu, mantissa = bits & 0x3ffu;
    const float magnitude = exponent == 0 ? std::ldexp(static_cast<float>(mantissa), -24)
                                          : std::ldexp(static_cast<float>(mantissa | 0x400u),
                                                       static_cast<int>(exponent) - 25);
    const float f = half_to_float(static_cast<std::uint16_t>(bits));
    if (exponent == 0x1f) {  // inf and NaN keep the payload
      EXPECT_EQ(std::bit_cast<std::uint32_t>(f),
                ((bits & 0x8000u) << 16) | 0x7f800000u | (mantissa << 13)) << bits;
    } else {
      EXPECT_EQ(f, (bits & 0x8000u) ? -magnitude : magnitude) << bits;
      EXPECT_EQ(std::signbit(f), (bits & 0x8000u) != 0) << bits;
    }
  }
}

}  // namespace
}  // namespace rknn::sim
