// One rknn_context: a verified model, its simulator executor, the inputs set
// so far, the last results and the output buffers lent to the application.
// Used by one thread at a time; rknn_api.cpp owns the registry and turns
// exceptions into RKNN codes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "api_error.h"
#include "decrypt.h"
#include "model_runner.h"
#include "output_buffers.h"
#include "rknn/model_format.h"
#include "rknn/sim/executor.h"
#include "rknn/sim/perf_model.h"
#include "rknn_api.h"

namespace rknn::runtime {

class DeviceModel;  // device_backend.h

class Context {
 public:
  // Throws ApiError (RKNN_ERR_MODEL_INVALID for a bad artifact, or an
  // encrypted one without its key).
  // `device`: run on that board instead (device_backend.h; nullptr: RKNN_DEVICE or the simulator).
  Context(std::span<const std::byte> model, std::uint32_t flag, int threads, const encryption::KeySource& key = {},
          const char* device = nullptr, const char* target_platform = nullptr);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  // `cmd` by reference: C callers may pass values outside the enum, read as bytes.
  void query(const rknn_query_cmd& cmd, void* info, std::uint32_t size);
  void set_inputs(std::span<const rknn_input> inputs);
  void run(rknn_run_extend* extend);
  // rknn_run_segment (rknn_api_ext.h): one segment of a run.
  void run_segment(std::uint32_t segment, std::uint32_t* count, rknn_run_extend* extend);
  void get_outputs(std::span<rknn_output> outputs, rknn_output_extend* extend);
  void release_outputs(std::span<rknn_output> outputs);

 private:
  rknn_tensor_attr attr_of(const format::IoInfo& io, std::size_t index) const;
  sim::Tensor input_tensor(const rknn_input& input) const;
  std::vector<std::byte> output_bytes(std::size_t index, bool want_float) const;
  void build_perf_text();

  std::unique_ptr<DeviceModel> device_;  // set: every call goes to the board (device_backend.cpp)
  format::ModelInfo info_;
  std::shared_ptr<const std::byte> storage_;  // a copy of an unaligned model, or the decrypted model
  std::uint64_t weight_bytes_ = 0;
  std::uint64_t internal_bytes_ = 0;            // the memory plan's arena (simulator/memory)
  const sim::Platform* platform_ = nullptr;      // the NPU the simulator acts as (estimate.h)
  sim::PerfReport estimate_;                     // its estimated time for the model
  bool collect_perf_ = false;
  std::unique_ptr<ModelRunner> executor_;  // graph or pre-compiled (model_runner.h)

  std::vector<sim::Tensor> inputs_;  // program-typed, one per model input
  std::vector<bool> input_set_;
  std::vector<sim::Tensor> outputs_;  // results of the last run
  std::uint64_t frame_ = 0;           // runs so far
  std::size_t next_segment_ = 0;      // of the run in progress; 0: none
  std::int64_t run_microseconds_ = 0;
  std::string perf_text_;
  OutputBuffers output_buffers_;
};

}  // namespace rknn::runtime
