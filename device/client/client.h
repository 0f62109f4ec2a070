// The host side of the protocol: one connection to one agent, with a method
// per request. Used by the runtime's device backend, `rknnc devices` and the
// device tests. Not thread-safe: one thread at a time per Client.
//
// Every failure is a DeviceError carrying the RKNN_ERR_* code the runtime
// returns. After a transport failure or a broken frame the connection is
// lost, and every later call fails with RKNN_ERR_DEVICE_UNAVAILABLE.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/frame.h"
#include "protocol/messages.h"
#include "transport/stream.h"

namespace rknn::device {

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{5000};
  // How long any reply may take; a run of a large model under emulation is the slowest.
  std::chrono::milliseconds request_timeout{300000};
  std::size_t chunk_size = 1 << 20;       // model upload piece
  std::uint32_t max_reply = 1u << 31;     // largest reply payload accepted
  std::string name = "rknn-build client";  // shown in the agent's log
};

// A reply's body: the frame it came in and where the body starts.
struct ReplyBody {
  Frame frame;
  std::size_t offset = 0;
  std::span<const std::byte> bytes() const { return std::span(frame.payload).subspan(offset); }
};

class Client {
 public:
  // Connects to a device id (client/device_id.h) and says HELLO.
  static std::unique_ptr<Client> connect(std::string_view device, const ClientOptions& options = {});
  // Over an open stream; says HELLO.
  Client(std::unique_ptr<ByteStream> stream, std::string device, const ClientOptions& options);

  const std::string& device() const { return device_; }
  const HelloReply& agent() const { return agent_; }

  // Uploads in chunks and loads; returns the model's handle on the agent.
  std::uint32_t load(std::span<const std::byte> model, std::uint32_t flag, std::int32_t threads);
  void unload(std::uint32_t handle);
  // The reply body of rknn_query(cmd) (messages.h says how each is encoded).
  ReplyBody query(std::uint32_t handle, std::uint32_t cmd, std::uint32_t index = 0);
  void set_inputs(const SetInputs& request);
  RunReply run(std::uint32_t handle);
  // The outputs; reply.data views point into `storage`.
  OutputsReply get_outputs(const GetOutputs& request, ReplyBody& storage);

  // One request and its reply body; throws DeviceError for an error status.
  ReplyBody call(MessageType type, std::span<const std::byte> payload);

 private:
  void hello();
  [[noreturn]] void lose(const DeviceError& error);

  std::unique_ptr<ByteStream> stream_;
  std::string device_;
  ClientOptions options_;
  HelloReply agent_;
  std::uint32_t next_request_ = 1;
  std::string lost_;  // why the connection is unusable; empty while it works
};

}  // namespace rknn::device
