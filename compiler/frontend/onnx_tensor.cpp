#include "frontend/onnx_tensor.h"

#include <cstring>

#include "ir/error.h"

namespace rknn::frontend {

using onnx::TensorProto;

std::optional<sim::DType> dtype_from_onnx(int onnx_type) {
  switch (onnx_type) {
    case TensorProto::FLOAT: return sim::DType::kFloat32;
    case TensorProto::FLOAT16: return sim::DType::kFloat16;
    case TensorProto::UINT8: return sim::DType::kUInt8;
    case TensorProto::INT8: return sim::DType::kInt8;
    case TensorProto::INT16: return sim::DType::kInt16;
    case TensorProto::INT32: return sim::DType::kInt32;
    case TensorProto::INT64: return sim::DType::kInt64;
    case TensorProto::BOOL: return sim::DType::kBool;
    default: return std::nullopt;
  }
}

int dtype_to_onnx(sim::DType type) {
  switch (type) {
    case sim::DType::kFloat32: return TensorProto::FLOAT;
    case sim::DType::kFloat16: return TensorProto::FLOAT16;
    case sim::DType::kUInt8: return TensorProto::UINT8;
    case sim::DType::kInt8: return TensorProto::INT8;
    case sim::DType::kInt16: return TensorProto::INT16;
    case sim::DType::kInt32: return TensorProto::INT32;
    case sim::DType::kInt64: return TensorProto::INT64;
    case sim::DType::kBool: return TensorProto::BOOL;
  }
  return TensorProto::UNDEFINED;
}

std::string onnx_type_name(int onnx_type) {
  if (TensorProto::DataType_IsValid(onnx_type)) {
    return TensorProto::DataType_Name(static_cast<TensorProto::DataType>(onnx_type));
  }
  return "type " + std::to_string(onnx_type);
}

namespace {

// Copies typed repeated fields into the tensor's storage, narrowing each value
// to the element type (ONNX stores int8/int16/uint8/bool/float16 in int32_data).
template <class Stored, class Field>
void copy_field(const Field& field, sim::Tensor& t, const std::string& what) {
  if (static_cast<std::int64_t>(field.size()) != t.element_count()) {
    throw CompileError(what + ": holds " + std::to_string(field.size()) + " values, shape " +
                       t.type().to_string() + " needs " + std::to_string(t.element_count()));
  }
  auto* out = reinterpret_cast<Stored*>(t.raw());
  for (int i = 0; i < field.size(); ++i) out[i] = static_cast<Stored>(field.Get(i));
}

void copy_typed_fields(const TensorProto& proto, sim::Tensor& t, const std::string& what) {
  switch (t.dtype()) {
    case sim::DType::kFloat32: return copy_field<float>(proto.float_data(), t, what);
    case sim::DType::kInt64: return copy_field<std::int64_t>(proto.int64_data(), t, what);
    case sim::DType::kInt32: return copy_field<std::int32_t>(proto.int32_data(), t, what);
    case sim::DType::kInt16: return copy_field<std::int16_t>(proto.int32_data(), t, what);
    case sim::DType::kFloat16: return copy_field<std::uint16_t>(proto.int32_data(), t, what);
    case sim::DType::kInt8: return copy_field<std::int8_t>(proto.int32_data(), t, what);
    case sim::DType::kUInt8:
    case sim::DType::kBool: return copy_field<std::uint8_t>(proto.int32_data(), t, what);
  }
}

}  // namespace

sim::Tensor tensor_from_onnx(const TensorProto& proto, const std::string& what) {
  const auto dtype = dtype_from_onnx(proto.data_type());
  if (!dtype) {
    throw CompileError(what + ": element type " + onnx_type_name(proto.data_type()) +
                       " is not supported (float32, float16, uint8, int8, int16, int32, int64, bool are)");
  }
  if (proto.data_location() == TensorProto::EXTERNAL) {
    throw CompileError(what + ": external data was not loaded");
  }
  sim::Shape shape(proto.dims().begin(), proto.dims().end());
  for (auto d : shape) {
    if (d < 0) throw CompileError(what + ": negative dimension in " + sim::shape_to_string(shape));
  }
  sim::Tensor t(*dtype, shape);
  if (proto.has_raw_data()) {
    if (proto.raw_data().size() != t.byte_size()) {
      throw CompileError(what + ": raw data has " + std::to_string(proto.raw_data().size()) +
                         " bytes, " + t.type().to_string() + " needs " + std::to_string(t.byte_size()));
    }
    std::memcpy(t.raw(), proto.raw_data().data(), t.byte_size());  // ONNX raw data is little endian, as are our targets
  } else {
    copy_typed_fields(proto, t, what);
  }
  return t;
}

TensorProto tensor_to_onnx(const sim::Tensor& tensor, const std::string& name) {
  TensorProto proto;
  proto.set_name(name);
  proto.set_data_type(dtype_to_onnx(tensor.dtype()));
  for (auto d : tensor.shape()) proto.add_dims(d);
  proto.set_raw_data(tensor.raw(), tensor.byte_size());
  return proto;
}

}  // namespace rknn::frontend
