// The output side of rknn_outputs_get / rknn_outputs_release, shared by the
// simulator context and the device backend: preallocated buffers are checked,
// other outputs get a buffer lent to the application until it is released.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <span>

#include "rknn_api.h"

namespace rknn::runtime {

class OutputBuffers {
 public:
  // Throws ApiError(RKNN_ERR_PARAM_INVALID) when a preallocated buffer is
  // missing or smaller than `needed` bytes.
  static void check_preallocated(const rknn_output& out, std::size_t needed);

  // Copies `bytes` to out.buf: the application's buffer (is_prealloc, already
  // checked) or a new one lent to it; sets out.size.
  void deliver(rknn_output& out, std::span<const std::byte> bytes);

  // Takes back the lent buffers; a buffer this context never lent is refused
  // before anything is released. A second release is harmless.
  void release(std::span<rknn_output> outputs);

 private:
  std::map<const void*, std::unique_ptr<std::byte[]>> lent_;
};

}  // namespace rknn::runtime
