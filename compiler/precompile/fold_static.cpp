#include "precompile/fold_static.h"

#include <algorithm>

#include "ir/error.h"
#include "rknn/sim/error.h"
#include "rknn/sim/evaluate.h"

namespace rknn::precompile {
namespace {

bool reads_only_input_types(const sim::OpNode& node) { return node.op == "Shape" || node.op == "Size"; }

}  // namespace

std::size_t fold_static(sim::Program& program) {
  sim::ThreadPool pool(1);
  std::vector<std::optional<sim::Tensor>> known(program.tensors.size());
  auto value = [&](int index) -> const sim::Tensor* {
    const auto slot = static_cast<std::size_t>(index);
    if (program.tensors[slot].constant) return &*program.tensors[slot].constant;
    return known[slot] ? &*known[slot] : nullptr;
  };
  std::vector<bool> folded(program.nodes.size(), false);
  for (std::size_t n = 0; n < program.nodes.size(); ++n) {
    sim::ProgramNode& pn = program.nodes[n];
    const bool all_known = std::all_of(pn.inputs.begin(), pn.inputs.end(), [&](int t) { return t < 0 || value(t); });
    if (pn.outputs.empty() || (!all_known && !reads_only_input_types(pn.node))) continue;
    std::vector<sim::InputInfo> infos;
    for (int t : pn.inputs) {
      sim::InputInfo info;
      if (t >= 0) {
        const sim::ProgramTensor& tensor = program.tensors[static_cast<std::size_t>(t)];
        info = {true, tensor.type, value(t), tensor.quant ? &*tensor.quant : nullptr};
      }
      infos.push_back(std::move(info));
    }
    pn.node.output_quant.clear();
    for (int t : pn.outputs) {
      pn.node.output_quant.push_back(t >= 0 ? program.tensors[static_cast<std::size_t>(t)].quant : std::nullopt);
    }
    sim::Evaluated evaluated;
    try {
      evaluated = sim::prepare_and_evaluate(pn.node, infos, {}, pool);
    } catch (const sim::Error& e) {
      throw CompileError(std::string("pre-compilation: ") + e.what());
    }
    if (!evaluated.known) continue;
    for (std::size_t o = 0; o < pn.outputs.size(); ++o) {
      if (pn.outputs[o] >= 0) known[static_cast<std::size_t>(pn.outputs[o])] = std::move(evaluated.values.at(o));
    }
    folded[n] = true;
  }
  std::vector<sim::ProgramNode> kept;
  for (std::size_t n = 0; n < program.nodes.size(); ++n) {
    if (!folded[n]) kept.push_back(std::move(program.nodes[n]));
  }
  for (std::size_t t = 0; t < known.size(); ++t) {
    if (known[t]) program.tensors[t].constant = std::move(known[t]);
  }
  const std::size_t count = program.nodes.size() - kept.size();
  program.nodes = std::move(kept);
  return count;
}

}  // namespace rknn::precompile
