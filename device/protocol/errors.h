// What goes wrong on the device path, always with the RKNN_ERR_* code that
// the runtime returns for it (docs/protocol.md, "Errors").
#pragma once

#include <stdexcept>
#include <string>

namespace rknn::device {

class DeviceError : public std::runtime_error {
 public:
  DeviceError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// The peer broke the protocol. When the frame sync is lost (bad magic, header
// CRC, payload CRC, oversized length, another protocol version) nothing more
// can be read from the stream: `lost_sync` says the connection must close.
class ProtocolError : public DeviceError {
 public:
  ProtocolError(int code, const std::string& message, bool lost_sync = false)
      : DeviceError(code, message), lost_sync_(lost_sync) {}
  bool lost_sync() const { return lost_sync_; }

 private:
  bool lost_sync_;
};

// The byte stream failed: the peer closed it, a deadline passed, or the
// system reported an error. RKNN_ERR_TIMEOUT for deadlines, else
// RKNN_ERR_DEVICE_UNAVAILABLE.
class TransportError : public DeviceError {
 public:
  enum class Kind { kClosed, kTimeout, kIo };
  TransportError(Kind kind, const std::string& message);
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

}  // namespace rknn::device
