// rknn_server's core: listens on TCP, serves each client on its own thread
// (server/connection.h) and runs every client's models on one run queue.
#pragma once

#include <atomic>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "server/connection.h"
#include "server/run_queue.h"
#include "transport/tcp.h"

namespace rknn::device {

class Agent {
 public:
  // Binds the listening socket (throws DeviceError when it cannot).
  explicit Agent(AgentOptions options);
  ~Agent();
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  std::uint16_t port() const { return listener_.port(); }
  std::string url() const;

  // Accepts and serves clients until stop(); then closes every connection,
  // waits for their threads and returns.
  void serve();
  // Async-signal-safe: may be called from a signal handler or any thread.
  void stop() noexcept;

  void log(const std::string& line) const;

 private:
  struct Client {
    std::shared_ptr<ByteStream> stream;
    std::thread thread;
    std::atomic<bool> finished{false};
  };
  void admit(std::unique_ptr<TcpStream> stream);
  void reap(bool all);

  AgentOptions options_;
  TcpListener listener_;
  int wake_pipe_[2] = {-1, -1};
  Trace trace_;  // before the queue: its last jobs may still write to it
  RunQueue queue_;
  AgentServices services_;
  std::mutex clients_mutex_;
  std::list<Client> clients_;
  mutable std::mutex log_mutex_;
};

// The HELLO answer of this build on this machine.
HelloReply describe_agent(const AgentOptions& options);

}  // namespace rknn::device
