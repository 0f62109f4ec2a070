// Pieces every integer (quantized) kernel shares: the element types, the
// output stage that turns an exact integer accumulator into an output code,
// and strided views of code matrices. docs/quantization-nn.md writes the
// arithmetic out; the reference kernels (kernels/reference/quantized_*.cpp)
// define the bytes and the fast ones (kernels/optimized/quantized_*.cpp)
// call the very same OutputStage so that both round identically.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "ops/activation.h"
#include "rknn/sim/dtype.h"
#include "rknn/sim/quant.h"

namespace rknn::sim::reference {

// uint8, int8 and int16: the element types with integer kernels.
bool is_quantized_type(DType type);

// The widest |q - zero_point| over every value a code of `type` can hold
// (the full storage range, e.g. -128..127 for int8, since a pre-quantized
// ONNX model may produce -128).
std::int64_t max_code_offset(DType type, std::int32_t zero_point);

// Calls f(T{}) with T the C++ element type of a quantized DType; other
// types must have been refused at prepare.
template <class F>
decltype(auto) visit_quantized(DType type, F&& f) {
  switch (type) {
    case DType::kUInt8: return f(std::uint8_t{});
    case DType::kInt8: return f(std::int8_t{});
    default: return f(std::int16_t{});
  }
}

// Requantization of one accumulator `acc` (the exact integer sum plus the
// int32 bias, in units of in_scale * w_scale[c]) of output channel c:
//
//   q = clamp(round(acc * M[c]) + zero_point, lo, hi)
//
// round() is apply_multiplier (half up). With a fused LeakyRelu a negative
// acc uses M[c] * |alpha| instead, on -acc when alpha < 0, so the result is
// round_half_up(acc * M[c] * alpha). [lo, hi] is the fused activation's
// clamp intersected with the code range. Built at prepare (make_output_stage);
// apply() is integer arithmetic only.
struct OutputStage {
  std::vector<Multiplier> multiplier;  // one per output channel
  std::vector<Multiplier> negative;    // LeakyRelu only: one per channel, for acc < 0
  bool negate_negative = false;        // LeakyRelu with alpha < 0
  std::int64_t zero_point = 0;
  std::int64_t lo = 0, hi = 0;

  std::int64_t apply(std::int64_t acc, std::size_t channel) const {
    std::int64_t v;
    if (acc < 0 && !negative.empty()) {
      v = apply_multiplier(negate_negative ? -acc : acc, negative[channel]);
    } else {
      v = apply_multiplier(acc, multiplier[channel]);
    }
    v += zero_point;
    return v < lo ? lo : (v > hi ? hi : v);
  }
};

// real_multipliers[c] = in_scale * w_scale[c] / out_scale (positive);
// `out` is the output's per-tensor parameters, `type` its element type.
// Relu clamps below at the output zero point, Clip at quantize_value(min)
// and quantize_value(max), LeakyRelu gets the second multiplier set.
OutputStage make_output_stage(std::span<const double> real_multipliers, const QuantParams& out,
                              DType type, const ops::Activation& activation);

// A strided read-only matrix of codes: element (i, j) is data[i * row_stride + j * col_stride].
template <class T>
struct CodeMatrix {
  const T* data = nullptr;
  std::int64_t row_stride = 0;
  std::int64_t col_stride = 1;

  T at(std::int64_t i, std::int64_t j) const { return data[i * row_stride + j * col_stride]; }
};

}  // namespace rknn::sim::reference
