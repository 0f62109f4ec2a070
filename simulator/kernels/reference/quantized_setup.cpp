#include "kernels/reference/quantized_setup.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "kernels/reference/quantized_common.h"
#include "rknn/sim/error.h"

namespace rknn::sim::ops {
namespace {

// The storage range of a zero point: any value the element type holds.
bool zero_point_fits(std::int32_t zp, DType type) {
  switch (type) {
    case DType::kUInt8: return zp >= 0 && zp <= 255;
    case DType::kInt8: return zp >= -128 && zp <= 127;
    case DType::kInt16: return zp >= -32768 && zp <= 32767;
    case DType::kInt32: return zp == 0;
    default: return true;
  }
}

void check_params(const QuantParams& q, DType type, std::string_view what) {
  const std::string name(what);
  if (q.scale.empty() || q.scale.size() != q.zero_point.size()) {
    throw Error(name + " quantization has " + std::to_string(q.scale.size()) + " scales and " +
                std::to_string(q.zero_point.size()) + " zero points");
  }
  for (std::size_t i = 0; i < q.scale.size(); ++i) {
    if (!(q.scale[i] > 0.0f) || !std::isfinite(q.scale[i])) {
      throw Error(name + " scale " + std::to_string(q.scale[i]) + " must be positive and finite");
    }
    if (!zero_point_fits(q.zero_point[i], type)) {
      throw Error(name + " zero point " + std::to_string(q.zero_point[i]) + " is outside the " +
                  std::string(dtype_name(type)) + " range");
    }
  }
}

}  // namespace

const QuantParams& require_input_quant(const InputInfo& input, std::string_view what) {
  if (!input.quant) {
    throw UnsupportedError(std::string(what) + " " + input.type.to_string() +
                           " has no quantization parameters; integer kernels need them");
  }
  check_params(*input.quant, input.type.dtype, what);
  return *input.quant;
}

const QuantParams* output_quant(const OpNode& node, std::size_t index) {
  if (index >= node.output_quant.size() || !node.output_quant[index]) return nullptr;
  return &*node.output_quant[index];
}

const QuantParams& require_output_quant(const OpNode& node, std::size_t index) {
  const QuantParams* q = output_quant(node, index);
  if (!q) {
    throw UnsupportedError("output " + std::to_string(index) +
                           " has no quantization parameters; integer kernels need them");
  }
  if (q->scale.empty() || q->scale.size() != q->zero_point.size()) {
    throw Error("output " + std::to_string(index) + " has inconsistent quantization parameters");
  }
  for (float s : q->scale) {
    if (!(s > 0.0f) || !std::isfinite(s))
      throw Error("output scale " + std::to_string(s) + " must be positive and finite");
  }
  return *q;
}

void expect_per_tensor(const QuantParams& q, std::string_view what) {
  if (q.per_channel()) {
    throw Error(std::string(what) + " must be quantized per tensor, it has " +
                std::to_string(q.scale.size()) + " scales along axis " + std::to_string(q.axis));
  }
}

ChannelQuant expand_channels(const QuantParams& q, std::int64_t channels, int axis,
                             std::int64_t axis_length, std::string_view what) {
  if (q.per_channel() &&
      (q.axis != axis || static_cast<std::int64_t>(q.scale.size()) != axis_length)) {
    throw Error(std::string(what) + " is quantized with " + std::to_string(q.scale.size()) +
                " scales along axis " + std::to_string(q.axis) + "; per-channel parameters need " +
                std::to_string(axis_length) + " along axis " + std::to_string(axis));
  }
  ChannelQuant c;
  for (std::int64_t i = 0; i < channels; ++i) {
    const auto index = static_cast<std::size_t>(q.per_channel() ? i % axis_length : 0);
    c.scale.push_back(q.scale[index]);
    c.zero_point.push_back(q.zero_point[index]);
  }
  return c;
}

void check_int32_bias(const InputInfo& bias, std::span<const double> expected_scale,
                      bool allow_scalar, std::string_view what) {
  const std::string name(what);
  if (bias.type.dtype != DType::kInt32) {
    throw UnsupportedError(name + " " + bias.type.to_string() +
                           " of a quantized node must be int32 (scale in_scale * w_scale)");
  }
  const auto channels = static_cast<std::int64_t>(expected_scale.size());
  const bool scalar = allow_scalar && bias.type.element_count() == 1;
  if (!scalar && bias.type.shape != Shape{channels}) {
    throw Error(name + " " + bias.type.to_string() + " must have shape [" +
                std::to_string(channels) + "], one value per output channel");
  }
  if (!bias.quant) return;
  const QuantParams& q = *bias.quant;
  if (q.scale.empty() || q.scale.size() != q.zero_point.size()) {
    throw Error(name + " has inconsistent quantization parameters");
  }
  for (std::int64_t c = 0; c < channels; ++c) {
    const auto u = static_cast<std::size_t>(c);
    const double want = expected_scale[u];
    const double got = u < q.scale.size() ? q.scale[u] : q.scale_at(0);
    const std::int32_t zp = u < q.zero_point.size() ? q.zero_point[u] : q.zero_point_at(0);
    if (zp != 0 || !(std::fabs(got - want) <= 1e-5 * want)) {
      throw Error(name + " channel " + std::to_string(c) + " is quantized with scale " +
                  std::to_string(got) + " and zero point " + std::to_string(zp) +
                  "; expected scale " + std::to_string(want) + " (in_scale * w_scale) and 0");
    }
  }
}

bool fits_int32(std::int64_t depth, std::int64_t max_x_offset, std::int64_t max_w_offset) {
  const double bound = static_cast<double>(depth) * static_cast<double>(max_x_offset) *
                       static_cast<double>(max_w_offset);
  return bound < 2147483648.0;
}

QuantizedConvSetup make_quantized_conv(const OpNode& node, std::span<const InputInfo> inputs,
                                       const reference::ConvParams& geometry, int w_axis,
                                       std::int64_t w_axis_length) {
  const InputInfo& x = inputs[0];
  const InputInfo& w = inputs[1];
  const DType type = x.type.dtype;
  if (w.type.dtype != type) {
    throw UnsupportedError("W has element type " + std::string(dtype_name(w.type.dtype)) +
                           "; a quantized X " + x.type.to_string() + " needs W of the same type");
  }
  const QuantParams& xq = require_input_quant(x, "X");
  expect_per_tensor(xq, "X");
  const ChannelQuant wc =
      expand_channels(require_input_quant(w, "W"), geometry.out_channels, w_axis, w_axis_length, "W");
  const QuantParams& yq = require_output_quant(node);
  expect_per_tensor(yq, "Y");
  std::vector<double> bias_scale, multiplier;
  for (double ws : wc.scale) {
    bias_scale.push_back(static_cast<double>(xq.scale[0]) * ws);
    multiplier.push_back(bias_scale.back() / static_cast<double>(yq.scale[0]));
  }
  if (inputs.size() > 2 && inputs[2].present) check_int32_bias(inputs[2], bias_scale, false, "B");
  QuantizedConvSetup s;
  s.params.geometry = geometry;
  s.params.x_zero_point = xq.zero_point[0];
  s.params.w_zero_point = wc.zero_point;
  s.params.stage = reference::make_output_stage(multiplier, yq, type, geometry.activation);
  std::int64_t max_w = 0;
  for (std::int32_t zp : wc.zero_point) max_w = std::max(max_w, reference::max_code_offset(type, zp));
  const std::int64_t depth = geometry.in_per_group() * geometry.kernel_h * geometry.kernel_w;
  s.int32_accumulators =
      type != DType::kInt16 && fits_int32(depth, reference::max_code_offset(type, xq.zero_point[0]), max_w);
  return s;
}

}  // namespace rknn::sim::ops
