#include "lower/to_program.h"

#include <map>

#include "ir/error.h"

namespace rknn::lower {
namespace {

class Lowering {
 public:
  explicit Lowering(const ir::Graph& graph) : graph_(graph) {}

  sim::Program run() {
    for (const auto& name : graph_.inputs) program_.inputs.push_back(index_of(name));
    for (const ir::Node& node : graph_.nodes) {
      sim::ProgramNode pn{{node.op, node.name, node.attrs, node.outputs.size(), {}}, {}, {}};
      for (const auto& in : node.inputs) pn.inputs.push_back(in.empty() ? -1 : index_of(in));
      for (const auto& out : node.outputs) pn.outputs.push_back(out.empty() ? -1 : index_of(out));
      program_.nodes.push_back(std::move(pn));
    }
    for (const auto& name : graph_.outputs) program_.outputs.push_back(index_of(name));
    return std::move(program_);
  }

 private:
  int index_of(const std::string& name) {
    auto [it, inserted] = indices_.emplace(name, static_cast<int>(program_.tensors.size()));
    if (inserted) {
      const ir::Value& v = graph_.value(name);
      program_.tensors.push_back({v.name, v.type, v.constant, v.quant});
    }
    return it->second;
  }

  const ir::Graph& graph_;
  sim::Program program_;
  std::map<std::string, int> indices_;
};

}  // namespace

sim::Program to_program(const ir::Graph& graph) { return Lowering(graph).run(); }

}  // namespace rknn::lower
