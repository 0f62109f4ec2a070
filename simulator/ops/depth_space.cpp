// DepthToSpace and SpaceToDepth on NCHW tensors: both are transposes of a
// blocked view of the input, so each becomes one strided copy.
//
// DepthToSpace, output [N, C/b², H*b, W*b] viewed as [N, C', H, b, W, b]:
//   DCR  out[n, c, h*b+i, w*b+j] = in[n, (i*b + j)*C' + c, h, w]
//   CRD  out[n, c, h*b+i, w*b+j] = in[n, c*b*b + i*b + j, h, w]
// SpaceToDepth, output [N, C*b², H/b, W/b] viewed as [N, b, b, C, H/b, W/b]:
//        out[n, (i*b + j)*C + c, h, w] = in[n, c, h*b+i, w*b+j]
#include "kernels/reference/quantized_elementwise.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

struct Nchw {
  std::int64_t n, c, h, w;
};

Nchw check_nchw(std::span<const InputInfo> inputs) {
  expect_input_count(inputs, 1, 1);
  expect_rank(inputs[0], 4, "input");
  const Shape& s = inputs[0].type.shape;
  return {s[0], s[1], s[2], s[3]};
}

std::int64_t block_size(const OpNode& node) {
  const std::int64_t b = node.attrs.require_int("blocksize");
  if (b <= 0) throw Error("blocksize must be positive, got " + std::to_string(b));
  return b;
}

}  // namespace

Prepared prepare_depth_to_space(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions&) {
  const Nchw in = check_nchw(inputs);
  reference::expect_same_params(node, inputs[0]);  // codes move unchanged
  const std::int64_t b = block_size(node);
  if (in.c % (b * b) != 0) {
    throw Error("channels " + std::to_string(in.c) + " are not divisible by blocksize² " +
                std::to_string(b * b));
  }
  const std::string mode = node.attrs.get_string("mode", "DCR");
  if (mode != "DCR" && mode != "CRD") throw Error("mode must be DCR or CRD, got '" + mode + "'");
  const std::int64_t c_out = in.c / (b * b);
  const std::int64_t sc = in.h * in.w;  // input channel stride
  const bool dcr = mode == "DCR";
  const Shape view{in.n, c_out, in.h, b, in.w, b};
  const std::vector<std::int64_t> strides{
      in.c * sc, dcr ? sc : b * b * sc, in.w, dcr ? b * c_out * sc : b * sc, 1, dcr ? c_out * sc : sc};
  StridedCopy copy(view, strides, 0, dtype_size(inputs[0].type.dtype));
  return prepare_strided_copy(inputs[0].type.dtype, {in.n, c_out, in.h * b, in.w * b}, std::move(copy));
}

Prepared prepare_space_to_depth(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions&) {
  const Nchw in = check_nchw(inputs);
  reference::expect_same_params(node, inputs[0]);  // codes move unchanged
  const std::int64_t b = block_size(node);
  if (in.h % b != 0 || in.w % b != 0) {
    throw Error("height " + std::to_string(in.h) + " and width " + std::to_string(in.w) +
                " must be divisible by blocksize " + std::to_string(b));
  }
  const std::int64_t h_out = in.h / b;
  const std::int64_t w_out = in.w / b;
  const Shape view{in.n, b, b, in.c, h_out, w_out};
  const std::vector<std::int64_t> strides{in.c * in.h * in.w, in.w, 1, in.h * in.w, b * in.w, b};
  StridedCopy copy(view, strides, 0, dtype_size(inputs[0].type.dtype));
  return prepare_strided_copy(inputs[0].type.dtype, {in.n, in.c * b * b, h_out, w_out}, std::move(copy));
}

}  // namespace rknn::sim::ops
