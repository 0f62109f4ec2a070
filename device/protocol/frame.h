// Frames of the rknn-build device protocol (docs/protocol.md). Every message
// is one frame: a 24-byte header and a payload.
//
//   offset  size  field
//        0     4  magic "RKND"
//        4     2  protocol version (1)
//        6     2  message type (replies: request type | 0x8000)
//        8     4  request id (a reply carries its request's id)
//       12     4  payload length
//       16     4  CRC-32 of the payload
//       20     4  CRC-32 of header bytes 0..19
//
// All integers little-endian. The header CRC makes a corrupted length an
// error before any payload byte is read.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "transport/stream.h"

namespace rknn::device {

inline constexpr std::uint32_t kMagic = 0x444E4B52;  // "RKND" as bytes on the wire
inline constexpr std::uint16_t kProtocolVersion = 1;
inline constexpr std::size_t kHeaderSize = 24;
inline constexpr std::uint16_t kReplyFlag = 0x8000;

enum class MessageType : std::uint16_t {
  kHello = 0x01,       // version handshake; must be the first request
  kLoadBegin = 0x10,   // model upload: size, init flag, threads
  kLoadChunk = 0x11,   // the next piece of the model
  kLoadEnd = 0x12,     // whole-model CRC; the agent loads the model, replies with its handle
  kUnload = 0x13,      // frees a model
  kQuery = 0x20,       // rknn_query: counts, attributes, perf, SDK version, memory, custom string
  kSetInputs = 0x30,   // rknn_inputs_set
  kRun = 0x31,         // rknn_run, queued behind other clients' runs
  kGetOutputs = 0x32,  // rknn_outputs_get
  kError = 0x7F,       // agent only, as a reply: a frame it could not take
};

// "LOAD_CHUNK", or "message 0x1234" for types the protocol does not define.
std::string message_name(std::uint16_t type);

struct Frame {
  std::uint16_t type = 0;
  std::uint32_t request_id = 0;
  std::vector<std::byte> payload;
};

// The header of a frame with this payload. `version` is a parameter so that
// tests can send frames of other versions.
std::array<std::byte, kHeaderSize> encode_header(std::uint16_t type, std::uint32_t request_id,
                                                 std::span<const std::byte> payload,
                                                 std::uint16_t version = kProtocolVersion);

struct FrameLimits {
  std::uint32_t max_payload = 64u << 20;
  // Once a frame's first byte has arrived, the rest must arrive within this.
  std::chrono::milliseconds frame_timeout{10000};
};

void write_frame(ByteStream& stream, std::uint16_t type, std::uint32_t request_id,
                 std::span<const std::byte> payload, Deadline deadline);

// Waits until `idle_deadline` for a frame to begin, then up to
// limits.frame_timeout for the rest. Throws TransportError (closed, timed
// out) or ProtocolError with lost_sync() (bad magic, version, CRC, length).
Frame read_frame(ByteStream& stream, const FrameLimits& limits, Deadline idle_deadline);

}  // namespace rknn::device
