// The uniform interface every op implements (one op family per file in
// simulator/ops/). Preparing a node checks its attributes and input types,
// computes its output types and builds a Kernel holding the decoded
// parameters; running the kernel does only arithmetic.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <optional>

#include "rknn/sim/attributes.h"
#include "rknn/sim/quant.h"
#include "rknn/sim/tensor.h"
#include "rknn/sim/thread_pool.h"

namespace rknn::sim {

// A node as the simulator sees it: ONNX op type and attributes in the
// canonical opset-17 form (the compiler upgrades older models), plus the
// fused-activation attributes that compiler passes add (see docs/simulator.md).
struct OpNode {
  std::string op;
  std::string name;
  Attributes attrs;
  // How many outputs the graph wires up (Split without sizes divides by it).
  std::size_t output_count = 1;
  // Quantization of each output the graph wires up (nullopt: float), set from
  // the program's tensors before preparing; quantized kernels read it.
  std::vector<std::optional<QuantParams>> output_quant = {};

  // "Conv node 'conv1'": the prefix of every error message about this node.
  std::string describe() const;
};

// What prepare knows about one input. Absent optional inputs have present=false.
// `constant` is set when the value is known at prepare time (initializers,
// folded shapes); shape-defining inputs such as Reshape's shape must be constant.
struct InputInfo {
  bool present = false;
  TensorType type;
  const Tensor* constant = nullptr;
  const QuantParams* quant = nullptr;  // integer inputs of a quantized model
};

struct KernelOptions {
  bool reference = false;  // use the plain reference kernels, never a fast path
};

class Kernel {
 public:
  virtual ~Kernel() = default;
  // inputs[i] is null for an absent optional input. Outputs are allocated
  // with the types prepare returned.
  virtual void run(std::span<const Tensor* const> inputs, std::span<Tensor* const> outputs,
                   ThreadPool& pool) const = 0;
};

struct Prepared {
  std::vector<TensorType> outputs;
  std::unique_ptr<Kernel> kernel;
};

using PrepareFn = Prepared (*)(const OpNode& node, std::span<const InputInfo> inputs,
                               const KernelOptions& options);

// The op table (simulator/ops/registry.cpp). Returns null for unknown ops.
PrepareFn find_op(std::string_view op);
std::vector<std::string_view> supported_ops();

// Looks up and prepares; throws UnsupportedError for an unknown op and
// Error for invalid attributes or inputs, both naming the node.
Prepared prepare_node(const OpNode& node, std::span<const InputInfo> inputs,
                      const KernelOptions& options = {});

}  // namespace rknn::sim
