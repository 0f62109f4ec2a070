// Cast: converts every element to the type given by `to` (an ONNX
// TensorProto data type number).
//
//   float -> integer  truncates toward zero and saturates to the target
//                     range; NaN becomes 0
//   integer -> integer  wraps modulo 2^bits, as numpy's astype does
//   anything -> bool  is value != 0
//   -> float16        rounds to nearest even (half.h)
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "op_util.h"
#include "ops.h"
#include "rknn/sim/half.h"

namespace rknn::sim::ops {
namespace {

// Storage tags for the two types whose C++ storage type is ambiguous.
struct Half {
  using Storage = std::uint16_t;
};
struct Bool {
  using Storage = std::uint8_t;
};
template <class T>
struct StorageOf {
  using type = T;
};
template <>
struct StorageOf<Half> {
  using type = Half::Storage;
};
template <>
struct StorageOf<Bool> {
  using type = Bool::Storage;
};
template <class T>
using Storage = typename StorageOf<T>::type;

// Float sources read as float, integer and bool sources as int64.
template <class T>
auto read(Storage<T> v) {
  if constexpr (std::is_same_v<T, Half>) {
    return half_to_float(v);
  } else if constexpr (std::is_same_v<T, float>) {
    return v;
  } else {
    return static_cast<std::int64_t>(v);
  }
}

template <class Int>
Int saturate_float(float v) {
  if (std::isnan(v)) return 0;
  const double t = std::trunc(static_cast<double>(v));
  // Both limits are powers of two (or one less), exact as doubles where compared.
  if (t <= static_cast<double>(std::numeric_limits<Int>::min())) return std::numeric_limits<Int>::min();
  if (t >= static_cast<double>(std::numeric_limits<Int>::max())) return std::numeric_limits<Int>::max();
  return static_cast<Int>(t);
}

template <class T, class V>
Storage<T> write(V v) {
  constexpr bool from_float = std::is_same_v<V, float>;
  if constexpr (std::is_same_v<T, Bool>) {
    return v != 0 ? 1 : 0;
  } else if constexpr (std::is_same_v<T, Half>) {
    return float_to_half(static_cast<float>(v));
  } else if constexpr (std::is_same_v<T, float>) {
    return static_cast<float>(v);
  } else if constexpr (from_float) {
    return saturate_float<T>(v);
  } else {
    return static_cast<T>(v);  // modular since C++20
  }
}

using ConvertFn = void (*)(const std::byte* src, std::byte* dst, std::int64_t begin, std::int64_t end);

template <class Src, class Dst>
void convert(const std::byte* src, std::byte* dst, std::int64_t begin, std::int64_t end) {
  for (std::int64_t i = begin; i < end; ++i) {
    Storage<Src> in;
    std::memcpy(&in, src + i * static_cast<std::int64_t>(sizeof in), sizeof in);
    const Storage<Dst> out = write<Dst>(read<Src>(in));
    std::memcpy(dst + i * static_cast<std::int64_t>(sizeof out), &out, sizeof out);
  }
}

template <class Src>
ConvertFn pick_target(DType to) {
  switch (to) {
    case DType::kFloat32: return &convert<Src, float>;
    case DType::kFloat16: return &convert<Src, Half>;
    case DType::kUInt8: return &convert<Src, std::uint8_t>;
    case DType::kInt8: return &convert<Src, std::int8_t>;
    case DType::kInt16: return &convert<Src, std::int16_t>;
    case DType::kInt32: return &convert<Src, std::int32_t>;
    case DType::kInt64: return &convert<Src, std::int64_t>;
    case DType::kBool: return &convert<Src, Bool>;
  }
  return nullptr;
}

ConvertFn pick_conversion(DType from, DType to) {
  switch (from) {
    case DType::kFloat32: return pick_target<float>(to);
    case DType::kFloat16: return pick_target<Half>(to);
    case DType::kUInt8: return pick_target<std::uint8_t>(to);
    case DType::kInt8: return pick_target<std::int8_t>(to);
    case DType::kInt16: return pick_target<std::int16_t>(to);
    case DType::kInt32: return pick_target<std::int32_t>(to);
    case DType::kInt64: return pick_target<std::int64_t>(to);
    case DType::kBool: return pick_target<Bool>(to);
  }
  return nullptr;
}

DType dtype_from_onnx(std::int64_t to) {
  switch (to) {
    case 1: return DType::kFloat32;
    case 2: return DType::kUInt8;
    case 3: return DType::kInt8;
    case 5: return DType::kInt16;
    case 6: return DType::kInt32;
    case 7: return DType::kInt64;
    case 9: return DType::kBool;
    case 10: return DType::kFloat16;
    default: break;
  }
  throw UnsupportedError("to=" + std::to_string(to) +
                         " is not supported; supported ONNX types: 1 (float), 2 (uint8), 3 (int8), "
                         "5 (int16), 6 (int32), 7 (int64), 9 (bool), 10 (float16)");
}

}  // namespace

Prepared prepare_cast(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions&) {
  expect_input_count(inputs, 1, 1);
  const TensorType& in = inputs[0].type;
  const DType to = dtype_from_onnx(node.attrs.require_int("to"));
  Prepared p;
  p.outputs.push_back({to, in.shape});
  if (to == in.dtype) {
    p.kernel = make_kernel(
        [](std::span<const Tensor* const> in_tensors, std::span<Tensor* const> out, ThreadPool& pool) {
          parallel_copy(out[0]->raw(), in_tensors[0]->raw(), in_tensors[0]->byte_size(), pool);
        });
    return p;
  }
  const ConvertFn fn = pick_conversion(in.dtype, to);
  p.kernel = make_kernel(
      [fn](std::span<const Tensor* const> in_tensors, std::span<Tensor* const> out, ThreadPool& pool) {
        const std::byte* src = in_tensors[0]->raw();
        std::byte* dst = out[0]->raw();
        pool.parallel_for(out[0]->element_count(), 16 * 1024,
                          [&](std::int64_t begin, std::int64_t end) { fn(src, dst, begin, end); });
      });
  return p;
}

}  // namespace rknn::sim::ops
