// One client of the agent: the protocol's state machine over one byte
// stream. Its models belong to it and are unloaded when it leaves, however it
// leaves (closed, reset, timed out, or cut off for breaking the framing).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/frame.h"
#include "protocol/messages.h"
#include "server/run_queue.h"
#include "server/trace.h"
#include "transport/stream.h"

namespace rknn::device {

struct AgentOptions {
  std::string bind = "127.0.0.1";  // loopback unless told otherwise
  std::uint16_t port = 7621;
  std::uint32_t max_payload = 64u << 20;       // largest frame payload accepted
  std::uint64_t max_model_bytes = 1ull << 30;  // largest model accepted
  std::chrono::milliseconds frame_timeout{10000};  // a started frame must complete within this
  std::chrono::milliseconds idle_timeout{0};       // between frames; 0: no limit
  int max_connections = 16;
  int max_models_per_connection = 16;
  int threads = 1;  // simulator threads per model when the client asks for the default
  std::string platform;  // the chip this board is (rknn_init_options.target_platform); "": the runtime's default
  bool verbose = false;
  std::string trace_file;  // --trace: one line per queued run and executed segment (server/trace.h)
  int hold_queue = 0;      // --hold-queue: tests; the queue starts once this many runs wait (run_queue.h)
};

// What every connection shares: options, the run queue, the HELLO answer, the log.
struct AgentServices {
  const AgentOptions* options = nullptr;
  RunQueue* queue = nullptr;
  Trace* trace = nullptr;
  HelloReply hello;
  std::function<void(const std::string&)> log;
};

class Connection {
 public:
  Connection(ByteStream& stream, const AgentServices& agent);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Serves requests until the client leaves or must be cut off.
  void serve();

 private:
  struct Model;
  struct Upload;
  struct Reply {
    std::vector<std::byte> payload;  // Status + body
    bool close = false;              // close the connection after sending it
  };

  Reply respond(const Frame& frame);
  std::vector<std::byte> dispatch(const Frame& frame);
  std::vector<std::byte> hello(const Frame& frame);
  std::vector<std::byte> load_begin(const Frame& frame);
  std::vector<std::byte> load_chunk(const Frame& frame);
  std::vector<std::byte> load_end(const Frame& frame);
  std::vector<std::byte> unload(const Frame& frame);
  std::vector<std::byte> query(const Frame& frame);
  std::vector<std::byte> set_inputs(const Frame& frame);
  std::vector<std::byte> run(const Frame& frame);
  std::vector<std::byte> get_outputs(const Frame& frame);
  Model& model(std::uint32_t handle);
  void send(std::uint16_t type, std::uint32_t request_id, const std::vector<std::byte>& payload);

  ByteStream& stream_;
  const AgentServices& agent_;
  bool greeted_ = false;
  bool close_after_reply_ = false;
  std::unique_ptr<Upload> upload_;
  std::map<std::uint32_t, std::unique_ptr<Model>> models_;
  std::uint32_t next_handle_ = 1;
};

}  // namespace rknn::device
