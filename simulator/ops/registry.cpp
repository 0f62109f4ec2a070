// The op table: ONNX op type -> prepare function. One place lists every op
// the simulator runs; `rknnc inspect` and conformance selection read it.
#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

#include "ops.h"

namespace rknn::sim {
namespace {

using namespace ops;

constexpr std::array<std::pair<std::string_view, PrepareFn>, 76> kOps{{
    {"Conv", prepare_conv},
    {"ConvTranspose", prepare_conv_transpose},
    {"Gemm", prepare_gemm},
    {"MatMul", prepare_matmul},
    {"MaxPool", prepare_max_pool},
    {"AveragePool", prepare_average_pool},
    {"GlobalAveragePool", prepare_global_average_pool},
    {"GlobalMaxPool", prepare_global_max_pool},
    {"BatchNormalization", prepare_batch_norm},
    {"InstanceNormalization", prepare_instance_norm},
    {"LRN", prepare_lrn},
    {"QuantizeLinear", prepare_quantize_linear},
    {"DequantizeLinear", prepare_dequantize_linear},

    {"Relu", prepare_unary},
    {"LeakyRelu", prepare_unary},
    {"Clip", prepare_unary},
    {"Sigmoid", prepare_unary},
    {"Tanh", prepare_unary},
    {"HardSigmoid", prepare_unary},
    {"HardSwish", prepare_unary},
    {"Elu", prepare_unary},
    {"Selu", prepare_unary},
    {"Softplus", prepare_unary},
    {"Softsign", prepare_unary},
    {"Exp", prepare_unary},
    {"Log", prepare_unary},
    {"Sqrt", prepare_unary},
    {"Abs", prepare_unary},
    {"Neg", prepare_unary},
    {"Reciprocal", prepare_unary},
    {"Floor", prepare_unary},
    {"Ceil", prepare_unary},
    {"Erf", prepare_unary},
    {"Sin", prepare_unary},
    {"Cos", prepare_unary},
    {"Add", prepare_binary},
    {"Sub", prepare_binary},
    {"Mul", prepare_binary},
    {"Div", prepare_binary},
    {"Pow", prepare_binary},
    {"Max", prepare_variadic},
    {"Min", prepare_variadic},
    {"Sum", prepare_variadic},
    {"Mean", prepare_variadic},
    {"PRelu", prepare_prelu},
    {"ReduceMean", prepare_reduce},
    {"ReduceSum", prepare_reduce},
    {"ReduceMax", prepare_reduce},
    {"ReduceMin", prepare_reduce},
    {"ReduceProd", prepare_reduce},
    {"ReduceSumSquare", prepare_reduce},
    {"ReduceL1", prepare_reduce},
    {"ReduceL2", prepare_reduce},
    {"Softmax", prepare_softmax},
    {"LogSoftmax", prepare_softmax},

    {"Concat", prepare_concat},
    {"Reshape", prepare_reshape},
    {"Flatten", prepare_flatten},
    {"Squeeze", prepare_squeeze},
    {"Unsqueeze", prepare_unsqueeze},
    {"Transpose", prepare_transpose},
    {"Slice", prepare_slice},
    {"Split", prepare_split},
    {"Pad", prepare_pad},
    {"Resize", prepare_resize},
    {"Tile", prepare_tile},
    {"Expand", prepare_expand},
    {"Gather", prepare_gather},
    {"Cast", prepare_cast},
    {"DepthToSpace", prepare_depth_to_space},
    {"SpaceToDepth", prepare_space_to_depth},
    {"Shape", prepare_shape},
    {"Size", prepare_size},
    {"ConstantOfShape", prepare_constant_of_shape},
    {"Identity", prepare_identity},
    {"Dropout", prepare_identity},
}};

}  // namespace

PrepareFn find_op(std::string_view op) {
  auto it = std::find_if(kOps.begin(), kOps.end(), [&](const auto& e) { return e.first == op; });
  return it == kOps.end() ? nullptr : it->second;
}

std::vector<std::string_view> supported_ops() {
  std::vector<std::string_view> names;
  for (const auto& e : kOps) names.push_back(e.first);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace rknn::sim
