#include "driver/load_model.h"

namespace rknn::driver {

LoadedModel load_model(const std::filesystem::path& path, const LoadOptions& options) {
  LoadedModel model{frontend::import_onnx(path, options.import), {}};
  model.passes = passes::optimize(model.graph, options.optimization_level);
  return model;
}

}  // namespace rknn::driver
