#include "artifact_maker.h"

#include "artifact/artifact_writer.h"
#include "driver/load_model.h"
#include "lower/to_program.h"
#include "rknn/sim/half.h"

namespace rknn::testing {
namespace {

format::IoInfo io_info(const sim::Program& program, int tensor, bool float16) {
  const sim::ProgramTensor& t = program.tensors.at(static_cast<std::size_t>(tensor));
  format::IoInfo io;
  io.tensor = tensor;
  io.name = t.name;
  io.dims = t.type.shape;
  io.fmt = t.type.shape.size() == 4 ? format::Layout::kNCHW : format::Layout::kUndefined;
  // float16 models keep float32 program tensors and report float16 to the application.
  io.type = float16 && t.type.dtype == sim::DType::kFloat32 ? sim::DType::kFloat16 : t.type.dtype;
  return io;
}

// As the compiler's float16 pass does: weights hold half-representable values.
void round_constants_to_half(sim::Program& program) {
  for (auto& t : program.tensors) {
    if (!t.constant || t.constant->dtype() != sim::DType::kFloat32) continue;
    for (float& v : t.constant->values<float>()) v = sim::half_to_float(sim::float_to_half(v));
  }
}

}  // namespace

CompiledModel compile_onnx(const std::filesystem::path& onnx, const ArtifactOptions& options) {
  CompiledModel m;
  m.program = lower::to_program(driver::load_model(onnx, {}).graph);
  const bool float16 = options.quantization == "float16";
  if (float16) round_constants_to_half(m.program);
  m.info.compiler_version = "rknn-build tests";
  m.info.platforms = {"rk1808"};
  m.info.quantization = options.quantization;
  m.info.custom_string = options.custom_string;
  for (int t : m.program.inputs) m.info.inputs.push_back(io_info(m.program, t, float16));
  for (int t : m.program.outputs) m.info.outputs.push_back(io_info(m.program, t, float16));
  m.info.preprocess = options.preprocess;
  m.info.preprocess.resize(m.info.inputs.size());
  return m;
}

std::string make_artifact(const std::filesystem::path& onnx, const ArtifactOptions& options) {
  const CompiledModel m = compile_onnx(onnx, options);
  return artifact::write_artifact(m.info, m.program);
}

}  // namespace rknn::testing
