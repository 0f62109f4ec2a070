// Element types the simulator stores and computes with.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace rknn::sim {

enum class DType : std::uint8_t {
  kFloat32,
  kFloat16,  // stored as IEEE binary16 bits in std::uint16_t
  kUInt8,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kBool,  // stored as std::uint8_t, 0 or 1
};

std::size_t dtype_size(DType type);
std::string_view dtype_name(DType type);

// Maps a C++ element type to its DType, for typed access to tensors.
template <class T>
struct DTypeOf;
template <> struct DTypeOf<float> { static constexpr DType value = DType::kFloat32; };
template <> struct DTypeOf<std::uint8_t> { static constexpr DType value = DType::kUInt8; };
template <> struct DTypeOf<std::int8_t> { static constexpr DType value = DType::kInt8; };
template <> struct DTypeOf<std::int16_t> { static constexpr DType value = DType::kInt16; };
template <> struct DTypeOf<std::int32_t> { static constexpr DType value = DType::kInt32; };
template <> struct DTypeOf<std::int64_t> { static constexpr DType value = DType::kInt64; };

}  // namespace rknn::sim
