// Conversion between ONNX TensorProto and simulator tensors.
#pragma once

#include <optional>
#include <string>

#include <onnx/onnx_pb.h>

#include "rknn/sim/tensor.h"

namespace rknn::frontend {

// The simulator element type of an ONNX TensorProto data type, if supported.
std::optional<sim::DType> dtype_from_onnx(int onnx_type);
int dtype_to_onnx(sim::DType type);
std::string onnx_type_name(int onnx_type);

// Decodes raw_data or the typed fields. Throws CompileError naming `what` for
// unsupported element types, external data not yet resolved, or a byte count
// that does not match the shape.
sim::Tensor tensor_from_onnx(const onnx::TensorProto& proto, const std::string& what);

onnx::TensorProto tensor_to_onnx(const sim::Tensor& tensor, const std::string& name);

}  // namespace rknn::frontend
