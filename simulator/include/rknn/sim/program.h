// A program: tensors and a topologically ordered list of nodes. This is what
// the compiler lowers its IR into and what the .rknn artifact describes.
//
// Activation layout: tensors are NCHW (batch, channel, row, column), the
// layout of the first-generation RKNN NPUs (RK1808, RK3399Pro, RV1109/RV1126)
// and of ONNX itself; model inputs and outputs keep the original layout.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "rknn/sim/op.h"
#include "rknn/sim/quant.h"

namespace rknn::sim {

struct ProgramTensor {
  std::string name;
  TensorType type;
  std::optional<Tensor> constant;
  std::optional<QuantParams> quant = std::nullopt;  // integer tensors of a quantized model
};

struct ProgramNode {
  OpNode node;
  std::vector<int> inputs;  // indices into Program::tensors; -1 for an absent optional input
  std::vector<int> outputs;
};

struct Program {
  std::vector<ProgramTensor> tensors;
  std::vector<ProgramNode> nodes;  // topological order
  std::vector<int> inputs;
  std::vector<int> outputs;
};

// The inputs of a run: one per program input, each of exactly its type
// (dtype and shape). Throws Error naming the input otherwise.
void check_run_inputs(const Program& program, std::span<const Tensor> inputs);

}  // namespace rknn::sim
