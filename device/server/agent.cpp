#include "server/agent.h"

#include <fcntl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>

#include "protocol/frame.h"
#include "rknn_api.h"

#ifndef RKNN_VERSION
#define RKNN_VERSION "0.0.0"
#endif

namespace rknn::device {
namespace {

std::string machine_name() {
  utsname u{};
  if (::uname(&u) != 0) return "unknown";
  return std::string(u.machine) + " " + u.sysname + " " + u.release;
}

// The version the runtime linked into the agent reports, without a model:
// rknn_query needs a context, so this mirrors the runtime's own text.
std::string runtime_version() { return "rknn-build " RKNN_VERSION " (simulator)"; }

}  // namespace

HelloReply describe_agent(const AgentOptions& options) {
  HelloReply hello;
  hello.version = kProtocolVersion;
  hello.agent = "rknn_server " RKNN_VERSION;
  hello.api_version = runtime_version();
  hello.machine = machine_name();
  hello.driver_version = hello.agent + " on " + hello.machine;
  hello.max_payload = options.max_payload;
  hello.max_model_bytes = options.max_model_bytes;
  return hello;
}

Agent::Agent(AgentOptions options)
    : options_(std::move(options)), listener_(options_.bind, options_.port), trace_(options_.trace_file),
      queue_(static_cast<std::size_t>(options_.hold_queue)) {
  if (::pipe2(wake_pipe_, O_CLOEXEC) != 0) throw DeviceError(RKNN_ERR_FAIL, "pipe2 failed");
  services_.options = &options_;
  services_.queue = &queue_;
  services_.trace = &trace_;
  services_.hello = describe_agent(options_);
  services_.log = [this](const std::string& line) { log(line); };
}

Agent::~Agent() {
  reap(true);
  ::close(wake_pipe_[0]);
  ::close(wake_pipe_[1]);
}

std::string Agent::url() const { return tcp_url(options_.bind, port()); }

void Agent::log(const std::string& line) const {
  std::lock_guard lock(log_mutex_);
  std::fprintf(stderr, "rknn_server: %s\n", line.c_str());
  std::fflush(stderr);
}

void Agent::stop() noexcept {
  const char byte = 1;
  [[maybe_unused]] const ssize_t n = ::write(wake_pipe_[1], &byte, 1);
}

void Agent::serve() {
  while (std::unique_ptr<TcpStream> stream = listener_.accept(wake_pipe_[0])) {
    reap(false);
    admit(std::move(stream));
  }
  reap(true);
}

void Agent::admit(std::unique_ptr<TcpStream> stream) {
  std::lock_guard lock(clients_mutex_);
  if (clients_.size() >= static_cast<std::size_t>(options_.max_connections)) {
    log(stream->peer() + ": refused, " + std::to_string(clients_.size()) + " clients are connected (--max-connections)");
    const auto payload = encode_reply({RKNN_ERR_DEVICE_UNAVAILABLE, "the agent is busy: too many clients"});
    try {
      write_frame(*stream, static_cast<std::uint16_t>(MessageType::kError) | kReplyFlag, 0, payload,
                  deadline_after(std::chrono::milliseconds(1000)));
    } catch (const DeviceError&) {
      // The refused client is gone already.
    }
    return;
  }
  Client& client = clients_.emplace_back();
  client.stream = std::move(stream);
  if (options_.verbose) log(client.stream->peer() + ": connected");
  client.thread = std::thread([this, &client] {
    {
      Connection connection(*client.stream, services_);
      connection.serve();
    }  // the client's models are unloaded here
    client.stream->shutdown();  // the client sees the end now; the socket closes when reaped
    if (options_.verbose) log(client.stream->peer() + ": disconnected");
    client.finished = true;
  });
}

// Joins finished client threads; `all`: shuts every connection down first.
void Agent::reap(bool all) {
  std::list<Client> done;
  {
    std::lock_guard lock(clients_mutex_);
    for (auto it = clients_.begin(); it != clients_.end();) {
      if (all) it->stream->shutdown();
      if (all || it->finished) {
        done.splice(done.end(), clients_, it++);
      } else {
        ++it;
      }
    }
  }
  for (Client& client : done) client.thread.join();
}

}  // namespace rknn::device
