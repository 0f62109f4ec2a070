#include "output_buffers.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "api_error.h"

namespace rknn::runtime {

void OutputBuffers::check_preallocated(const rknn_output& out, std::size_t needed) {
  if (out.is_prealloc && (!out.buf || out.size < needed)) {
    throw ApiError(RKNN_ERR_PARAM_INVALID, "output " + std::to_string(out.index) + ": the preallocated buffer " +
                                               (out.buf ? "has " + std::to_string(out.size) + " bytes" : "is NULL") +
                                               ", the output needs " + std::to_string(needed));
  }
}

void OutputBuffers::deliver(rknn_output& out, std::span<const std::byte> bytes) {
  if (!out.is_prealloc) {
    auto buffer = std::make_unique<std::byte[]>(std::max<std::size_t>(bytes.size(), 1));
    out.buf = buffer.get();
    lent_[out.buf] = std::move(buffer);
  }
  if (!bytes.empty()) std::memcpy(out.buf, bytes.data(), bytes.size());
  out.size = static_cast<std::uint32_t>(bytes.size());
}

void OutputBuffers::release(std::span<rknn_output> outputs) {
  for (const rknn_output& out : outputs) {
    if (!out.is_prealloc && out.buf && !lent_.contains(out.buf)) {
      throw ApiError(RKNN_ERR_PARAM_INVALID, "output " + std::to_string(out.index) +
                                                 ": buf was not returned by rknn_outputs_get on this context");
    }
  }
  for (rknn_output& out : outputs) {
    if (out.is_prealloc || !out.buf) continue;
    lent_.erase(out.buf);
    out.buf = nullptr;
  }
}

}  // namespace rknn::runtime
