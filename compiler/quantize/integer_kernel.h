// Asks the simulator whether it has an integer kernel for a graph node as the
// quantizer would leave it: the inputs' types and parameters as they are in
// the graph, the outputs' parameters as given.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace rknn::quantize {

// Empty when the node's integer kernel prepares and produces `output_types`
// (one per output; absent outputs are skipped), else why not, without the
// node name the caller's log line already carries. `output_quant` has one
// entry per output.
std::string integer_kernel_refusal(const ir::Graph& graph, const ir::Node& node,
                                   const std::vector<std::optional<sim::QuantParams>>& output_quant,
                                   const std::vector<sim::TensorType>& output_types);

}  // namespace rknn::quantize
