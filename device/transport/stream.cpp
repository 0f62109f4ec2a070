#include "transport/stream.h"

namespace rknn::device {

Deadline deadline_after(std::chrono::milliseconds timeout) {
  if (timeout.count() <= 0) return kNoDeadline;
  return Clock::now() + timeout;
}

void ByteStream::read_exact(std::span<std::byte> buffer, Deadline deadline) {
  while (!buffer.empty()) buffer = buffer.subspan(read_some(buffer, deadline));
}

}  // namespace rknn::device
