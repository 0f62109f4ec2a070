// TCP transport: plain POSIX sockets, non-blocking, with poll() for every
// wait so that each read, write and connect has a deadline.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "transport/stream.h"

namespace rknn::device {

class TcpStream final : public ByteStream {
 public:
  // Takes ownership of a connected socket.
  TcpStream(int fd, std::string peer);
  ~TcpStream() override;

  // Connects to host:port (a name, an IPv4 or an IPv6 address). Throws
  // TransportError: refused or unreachable (RKNN_ERR_DEVICE_UNAVAILABLE), or
  // the deadline passed (RKNN_ERR_TIMEOUT).
  static std::unique_ptr<TcpStream> connect(const std::string& host, std::uint16_t port, Deadline deadline);

  std::size_t read_some(std::span<std::byte> buffer, Deadline deadline) override;
  void write_all(std::initializer_list<std::span<const std::byte>> parts, Deadline deadline) override;
  void shutdown() noexcept override;
  std::string peer() const override { return peer_; }

 private:
  void wait(short events, Deadline deadline, const char* doing);

  int fd_;
  std::string peer_;
};

class TcpListener {
 public:
  // Binds and listens; port 0 picks a free port. Throws DeviceError.
  TcpListener(const std::string& address, std::uint16_t port);
  ~TcpListener();
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;

  std::uint16_t port() const { return port_; }
  // Waits for a connection; returns nullptr when `wake_fd` becomes readable.
  std::unique_ptr<TcpStream> accept(int wake_fd);

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

// "tcp://host:port", with brackets around IPv6 addresses.
std::string tcp_url(const std::string& host, std::uint16_t port);

}  // namespace rknn::device
