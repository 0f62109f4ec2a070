#include "quantize/integer_kernel.h"

#include "rknn/sim/error.h"
#include "rknn/sim/op.h"

namespace rknn::quantize {

std::string integer_kernel_refusal(const ir::Graph& graph, const ir::Node& node,
                                   const std::vector<std::optional<sim::QuantParams>>& output_quant,
                                   const std::vector<sim::TensorType>& output_types) {
  std::vector<sim::InputInfo> inputs;
  for (const auto& name : node.inputs) {
    sim::InputInfo info;
    if (!name.empty()) {
      const ir::Value& v = graph.value(name);
      info = {true, v.type, v.constant ? &*v.constant : nullptr, v.quant ? &*v.quant : nullptr};
    }
    inputs.push_back(info);
  }
  sim::OpNode op{node.op, node.name, node.attrs, node.outputs.size(), output_quant};
  try {
    const sim::Prepared prepared = sim::prepare_node(op, inputs);
    for (std::size_t k = 0; k < node.outputs.size(); ++k) {
      if (!node.outputs[k].empty() && !(prepared.outputs[k] == output_types[k])) {
        return "its integer kernel produces " + prepared.outputs[k].to_string();
      }
    }
    return "";
  } catch (const sim::Error& e) {
    std::string why = e.what();
    const auto colon = why.find("': ");  // drop "<op> node '<name>': "
    return colon != std::string::npos ? why.substr(colon + 3) : why;
  }
}

}  // namespace rknn::quantize
