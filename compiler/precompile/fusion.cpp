#include "precompile/fusion.h"

#include <map>
#include <set>

namespace rknn::precompile {
namespace {

// Nodes reading each tensor, and the program outputs, to find single readers.
class Readers {
 public:
  explicit Readers(const sim::Program& program) : outputs_(program.outputs.begin(), program.outputs.end()) {
    for (std::size_t n = 0; n < program.nodes.size(); ++n) {
      for (int t : program.nodes[n].inputs) {
        if (t >= 0) readers_[t].push_back(static_cast<int>(n));
      }
    }
  }

  // The node that reads `tensor` alone, once, as its first input; -1 when
  // there is none, several, or the tensor is a program output.
  int sole_reader(const sim::Program& program, int tensor) const {
    if (tensor < 0 || outputs_.contains(tensor)) return -1;
    const auto it = readers_.find(tensor);
    if (it == readers_.end() || it->second.size() != 1) return -1;
    const int node = it->second.front();
    const std::vector<int>& inputs = program.nodes[static_cast<std::size_t>(node)].inputs;
    return inputs.size() >= 1 && inputs[0] == tensor ? node : -1;
  }

 private:
  std::set<int> outputs_;
  std::map<int, std::vector<int>> readers_;
};

std::string dims(const std::vector<std::int64_t>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "x" : "") + std::to_string(v[i]);
  return s;
}

bool all_equal(const std::vector<std::int64_t>& v, std::int64_t value) {
  for (std::int64_t x : v) {
    if (x != value) return false;
  }
  return true;
}

// Output 0 of node `n`, or -1.
int first_output(const sim::Program& program, int n) {
  const std::vector<int>& outputs = program.nodes[static_cast<std::size_t>(n)].outputs;
  return outputs.empty() ? -1 : outputs[0];
}

bool wires_one_output(const sim::ProgramNode& pn) {
  for (std::size_t o = 1; o < pn.outputs.size(); ++o) {
    if (pn.outputs[o] >= 0) return false;
  }
  return !pn.outputs.empty() && pn.outputs[0] >= 0;
}

}  // namespace

std::string pool_refusal(const sim::OpNode& pool, const sim::TensorType& input) {
  const sim::Attributes& a = pool.attrs;
  const std::vector<std::int64_t> kernel = a.get_ints("kernel_shape");
  if (input.shape.size() != 4) return "the pool is not 2-D";
  if (kernel != std::vector<std::int64_t>{2, 2} && kernel != std::vector<std::int64_t>{3, 3}) {
    return "pool size " + dims(kernel) + " is neither 2x2 nor 3x3";
  }
  const std::vector<std::int64_t> strides = a.get_ints("strides", {1, 1});
  if (!all_equal(strides, 2)) return "stride " + dims(strides) + " is not 2";
  const std::string auto_pad = a.get_string("auto_pad", "NOTSET");
  if (!all_equal(a.get_ints("pads", {0, 0, 0, 0}), 0) || (auto_pad != "NOTSET" && auto_pad != "VALID")) {
    return "the pool is padded";
  }
  if (!all_equal(a.get_ints("dilations", {1, 1}), 1)) return "the pool is dilated";
  const std::int64_t h = input.shape[2];
  const std::int64_t w = input.shape[3];
  const std::string size = std::to_string(h) + "x" + std::to_string(w);
  if (kernel[0] == 2) {
    if (h % 2 != 0 || w % 2 != 0) return "2x2 pooling needs an even input size, the input is " + size;
    return "";
  }
  if (h % 2 == 0 || w % 2 == 0 || h == 1 || w == 1) {
    return "3x3 pooling needs an odd input size other than 1, the input is " + size;
  }
  const bool eight_bit = sim::dtype_size(input.dtype) == 1;
  const std::int64_t limit = eight_bit ? 64 : 32;
  if (w >= limit) {
    return "3x3 pooling needs an input narrower than " + std::to_string(limit) + " columns in " +
           (eight_bit ? "8-bit" : "16-bit") + " mode, the input is " + std::to_string(w) + " wide";
  }
  return "";
}

Fusion fuse(const sim::Program& program, const std::vector<std::int32_t>& sync_after) {
  const Readers readers(program);
  const std::set<int> sync(sync_after.begin(), sync_after.end());
  Fusion fusion;
  std::vector<bool> grouped(program.nodes.size(), false);
  for (std::size_t n = 0; n < program.nodes.size(); ++n) {
    if (grouped[n]) continue;
    std::vector<int> group{static_cast<int>(n)};
    grouped[n] = true;
    const sim::ProgramNode& pn = program.nodes[n];
    if (pn.node.op == "Conv" && wires_one_output(pn) && !sync.contains(static_cast<int>(n))) {
      int tail = static_cast<int>(n);
      const int relu = readers.sole_reader(program, first_output(program, tail));
      if (relu >= 0 && program.nodes[static_cast<std::size_t>(relu)].node.op == "Relu") {
        group.push_back(relu);
        grouped[static_cast<std::size_t>(relu)] = true;
        tail = relu;
      }
      const int value = first_output(program, tail);
      const int pool = sync.contains(tail) ? -1 : readers.sole_reader(program, value);
      const sim::ProgramNode* pool_node = pool >= 0 ? &program.nodes[static_cast<std::size_t>(pool)] : nullptr;
      if (pool_node && pool_node->node.op == "MaxPool") {
        PoolDecision decision{static_cast<int>(n), pool, false, ""};
        decision.reason = wires_one_output(*pool_node)
                              ? pool_refusal(pool_node->node, program.tensors[static_cast<std::size_t>(value)].type)
                              : "the pool also writes its indices";
        decision.fused = decision.reason.empty();
        if (decision.fused) {
          group.push_back(pool);
          grouped[static_cast<std::size_t>(pool)] = true;
        }
        fusion.pools.push_back(std::move(decision));
      }
    }
    fusion.groups.push_back(std::move(group));
  }
  return fusion;
}

}  // namespace rknn::precompile
