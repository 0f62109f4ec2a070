// Prepare functions of every op, one op family per file in this folder.
// registry.cpp maps ONNX op types to them.
#pragma once

#include "rknn/sim/op.h"

namespace rknn::sim::ops {

#define RKNN_DECLARE_OP(fn) \
  Prepared fn(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions& options)

// Neural-network ops with reference and fast kernels (kernels/reference, kernels/optimized).
RKNN_DECLARE_OP(prepare_conv);                   // conv.cpp
RKNN_DECLARE_OP(prepare_conv_transpose);         // conv_transpose.cpp
RKNN_DECLARE_OP(prepare_gemm);                   // gemm.cpp
RKNN_DECLARE_OP(prepare_matmul);                 // matmul.cpp
RKNN_DECLARE_OP(prepare_max_pool);               // pool.cpp
RKNN_DECLARE_OP(prepare_average_pool);           // pool.cpp
RKNN_DECLARE_OP(prepare_global_average_pool);    // pool.cpp
RKNN_DECLARE_OP(prepare_global_max_pool);        // pool.cpp
RKNN_DECLARE_OP(prepare_batch_norm);             // batch_norm.cpp
RKNN_DECLARE_OP(prepare_instance_norm);          // instance_norm.cpp
RKNN_DECLARE_OP(prepare_lrn);                    // lrn.cpp
RKNN_DECLARE_OP(prepare_quantize_linear);        // quantize_linear.cpp
RKNN_DECLARE_OP(prepare_dequantize_linear);      // quantize_linear.cpp

// Element-wise math, reductions, softmax.
RKNN_DECLARE_OP(prepare_unary);     // unary.cpp: Relu, Sigmoid, Tanh, Exp, ... (switches on node.op)
RKNN_DECLARE_OP(prepare_binary);    // binary.cpp: Add, Sub, Mul, Div, Pow with broadcasting
RKNN_DECLARE_OP(prepare_variadic);  // binary.cpp: Max, Min, Sum, Mean over N inputs
RKNN_DECLARE_OP(prepare_prelu);     // binary.cpp
RKNN_DECLARE_OP(prepare_reduce);    // reduce.cpp: ReduceMean, ReduceSum, ReduceMax, ...
RKNN_DECLARE_OP(prepare_softmax);   // softmax.cpp: Softmax, LogSoftmax

// Data movement and shape ops.
RKNN_DECLARE_OP(prepare_concat);            // concat.cpp
RKNN_DECLARE_OP(prepare_reshape);           // reshape.cpp
RKNN_DECLARE_OP(prepare_flatten);           // reshape.cpp
RKNN_DECLARE_OP(prepare_squeeze);           // reshape.cpp
RKNN_DECLARE_OP(prepare_unsqueeze);         // reshape.cpp
RKNN_DECLARE_OP(prepare_transpose);         // transpose.cpp
RKNN_DECLARE_OP(prepare_slice);             // slice.cpp
RKNN_DECLARE_OP(prepare_split);             // split.cpp
RKNN_DECLARE_OP(prepare_pad);               // pad.cpp
RKNN_DECLARE_OP(prepare_resize);            // resize.cpp
RKNN_DECLARE_OP(prepare_tile);              // tile.cpp
RKNN_DECLARE_OP(prepare_expand);            // expand.cpp
RKNN_DECLARE_OP(prepare_gather);            // gather.cpp
RKNN_DECLARE_OP(prepare_cast);              // cast.cpp
RKNN_DECLARE_OP(prepare_depth_to_space);    // depth_space.cpp
RKNN_DECLARE_OP(prepare_space_to_depth);    // depth_space.cpp
RKNN_DECLARE_OP(prepare_shape);             // shape.cpp
RKNN_DECLARE_OP(prepare_size);              // shape.cpp
RKNN_DECLARE_OP(prepare_constant_of_shape); // shape.cpp
RKNN_DECLARE_OP(prepare_identity);          // identity.cpp: Identity, Dropout (inference)

#undef RKNN_DECLARE_OP

}  // namespace rknn::sim::ops
