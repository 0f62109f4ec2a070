// The device backend: a context whose model runs on a board's rknn_server
// (device/, docs/protocol.md) instead of the in-process simulator. Each C
// API call becomes one request; the board converts inputs and outputs with
// the same runtime code, so results are the bytes the simulator gives.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>

#include "output_buffers.h"
#include "rknn_api.h"

namespace rknn::device {
class Client;
}

namespace rknn::runtime {

// Where rknn_init runs a model: `requested` (rknn_init_options::device,
// rknn::Options::device) when given, else the RKNN_DEVICE environment
// variable. "" means the in-process simulator; so does "simulator".
std::string device_for(const char* requested);

class DeviceModel {
 public:
  // Connects, uploads and loads the model. Throws ApiError.
  DeviceModel(const std::string& device, std::span<const std::byte> model, std::uint32_t flag, int threads);
  ~DeviceModel();
  DeviceModel(const DeviceModel&) = delete;
  DeviceModel& operator=(const DeviceModel&) = delete;

  void query(std::int64_t cmd, void* info, std::uint32_t size);
  void set_inputs(std::span<const rknn_input> inputs);
  void run(rknn_run_extend* extend);
  void get_outputs(std::span<rknn_output> outputs, rknn_output_extend* extend);
  void release_outputs(std::span<rknn_output> outputs);

 private:
  std::unique_ptr<device::Client> client_;
  std::uint32_t handle_ = 0;
  std::string perf_text_;  // what RKNN_QUERY_PERF_DETAIL points to
  OutputBuffers output_buffers_;
};

}  // namespace rknn::runtime
