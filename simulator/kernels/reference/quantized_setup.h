// Prepare-time checks and decoding shared by the quantized paths of the op
// files (conv, conv_transpose, gemm, matmul, pool, batch_norm): reading the
// QuantParams of inputs and outputs with clear errors, expanding per-tensor
// or per-channel parameters to one value per channel, and checking int32
// biases. Nothing here runs at inference time.
//
// Errors: missing parameters are UnsupportedError (the integer path cannot
// run without them); parameters that contradict the tensor (wrong length,
// wrong axis, non-positive scale, zero point outside the type) are Error.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "kernels/reference/quantized_conv.h"
#include "rknn/sim/op.h"

namespace rknn::sim::ops {

// The parameters of an integer input, checked for consistency with its type.
const QuantParams& require_input_quant(const InputInfo& input, std::string_view what);

// The parameters of output `index` as the program records them.
const QuantParams& require_output_quant(const OpNode& node, std::size_t index = 0);

// Null when the program records none for output `index`.
const QuantParams* output_quant(const OpNode& node, std::size_t index = 0);

// Throws Error unless the parameters hold a single scale and zero point.
void expect_per_tensor(const QuantParams& q, std::string_view what);

// Per-channel parameters expanded to `channels` values: per-tensor
// parameters are repeated; per-channel ones must lie along `axis` and hold
// `axis_length` values, and channel c reads index c % axis_length (ConvTranspose
// weights hold out_channels / group channels along axis 1).
struct ChannelQuant {
  std::vector<double> scale;
  std::vector<std::int32_t> zero_point;
};
ChannelQuant expand_channels(const QuantParams& q, std::int64_t channels, int axis,
                             std::int64_t axis_length, std::string_view what);

// Checks an optional int32 bias input of shape [channels] (or a scalar when
// allow_scalar): if it records parameters they must be zero point 0 and
// scale expected_scale[c] (within float rounding).
void check_int32_bias(const InputInfo& bias, std::span<const double> expected_scale,
                      bool allow_scalar, std::string_view what);

// Whether sums of `depth` products (x - zx)(w - zw) always fit int32:
// depth * max|x - zx| * max|w - zw| < 2^31. Otherwise fast kernels
// accumulate in int64 (the exact sum is the same either way).
bool fits_int32(std::int64_t depth, std::int64_t max_x_offset, std::int64_t max_w_offset);

// The integer form of a Conv (weights' channel axis 0, holding out_channels
// values) or ConvTranspose (axis 1, out_channels / group values) whose
// geometry is decoded: X and W of one quantized type, X and Y per tensor, W
// per tensor or per channel, optional int32 bias B (input 2), the fused
// activation as clamps. int32_accumulators tells the fast kernels whether
// 8-bit sums over in_per_group * kernel taps always fit int32.
struct QuantizedConvSetup {
  reference::QuantizedConvParams params;
  bool int32_accumulators = false;
};
QuantizedConvSetup make_quantized_conv(const OpNode& node, std::span<const InputInfo> inputs,
                                       const reference::ConvParams& geometry, int w_axis,
                                       std::int64_t w_axis_length);

}  // namespace rknn::sim::ops
