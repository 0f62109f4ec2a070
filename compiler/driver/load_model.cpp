#include "driver/load_model.h"

#include "quantize/import_prequantized.h"

namespace rknn::driver {

LoadedModel load_model(const std::filesystem::path& path, const LoadOptions& options) {
  LoadedModel model{frontend::import_onnx(path, options.import), {}};
  // A pre-quantized model runs on the integer kernels with its own
  // parameters, as compiled; its inputs and outputs keep their ONNX types.
  quantize::import_prequantized(model.graph, {.quantize_io = false});
  model.passes = passes::optimize(model.graph, options.optimization_level);
  return model;
}

}  // namespace rknn::driver
