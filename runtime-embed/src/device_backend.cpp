#include "device_backend.h"

#include <cstdlib>
#include <cstring>
#include <string_view>
#include <utility>

#include "client/client.h"
#include "client/device_id.h"
#include "context.h"

namespace rknn::runtime {
namespace {


// Runs one exchange with the board; its DeviceError becomes the ApiError the
// C API returns.
template <class Body>
auto remote(Body&& body) {
  try {
    return body();
  } catch (const device::DeviceError& e) {
    fail(e.code(), e.what());
  }
}

// A reply body read as `T` (an RKNN query struct).
template <class T>
T decode_body(const device::ReplyBody& reply, const char* what) {
  return remote([&] {
    device::PayloadReader reader(reply.bytes(), what);
    T value{};
    read(reader, value);
    reader.finish();
    return value;
  });
}

std::string decode_string(const device::ReplyBody& reply, const char* what) {
  return remote([&] {
    device::PayloadReader reader(reply.bytes(), what);
    std::string text = reader.string(std::size_t{1} << 30);
    reader.finish();
    return text;
  });
}

template <class E>
std::uint32_t raw_value(const E& value) {
  std::uint32_t raw = 0;
  static_assert(sizeof(E) == sizeof raw);
  std::memcpy(&raw, &value, sizeof raw);  // C callers may store any int in an enum
  return raw;
}

}  // namespace

std::string device_for(const char* requested) {
  std::string device = requested ? requested : "";
  if (device.empty()) {
    if (const char* env = std::getenv("RKNN_DEVICE")) device = env;
  }
  if (device == device::kSimulatorId) device.clear();
  return device;
}

DeviceModel::DeviceModel(const std::string& device, std::span<const std::byte> model, std::uint32_t flag, int threads) {
  remote([&] {
    device::ClientOptions options;
    options.name = "rknn-build runtime";
    client_ = device::Client::connect(device, options);
    handle_ = client_->load(model, flag, threads);
  });
}

// Closing the connection unloads the model on the board: no request that
// could wait on a board that stopped answering.
DeviceModel::~DeviceModel() = default;

void DeviceModel::query(std::int64_t cmd, void* info, std::uint32_t size) {
  const auto ask = [&](std::uint32_t index = 0) {
    return remote([&] { return client_->query(handle_, static_cast<std::uint32_t>(cmd), index); });
  };
  switch (cmd) {
    case RKNN_QUERY_IN_OUT_NUM:
      query_struct<rknn_input_output_num>(info, size, "RKNN_QUERY_IN_OUT_NUM") =
          decode_body<rknn_input_output_num>(ask(), "IN_OUT_NUM reply");
      return;
    case RKNN_QUERY_INPUT_ATTR:
    case RKNN_QUERY_OUTPUT_ATTR: {
      auto& attr = query_struct<rknn_tensor_attr>(
          info, size, cmd == RKNN_QUERY_INPUT_ATTR ? "RKNN_QUERY_INPUT_ATTR" : "RKNN_QUERY_OUTPUT_ATTR");
      attr = decode_body<rknn_tensor_attr>(ask(attr.index), "tensor attribute reply");
      return;
    }
    case RKNN_QUERY_PERF_DETAIL: {
      auto& perf = query_struct<rknn_perf_detail>(info, size, "RKNN_QUERY_PERF_DETAIL");
      perf_text_ = decode_string(ask(), "PERF_DETAIL reply");
      perf.perf_data = perf_text_.data();
      perf.data_len = perf_text_.size();
      return;
    }
    case RKNN_QUERY_PERF_RUN:
      query_struct<rknn_perf_run>(info, size, "RKNN_QUERY_PERF_RUN") = decode_body<rknn_perf_run>(ask(), "PERF_RUN reply");
      return;
    case RKNN_QUERY_SDK_VERSION:
      query_struct<rknn_sdk_version>(info, size, "RKNN_QUERY_SDK_VERSION") =
          decode_body<rknn_sdk_version>(ask(), "SDK_VERSION reply");
      return;
    case RKNN_QUERY_MEM_SIZE:
      query_struct<rknn_mem_size>(info, size, "RKNN_QUERY_MEM_SIZE") = decode_body<rknn_mem_size>(ask(), "MEM_SIZE reply");
      return;
    case RKNN_QUERY_CUSTOM_STRING: {
      auto& custom = query_struct<rknn_custom_string>(info, size, "RKNN_QUERY_CUSTOM_STRING");
      const std::string text = decode_string(ask(), "CUSTOM_STRING reply");
      const std::size_t n = std::min(text.size(), sizeof custom.string - 1);
      std::memcpy(custom.string, text.data(), n);
      custom.string[n] = '\0';
      return;
    }
    default: fail(RKNN_ERR_PARAM_INVALID, "unknown query command " + std::to_string(cmd));
  }
}

void DeviceModel::set_inputs(std::span<const rknn_input> inputs) {
  device::SetInputs request;
  request.handle = handle_;
  for (const rknn_input& in : inputs) {
    if (!in.buf) fail(RKNN_ERR_PARAM_INVALID, "input " + std::to_string(in.index) + ": buf is NULL");
    device::InputData data;
    data.index = in.index;
    data.type = raw_value(in.type);
    data.fmt = raw_value(in.fmt);
    data.pass_through = in.pass_through;
    data.data = {static_cast<const std::byte*>(in.buf), in.size};
    request.inputs.push_back(data);
  }
  remote([&] { client_->set_inputs(request); });
}

void DeviceModel::run(rknn_run_extend* extend) {
  const device::RunReply reply = remote([&] { return client_->run(handle_); });
  if (extend) extend->frame_id = reply.frame_id;
}

void DeviceModel::get_outputs(std::span<rknn_output> outputs, rknn_output_extend* extend) {
  device::GetOutputs request;
  request.handle = handle_;
  for (const rknn_output& out : outputs) request.outputs.push_back({out.index, out.want_float});
  device::ReplyBody storage;
  const device::OutputsReply reply = remote([&] { return client_->get_outputs(request, storage); });
  for (std::size_t i = 0; i < outputs.size(); ++i) {  // check everything before handing anything out
    OutputBuffers::check_preallocated(outputs[i], reply.data[i].size());
  }
  for (std::size_t i = 0; i < outputs.size(); ++i) output_buffers_.deliver(outputs[i], reply.data[i]);
  if (extend) extend->frame_id = reply.frame_id;
}

void DeviceModel::release_outputs(std::span<rknn_output> outputs) { output_buffers_.release(outputs); }

}  // namespace rknn::runtime
