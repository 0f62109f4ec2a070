#include "server/connection.h"

#include <cstdio>
#include <cstring>
#include <new>
#include <string_view>
#include <type_traits>

#include "protocol/crc32.h"
#include "rknn/rknn_api_ext.h"
#include "rknn_api.h"

namespace rknn::device {
namespace {

[[noreturn]] void fail(int code, const std::string& message) { throw DeviceError(code, message); }

// The runtime's message without its "rknn_run: " prefix: the client's own
// runtime puts its function name in front.
std::string without_prefix(std::string message, std::string_view function) {
  if (message.starts_with(function) && message.compare(function.size(), 2, ": ") == 0) {
    message.erase(0, function.size() + 2);
  }
  return message;
}

// An rknn_* result as an exception carrying the runtime's own message.
void check(int code, std::string_view function) {
  if (code != RKNN_SUCC) fail(code, without_prefix(rknn_last_error_message(), function));
}

// 64-byte aligned memory: the runtime uses a model's constants in place only
// from an aligned buffer.
struct AlignedFree {
  void operator()(std::byte* p) const { ::operator delete[](p, std::align_val_t{64}); }
};
using AlignedBytes = std::unique_ptr<std::byte[], AlignedFree>;

AlignedBytes allocate(std::uint64_t size) {
  return AlignedBytes(static_cast<std::byte*>(::operator new[](size, std::align_val_t{64})));
}

// Stores a raw wire value into a C enum field: the runtime checks the value,
// as it does for C callers (an out-of-range enum value is undefined in C++).
template <class E>
void set_raw(E& field, std::uint32_t value) {
  static_assert(sizeof(E) == sizeof(std::uint32_t));
  std::memcpy(&field, &value, sizeof value);
}

template <class T>
std::vector<std::byte> body(const T& value) {
  PayloadWriter w;
  write(w, value);
  return w.take();
}

std::vector<std::byte> string_body(const std::string& text) {
  PayloadWriter w;
  w.string(text);
  return w.take();
}

}  // namespace

struct Connection::Model {
  AlignedBytes bytes;  // must outlive the context: constants are used in place
  rknn_context context = 0;
  std::uint32_t trace_id = 0;  // agent-wide number in the trace
  std::uint32_t runs = 0;      // RUN requests so far
  ~Model() {
    if (context) rknn_destroy(context);
  }
};

struct Connection::Upload {
  LoadBegin begin;
  AlignedBytes bytes;
  std::uint64_t received = 0;
  std::uint32_t crc = 0;
};

Connection::Connection(ByteStream& stream, const AgentServices& agent) : stream_(stream), agent_(agent) {}

Connection::~Connection() = default;

void Connection::serve() {
  const AgentOptions& options = *agent_.options;
  const FrameLimits limits{options.max_payload, options.frame_timeout};
  for (;;) {
    Frame frame;
    try {
      frame = read_frame(stream_, limits, deadline_after(options.idle_timeout));
    } catch (const TransportError& e) {
      if (e.kind() != TransportError::Kind::kClosed || options.verbose) agent_.log(e.what());
      return;
    } catch (const ProtocolError& e) {
      // The stream is out of step: say why, then hang up.
      agent_.log(stream_.peer() + ": " + e.what() + "; closing the connection");
      send(static_cast<std::uint16_t>(MessageType::kError) | kReplyFlag, 0, encode_reply({e.code(), e.what()}));
      return;
    }
    const Reply reply = respond(frame);
    send(frame.type | kReplyFlag, frame.request_id, reply.payload);
    if (reply.close) return;
  }
}

void Connection::send(std::uint16_t type, std::uint32_t request_id, const std::vector<std::byte>& payload) {
  try {
    write_frame(stream_, type, request_id, payload, deadline_after(agent_.options->frame_timeout));
  } catch (const DeviceError& e) {
    // The client is gone or stopped reading; serve() notices on its next read.
    agent_.log(e.what());
    stream_.shutdown();
  }
}

Connection::Reply Connection::respond(const Frame& frame) {
  Reply reply;
  close_after_reply_ = false;
  try {
    reply.payload = encode_reply({}, dispatch(frame));
  } catch (const DeviceError& e) {
    reply.payload = encode_reply({e.code(), e.what()});
  } catch (const std::bad_alloc&) {
    upload_.reset();  // the likely culprit; frees its memory
    reply.payload = encode_reply({RKNN_ERR_MALLOC_FAIL, "out of memory on the agent"});
  } catch (const std::exception& e) {
    reply.payload = encode_reply({RKNN_ERR_FAIL, e.what()});
  }
  reply.close = close_after_reply_;
  return reply;
}

std::vector<std::byte> Connection::dispatch(const Frame& frame) {
  const auto type = static_cast<MessageType>(frame.type);
  if (!greeted_ && type != MessageType::kHello) {
    close_after_reply_ = true;
    fail(RKNN_ERR_DEVICE_UNMATCH, "the first request must be HELLO, not " + message_name(frame.type));
  }
  switch (type) {
    case MessageType::kHello: return hello(frame);
    case MessageType::kLoadBegin: return load_begin(frame);
    case MessageType::kLoadChunk: return load_chunk(frame);
    case MessageType::kLoadEnd: return load_end(frame);
    case MessageType::kUnload: return unload(frame);
    case MessageType::kQuery: return query(frame);
    case MessageType::kSetInputs: return set_inputs(frame);
    case MessageType::kRun: return run(frame);
    case MessageType::kGetOutputs: return get_outputs(frame);
    default: fail(RKNN_ERR_PARAM_INVALID, "unknown request: " + message_name(frame.type));
  }
}

std::vector<std::byte> Connection::hello(const Frame& frame) {
  const auto request = decode<HelloRequest>(frame.payload, "HELLO request");
  if (request.min_version > kProtocolVersion || request.max_version < kProtocolVersion) {
    close_after_reply_ = true;
    fail(RKNN_ERR_DEVICE_UNMATCH, "the client speaks protocol versions " + std::to_string(request.min_version) +
                                      " to " + std::to_string(request.max_version) + ", this agent speaks " +
                                      std::to_string(kProtocolVersion));
  }
  greeted_ = true;
  if (agent_.options->verbose) agent_.log(stream_.peer() + ": HELLO from '" + request.client + "'");
  return body(agent_.hello);
}

std::vector<std::byte> Connection::load_begin(const Frame& frame) {
  const auto request = decode<LoadBegin>(frame.payload, "LOAD_BEGIN request");
  upload_.reset();  // a new upload replaces an unfinished one
  const AgentOptions& options = *agent_.options;
  if (request.size == 0) fail(RKNN_ERR_PARAM_INVALID, "LOAD_BEGIN: the model is empty");
  if (request.size > options.max_model_bytes) {
    fail(RKNN_ERR_PARAM_INVALID, "LOAD_BEGIN: the model has " + std::to_string(request.size) +
                                     " bytes, this agent takes at most " + std::to_string(options.max_model_bytes) +
                                     " (rknn_server --max-model-mb)");
  }
  if (request.threads < 0 || request.threads > 256) {
    fail(RKNN_ERR_PARAM_INVALID, "LOAD_BEGIN: threads is " + std::to_string(request.threads) + ", expected 0 to 256");
  }
  if (models_.size() >= static_cast<std::size_t>(options.max_models_per_connection)) {
    fail(RKNN_ERR_PARAM_INVALID, "LOAD_BEGIN: this connection already has " + std::to_string(models_.size()) +
                                     " models loaded, the limit (rknn_server --max-models)");
  }
  auto upload = std::make_unique<Upload>();
  upload->begin = request;
  upload->bytes = allocate(request.size);
  upload_ = std::move(upload);
  return {};
}

std::vector<std::byte> Connection::load_chunk(const Frame& frame) {
  const auto request = decode<LoadChunk>(frame.payload, "LOAD_CHUNK request");
  if (!upload_) fail(RKNN_ERR_PARAM_INVALID, "LOAD_CHUNK without LOAD_BEGIN");
  std::unique_ptr<Upload> upload = std::move(upload_);  // dropped on any error below
  if (request.offset != upload->received) {
    fail(RKNN_ERR_PARAM_INVALID, "LOAD_CHUNK at offset " + std::to_string(request.offset) + ", expected " +
                                     std::to_string(upload->received) + "; upload abandoned");
  }
  if (request.data.size() > upload->begin.size - upload->received) {
    fail(RKNN_ERR_PARAM_INVALID, "LOAD_CHUNK goes past the " + std::to_string(upload->begin.size) +
                                     " bytes announced by LOAD_BEGIN; upload abandoned");
  }
  if (!request.data.empty()) std::memcpy(upload->bytes.get() + upload->received, request.data.data(), request.data.size());
  upload->received += request.data.size();
  upload->crc = crc32(request.data, upload->crc);
  upload_ = std::move(upload);
  return {};
}

std::vector<std::byte> Connection::load_end(const Frame& frame) {
  const auto request = decode<LoadEnd>(frame.payload, "LOAD_END request");
  if (!upload_) fail(RKNN_ERR_PARAM_INVALID, "LOAD_END without LOAD_BEGIN");
  const std::unique_ptr<Upload> upload = std::move(upload_);
  if (upload->received != upload->begin.size) {
    fail(RKNN_ERR_PARAM_INVALID, "LOAD_END after " + std::to_string(upload->received) + " of " +
                                     std::to_string(upload->begin.size) + " bytes; upload abandoned");
  }
  if (request.crc != upload->crc) {
    fail(RKNN_ERR_MODEL_INVALID, "the uploaded model's CRC-32 does not match the client's: corrupted in transfer");
  }
  auto model = std::make_unique<Model>();
  model->bytes = std::move(upload->bytes);
  rknn_init_options init{};
  init.threads = upload->begin.threads > 0 ? upload->begin.threads : agent_.options->threads;
  init.target_platform = agent_.options->platform.empty() ? nullptr : agent_.options->platform.c_str();
  init.device = "simulator";  // this agent's RKNN_DEVICE, if set, must not send the model on
  check(rknn_init_with_options(&model->context, model->bytes.get(), static_cast<std::uint32_t>(upload->begin.size),
                               upload->begin.flag, &init),
        "rknn_init");
  const std::uint32_t handle = next_handle_++;
  model->trace_id = agent_.trace->next_model_id();
  agent_.trace->line("loaded model=" + std::to_string(model->trace_id) + " handle=" + std::to_string(handle) +
                     " peer=" + stream_.peer());
  models_.emplace(handle, std::move(model));
  if (agent_.options->verbose) agent_.log(stream_.peer() + ": loaded model " + std::to_string(handle));
  return body(ModelHandle{handle});
}

Connection::Model& Connection::model(std::uint32_t handle) {
  const auto it = models_.find(handle);
  if (it == models_.end()) {
    fail(RKNN_ERR_CTX_INVALID, "model handle " + std::to_string(handle) + " is not loaded on this connection");
  }
  return *it->second;
}

std::vector<std::byte> Connection::unload(const Frame& frame) {
  const auto request = decode<ModelHandle>(frame.payload, "UNLOAD request");
  model(request.handle);  // an unknown handle is an error
  models_.erase(request.handle);
  return {};
}

std::vector<std::byte> Connection::query(const Frame& frame) {
  const auto request = decode<Query>(frame.payload, "QUERY request");
  const rknn_context context = model(request.handle).context;
  // Each command fills its C struct on the agent; the reply carries its fields.
  auto ask = [&](auto& info) {
    check(rknn_query(context, static_cast<rknn_query_cmd>(request.cmd), &info, sizeof info), "rknn_query");
  };
  switch (request.cmd) {
    case RKNN_QUERY_IN_OUT_NUM: {
      rknn_input_output_num num{};
      ask(num);
      return body(num);
    }
    case RKNN_QUERY_INPUT_ATTR:
    case RKNN_QUERY_OUTPUT_ATTR: {
      rknn_tensor_attr attr{};
      attr.index = request.index;
      ask(attr);
      return body(attr);
    }
    case RKNN_QUERY_PERF_DETAIL: {
      rknn_perf_detail perf{};
      ask(perf);
      return string_body(std::string(perf.perf_data, perf.data_len));
    }
    case RKNN_QUERY_PERF_RUN: {
      rknn_perf_run perf{};
      ask(perf);
      return body(perf);
    }
    case RKNN_QUERY_SDK_VERSION: {
      rknn_sdk_version version{};
      ask(version);
      // The driver is this agent on this board.
      std::snprintf(version.drv_version, sizeof version.drv_version, "%s", agent_.hello.driver_version.c_str());
      return body(version);
    }
    case RKNN_QUERY_MEM_SIZE: {
      rknn_mem_size mem{};
      ask(mem);
      return body(mem);
    }
    case RKNN_QUERY_CUSTOM_STRING: {
      rknn_custom_string custom{};
      ask(custom);
      return string_body(std::string(custom.string, strnlen(custom.string, sizeof custom.string)));
    }
    default: fail(RKNN_ERR_PARAM_INVALID, "unknown query command " + std::to_string(request.cmd));
  }
}

std::vector<std::byte> Connection::set_inputs(const Frame& frame) {
  const auto request = decode<SetInputs>(frame.payload, "SET_INPUTS request");
  const rknn_context context = model(request.handle).context;
  std::vector<rknn_input> inputs(request.inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const InputData& in = request.inputs[i];
    inputs[i].index = in.index;
    inputs[i].buf = const_cast<std::byte*>(in.data.data());  // read only
    inputs[i].size = static_cast<std::uint32_t>(in.data.size());
    inputs[i].pass_through = in.pass_through;
    set_raw(inputs[i].type, in.type);
    set_raw(inputs[i].fmt, in.fmt);
  }
  check(rknn_inputs_set(context, static_cast<std::uint32_t>(inputs.size()), inputs.data()), "rknn_inputs_set");
  return {};
}

std::vector<std::byte> Connection::run(const Frame& frame) {
  const auto request = decode<ModelHandle>(frame.payload, "RUN request");
  Model& m = model(request.handle);
  const std::string run_name = "model=" + std::to_string(m.trace_id) + " run=" + std::to_string(++m.runs);
  rknn_run_extend extend{};
  int code = RKNN_SUCC;
  std::string message;
  std::uint32_t segment = 0;
  std::uint32_t count = 1;
  // One segment per step: a segmented model's run yields to the runs queued
  // meanwhile between its segments (run_queue.h). The error message is per
  // thread: read it on the queue's thread.
  const std::function<bool()> step = [&] {
    code = rknn_run_segment(m.context, segment, &count, &extend);
    if (code != RKNN_SUCC) {
      message = without_prefix(rknn_last_error_message(), "rknn_run_segment");
      return false;
    }
    ++segment;
    agent_.trace->line(run_name + " segment=" + std::to_string(segment) + "/" + std::to_string(count));
    return segment < count;
  };
  agent_.queue->run(step, [&] { agent_.trace->line("queued " + run_name); });
  if (code != RKNN_SUCC) fail(code, message);
  return body(RunReply{extend.frame_id});
}

std::vector<std::byte> Connection::get_outputs(const Frame& frame) {
  const auto request = decode<GetOutputs>(frame.payload, "GET_OUTPUTS request");
  const rknn_context context = model(request.handle).context;
  std::vector<rknn_output> outputs(request.outputs.size());
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    outputs[i].index = request.outputs[i].index;
    outputs[i].want_float = request.outputs[i].want_float;
  }
  rknn_output_extend extend{};
  check(rknn_outputs_get(context, static_cast<std::uint32_t>(outputs.size()), outputs.data(), &extend),
        "rknn_outputs_get");
  OutputsReply reply;
  reply.frame_id = extend.frame_id;
  for (const rknn_output& out : outputs) reply.data.emplace_back(static_cast<const std::byte*>(out.buf), out.size);
  std::vector<std::byte> encoded;
  try {
    encoded = body(reply);
  } catch (...) {
    rknn_outputs_release(context, static_cast<std::uint32_t>(outputs.size()), outputs.data());
    throw;
  }
  check(rknn_outputs_release(context, static_cast<std::uint32_t>(outputs.size()), outputs.data()),
        "rknn_outputs_release");
  return encoded;
}

}  // namespace rknn::device
