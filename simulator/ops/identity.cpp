// Identity, and Dropout in inference mode: the output is the input. Dropout's
// optional second output, the mask, is all true because nothing is dropped.
#include <cstring>

#include "kernels/reference/quantized_elementwise.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

// Dropout(data, ratio?, training_mode?): only inference is simulated.
void check_dropout_inputs(std::span<const InputInfo> inputs) {
  expect_input_count(inputs, 1, 3);
  const InputInfo* training = optional_input(inputs, 2);
  if (!training) return;
  if (!training->constant) {
    throw UnsupportedError("input 2 (training_mode) must be a constant false: only inference is supported");
  }
  if (training->constant->element_count() != 1) {
    throw Error("input 2 (training_mode) must be a scalar, got " + training->type.to_string());
  }
  if (training->constant->to_int64_vector()[0] != 0) {
    throw UnsupportedError("training_mode=true is not supported: only inference is simulated");
  }
}

}  // namespace

Prepared prepare_identity(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions&) {
  const bool dropout = node.op == "Dropout";
  if (dropout) {
    check_dropout_inputs(inputs);
  } else {
    expect_input_count(inputs, 1, 1);
  }
  reference::expect_same_params(node, inputs[0]);  // codes move unchanged
  Prepared p;
  p.outputs.push_back(inputs[0].type);
  if (dropout) p.outputs.push_back({DType::kBool, inputs[0].type.shape});
  p.kernel =
      make_kernel([](std::span<const Tensor* const> in, std::span<Tensor* const> out, ThreadPool& pool) {
        parallel_copy(out[0]->raw(), in[0]->raw(), in[0]->byte_size(), pool);
        // The mask output exists only if the graph uses it.
        if (out.size() > 1 && out[1]) std::memset(out[1]->raw(), 1, out[1]->byte_size());
      });
  return p;
}

}  // namespace rknn::sim::ops
