#include "protocol/frame.h"

#include <algorithm>
#include <cstdio>

#include "protocol/crc32.h"
#include "rknn_api.h"

namespace rknn::device {
namespace {

void put(std::span<std::byte> out, std::size_t at, std::uint32_t v, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) out[at + i] = static_cast<std::byte>(v >> (8 * i));
}

std::uint32_t get(std::span<const std::byte> in, std::size_t at, std::size_t size) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < size; ++i) v |= std::to_integer<std::uint32_t>(in[at + i]) << (8 * i);
  return v;
}

std::string hex(std::uint32_t v) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08X", v);
  return text;
}

[[noreturn]] void lost_sync(int code, const std::string& message) { throw ProtocolError(code, message, true); }

struct Header {
  std::uint16_t type = 0;
  std::uint32_t request_id = 0;
  std::uint32_t length = 0;
  std::uint32_t payload_crc = 0;
};

// Magic first, then the version (so that a peer speaking another version is
// told so even if its header is laid out differently), then the header CRC,
// then the length limit.
Header decode_header(std::span<const std::byte> h, std::uint32_t max_payload) {
  if (get(h, 0, 4) != kMagic) {
    lost_sync(RKNN_ERR_FAIL, "bad frame: magic " + hex(get(h, 0, 4)) + ", expected " + hex(kMagic) + " (\"RKND\")");
  }
  const std::uint32_t version = get(h, 4, 2);
  if (version != kProtocolVersion) {
    lost_sync(RKNN_ERR_DEVICE_UNMATCH, "protocol version " + std::to_string(version) + ", this side speaks version " +
                                           std::to_string(kProtocolVersion));
  }
  const std::uint32_t header_crc = crc32(h.first(20));
  if (get(h, 20, 4) != header_crc) {
    lost_sync(RKNN_ERR_FAIL, "bad frame: header CRC " + hex(get(h, 20, 4)) + ", computed " + hex(header_crc));
  }
  Header out;
  out.type = static_cast<std::uint16_t>(get(h, 6, 2));
  out.request_id = get(h, 8, 4);
  out.length = get(h, 12, 4);
  out.payload_crc = get(h, 16, 4);
  if (out.length > max_payload) {
    lost_sync(RKNN_ERR_PARAM_INVALID, "frame of " + std::to_string(out.length) + " bytes (" +
                                          message_name(out.type) + "), the limit is " + std::to_string(max_payload));
  }
  return out;
}

}  // namespace

std::string message_name(std::uint16_t type) {
  const bool reply = (type & kReplyFlag) != 0;
  std::string name;
  switch (static_cast<MessageType>(type & ~kReplyFlag)) {
    case MessageType::kHello: name = "HELLO"; break;
    case MessageType::kLoadBegin: name = "LOAD_BEGIN"; break;
    case MessageType::kLoadChunk: name = "LOAD_CHUNK"; break;
    case MessageType::kLoadEnd: name = "LOAD_END"; break;
    case MessageType::kUnload: name = "UNLOAD"; break;
    case MessageType::kQuery: name = "QUERY"; break;
    case MessageType::kSetInputs: name = "SET_INPUTS"; break;
    case MessageType::kRun: name = "RUN"; break;
    case MessageType::kGetOutputs: name = "GET_OUTPUTS"; break;
    case MessageType::kError: name = "ERROR"; break;
    default: return "message " + hex(type);
  }
  return reply ? name + " reply" : name;
}

std::array<std::byte, kHeaderSize> encode_header(std::uint16_t type, std::uint32_t request_id,
                                                 std::span<const std::byte> payload, std::uint16_t version) {
  std::array<std::byte, kHeaderSize> h{};
  put(h, 0, kMagic, 4);
  put(h, 4, version, 2);
  put(h, 6, type, 2);
  put(h, 8, request_id, 4);
  put(h, 12, static_cast<std::uint32_t>(payload.size()), 4);
  put(h, 16, crc32(payload), 4);
  put(h, 20, crc32(std::span<const std::byte>(h).first(20)), 4);
  return h;
}

void write_frame(ByteStream& stream, std::uint16_t type, std::uint32_t request_id,
                 std::span<const std::byte> payload, Deadline deadline) {
  if (payload.size() > UINT32_MAX) throw ProtocolError(RKNN_ERR_PARAM_INVALID, "payload of 4 GiB or more");
  const auto header = encode_header(type, request_id, payload);
  stream.write_all({header, payload}, deadline);
}

Frame read_frame(ByteStream& stream, const FrameLimits& limits, Deadline idle_deadline) {
  std::array<std::byte, kHeaderSize> h{};
  const std::size_t first = stream.read_some(h, idle_deadline);
  const Deadline frame_deadline = deadline_after(limits.frame_timeout);
  stream.read_exact(std::span(h).subspan(first), frame_deadline);
  const Header header = decode_header(h, limits.max_payload);
  Frame frame;
  frame.type = header.type;
  frame.request_id = header.request_id;
  // Memory grows as bytes arrive: a header that promises a large payload and
  // never sends it costs nothing but the time-out.
  constexpr std::size_t kStep = 1 << 20;
  while (frame.payload.size() < header.length) {
    const std::size_t at = frame.payload.size();
    frame.payload.resize(at + std::min<std::size_t>(kStep, header.length - at));
    stream.read_exact(std::span(frame.payload).subspan(at), frame_deadline);
  }
  const std::uint32_t crc = crc32(frame.payload);
  if (crc != header.payload_crc) {
    lost_sync(RKNN_ERR_FAIL, "bad frame: payload CRC " + hex(header.payload_crc) + ", computed " + hex(crc) + " (" +
                                 message_name(frame.type) + ", " + std::to_string(header.length) + " bytes)");
  }
  return frame;
}

}  // namespace rknn::device
