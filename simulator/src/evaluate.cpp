#include "rknn/sim/evaluate.h"

#include <algorithm>

namespace rknn::sim {
namespace {

bool reads_only_input_type(const OpNode& node) { return node.op == "Shape" || node.op == "Size"; }

}  // namespace

Evaluated prepare_and_evaluate(const OpNode& node, std::span<const InputInfo> inputs,
                               const KernelOptions& options, ThreadPool& pool) {
  Evaluated result{prepare_node(node, inputs, options), false, {}};
  const bool type_only = reads_only_input_type(node);
  const bool all_known = std::all_of(inputs.begin(), inputs.end(), [](const InputInfo& in) {
    return !in.present || in.constant != nullptr;
  });
  if (!all_known && !type_only) return result;

  std::vector<Tensor> placeholders;  // zero-filled stand-ins for type-only inputs
  placeholders.reserve(inputs.size());
  std::vector<const Tensor*> in;
  for (const InputInfo& info : inputs) {
    if (!info.present) {
      in.push_back(nullptr);
    } else if (info.constant) {
      in.push_back(info.constant);
    } else {
      placeholders.emplace_back(info.type);
      in.push_back(&placeholders.back());
    }
  }
  for (const TensorType& type : result.prepared.outputs) result.values.emplace_back(type);
  std::vector<Tensor*> out;
  for (Tensor& t : result.values) out.push_back(&t);
  result.prepared.kernel->run(in, out, pool);
  result.known = true;
  return result;
}

}  // namespace rknn::sim
