#include "kernels/reference/quantized_elementwise.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

#include "rknn/sim/error.h"

namespace rknn::sim::reference {
namespace {

// Add/Sub align terms by at most this many bits to the left: |t| < 2^47, so
// an aligned term stays below 2^62 and the sum of two below 2^63.
constexpr int kMaxAlign = 15;
// The largest common exponent: 2^(S-1) must be an int64.
constexpr int kMaxShift = 62;

std::string describe(const QuantParams& p) {
  std::ostringstream s;
  s << "scale ";
  for (std::size_t i = 0; i < p.scale.size(); ++i) s << (i ? "," : "") << p.scale[i];
  s << " zero point ";
  for (std::size_t i = 0; i < p.zero_point.size(); ++i) s << (i ? "," : "") << p.zero_point[i];
  return s.str();
}

}  // namespace

std::int64_t QScale::quantize(double real) const {
  return quantize_value(real, static_cast<float>(scale), zero_point, dtype);
}

bool is_code_type(DType dtype) {
  return dtype == DType::kUInt8 || dtype == DType::kInt8 || dtype == DType::kInt16;
}

bool is_quantized(const InputInfo& input) {
  return input.present && input.quant != nullptr && is_code_type(input.type.dtype);
}

QScale per_tensor(const QuantParams& params, DType dtype, std::string_view what) {
  if (params.scale.size() != 1 || params.zero_point.size() != 1) {
    throw UnsupportedError(std::string(what) + " has per-channel quantization (" + describe(params) +
                           "); element-wise integer kernels take per-tensor parameters only");
  }
  if (!(params.scale[0] > 0.0f) || !std::isfinite(params.scale[0])) {
    throw Error(std::string(what) + " has invalid quantization scale " + std::to_string(params.scale[0]));
  }
  // The storage range bounds |q - zero_point| below 2^16, which the Add/Sub
  // alignment and every int64 accumulator rely on.
  const std::int32_t zp = params.zero_point[0];
  const bool fits = dtype == DType::kUInt8 ? (zp >= 0 && zp <= 255)
                    : dtype == DType::kInt8 ? (zp >= -128 && zp <= 127)
                                            : (zp >= -32768 && zp <= 32767);
  if (!fits) {
    throw Error(std::string(what) + " zero point " + std::to_string(zp) + " is outside the " +
                std::string(dtype_name(dtype)) + " range");
  }
  return {params.scale[0], zp, dtype, code_range(dtype)};
}

QScale input_scale(const InputInfo& input, std::string_view what) {
  return per_tensor(*input.quant, input.type.dtype, what);
}

QScale output_scale(const OpNode& node, std::size_t index, DType dtype) {
  const std::string what = "output " + std::to_string(index);
  if (index >= node.output_quant.size() || !node.output_quant[index]) {
    throw Error(what + " has no quantization parameters but the inputs are quantized " +
                std::string(dtype_name(dtype)));
  }
  return per_tensor(*node.output_quant[index], dtype, what);
}

void expect_same_params(const OpNode& node, const InputInfo& input, std::size_t output_index) {
  if (!is_quantized(input)) return;
  if (output_index >= node.output_quant.size() || !node.output_quant[output_index]) return;
  const QuantParams& out = *node.output_quant[output_index];
  const QuantParams& in = *input.quant;
  per_tensor(in, input.type.dtype, "input");
  if (!(in.scale == out.scale && in.zero_point == out.zero_point)) {
    throw Error("moves codes, so output " + std::to_string(output_index) + " must have the input's " +
                "quantization: input " + describe(in) + ", output " + describe(out));
  }
}

std::vector<double> constant_values(const Tensor& constant, const QuantParams* params, std::string_view what) {
  const std::int64_t n = constant.element_count();
  std::vector<double> values(static_cast<std::size_t>(n));
  if (constant.dtype() == DType::kFloat32) {
    for (std::int64_t i = 0; i < n; ++i) values[static_cast<std::size_t>(i)] = constant.data<float>()[i];
    return values;
  }
  if (!params || !is_code_type(constant.dtype())) {
    throw Error(std::string(what) + " must be float32 or a quantized constant, got " + constant.type().to_string());
  }
  const Shape& shape = constant.shape();
  std::int64_t stride = 1;
  std::int64_t channels = 1;
  if (params->per_channel()) {
    if (params->axis < 0 || static_cast<std::size_t>(params->axis) >= shape.size() ||
        shape[static_cast<std::size_t>(params->axis)] != static_cast<std::int64_t>(params->scale.size())) {
      throw Error(std::string(what) + " " + constant.type().to_string() + " does not match its per-channel " +
                  describe(*params) + " along axis " + std::to_string(params->axis));
    }
    channels = shape[static_cast<std::size_t>(params->axis)];
    for (std::size_t d = static_cast<std::size_t>(params->axis) + 1; d < shape.size(); ++d) stride *= shape[d];
  }
  const std::vector<std::int64_t> codes = constant.to_int64_vector();
  for (std::int64_t i = 0; i < n; ++i) {
    const auto c = static_cast<std::size_t>(i / stride % channels);
    const std::int64_t offset = codes[static_cast<std::size_t>(i)] - params->zero_point_at(c);
    values[static_cast<std::size_t>(i)] = static_cast<double>(params->scale_at(c)) * static_cast<double>(offset);
  }
  return values;
}

Multiplier ratio_multiplier(double ratio, std::string_view what) {
  if (!(ratio < 65536.0)) {
    throw UnsupportedError(std::string(what) + " scale ratio " + std::to_string(ratio) +
                           " to the output is 2^16 or more");
  }
  return make_multiplier(ratio);
}

Requantizer make_requantizer(const QScale& in, const QScale& out) {
  Requantizer r;
  r.zp_in = in.zero_point;
  r.zp_out = out.zero_point;
  r.range = out.range;
  r.identity = in.scale == out.scale && in.zero_point == out.zero_point && in.dtype == out.dtype;
  r.multiplier = ratio_multiplier(in.scale / out.scale, "input");
  return r;
}

AddRule make_add_rule(const QScale& a, const QScale& b, const QScale& out, bool subtract) {
  const Multiplier ma = ratio_multiplier(a.scale / out.scale, "input 0");
  const Multiplier mb = ratio_multiplier(b.scale / out.scale, "input 1");
  const int sa = 31 + ma.shift;  // >= 15 since M < 2^16
  const int sb = 31 + mb.shift;
  const int shift = std::min({std::max(sa, sb), std::min(sa, sb) + kMaxAlign, kMaxShift});
  AddRule r;
  r.m_a = ma.m;
  r.m_b = subtract ? -std::int64_t{mb.m} : std::int64_t{mb.m};
  // A term finer than S is rounded to S; |t| < 2^47, so 62 bits already give 0.
  r.left_a = std::max(shift - sa, 0);
  r.left_b = std::max(shift - sb, 0);
  r.right_a = std::min(std::max(sa - shift, 0), kMaxShift);
  r.right_b = std::min(std::max(sb - shift, 0), kMaxShift);
  r.shift = shift;
  r.zp_a = a.zero_point;
  r.zp_b = b.zero_point;
  r.zp_out = out.zero_point;
  r.range = out.range;
  return r;
}

MulRule make_mul_rule(const QScale& a, const QScale& b, const QScale& out) {
  MulRule r;
  r.multiplier = ratio_multiplier(a.scale * b.scale / out.scale, "product");
  r.zp_a = a.zero_point;
  r.zp_b = b.zero_point;
  r.zp_out = out.zero_point;
  r.range = out.range;
  return r;
}

PReluRule make_prelu_rule(const QScale& x, const QScale& out) {
  PReluRule r;
  r.positive = ratio_multiplier(x.scale / out.scale, "X");
  r.zp_x = x.zero_point;
  r.zp_out = out.zero_point;
  r.range = out.range;
  return r;
}

SlopeMultiplier make_slope_multiplier(double slope, const QScale& x, const QScale& out) {
  SlopeMultiplier s;
  s.negative = slope < 0.0;
  if (!std::isfinite(slope)) throw Error("slope " + std::to_string(slope) + " is not finite");
  if (slope != 0.0) s.multiplier = ratio_multiplier(std::fabs(slope) * x.scale / out.scale, "slope * X");
  return s;
}

}  // namespace rknn::sim::reference
