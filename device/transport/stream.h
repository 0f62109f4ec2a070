// A reliable, ordered byte stream to a board or a client: a TCP connection or
// a pair of USB bulk endpoints. The protocol's frames travel over it.
#pragma once

#include <chrono>
#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>

#include "protocol/errors.h"

namespace rknn::device {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;
inline constexpr Deadline kNoDeadline = Deadline::max();

// now + `timeout`, or kNoDeadline for a zero timeout ("wait forever").
Deadline deadline_after(std::chrono::milliseconds timeout);

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  ByteStream() = default;
  ByteStream(const ByteStream&) = delete;
  ByteStream& operator=(const ByteStream&) = delete;

  // Reads between 1 and buffer.size() bytes. Throws TransportError: kClosed
  // when the peer closed the stream, kTimeout at the deadline.
  virtual std::size_t read_some(std::span<std::byte> buffer, Deadline deadline) = 0;
  // Writes every byte of every part, in order. Throws TransportError.
  virtual void write_all(std::initializer_list<std::span<const std::byte>> parts, Deadline deadline) = 0;
  // Makes reads and writes in other threads fail promptly; safe to call from
  // any thread, more than once.
  virtual void shutdown() noexcept = 0;
  // "tcp://127.0.0.1:51234", for messages.
  virtual std::string peer() const = 0;

  // Reads exactly buffer.size() bytes.
  void read_exact(std::span<std::byte> buffer, Deadline deadline);
};

}  // namespace rknn::device
