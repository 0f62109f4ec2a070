// IEEE 754 binary16 conversion, round to nearest even. Used for float16
// tensors and, later, for the float16 quantization type.
#pragma once

#include <cstdint>

namespace rknn::sim {

std::uint16_t float_to_half(float value);
float half_to_float(std::uint16_t bits);

}  // namespace rknn::sim
