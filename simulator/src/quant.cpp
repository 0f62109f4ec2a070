#include "rknn/sim/quant.h"

#include <cmath>
#include <limits>

namespace rknn::sim {
namespace {
__extension__ typedef __int128 Int128;  // GCC/Clang on x86-64 and aarch64
}  // namespace

QuantParams fixed_point_params(int fl) {
  return QuantParams{{std::ldexp(1.0f, -fl)}, {0}, -1};
}

CodeRange code_range(DType type) {
  switch (type) {
    case DType::kUInt8: return {0, 255};
    case DType::kInt8: return {-127, 127};
    case DType::kInt16: return {-32767, 32767};
    case DType::kInt32: return {std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max()};
    default: return {std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()};
  }
}

std::int64_t quantize_value(double real, float scale, std::int32_t zero_point, DType type) {
  const CodeRange r = code_range(type);
  const double q = std::nearbyint(real / static_cast<double>(scale)) + zero_point;  // default mode: to even
  if (std::isnan(q)) return saturate(zero_point, r);
  if (q <= static_cast<double>(r.min)) return r.min;
  if (q >= static_cast<double>(r.max)) return r.max;
  return static_cast<std::int64_t>(q);
}

Multiplier make_multiplier(double real) {
  if (!(real > 0.0)) return {};
  int exponent = 0;
  const double fraction = std::frexp(real, &exponent);  // real = fraction * 2^exponent, fraction in [0.5, 1)
  auto m = static_cast<std::int64_t>(std::llround(fraction * 2147483648.0));  // fraction * 2^31
  if (m == (std::int64_t{1} << 31)) {  // rounding reached 1.0
    m /= 2;
    ++exponent;
  }
  return {static_cast<std::int32_t>(m), -exponent};
}

std::int64_t apply_multiplier(std::int64_t acc, Multiplier multiplier) {
  const int s = 31 + multiplier.shift;
  const Int128 product = static_cast<Int128>(acc) * multiplier.m;  // |product| < 2^94
  if (s <= 0) return static_cast<std::int64_t>(product * (Int128{1} << -s));
  if (s >= 100) return 0;  // M < 2^-69: every int64 accumulator rounds to 0
  return static_cast<std::int64_t>((product + (Int128{1} << (s - 1))) >> s);
}

}  // namespace rknn::sim
