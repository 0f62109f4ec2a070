#include "commands.h"

namespace rknn::cli {

void add_model_options(CLI::App& command, ModelOptions& options) {
  command.add_option("--input-shape", options.input_shapes,
                     "Static shape for an input with dynamic dimensions, e.g. input=1,3,224,224 (repeatable)");
  command.add_option("--optimization-level", options.optimization_level,
                     "Graph optimization level as in the RKNN config: 0 no rewriting, 1 exact clean-ups, "
                     "2 adds fusions, 3 adds weight folding (default 3)")
      ->check(CLI::Range(0, 3));
}

}  // namespace rknn::cli
