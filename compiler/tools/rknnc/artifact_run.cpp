#include "tools/rknnc/artifact_run.h"

#include <filesystem>
#include <iostream>

#include "io/tensor_file.h"
#include "ir/error.h"

namespace rknn::cli {
namespace {

rknn_tensor_type rknn_type_of(sim::DType t, const std::string& file) {
  switch (t) {
    case sim::DType::kFloat32: return RKNN_TENSOR_FLOAT32;
    case sim::DType::kFloat16: return RKNN_TENSOR_FLOAT16;
    case sim::DType::kUInt8: return RKNN_TENSOR_UINT8;
    case sim::DType::kInt8: return RKNN_TENSOR_INT8;
    case sim::DType::kInt16: return RKNN_TENSOR_INT16;
    default:
      throw CompileError("'" + file + "' holds " + std::string(sim::dtype_name(t)) +
                         "; inputs are float32, float16, uint8, int8 or int16");
  }
}

sim::DType dtype_of(rknn_tensor_type t) {
  switch (t) {
    case RKNN_TENSOR_FLOAT16: return sim::DType::kFloat16;
    case RKNN_TENSOR_INT8: return sim::DType::kInt8;
    case RKNN_TENSOR_UINT8: return sim::DType::kUInt8;
    case RKNN_TENSOR_INT16: return sim::DType::kInt16;
    default: return sim::DType::kFloat32;
  }
}

std::string file_name_for(const std::string& tensor_name) {
  std::string name = tensor_name;
  for (char& c : name) {
    if (c == '/' || c == '\\' || c == ':') c = '_';
  }
  return name + ".npy";
}

}  // namespace

sim::Shape shape_of(const rknn_tensor_attr& attr) {
  sim::Shape shape;
  for (std::uint32_t i = attr.n_dims; i-- > 0;) shape.push_back(attr.dims[i]);
  return shape;
}

void run_artifact(const ArtifactRunOptions& options) {
  const sim::Tensor bytes = io::read_file_aligned(options.model);
  const encryption::SecretBytes key = encryption::read_key_for({bytes.raw(), bytes.byte_size()}, options.key);
  Session session({bytes.raw(), bytes.byte_size()},
                  {.threads = options.threads, .key = key.span(), .device = options.device});
  if (options.inputs.size() != session.input_count()) {
    throw CompileError("the model has " + std::to_string(session.input_count()) + " inputs, " +
                       std::to_string(options.inputs.size()) + " --input files were given");
  }
  const rknn_tensor_format fmt = options.format == "nhwc" ? RKNN_TENSOR_NHWC : RKNN_TENSOR_NCHW;
  for (std::size_t i = 0; i < options.inputs.size(); ++i) {
    const sim::Tensor t = io::read_tensor_file(options.inputs[i]);
    session.set_input(i, {t.raw(), t.byte_size()}, rknn_type_of(t.dtype(), options.inputs[i]), fmt);
  }
  session.run();
  std::filesystem::create_directories(options.output_dir);
  for (std::size_t i = 0; i < session.output_count(); ++i) {
    const rknn_tensor_attr attr = session.output_attr(i);
    sim::Tensor out(options.raw ? dtype_of(attr.type) : sim::DType::kFloat32, shape_of(attr));
    session.get_output(i, {out.raw(), out.byte_size()}, !options.raw);
    const auto path = std::filesystem::path(options.output_dir) / file_name_for(attr.name);
    io::write_npy(path, out);
    std::cout << attr.name << ": " << out.type().to_string() << " -> " << path.string() << "\n";
  }
}

}  // namespace rknn::cli
