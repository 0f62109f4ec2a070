// STUB: to be implemented.
#include "ops.h"
#include "op_util.h"

namespace rknn::sim::ops {

Prepared prepare_batch_norm(const OpNode&, std::span<const InputInfo>, const KernelOptions&) {
  throw UnsupportedError("not implemented yet");
}

}  // namespace rknn::sim::ops
