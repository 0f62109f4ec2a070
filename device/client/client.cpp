#include "client/client.h"

#include "client/device_id.h"
#include "protocol/crc32.h"
#include "rknn_api.h"

namespace rknn::device {

std::unique_ptr<Client> Client::connect(std::string_view device, const ClientOptions& options) {
  const DeviceAddress address = parse_device_id(device);
  auto stream = open_device(address, deadline_after(options.connect_timeout));
  return std::make_unique<Client>(std::move(stream), address.id, options);
}

Client::Client(std::unique_ptr<ByteStream> stream, std::string device, const ClientOptions& options)
    : stream_(std::move(stream)), device_(std::move(device)), options_(options) {
  hello();
}

void Client::lose(const DeviceError& error) {
  lost_ = error.what();
  stream_->shutdown();
  throw DeviceError(error.code(), error.what());
}

ReplyBody Client::call(MessageType type, std::span<const std::byte> payload) {
  if (!lost_.empty()) {
    throw DeviceError(RKNN_ERR_DEVICE_UNAVAILABLE, device_ + ": the connection was lost earlier (" + lost_ + ")");
  }
  const std::uint32_t id = next_request_++;
  const auto request_type = static_cast<std::uint16_t>(type);
  const Deadline deadline = deadline_after(options_.request_timeout);
  ReplyBody reply;
  try {
    write_frame(*stream_, request_type, id, payload, deadline);
    reply.frame = read_frame(*stream_, {options_.max_reply, options_.request_timeout}, deadline);
  } catch (const DeviceError& e) {  // transport failures and broken frames
    lose(DeviceError(e.code(), device_ + ": " + e.what()));
  }
  const bool error_frame = reply.frame.type == (static_cast<std::uint16_t>(MessageType::kError) | kReplyFlag);
  if (!error_frame && (reply.frame.type != (request_type | kReplyFlag) || reply.frame.request_id != id)) {
    lose(ProtocolError(RKNN_ERR_FAIL, device_ + ": expected the " + message_name(request_type | kReplyFlag) + " of request " +
                                          std::to_string(id) + ", got " + message_name(reply.frame.type) +
                                          " of request " + std::to_string(reply.frame.request_id)));
  }
  PayloadReader reader(reply.frame.payload, message_name(reply.frame.type));
  Status status;
  try {
    status = read_status(reader);
  } catch (const DeviceError& e) {
    lose(DeviceError(e.code(), device_ + ": " + e.what()));
  }
  if (error_frame) lose(DeviceError(status.code, device_ + ": the agent closed the connection: " + status.message));
  if (status.code != RKNN_SUCC) throw DeviceError(status.code, device_ + ": " + status.message);
  reply.offset = reply.frame.payload.size() - reader.remaining();
  return reply;
}

void Client::hello() {
  HelloRequest request;
  request.min_version = kProtocolVersion;
  request.max_version = kProtocolVersion;
  request.client = options_.name;
  const ReplyBody reply = call(MessageType::kHello, encode(request));
  agent_ = decode<HelloReply>(reply.bytes(), "HELLO reply");
  if (agent_.version != kProtocolVersion) {
    lose(DeviceError(RKNN_ERR_DEVICE_UNMATCH, device_ + ": the agent chose protocol version " +
                                                  std::to_string(agent_.version) + ", this client speaks " +
                                                  std::to_string(kProtocolVersion)));
  }
}

std::uint32_t Client::load(std::span<const std::byte> model, std::uint32_t flag, std::int32_t threads) {
  if (model.size() > agent_.max_model_bytes) {
    throw DeviceError(RKNN_ERR_PARAM_INVALID, device_ + ": the model has " + std::to_string(model.size()) +
                                                  " bytes, the agent takes at most " +
                                                  std::to_string(agent_.max_model_bytes));
  }
  call(MessageType::kLoadBegin, encode(LoadBegin{model.size(), flag, threads}));
  // A chunk and its framing must fit the agent's frame limit.
  const std::size_t limit = agent_.max_payload > 64 ? agent_.max_payload - 64 : 1;
  const std::size_t chunk = std::min(options_.chunk_size, limit);
  for (std::size_t at = 0; at < model.size(); at += chunk) {
    call(MessageType::kLoadChunk, encode(LoadChunk{at, model.subspan(at, std::min(chunk, model.size() - at))}));
  }
  const ReplyBody reply = call(MessageType::kLoadEnd, encode(LoadEnd{crc32(model)}));
  return decode<ModelHandle>(reply.bytes(), "LOAD_END reply").handle;
}

void Client::unload(std::uint32_t handle) { call(MessageType::kUnload, encode(ModelHandle{handle})); }

ReplyBody Client::query(std::uint32_t handle, std::uint32_t cmd, std::uint32_t index) {
  return call(MessageType::kQuery, encode(Query{handle, cmd, index}));
}

void Client::set_inputs(const SetInputs& request) { call(MessageType::kSetInputs, encode(request)); }

RunReply Client::run(std::uint32_t handle) {
  const ReplyBody reply = call(MessageType::kRun, encode(ModelHandle{handle}));
  return decode<RunReply>(reply.bytes(), "RUN reply");
}

OutputsReply Client::get_outputs(const GetOutputs& request, ReplyBody& storage) {
  storage = call(MessageType::kGetOutputs, encode(request));
  auto reply = decode<OutputsReply>(storage.bytes(), "GET_OUTPUTS reply");
  if (reply.data.size() != request.outputs.size()) {
    throw DeviceError(RKNN_ERR_FAIL, device_ + ": asked for " + std::to_string(request.outputs.size()) +
                                         " outputs, the agent sent " + std::to_string(reply.data.size()));
  }
  return reply;
}

}  // namespace rknn::device
