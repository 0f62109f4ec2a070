#include "transport/tcp.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "rknn_api.h"

namespace rknn::device {
namespace {

using Kind = TransportError::Kind;

std::string os_error(int error) { return std::strerror(error); }

// Milliseconds poll() may wait for `deadline`: -1 for none, 0 once passed.
int poll_timeout(Deadline deadline) {
  if (deadline == kNoDeadline) return -1;
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 1 << 30));
}

void set_options(int fd) {
  const int one = 1;
  // Small request frames must not wait for Nagle's algorithm.
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  // A peer that vanishes without closing is noticed eventually.
  ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

std::string address_text(const sockaddr* addr) {
  char host[NI_MAXHOST] = "";
  char port[NI_MAXSERV] = "";
  const socklen_t len = addr->sa_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
  if (::getnameinfo(addr, len, host, sizeof host, port, sizeof port, NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    return "tcp://?";
  }
  return tcp_url(host, static_cast<std::uint16_t>(std::stoi(port)));
}

struct AddrInfoFree {
  void operator()(addrinfo* a) const { ::freeaddrinfo(a); }
};
using AddrInfo = std::unique_ptr<addrinfo, AddrInfoFree>;

AddrInfo resolve(const std::string& host, std::uint16_t port, bool passive) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = passive ? AI_PASSIVE : 0;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    throw TransportError(Kind::kIo, "cannot resolve '" + host + "': " + ::gai_strerror(rc));
  }
  return AddrInfo(found);
}

// One non-blocking connect attempt; the socket, or -1 with `error` set.
int try_connect(const addrinfo& a, Deadline deadline, int& error) {
  const int fd = ::socket(a.ai_family, a.ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a.ai_protocol);
  if (fd < 0) {
    error = errno;
    return -1;
  }
  if (::connect(fd, a.ai_addr, a.ai_addrlen) == 0) return fd;
  if (errno != EINPROGRESS) {
    error = errno;
    ::close(fd);
    return -1;
  }
  pollfd p{fd, POLLOUT, 0};
  int rc = 0;
  do {
    rc = ::poll(&p, 1, poll_timeout(deadline));
  } while (rc < 0 && errno == EINTR);
  if (rc == 0) {
    error = ETIMEDOUT;
  } else {
    socklen_t len = sizeof error;
    if (rc < 0 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0) error = errno;
  }
  if (error == 0) return fd;
  ::close(fd);
  return -1;
}

}  // namespace

std::string tcp_url(const std::string& host, std::uint16_t port) {
  const bool v6 = host.find(':') != std::string::npos;
  return "tcp://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

TcpStream::TcpStream(int fd, std::string peer) : fd_(fd), peer_(std::move(peer)) { set_options(fd_); }

TcpStream::~TcpStream() { ::close(fd_); }

std::unique_ptr<TcpStream> TcpStream::connect(const std::string& host, std::uint16_t port, Deadline deadline) {
  const AddrInfo addresses = resolve(host, port, false);
  int error = 0;
  for (const addrinfo* a = addresses.get(); a; a = a->ai_next) {
    const int fd = try_connect(*a, deadline, error);
    if (fd >= 0) return std::make_unique<TcpStream>(fd, tcp_url(host, port));
    if (error == ETIMEDOUT) break;
  }
  const Kind kind = error == ETIMEDOUT ? Kind::kTimeout : Kind::kIo;
  throw TransportError(kind, "cannot connect to " + tcp_url(host, port) + ": " + os_error(error));
}

void TcpStream::wait(short events, Deadline deadline, const char* doing) {
  pollfd p{fd_, events, 0};
  int rc = 0;
  do {
    rc = ::poll(&p, 1, poll_timeout(deadline));
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) throw TransportError(Kind::kIo, peer_ + ": poll failed while " + doing + ": " + os_error(errno));
  if (rc == 0) throw TransportError(Kind::kTimeout, peer_ + ": timed out " + doing);
}

std::size_t TcpStream::read_some(std::span<std::byte> buffer, Deadline deadline) {
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (n > 0) return static_cast<std::size_t>(n);
    if (n == 0) throw TransportError(Kind::kClosed, peer_ + ": connection closed by the peer");
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      throw TransportError(Kind::kIo, peer_ + ": receive failed: " + os_error(errno));
    }
    wait(POLLIN, deadline, "waiting for data");
  }
}

void TcpStream::write_all(std::initializer_list<std::span<const std::byte>> parts, Deadline deadline) {
  std::vector<iovec> iov;
  for (const auto& part : parts) {
    if (!part.empty()) iov.push_back({const_cast<std::byte*>(part.data()), part.size()});
  }
  std::size_t first = 0;
  while (first < iov.size()) {
    msghdr msg{};
    msg.msg_iov = iov.data() + first;
    msg.msg_iovlen = iov.size() - first;
    const ssize_t n = ::sendmsg(fd_, &msg, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        wait(POLLOUT, deadline, "sending");
        continue;
      }
      const Kind kind = errno == EPIPE || errno == ECONNRESET ? Kind::kClosed : Kind::kIo;
      throw TransportError(kind, peer_ + ": send failed: " + os_error(errno));
    }
    // Skip what was sent: whole parts, then into the first partial one.
    auto sent = static_cast<std::size_t>(n);
    while (first < iov.size() && sent >= iov[first].iov_len) sent -= iov[first++].iov_len;
    if (first < iov.size()) {
      iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + sent;
      iov[first].iov_len -= sent;
    }
  }
}

void TcpStream::shutdown() noexcept { ::shutdown(fd_, SHUT_RDWR); }

TcpListener::TcpListener(const std::string& address, std::uint16_t port) {
  const AddrInfo addresses = resolve(address, port, true);
  const addrinfo& a = *addresses;
  fd_ = ::socket(a.ai_family, a.ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a.ai_protocol);
  if (fd_ < 0) throw DeviceError(RKNN_ERR_FAIL, "socket: " + os_error(errno));
  const int one = 1;
  ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd_, a.ai_addr, a.ai_addrlen) != 0 || ::listen(fd_, 16) != 0) {
    const int error = errno;
    ::close(fd_);
    throw DeviceError(RKNN_ERR_FAIL, "cannot listen on " + tcp_url(address, port) + ": " + os_error(error));
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
}

TcpListener::~TcpListener() { ::close(fd_); }

std::unique_ptr<TcpStream> TcpListener::accept(int wake_fd) {
  for (;;) {
    pollfd p[2] = {{fd_, POLLIN, 0}, {wake_fd, POLLIN, 0}};
    if (::poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      throw DeviceError(RKNN_ERR_FAIL, "poll on the listening socket: " + os_error(errno));
    }
    if (p[1].revents != 0) return nullptr;
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    const int fd = ::accept4(fd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_CLOEXEC);
    if (fd >= 0) return std::make_unique<TcpStream>(fd, address_text(reinterpret_cast<sockaddr*>(&peer)));
    // The peer may have given up between poll and accept; running out of
    // descriptors is survived by trying again later.
    if (errno == EMFILE || errno == ENFILE) ::poll(nullptr, 0, 100);
  }
}

}  // namespace rknn::device
