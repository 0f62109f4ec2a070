// STUB: to be implemented.
#include "ops.h"
#include "op_util.h"

namespace rknn::sim::ops {

Prepared prepare_depth_to_space(const OpNode&, std::span<const InputInfo>, const KernelOptions&) {
  throw UnsupportedError("not implemented yet");
}

Prepared prepare_space_to_depth(const OpNode&, std::span<const InputInfo>, const KernelOptions&) {
  throw UnsupportedError("not implemented yet");
}

}  // namespace rknn::sim::ops
