// Tensors in files: NumPy .npy (C order; float32, float16, uint8, int8,
// int16, int32, int64, bool) and ONNX TensorProto .pb.
#pragma once

#include <filesystem>
#include <string>

#include "rknn/sim/tensor.h"

namespace rknn::io {

sim::Tensor read_npy(const std::filesystem::path& path);
std::string encode_npy(const sim::Tensor& tensor);
void write_npy(const std::filesystem::path& path, const sim::Tensor& tensor);  // atomic

sim::Tensor read_tensor_pb(const std::filesystem::path& path);

// A whole file as a 64-byte aligned uint8 tensor (e.g. an .rknn artifact,
// whose constants can then be used in place).
sim::Tensor read_file_aligned(const std::filesystem::path& path);

// Chooses the reader by extension (.npy or .pb); throws CompileError otherwise.
sim::Tensor read_tensor_file(const std::filesystem::path& path);

}  // namespace rknn::io
