// rknn_server --trace FILE: one line per queued run and per executed segment,
// flushed as written, so a test (or a person) can see how the queue
// interleaved the clients' runs (docs/protocol.md, "Segmented models").
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

namespace rknn::device {

class Trace {
 public:
  // "": no trace. Throws DeviceError when the file cannot be created.
  explicit Trace(const std::string& path);
  ~Trace();
  Trace(const Trace&) = delete;
  Trace& operator=(const Trace&) = delete;

  bool enabled() const { return file_ != nullptr; }
  // Appends `text` and a newline, then flushes; nothing without a trace.
  void line(const std::string& text);
  // Agent-wide model numbers for the trace (1, 2, ...): handles are per connection.
  std::uint32_t next_model_id() { return ++models_; }

 private:
  std::FILE* file_ = nullptr;
  std::mutex mutex_;
  std::atomic<std::uint32_t> models_{0};
};

}  // namespace rknn::device
