// The compiler's one graph IR. Values are named tensors (type, optional
// constant data, layout); nodes are ONNX-style ops with attributes that read
// and write values by name. Passes (compiler/passes/) rewrite a Graph in
// place; the node list is kept in topological order.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rknn/sim/attributes.h"
#include "rknn/sim/quant.h"
#include "rknn/sim/tensor.h"

namespace rknn::ir {

// Activations are NCHW inside the compiler and on the NPU model; this records
// the layout the user sees at the model boundary.
enum class Layout { kNCHW, kNHWC, kOther };

struct Value {
  std::string name;
  sim::TensorType type;
  std::optional<sim::Tensor> constant;
  Layout layout = Layout::kOther;
  std::optional<sim::QuantParams> quant = std::nullopt;  // set by quantization for integer values
};

struct Node {
  std::string op;
  std::string name;
  sim::Attributes attrs;
  std::vector<std::string> inputs;   // "" marks an absent optional input
  std::vector<std::string> outputs;  // "" marks an unused optional output
};

class Graph {
 public:
  std::map<std::string, Value> values;
  std::vector<Node> nodes;  // topological order
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;

  Value& value(const std::string& name);
  const Value& value(const std::string& name) const;
  bool has_value(const std::string& name) const { return values.count(name) != 0; }
  bool is_constant(const std::string& name) const;
  bool is_graph_input(const std::string& name) const;
  bool is_graph_output(const std::string& name) const;

  // A name not used yet, derived from `hint`.
  std::string unique_name(const std::string& hint) const;
  // Adds a constant value under a fresh name derived from `hint`; returns the name.
  std::string add_constant(const std::string& hint, sim::Tensor data);

  // Index of the node producing each value.
  std::map<std::string, std::size_t> producers() const;
  // Indices of the nodes reading each value, in node order.
  std::map<std::string, std::vector<std::size_t>> consumers() const;

  // Replaces every read of `from` (node inputs, graph outputs) by `to`.
  void replace_uses(const std::string& from, const std::string& to);

  // Reorders nodes topologically (stable for already ordered graphs). Throws
  // CompileError naming a node on the cycle, or a value read but never defined.
  void sort_topologically();
};

}  // namespace rknn::ir
