// The protocol's messages as structs, and their payload encodings
// (docs/protocol.md lists every field). Requests travel client -> agent;
// every request gets exactly one reply frame with the same request id whose
// payload is a Status followed, when the status is RKNN_SUCC, by the body.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "protocol/payload.h"
#include "rknn_api.h"

namespace rknn::device {

// ---- replies ----------------------------------------------------------------

struct Status {
  std::int32_t code = RKNN_SUCC;  // an RKNN_ERR_* value
  std::string message;            // what went wrong, naming the input/output/model part
};

// Status + body, as one reply payload.
std::vector<std::byte> encode_reply(const Status& status, std::span<const std::byte> body = {});
// Reads the Status of a reply; on RKNN_SUCC the reader is left at the body.
Status read_status(PayloadReader& reader);

// ---- HELLO ------------------------------------------------------------------

struct HelloRequest {
  std::uint16_t min_version = 1;  // the protocol versions the client speaks
  std::uint16_t max_version = 1;
  std::string client;             // "rknn-build 0.1.0 runtime", for the agent's log
};

struct HelloReply {
  std::uint16_t version = 1;       // the version both speak from now on
  std::string agent;               // "rknn_server 0.1.0"
  std::string api_version;         // the agent runtime's RKNN_QUERY_SDK_VERSION api_version
  std::string driver_version;      // ... and drv_version
  std::string machine;             // "aarch64 Linux 6.1.0"
  std::uint32_t max_payload = 0;   // the largest frame payload the agent takes
  std::uint64_t max_model_bytes = 0;
};

// ---- model upload -------------------------------------------------------------

struct LoadBegin {
  std::uint64_t size = 0;    // the model's bytes in all
  std::uint32_t flag = 0;    // rknn_init flag (RKNN_FLAG_COLLECT_PERF_MASK, ...)
  std::int32_t threads = 0;  // simulator threads on the agent; 0: the agent's default
};

struct LoadChunk {
  std::uint64_t offset = 0;  // must equal the bytes received so far
  std::span<const std::byte> data;
};

struct LoadEnd {
  std::uint32_t crc = 0;  // CRC-32 of the whole model
};

struct ModelHandle {
  std::uint32_t handle = 0;  // LOAD_END reply; UNLOAD and RUN requests
};

// ---- queries ------------------------------------------------------------------

struct Query {
  std::uint32_t handle = 0;
  std::uint32_t cmd = 0;    // an rknn_query_cmd
  std::uint32_t index = 0;  // for INPUT_ATTR / OUTPUT_ATTR
};

// Query reply bodies, by command. PERF_DETAIL and CUSTOM_STRING are strings.
void write(PayloadWriter& w, const rknn_input_output_num& v);
void read(PayloadReader& r, rknn_input_output_num& v);
void write(PayloadWriter& w, const rknn_tensor_attr& v);
void read(PayloadReader& r, rknn_tensor_attr& v);
void write(PayloadWriter& w, const rknn_perf_run& v);
void read(PayloadReader& r, rknn_perf_run& v);
void write(PayloadWriter& w, const rknn_sdk_version& v);
void read(PayloadReader& r, rknn_sdk_version& v);
void write(PayloadWriter& w, const rknn_mem_size& v);
void read(PayloadReader& r, rknn_mem_size& v);

// ---- inputs, run, outputs -------------------------------------------------------

struct InputData {
  std::uint32_t index = 0;
  std::uint32_t type = 0;  // rknn_tensor_type
  std::uint32_t fmt = 0;   // rknn_tensor_format
  std::uint8_t pass_through = 0;
  std::span<const std::byte> data;
};

struct SetInputs {
  std::uint32_t handle = 0;
  std::vector<InputData> inputs;
};

struct RunReply {
  std::uint64_t frame_id = 0;
};

struct OutputRequest {
  std::uint32_t index = 0;
  std::uint8_t want_float = 0;
};

struct GetOutputs {
  std::uint32_t handle = 0;
  std::vector<OutputRequest> outputs;
};

struct OutputsReply {
  std::uint64_t frame_id = 0;
  std::vector<std::span<const std::byte>> data;  // one per requested output, views into the payload
};

// ---- encodings ------------------------------------------------------------------

void write(PayloadWriter& w, const HelloRequest& m);
void read(PayloadReader& r, HelloRequest& m);
void write(PayloadWriter& w, const HelloReply& m);
void read(PayloadReader& r, HelloReply& m);
void write(PayloadWriter& w, const LoadBegin& m);
void read(PayloadReader& r, LoadBegin& m);
void write(PayloadWriter& w, const LoadChunk& m);
void read(PayloadReader& r, LoadChunk& m);
void write(PayloadWriter& w, const LoadEnd& m);
void read(PayloadReader& r, LoadEnd& m);
void write(PayloadWriter& w, const ModelHandle& m);
void read(PayloadReader& r, ModelHandle& m);
void write(PayloadWriter& w, const Query& m);
void read(PayloadReader& r, Query& m);
void write(PayloadWriter& w, const SetInputs& m);
void read(PayloadReader& r, SetInputs& m);
void write(PayloadWriter& w, const RunReply& m);
void read(PayloadReader& r, RunReply& m);
void write(PayloadWriter& w, const GetOutputs& m);
void read(PayloadReader& r, GetOutputs& m);
void write(PayloadWriter& w, const OutputsReply& m);
void read(PayloadReader& r, OutputsReply& m);

template <class Message>
std::vector<std::byte> encode(const Message& m) {
  PayloadWriter w;
  write(w, m);
  return w.take();
}

// Reads a whole payload as `Message`; `what` names it in errors.
template <class Message>
Message decode(std::span<const std::byte> payload, const std::string& what) {
  PayloadReader r(payload, what);
  Message m;
  read(r, m);
  r.finish();
  return m;
}

}  // namespace rknn::device
