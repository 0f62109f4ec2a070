// A constant-mode Pad before Conv or a pool becomes the consumer's own pads.
// Conv: zero padding only. AveragePool: zero padding counts as data, so the
// pool must count padding too (count_include_pad=1) or have none of its own.
// MaxPool: only -inf padding is equivalent.
#include <algorithm>
#include <cmath>

#include "passes/passes.h"
#include "passes/rewrite.h"

namespace rknn::passes {
namespace {

// Spatial pads [x1_begin, ..., x1_end, ...] of a Pad over N, C, spatial...;
// nullopt if the Pad touches N or C, crops, or is not constant-mode.
std::optional<std::vector<std::int64_t>> spatial_pads(const ir::Graph& graph, const ir::Node& pad, float& value) {
  if (pad.attrs.get_string("mode", "constant") != "constant" || pad.inputs.size() < 2) return std::nullopt;
  if (pad.inputs.size() > 3 && !pad.inputs[3].empty()) return std::nullopt;  // axes input
  const sim::Tensor* pads = constant_of(graph, pad.inputs[1]);
  if (!pads) return std::nullopt;
  value = 0.0f;
  if (pad.inputs.size() > 2 && !pad.inputs[2].empty()) {
    const sim::Tensor* v = constant_of(graph, pad.inputs[2]);
    if (!v || v->dtype() != sim::DType::kFloat32 || v->element_count() != 1) return std::nullopt;
    value = v->values<float>()[0];
  }
  const std::vector<std::int64_t> all = pads->to_int64_vector();
  const std::size_t rank = all.size() / 2;
  if (rank < 3) return std::nullopt;
  std::vector<std::int64_t> spatial;
  for (std::size_t half = 0; half < 2; ++half) {
    if (all[half * rank] != 0 || all[half * rank + 1] != 0) return std::nullopt;
    for (std::size_t axis = 2; axis < rank; ++axis) {
      if (all[half * rank + axis] < 0) return std::nullopt;
      spatial.push_back(all[half * rank + axis]);
    }
  }
  return spatial;
}

bool accepts_padding(const ir::Node& consumer, float value) {
  if (consumer.attrs.get_string("auto_pad", "NOTSET") != "NOTSET") return false;
  if (consumer.op == "Conv") return value == 0.0f;
  if (consumer.op == "MaxPool") return std::isinf(value) && value < 0;
  if (consumer.op == "AveragePool") {
    if (value != 0.0f || consumer.attrs.get_int("ceil_mode", 0) != 0) return false;
    const auto own = consumer.attrs.get_ints("pads");
    const bool has_own = std::any_of(own.begin(), own.end(), [](std::int64_t p) { return p != 0; });
    return consumer.attrs.get_int("count_include_pad", 0) != 0 || !has_own;
  }
  return false;
}

}  // namespace

void fold_pad(ir::Graph& graph) {
  UseMap uses(graph);
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    ir::Node& consumer = graph.nodes[i];
    if (consumer.op != "Conv" && consumer.op != "AveragePool" && consumer.op != "MaxPool") continue;
    const auto producer = sole_producer(graph, uses, consumer, 0, {"Pad"});
    if (!producer) continue;
    const ir::Node& pad = graph.nodes[*producer];
    float value = 0.0f;
    const auto extra = spatial_pads(graph, pad, value);
    if (!extra || !accepts_padding(consumer, value)) continue;
    std::vector<std::int64_t> pads = consumer.attrs.get_ints("pads", std::vector<std::int64_t>(extra->size(), 0));
    if (pads.size() != extra->size()) continue;
    for (std::size_t k = 0; k < pads.size(); ++k) pads[k] += (*extra)[k];
    consumer.attrs.set("pads", pads);
    if (consumer.op == "AveragePool") consumer.attrs.set("count_include_pad", std::int64_t{1});
    consumer.inputs[0] = pad.inputs[0];
    graph.nodes[*producer].op.clear();
  }
  erase_removed(graph);
}

}  // namespace rknn::passes
