#include "rknn/sim/op.h"

#include "rknn/sim/error.h"

namespace rknn::sim {

std::string OpNode::describe() const { return op + " node '" + name + "'"; }

Prepared prepare_node(const OpNode& node, std::span<const InputInfo> inputs,
                      const KernelOptions& options) {
  PrepareFn prepare = find_op(node.op);
  if (!prepare) throw UnsupportedError(node.describe() + ": op '" + node.op + "' is not supported");
  try {
    return prepare(node, inputs, options);
  } catch (const UnsupportedError& e) {
    throw UnsupportedError(node.describe() + ": " + e.what());
  } catch (const Error& e) {
    throw Error(node.describe() + ": " + e.what());
  }
}

}  // namespace rknn::sim
