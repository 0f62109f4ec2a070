// Static evaluation at prepare time. NPU programs have static shapes, so a
// node whose inputs are all known (constants, or values computed from
// constants) is evaluated once while preparing; ops that read only their
// input's type (Shape, Size) are known as soon as that type is. The compiler
// uses this for shape inference and constant folding, the executor for
// preparing shape-consuming nodes such as Reshape at optimization level 0.
#pragma once

#include <span>
#include <vector>

#include "rknn/sim/op.h"

namespace rknn::sim {

struct Evaluated {
  Prepared prepared;
  bool known = false;          // values holds the outputs
  std::vector<Tensor> values;
};

Evaluated prepare_and_evaluate(const OpNode& node, std::span<const InputInfo> inputs,
                               const KernelOptions& options, ThreadPool& pool);

}  // namespace rknn::sim
