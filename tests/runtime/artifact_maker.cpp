#include "artifact_maker.h"

#include "artifact/artifact_writer.h"
#include "driver/compile.h"

namespace rknn::testing {

CompiledModel compile_onnx(const std::filesystem::path& onnx, const ArtifactOptions& options) {
  driver::CompileOptions o;
  o.quantization = options.quantization;
  o.custom_string = options.custom_string;
  for (const auto& p : options.preprocess) {
    o.mean.push_back(p.mean);
    o.std.push_back(p.std);
    o.reorder.push_back(p.reorder);
  }
  driver::CompiledModel compiled = driver::compile_model(onnx, o);
  return {std::move(compiled.info), std::move(compiled.program)};
}

std::string make_artifact(const std::filesystem::path& onnx, const ArtifactOptions& options) {
  const CompiledModel m = compile_onnx(onnx, options);
  return artifact::write_artifact(m.info, m.program);
}

}  // namespace rknn::testing
