// STUB: to be implemented.
#include "ops.h"
#include "op_util.h"

namespace rknn::sim::ops {

Prepared prepare_reshape(const OpNode&, std::span<const InputInfo>, const KernelOptions&) {
  throw UnsupportedError("not implemented yet");
}

Prepared prepare_flatten(const OpNode&, std::span<const InputInfo>, const KernelOptions&) {
  throw UnsupportedError("not implemented yet");
}

Prepared prepare_squeeze(const OpNode&, std::span<const InputInfo>, const KernelOptions&) {
  throw UnsupportedError("not implemented yet");
}

Prepared prepare_unsqueeze(const OpNode&, std::span<const InputInfo>, const KernelOptions&) {
  throw UnsupportedError("not implemented yet");
}

}  // namespace rknn::sim::ops
