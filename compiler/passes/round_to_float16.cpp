// float16 models: weights and other float constants are rounded to the
// nearest IEEE half (ties to even) and kept in float32 containers, so the
// simulator computes with exactly the values a float16 NPU holds; the
// executor rounds activations the same way after every layer. Being halves,
// they are stored exactly as binary16 in the artifact (artifact_writer.cpp,
// docs/quantization.md "float16 weights in the artifact").
#include "passes/passes.h"
#include "rknn/sim/half.h"

namespace rknn::passes {

void round_to_float16(ir::Graph& graph) {
  for (auto& [name, value] : graph.values) {
    if (!value.constant || value.constant->dtype() != sim::DType::kFloat32) continue;
    for (float& v : value.constant->values<float>()) v = sim::half_to_float(sim::float_to_half(v));
  }
}

}  // namespace rknn::passes
