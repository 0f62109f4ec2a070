// STUB: to be implemented.
#include "ops.h"
#include "op_util.h"

namespace rknn::sim::ops {

Prepared prepare_shape(const OpNode&, std::span<const InputInfo>, const KernelOptions&) {
  throw UnsupportedError("not implemented yet");
}

Prepared prepare_size(const OpNode&, std::span<const InputInfo>, const KernelOptions&) {
  throw UnsupportedError("not implemented yet");
}

Prepared prepare_constant_of_shape(const OpNode&, std::span<const InputInfo>, const KernelOptions&) {
  throw UnsupportedError("not implemented yet");
}

}  // namespace rknn::sim::ops
