// STUB: to be implemented.
#include "ops.h"
#include "op_util.h"

namespace rknn::sim::ops {

Prepared prepare_max_pool(const OpNode&, std::span<const InputInfo>, const KernelOptions&) {
  throw UnsupportedError("not implemented yet");
}

Prepared prepare_average_pool(const OpNode&, std::span<const InputInfo>, const KernelOptions&) {
  throw UnsupportedError("not implemented yet");
}

Prepared prepare_global_average_pool(const OpNode&, std::span<const InputInfo>, const KernelOptions&) {
  throw UnsupportedError("not implemented yet");
}

Prepared prepare_global_max_pool(const OpNode&, std::span<const InputInfo>, const KernelOptions&) {
  throw UnsupportedError("not implemented yet");
}

}  // namespace rknn::sim::ops
