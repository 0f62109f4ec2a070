#include "kernels/reference/quantized_common.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace rknn::sim::reference {
namespace {

using Kind = ops::Activation::Kind;

// The storage range of a quantized type (wider than code_range for int8 and
// int16, whose contract range is symmetric).
CodeRange storage_range(DType type) {
  switch (type) {
    case DType::kUInt8: return {0, 255};
    case DType::kInt8: return {-128, 127};
    default: return {-32768, 32767};
  }
}

std::vector<Multiplier> multipliers(std::span<const double> real, double factor) {
  std::vector<Multiplier> m;
  m.reserve(real.size());
  for (double r : real) m.push_back(make_multiplier(r * factor));
  return m;
}

// The activation's clamp in codes, intersected with the code range.
void set_clamp(OutputStage& s, const QuantParams& out, DType type, const ops::Activation& a) {
  const CodeRange r = code_range(type);
  s.lo = r.min;
  s.hi = r.max;
  if (a.kind == Kind::kRelu) {
    s.lo = saturate(out.zero_point_at(0), r);
  } else if (a.kind == Kind::kClip) {
    s.lo = quantize_value(a.min, out.scale_at(0), out.zero_point_at(0), type);
    s.hi = quantize_value(a.max, out.scale_at(0), out.zero_point_at(0), type);
  }
}

}  // namespace

bool is_quantized_type(DType type) {
  return type == DType::kUInt8 || type == DType::kInt8 || type == DType::kInt16;
}

std::int64_t max_code_offset(DType type, std::int32_t zero_point) {
  const CodeRange r = storage_range(type);
  return std::max(std::abs(zero_point - r.min), std::abs(r.max - zero_point));
}

OutputStage make_output_stage(std::span<const double> real_multipliers, const QuantParams& out,
                              DType type, const ops::Activation& activation) {
  OutputStage s;
  s.multiplier = multipliers(real_multipliers, 1.0);
  s.zero_point = out.zero_point_at(0);
  if (activation.kind == Kind::kLeakyRelu) {
    // alpha == 0 gives zero multipliers, i.e. Relu; a negative alpha flips the sign of acc.
    s.negative = multipliers(real_multipliers, std::fabs(static_cast<double>(activation.alpha)));
    s.negate_negative = activation.alpha < 0.0f;
  }
  set_clamp(s, out, type, activation);
  return s;
}

}  // namespace rknn::sim::reference
