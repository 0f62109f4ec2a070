#include "passes/rewrite.h"

#include <algorithm>

namespace rknn::passes {

std::optional<std::size_t> sole_producer(const ir::Graph& graph, const UseMap& uses, const ir::Node& node,
                                         std::size_t input_index, std::initializer_list<std::string_view> ops) {
  if (input_index >= node.inputs.size()) return std::nullopt;
  const std::string& value = node.inputs[input_index];
  auto p = uses.producers.find(value);
  if (p == uses.producers.end() || graph.is_graph_output(value)) return std::nullopt;
  const ir::Node& producer = graph.nodes[p->second];
  if (std::find(ops.begin(), ops.end(), producer.op) == ops.end()) return std::nullopt;
  auto c = uses.consumers.find(value);
  if (c == uses.consumers.end() || c->second.size() != 1) return std::nullopt;
  // The value must be read once, by this input only.
  if (std::count(node.inputs.begin(), node.inputs.end(), value) != 1) return std::nullopt;
  return p->second;
}

void absorb(ir::Graph& graph, UseMap& uses, std::size_t producer, std::size_t node) {
  ir::Node& n = graph.nodes[node];
  ir::Node& p = graph.nodes[producer];
  uses.producers.erase(p.outputs[0]);
  p.outputs[0] = n.outputs[0];
  uses.producers[p.outputs[0]] = producer;
  n.op.clear();
}

void erase_removed(ir::Graph& graph) {
  std::erase_if(graph.nodes, [](const ir::Node& n) { return n.op.empty(); });
}

const sim::Tensor* constant_of(const ir::Graph& graph, const std::string& name) {
  if (name.empty() || !graph.has_value(name)) return nullptr;
  const auto& v = graph.value(name);
  return v.constant ? &*v.constant : nullptr;
}

std::optional<std::vector<float>> per_channel_values(const sim::Tensor& constant, std::size_t out_rank,
                                                     std::int64_t channels) {
  if (constant.dtype() != sim::DType::kFloat32 || out_rank < 2) return std::nullopt;
  const sim::Shape& shape = constant.shape();
  if (shape.size() > out_rank) return std::nullopt;
  // Left-pad to the output rank; only axis 1 may differ from 1.
  sim::Shape padded(out_rank - shape.size(), 1);
  padded.insert(padded.end(), shape.begin(), shape.end());
  for (std::size_t axis = 0; axis < out_rank; ++axis) {
    if (axis == 1) {
      if (padded[axis] != 1 && padded[axis] != channels) return std::nullopt;
    } else if (padded[axis] != 1) {
      return std::nullopt;
    }
  }
  const auto values = constant.values<float>();
  std::vector<float> result(static_cast<std::size_t>(channels));
  for (std::size_t c = 0; c < result.size(); ++c) result[c] = values.size() == 1 ? values[0] : values[c];
  return result;
}

}  // namespace rknn::passes
