#include "kernels/reference/quantized_tables.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "rknn/sim/error.h"

namespace rknn::sim::reference {
namespace {

__extension__ typedef unsigned __int128 UInt128;  // GCC/Clang on x86-64 and aarch64

// The values a storage type can hold, whether or not they are valid codes:
// a table covers them all so that run() never indexes out of bounds.
struct Storage {
  std::int64_t lowest;
  std::int64_t count;
};

Storage storage_of(DType dtype) {
  switch (dtype) {
    case DType::kUInt8: return {0, 256};
    case DType::kInt8: return {-128, 256};
    default: return {-32768, 65536};
  }
}

// The limits that keep every softmax intermediate inside 128 bits.
constexpr int kMinT = -30;
constexpr int kMaxT = 60;

}  // namespace

std::vector<std::int32_t> build_unary_table(const std::function<double(double)>& f, const QScale& in,
                                            const QScale& out) {
  const Storage s = storage_of(in.dtype);
  std::vector<std::int32_t> table(static_cast<std::size_t>(s.count));
  for (std::int64_t i = 0; i < s.count; ++i) {
    table[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(out.quantize(f(in.dequantize(s.lowest + i))));
  }
  return table;
}

SoftmaxTable make_softmax_table(const QScale& in, const QScale& out) {
  const Storage s = storage_of(in.dtype);
  SoftmaxTable table;
  table.exp.resize(static_cast<std::size_t>(s.count));
  for (std::int64_t d = 0; d < s.count; ++d) {
    const double e = std::exp(-static_cast<double>(d) * in.scale);
    table.exp[static_cast<std::size_t>(d)] = static_cast<std::int64_t>(std::nearbyint(std::ldexp(e, 30)));
  }
  const Multiplier inverse = make_multiplier(1.0 / out.scale);
  table.m = static_cast<std::uint64_t>(inverse.m);
  table.t = 31 + inverse.shift;
  if (table.t < kMinT || table.t > kMaxT) {
    throw UnsupportedError("softmax output scale " + std::to_string(out.scale) + " is out of the supported range");
  }
  table.zp_out = out.zero_point;
  table.range = out.range;
  return table;
}

template <class T>
void softmax_column(const SoftmaxTable& table, const T* x, T* y, std::int64_t n, std::int64_t stride) {
  if (n == 0) return;
  std::int64_t max = x[0];
  for (std::int64_t i = 1; i < n; ++i) max = std::max<std::int64_t>(max, x[i * stride]);
  std::int64_t sum = 0;  // n < 2^32 terms of at most 2^30
  for (std::int64_t i = 0; i < n; ++i) sum += table.exp[static_cast<std::size_t>(max - x[i * stride])];
  const UInt128 d = table.t >= 0 ? static_cast<UInt128>(sum) << table.t : static_cast<UInt128>(sum);
  for (std::int64_t i = 0; i < n; ++i) {
    UInt128 num = static_cast<UInt128>(table.exp[static_cast<std::size_t>(max - x[i * stride])]) * table.m;
    if (table.t < 0) num <<= -table.t;
    const auto q = static_cast<std::int64_t>((2 * num + d) / (2 * d));  // round half up, q <= 2^62
    y[i * stride] = static_cast<T>(saturate(table.zp_out + q, table.range));
  }
}

template void softmax_column<std::uint8_t>(const SoftmaxTable&, const std::uint8_t*, std::uint8_t*,
                                           std::int64_t, std::int64_t);
template void softmax_column<std::int8_t>(const SoftmaxTable&, const std::int8_t*, std::int8_t*, std::int64_t,
                                          std::int64_t);
template void softmax_column<std::int16_t>(const SoftmaxTable&, const std::int16_t*, std::int16_t*,
                                           std::int64_t, std::int64_t);

}  // namespace rknn::sim::reference
