#include "context.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <new>
#include <optional>
#include <type_traits>

#include "convert.h"
#include "estimate.h"
#include "device_backend.h"
#include "rknn/sim/error.h"

#ifndef RKNN_VERSION
#define RKNN_VERSION "0.0.0"
#endif

namespace rknn::runtime {
namespace {

// Activations beyond this are refused: MEM_SIZE reports them in 32 bits, and a
// corrupted shape must not turn into a giant allocation.
constexpr std::uint64_t kMaxInternalBytes = std::numeric_limits<std::uint32_t>::max();


// Element count of `dims`, or nullopt when negative or beyond kMaxInternalBytes.
std::optional<std::uint64_t> checked_count(std::span<const std::int64_t> dims) {
  std::uint64_t n = 1;
  for (std::int64_t d : dims) {
    if (d < 0) return std::nullopt;
    const auto u = static_cast<std::uint64_t>(d);
    if (u != 0 && n > kMaxInternalBytes / u) return std::nullopt;
    n *= u;
  }
  return n;
}

std::uint64_t internal_bytes(const sim::Program& program) {
  std::uint64_t total = 0;
  for (const auto& t : program.tensors) {
    if (t.constant) continue;
    const auto count = checked_count(t.type.shape);
    if (!count || *count * sim::dtype_size(t.type.dtype) > kMaxInternalBytes - total) {
      fail(RKNN_ERR_MODEL_INVALID, "invalid model: its activations need more than 4 GiB (tensor '" + t.name + "')");
    }
    total += *count * sim::dtype_size(t.type.dtype);
  }
  return total;
}

std::string io_name(const char* kind, std::size_t index, const format::IoInfo& io) {
  return std::string(kind) + " " + std::to_string(index) + " ('" + io.name + "')";
}

// The checks the reader leaves to the runtime: what the C API can express and
// how inputs and outputs map onto program tensors.
void check_io(const format::IoInfo& io, const std::string& name, const sim::Program& program) {
  auto bad = [&name](const std::string& what) { fail(RKNN_ERR_MODEL_INVALID, "invalid model: " + name + " " + what); };
  if (!rknn_type_of(io.type)) {
    bad("has element type " + std::string(sim::dtype_name(io.type)) + ", which the RKNN C API cannot express");
  }
  if (io.dims.size() > RKNN_MAX_DIMS) bad("has more than " + std::to_string(RKNN_MAX_DIMS) + " dimensions");
  const sim::TensorType& type = program.tensors[static_cast<std::size_t>(io.tensor)].type;
  const auto count = checked_count(io.dims);
  if (!count || *count != checked_count(type.shape)) {
    bad("has dims " + sim::shape_to_string(io.dims) + " but its tensor is " + type.to_string());
  }
  if (type.dtype != io.type && type.dtype != sim::DType::kFloat32) {
    bad("is " + std::string(sim::dtype_name(io.type)) + " but its tensor is " + type.to_string());
  }
  if (const std::string why = check_quant(io); !why.empty()) bad(why);
}

void check_model(const format::ModelInfo& info, const sim::Program& program) {
  for (std::size_t i = 0; i < info.inputs.size(); ++i) {
    const std::string name = io_name("input", i, info.inputs[i]);
    check_io(info.inputs[i], name, program);
    const std::string why = check_preprocessing(info.preprocess[i], info.inputs[i]);
    if (!why.empty()) fail(RKNN_ERR_MODEL_INVALID, "invalid model: " + name + ": " + why);
  }
  for (std::size_t i = 0; i < info.outputs.size(); ++i) {
    check_io(info.outputs[i], io_name("output", i, info.outputs[i]), program);
  }
}

// An encrypted model with a key is decrypted into memory that the loaded
// model keeps (constants are used in place) and wipes when freed.
format::LoadedModel load(std::span<const std::byte> model, const encryption::KeySource& key) {
  try {
    if (key.empty() || !encryption::is_encrypted(model)) return format::load_model(model);
    const encryption::Decrypted plain = encryption::decrypt_artifact(model, key);
    format::LoadedModel loaded = format::load_model(plain.span());
    loaded.storage = plain.bytes;
    return loaded;
  } catch (const format::IncompatibleProgramError& e) {
    fail(RKNN_ERR_INCOMPATILE_PRE_COMPILE_MODEL, e.what());  // docs/precompile.md
  } catch (const format::FormatError& e) {
    fail(RKNN_ERR_MODEL_INVALID, e.what());
  }
}

std::size_t element_count(const format::IoInfo& io) { return static_cast<std::size_t>(*checked_count(io.dims)); }

// The numeric value of an enum field filled by C code. C allows any int in an
// enum, C++ does not: copying the bytes reads it without an invalid enum load.
template <class E>
std::int64_t raw_value(const E& value) {
  std::underlying_type_t<E> raw;
  std::memcpy(&raw, &value, sizeof raw);
  return static_cast<std::int64_t>(raw);
}

void copy_text(char* out, std::size_t capacity, const std::string& text) {
  const std::size_t n = std::min(text.size(), capacity - 1);
  std::memcpy(out, text.data(), n);
  out[n] = '\0';
}

rknn_tensor_qnt_type qnt_type_of(format::QuantType type) {
  switch (type) {
    case format::QuantType::kDynamicFixedPoint: return RKNN_TENSOR_QNT_DFP;
    case format::QuantType::kAffineAsymmetric: return RKNN_TENSOR_QNT_AFFINE_ASYMMETRIC;
    default: return RKNN_TENSOR_QNT_NONE;
  }
}

void check_size(const rknn_input& input, std::size_t expected, const std::string& what) {
  if (input.size != expected) {
    fail(RKNN_ERR_PARAM_INVALID, "input " + std::to_string(input.index) + ": size is " + std::to_string(input.size) +
                                     " bytes, " + what + " needs " + std::to_string(expected));
  }
}

// Copies model-typed values into the program's input tensor: as they are when
// the types agree, else as real values (float16 and quantized models keep
// float32 program tensors).
void store_input(const std::byte* data, const format::IoInfo& io, sim::Tensor& tensor) {
  const auto count = static_cast<std::size_t>(tensor.element_count());
  if (tensor.dtype() == io.type) {
    if (count) std::memcpy(tensor.raw(), data, tensor.byte_size());
    return;
  }
  const std::vector<float> values = decode(data, count, io);
  write_numbers(values, sim::DType::kFloat32, tensor.raw());
}

// The user's 4-D data in the model's layout.
std::vector<float> to_model_layout(std::vector<float> values, std::int64_t fmt, const format::IoInfo& io) {
  if (io.dims.size() != 4) return values;
  const auto& d = io.dims;
  if (io.fmt == format::Layout::kNCHW && fmt == RKNN_TENSOR_NHWC) {
    const std::int64_t nhwc[] = {d[0], d[2], d[3], d[1]};
    return nhwc_to_nchw(values, nhwc);
  }
  if (io.fmt == format::Layout::kNHWC && fmt == RKNN_TENSOR_NCHW) {
    const std::int64_t nchw[] = {d[0], d[3], d[1], d[2]};
    return nchw_to_nhwc(values, nchw);
  }
  return values;
}

}  // namespace

Context::Context(std::span<const std::byte> model, std::uint32_t flag, int threads, const encryption::KeySource& key,
                 const char* device, const char* target)
    : collect_perf_((flag & RKNN_FLAG_COLLECT_PERF_MASK) != 0) {
  if (const std::string board = device_for(device); !board.empty()) {
    if (!key.empty()) fail(RKNN_ERR_PARAM_INVALID, "encrypted models cannot run on a device yet: keys never leave the host");
    device_ = std::make_unique<DeviceModel>(board, model, flag, threads);
    return;
  }
  format::LoadedModel loaded = load(model, key);
  info_ = loaded.info;  // a copy: make_runner reads the sync points from `loaded`
  storage_ = std::move(loaded.storage);
  internal_bytes(loaded.program);  // refuses activations beyond what MEM_SIZE can report
  check_model(info_, loaded.program);
  platform_ = &target_platform(info_, target);
  // The graph Executor, or a pre-compiled model's PlannedExecutor (model_runner.h).
  executor_ = make_runner(loaded, threads, info_.quantization == "float16");
  weight_bytes_ = executor_->weight_bytes();
  internal_bytes_ = executor_->internal_bytes();
  estimate_ = estimate_npu_time(executor_->program(), *platform_);
  for (std::size_t i = 0; i < executor_->input_count(); ++i) inputs_.emplace_back(executor_->input(i).type);
  input_set_.assign(inputs_.size(), false);
  if (collect_perf_) build_perf_text();
}

Context::~Context() = default;

rknn_tensor_attr Context::attr_of(const format::IoInfo& io, std::size_t index) const {
  rknn_tensor_attr attr{};
  attr.index = static_cast<std::uint32_t>(index);
  attr.n_dims = static_cast<std::uint32_t>(io.dims.size());
  for (std::size_t i = 0; i < io.dims.size(); ++i) {
    attr.dims[i] = static_cast<std::uint32_t>(io.dims[io.dims.size() - 1 - i]);  // innermost first
  }
  copy_text(attr.name, sizeof attr.name, io.name);
  attr.n_elems = static_cast<std::uint32_t>(element_count(io));
  attr.size = static_cast<std::uint32_t>(element_count(io) * sim::dtype_size(io.type));
  attr.fmt = io.fmt == format::Layout::kNHWC ? RKNN_TENSOR_NHWC : RKNN_TENSOR_NCHW;
  attr.type = *rknn_type_of(io.type);
  attr.qnt_type = qnt_type_of(io.quant.type);
  if (io.quant.type == format::QuantType::kDynamicFixedPoint) attr.fl = io.quant.fl;
  if (io.quant.type == format::QuantType::kAffineAsymmetric && !io.quant.scale.empty()) {
    attr.zp = static_cast<std::uint32_t>(io.quant.zero_point.at(0));
    attr.scale = io.quant.scale[0];
  }
  return attr;
}

void Context::query(const rknn_query_cmd& query_cmd, void* info, std::uint32_t size) {
  const std::int64_t cmd = raw_value(query_cmd);
  if (device_) return device_->query(cmd, info, size);
  switch (cmd) {
    case RKNN_QUERY_IN_OUT_NUM: {
      auto& num = query_struct<rknn_input_output_num>(info, size, "RKNN_QUERY_IN_OUT_NUM");
      num.n_input = static_cast<std::uint32_t>(info_.inputs.size());
      num.n_output = static_cast<std::uint32_t>(info_.outputs.size());
      return;
    }
    case RKNN_QUERY_INPUT_ATTR:
    case RKNN_QUERY_OUTPUT_ATTR: {
      const bool input = cmd == RKNN_QUERY_INPUT_ATTR;
      auto& attr = query_struct<rknn_tensor_attr>(info, size, input ? "RKNN_QUERY_INPUT_ATTR" : "RKNN_QUERY_OUTPUT_ATTR");
      const auto& ios = input ? info_.inputs : info_.outputs;
      if (attr.index >= ios.size()) {
        fail(RKNN_ERR_PARAM_INVALID, std::string(input ? "input" : "output") + " index " + std::to_string(attr.index) +
                                         " is out of range: the model has " + std::to_string(ios.size()));
      }
      attr = attr_of(ios[attr.index], attr.index);
      return;
    }
    case RKNN_QUERY_PERF_DETAIL: {
      auto& perf = query_struct<rknn_perf_detail>(info, size, "RKNN_QUERY_PERF_DETAIL");
      if (!collect_perf_) {
        fail(RKNN_ERR_PARAM_INVALID, "RKNN_QUERY_PERF_DETAIL needs rknn_init with RKNN_FLAG_COLLECT_PERF_MASK");
      }
      perf.perf_data = perf_text_.data();
      perf.data_len = perf_text_.size();
      return;
    }
    case RKNN_QUERY_PERF_RUN:
      query_struct<rknn_perf_run>(info, size, "RKNN_QUERY_PERF_RUN").run_duration = run_microseconds_;
      return;
    case RKNN_QUERY_SDK_VERSION: {
      auto& version = query_struct<rknn_sdk_version>(info, size, "RKNN_QUERY_SDK_VERSION");
      copy_text(version.api_version, sizeof version.api_version, "rknn-build " RKNN_VERSION " (simulator)");
      copy_text(version.drv_version, sizeof version.drv_version, "simulator");
      return;
    }
    case RKNN_QUERY_MEM_SIZE: {
      auto& mem = query_struct<rknn_mem_size>(info, size, "RKNN_QUERY_MEM_SIZE");
      mem = rknn_mem_size{};
      mem.total_weight_size = static_cast<std::uint32_t>(std::min<std::uint64_t>(weight_bytes_, kMaxInternalBytes));
      mem.total_internal_size = static_cast<std::uint32_t>(std::min<std::uint64_t>(internal_bytes_, kMaxInternalBytes));
      return;
    }
    case RKNN_QUERY_CUSTOM_STRING: {
      auto& custom = query_struct<rknn_custom_string>(info, size, "RKNN_QUERY_CUSTOM_STRING");
      copy_text(custom.string, sizeof custom.string, info_.custom_string);
      return;
    }
    default: fail(RKNN_ERR_PARAM_INVALID, "unknown query command " + std::to_string(cmd));
  }
}

sim::Tensor Context::input_tensor(const rknn_input& input) const {
  if (input.index >= inputs_.size()) {
    fail(RKNN_ERR_PARAM_INVALID, "input index " + std::to_string(input.index) + " is out of range: the model has " +
                                     std::to_string(inputs_.size()));
  }
  const format::IoInfo& io = info_.inputs[input.index];
  if (!input.buf) fail(RKNN_ERR_PARAM_INVALID, "input " + std::to_string(input.index) + ": buf is NULL");
  const std::size_t count = element_count(io);
  const auto* data = static_cast<const std::byte*>(input.buf);
  std::vector<std::byte> converted;
  if (input.pass_through) {
    check_size(input, count * sim::dtype_size(io.type), "the model's own type (pass_through)");
  } else {
    const std::int64_t raw_type = raw_value(input.type);
    const std::int64_t fmt = raw_value(input.fmt);
    const auto type = raw_type >= 0 && raw_type < RKNN_TENSOR_TYPE_MAX
                          ? dtype_of(static_cast<rknn_tensor_type>(raw_type))
                          : std::nullopt;
    if (!type) fail(RKNN_ERR_PARAM_INVALID, "input " + std::to_string(input.index) + ": unknown type " +
                                                std::to_string(raw_type));
    if (io.dims.size() == 4 && fmt != RKNN_TENSOR_NCHW && fmt != RKNN_TENSOR_NHWC) {
      fail(RKNN_ERR_PARAM_INVALID, "input " + std::to_string(input.index) + ": unknown fmt " + std::to_string(fmt));
    }
    check_size(input, count * sim::dtype_size(*type), std::string(sim::dtype_name(*type)) + " data");
    std::vector<float> values = to_model_layout(read_numbers(data, count, *type), fmt, io);
    preprocess(values, info_.preprocess[input.index], io);
    converted = encode(std::move(values), io);
    data = converted.data();
  }
  sim::Tensor tensor(executor_->input(input.index).type);
  store_input(data, io, tensor);
  return tensor;
}

void Context::set_inputs(std::span<const rknn_input> inputs) {
  if (device_) return device_->set_inputs(inputs);
  // Convert everything first so that a bad entry leaves the context unchanged.
  std::vector<sim::Tensor> tensors;
  for (const rknn_input& input : inputs) tensors.push_back(input_tensor(input));
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    inputs_[inputs[i].index] = std::move(tensors[i]);
    input_set_[inputs[i].index] = true;
  }
}

void Context::run(rknn_run_extend* extend) {
  if (device_) return device_->run(extend);
  next_segment_ = 0;  // a whole run replaces one left unfinished
  const std::size_t count = executor_->segment_count();
  for (std::size_t k = 0; k < count; ++k) {
    run_segment(static_cast<std::uint32_t>(k), nullptr, k + 1 == count ? extend : nullptr);
  }
}

void Context::run_segment(std::uint32_t segment, std::uint32_t* count, rknn_run_extend* extend) {
  if (device_) {  // the board's agent segments the runs it schedules
    if (count) *count = 1;
    if (segment != 0) fail(RKNN_ERR_PARAM_INVALID, "segment " + std::to_string(segment) + " of 1");
    return device_->run(extend);
  }
  const std::size_t total = executor_->segment_count();
  if (count) *count = static_cast<std::uint32_t>(total);
  if (segment != 0 && segment != next_segment_) {
    fail(RKNN_ERR_PARAM_INVALID, "segment " + std::to_string(segment) + " of " + std::to_string(total) +
                                     ": the next one to run is " + std::to_string(next_segment_));
  }
  if (segment == 0) {
    for (std::size_t i = 0; i < inputs_.size(); ++i) {
      if (!input_set_[i]) {
        fail(RKNN_ERR_INPUT_INVALID, io_name("input", i, info_.inputs[i]) + " was not set: call rknn_inputs_set first");
      }
    }
  }
  next_segment_ = 0;  // until this segment has run
  try {
    if (segment == 0) executor_->start(inputs_);
    executor_->run_segment(segment);
    if (segment + 1 < total) {
      next_segment_ = segment + 1;
      return;
    }
    outputs_ = executor_->results();
  } catch (const sim::Error& e) {
    fail(RKNN_ERR_FAIL, e.what());
  }
  // PERF_RUN reports what the board would: the NPU time, here the estimate.
  run_microseconds_ = std::llround(estimate_.total_us);
  ++frame_;
  if (extend) extend->frame_id = frame_;
  if (collect_perf_) build_perf_text();
}

std::vector<std::byte> Context::output_bytes(std::size_t index, bool want_float) const {
  const sim::Tensor& t = outputs_[index];
  const format::IoInfo& io = info_.outputs[index];
  const auto count = static_cast<std::size_t>(t.element_count());
  std::vector<std::byte> raw;
  if (t.dtype() == io.type) {
    raw.assign(t.raw(), t.raw() + t.byte_size());
  } else {
    raw = encode(read_numbers(t.raw(), count, sim::DType::kFloat32), io);  // float32 program tensor
  }
  if (!want_float || io.type == sim::DType::kFloat32) return raw;
  const std::vector<float> values = decode(raw.data(), count, io);
  std::vector<std::byte> out(count * sizeof(float));
  write_numbers(values, sim::DType::kFloat32, out.data());
  return out;
}

void Context::get_outputs(std::span<rknn_output> outputs, rknn_output_extend* extend) {
  if (device_) return device_->get_outputs(outputs, extend);
  if (frame_ == 0) fail(RKNN_ERR_OUTPUT_INVALID, "no results yet: call rknn_run first");
  for (const rknn_output& out : outputs) {  // check everything before handing anything out
    if (out.index >= outputs_.size()) {
      fail(RKNN_ERR_PARAM_INVALID, "output index " + std::to_string(out.index) + " is out of range: the model has " +
                                       std::to_string(outputs_.size()));
    }
    const format::IoInfo& io = info_.outputs[out.index];
    OutputBuffers::check_preallocated(out, element_count(io) * (out.want_float ? sizeof(float) : sim::dtype_size(io.type)));
  }
  for (rknn_output& out : outputs) {
    output_buffers_.deliver(out, output_bytes(out.index, out.want_float != 0));
  }
  if (extend) extend->frame_id = frame_;
}

void Context::release_outputs(std::span<rknn_output> outputs) {
  if (device_) return device_->release_outputs(outputs);
  output_buffers_.release(outputs);
}

void Context::build_perf_text() {
  perf_text_ = perf_detail_text(executor_->program(), estimate_, frame_ > 0 ? &executor_->last_timings() : nullptr);
}

}  // namespace rknn::runtime
