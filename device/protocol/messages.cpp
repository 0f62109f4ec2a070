#include "protocol/messages.h"

#include <algorithm>
#include <cstring>

#include "protocol/errors.h"

namespace rknn::device {
namespace {

// Inputs or outputs in one request; far above any real model, low enough
// that a corrupted count cannot ask for a huge allocation.
constexpr std::uint32_t kMaxTensorsPerRequest = 4096;

[[noreturn]] void malformed(const std::string& what) { throw ProtocolError(RKNN_ERR_PARAM_INVALID, "malformed " + what); }

void copy_text(char* out, std::size_t capacity, const std::string& text, const char* field) {
  if (text.size() >= capacity) malformed(std::string(field) + ": " + std::to_string(text.size()) + " bytes, at most " +
                                         std::to_string(capacity - 1));
  std::memcpy(out, text.data(), text.size());
  out[text.size()] = '\0';
}

std::string text_of(const char* field, std::size_t capacity) { return {field, strnlen(field, capacity)}; }

// An enum value read from the wire, checked against the enum's range before
// it becomes the enum (an out-of-range enum value is undefined in C++).
template <class E>
E checked_enum(std::uint32_t value, E end, const char* field) {
  if (value >= static_cast<std::uint32_t>(end)) malformed(std::string(field) + " " + std::to_string(value));
  return static_cast<E>(value);
}

std::uint32_t tensor_count(PayloadReader& r, const char* what) {
  const std::uint32_t n = r.u32();
  if (n > kMaxTensorsPerRequest) malformed(std::string(what) + ": " + std::to_string(n) + " tensors in one request");
  return n;
}

}  // namespace

std::vector<std::byte> encode_reply(const Status& status, std::span<const std::byte> body) {
  PayloadWriter w;
  w.i32(status.code);
  w.string(status.message);
  auto out = w.take();
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

Status read_status(PayloadReader& reader) {
  Status s;
  s.code = reader.i32();
  s.message = reader.string();
  return s;
}

void write(PayloadWriter& w, const rknn_input_output_num& v) {
  w.u32(v.n_input);
  w.u32(v.n_output);
}

void read(PayloadReader& r, rknn_input_output_num& v) {
  v.n_input = r.u32();
  v.n_output = r.u32();
}

void write(PayloadWriter& w, const rknn_tensor_attr& v) {
  w.u32(v.index);
  const std::uint32_t n_dims = std::min<std::uint32_t>(v.n_dims, RKNN_MAX_DIMS);
  w.u32(n_dims);
  for (std::uint32_t i = 0; i < n_dims; ++i) w.u32(v.dims[i]);
  w.string(text_of(v.name, sizeof v.name));
  w.u32(v.n_elems);
  w.u32(v.size);
  w.u32(static_cast<std::uint32_t>(v.fmt));
  w.u32(static_cast<std::uint32_t>(v.type));
  w.u32(static_cast<std::uint32_t>(v.qnt_type));
  w.u8(static_cast<std::uint8_t>(v.fl));
  w.u32(v.zp);
  w.f32(v.scale);
}

void read(PayloadReader& r, rknn_tensor_attr& v) {
  v = rknn_tensor_attr{};
  v.index = r.u32();
  v.n_dims = r.u32();
  if (v.n_dims > RKNN_MAX_DIMS) malformed("tensor attribute: " + std::to_string(v.n_dims) + " dims");
  for (std::uint32_t i = 0; i < v.n_dims; ++i) v.dims[i] = r.u32();
  copy_text(v.name, sizeof v.name, r.string(), "tensor name");
  v.n_elems = r.u32();
  v.size = r.u32();
  v.fmt = checked_enum(r.u32(), RKNN_TENSOR_FORMAT_MAX, "tensor format");
  v.type = checked_enum(r.u32(), RKNN_TENSOR_TYPE_MAX, "tensor type");
  v.qnt_type = checked_enum(r.u32(), RKNN_TENSOR_QNT_MAX, "quantization type");
  v.fl = static_cast<std::int8_t>(r.u8());
  v.zp = r.u32();
  v.scale = r.f32();
}

void write(PayloadWriter& w, const rknn_perf_run& v) { w.i64(v.run_duration); }
void read(PayloadReader& r, rknn_perf_run& v) { v.run_duration = r.i64(); }

void write(PayloadWriter& w, const rknn_sdk_version& v) {
  w.string(text_of(v.api_version, sizeof v.api_version));
  w.string(text_of(v.drv_version, sizeof v.drv_version));
}

void read(PayloadReader& r, rknn_sdk_version& v) {
  v = rknn_sdk_version{};
  copy_text(v.api_version, sizeof v.api_version, r.string(), "api_version");
  copy_text(v.drv_version, sizeof v.drv_version, r.string(), "drv_version");
}

void write(PayloadWriter& w, const rknn_mem_size& v) {
  w.u32(v.total_weight_size);
  w.u32(v.total_internal_size);
  w.u64(v.total_dma_allocated_size);
  w.u32(v.total_sram_size);
  w.u32(v.free_sram_size);
}

void read(PayloadReader& r, rknn_mem_size& v) {
  v = rknn_mem_size{};
  v.total_weight_size = r.u32();
  v.total_internal_size = r.u32();
  v.total_dma_allocated_size = r.u64();
  v.total_sram_size = r.u32();
  v.free_sram_size = r.u32();
}

void write(PayloadWriter& w, const HelloRequest& m) {
  w.u16(m.min_version);
  w.u16(m.max_version);
  w.string(m.client);
}

void read(PayloadReader& r, HelloRequest& m) {
  m.min_version = r.u16();
  m.max_version = r.u16();
  m.client = r.string(1024);
}

void write(PayloadWriter& w, const HelloReply& m) {
  w.u16(m.version);
  w.string(m.agent);
  w.string(m.api_version);
  w.string(m.driver_version);
  w.string(m.machine);
  w.u32(m.max_payload);
  w.u64(m.max_model_bytes);
}

void read(PayloadReader& r, HelloReply& m) {
  m.version = r.u16();
  m.agent = r.string(1024);
  m.api_version = r.string(1024);
  m.driver_version = r.string(1024);
  m.machine = r.string(1024);
  m.max_payload = r.u32();
  m.max_model_bytes = r.u64();
}

void write(PayloadWriter& w, const LoadBegin& m) {
  w.u64(m.size);
  w.u32(m.flag);
  w.i32(m.threads);
}

void read(PayloadReader& r, LoadBegin& m) {
  m.size = r.u64();
  m.flag = r.u32();
  m.threads = r.i32();
}

void write(PayloadWriter& w, const LoadChunk& m) {
  w.u64(m.offset);
  w.bytes(m.data);
}

void read(PayloadReader& r, LoadChunk& m) {
  m.offset = r.u64();
  m.data = r.bytes();
}

void write(PayloadWriter& w, const LoadEnd& m) { w.u32(m.crc); }
void read(PayloadReader& r, LoadEnd& m) { m.crc = r.u32(); }
void write(PayloadWriter& w, const ModelHandle& m) { w.u32(m.handle); }
void read(PayloadReader& r, ModelHandle& m) { m.handle = r.u32(); }

void write(PayloadWriter& w, const Query& m) {
  w.u32(m.handle);
  w.u32(m.cmd);
  w.u32(m.index);
}

void read(PayloadReader& r, Query& m) {
  m.handle = r.u32();
  m.cmd = r.u32();
  m.index = r.u32();
}

void write(PayloadWriter& w, const SetInputs& m) {
  w.u32(m.handle);
  w.u32(static_cast<std::uint32_t>(m.inputs.size()));
  for (const InputData& in : m.inputs) {
    w.u32(in.index);
    w.u32(in.type);
    w.u32(in.fmt);
    w.u8(in.pass_through);
    w.bytes(in.data);
  }
}

void read(PayloadReader& r, SetInputs& m) {
  m.handle = r.u32();
  const std::uint32_t n = tensor_count(r, "SET_INPUTS");
  m.inputs.resize(n);
  for (InputData& in : m.inputs) {
    in.index = r.u32();
    in.type = r.u32();
    in.fmt = r.u32();
    in.pass_through = r.u8();
    in.data = r.bytes();
  }
}

void write(PayloadWriter& w, const RunReply& m) { w.u64(m.frame_id); }
void read(PayloadReader& r, RunReply& m) { m.frame_id = r.u64(); }

void write(PayloadWriter& w, const GetOutputs& m) {
  w.u32(m.handle);
  w.u32(static_cast<std::uint32_t>(m.outputs.size()));
  for (const OutputRequest& out : m.outputs) {
    w.u32(out.index);
    w.u8(out.want_float);
  }
}

void read(PayloadReader& r, GetOutputs& m) {
  m.handle = r.u32();
  const std::uint32_t n = tensor_count(r, "GET_OUTPUTS");
  m.outputs.resize(n);
  for (OutputRequest& out : m.outputs) {
    out.index = r.u32();
    out.want_float = r.u8();
  }
}

void write(PayloadWriter& w, const OutputsReply& m) {
  w.u64(m.frame_id);
  w.u32(static_cast<std::uint32_t>(m.data.size()));
  for (const auto& d : m.data) w.bytes(d);
}

void read(PayloadReader& r, OutputsReply& m) {
  m.frame_id = r.u64();
  const std::uint32_t n = tensor_count(r, "GET_OUTPUTS reply");
  m.data.resize(n);
  for (auto& d : m.data) d = r.bytes();
}

}  // namespace rknn::device
