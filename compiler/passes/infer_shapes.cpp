#include "passes/infer_shapes.h"

#include "ir/error.h"
#include "rknn/sim/error.h"
#include "rknn/sim/evaluate.h"

namespace rknn::passes {

namespace {

sim::Evaluated evaluate_node(const ir::Node& node, const ir::Graph& graph,
                             const std::map<std::string, sim::Tensor>& known, sim::ThreadPool& pool) {
  std::vector<sim::InputInfo> inputs;
  for (const auto& name : node.inputs) {
    sim::InputInfo info;
    if (!name.empty()) {
      const ir::Value& v = graph.value(name);
      const sim::Tensor* value = v.constant ? &*v.constant : nullptr;
      if (auto it = known.find(name); !value && it != known.end()) value = &it->second;
      info = {true, v.type, value, v.quant ? &*v.quant : nullptr};
    }
    inputs.push_back(info);
  }
  sim::OpNode op{node.op, node.name, node.attrs, node.outputs.size(), {}};
  for (const auto& out : node.outputs) {
    op.output_quant.push_back(out.empty() || !graph.has_value(out) ? std::nullopt : graph.value(out).quant);
  }
  try {
    return sim::prepare_and_evaluate(op, inputs, {}, pool);
  } catch (const sim::UnsupportedError& e) {
    throw UnsupportedFeatureError(e.what());
  } catch (const sim::Error& e) {
    throw CompileError(e.what());
  }
}

}  // namespace

std::map<std::string, sim::Tensor> infer_shapes(ir::Graph& graph) {
  sim::ThreadPool pool(1);
  std::map<std::string, sim::Tensor> known;
  for (const ir::Node& node : graph.nodes) {
    sim::Evaluated e = evaluate_node(node, graph, known, pool);
    if (e.prepared.outputs.size() < node.outputs.size()) {
      throw CompileError(node.op + " node '" + node.name + "' has " + std::to_string(node.outputs.size()) +
                         " outputs; the op produces at most " + std::to_string(e.prepared.outputs.size()));
    }
    for (std::size_t i = 0; i < node.outputs.size(); ++i) {
      const std::string& out = node.outputs[i];
      if (out.empty()) continue;
      ir::Value& v = graph.values[out];
      v.name = out;
      v.type = e.prepared.outputs[i];
      if (v.type.shape.size() == 4 && v.layout == ir::Layout::kOther) v.layout = ir::Layout::kNCHW;
      if (e.known) known[out] = std::move(e.values[i]);
    }
  }
  return known;
}

}  // namespace rknn::passes
