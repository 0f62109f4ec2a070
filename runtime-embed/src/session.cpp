// rknn::Session: RAII over the C API and nothing else, so the C and C++
// interfaces can never disagree.
#include <algorithm>
#include <limits>
#include <utility>

#include "rknn/rknn_api_ext.h"
#include "rknn/runtime.hpp"

namespace rknn {
namespace {

void check(int code) {
  if (code != RKNN_SUCC) throw Error(code, rknn_last_error_message());
}

std::uint32_t size_of(std::size_t bytes) {
  if (bytes > std::numeric_limits<std::uint32_t>::max()) {
    throw Error(RKNN_ERR_PARAM_INVALID, "buffers of 4 GiB or more do not fit the RKNN C API");
  }
  return static_cast<std::uint32_t>(bytes);
}

rknn_tensor_attr query_attr(rknn_context context, rknn_query_cmd cmd, std::size_t index) {
  rknn_tensor_attr attr{};
  attr.index = static_cast<std::uint32_t>(std::min<std::size_t>(index, std::numeric_limits<std::uint32_t>::max()));
  check(rknn_query(context, cmd, &attr, sizeof attr));
  return attr;
}

rknn_input_output_num query_counts(rknn_context context) {
  rknn_input_output_num num{};
  check(rknn_query(context, RKNN_QUERY_IN_OUT_NUM, &num, sizeof num));
  return num;
}

}  // namespace

Session::Session(std::span<const std::byte> model, const Options& options) {
  const std::uint32_t flag = options.collect_perf ? RKNN_FLAG_COLLECT_PERF_MASK : 0;
  if (options.threads < 0) throw Error(RKNN_ERR_PARAM_INVALID, "Options.threads is negative");
  // rknn_init takes a non-const pointer for historical reasons; the runtime never writes the model.
  check(rknn_init_with_threads(&context_, const_cast<std::byte*>(model.data()), size_of(model.size()), flag,
                               options.threads));
}

Session::~Session() {
  if (context_) rknn_destroy(context_);
}

Session::Session(Session&& other) noexcept : context_(std::exchange(other.context_, 0)) {}

Session& Session::operator=(Session&& other) noexcept {
  if (this != &other) {
    if (context_) rknn_destroy(context_);
    context_ = std::exchange(other.context_, 0);
  }
  return *this;
}

std::size_t Session::input_count() const { return query_counts(context_).n_input; }
std::size_t Session::output_count() const { return query_counts(context_).n_output; }

rknn_tensor_attr Session::input_attr(std::size_t index) const {
  return query_attr(context_, RKNN_QUERY_INPUT_ATTR, index);
}

rknn_tensor_attr Session::output_attr(std::size_t index) const {
  return query_attr(context_, RKNN_QUERY_OUTPUT_ATTR, index);
}

void Session::set_input(std::size_t index, std::span<const std::byte> data, rknn_tensor_type type,
                        rknn_tensor_format fmt, bool pass_through) {
  rknn_input input{};
  input.index = static_cast<std::uint32_t>(std::min<std::size_t>(index, std::numeric_limits<std::uint32_t>::max()));
  input.buf = const_cast<std::byte*>(data.data());  // read only, as rknn_inputs_set documents
  input.size = size_of(data.size());
  input.pass_through = pass_through ? 1 : 0;
  input.type = type;
  input.fmt = fmt;
  check(rknn_inputs_set(context_, 1, &input));
}

void Session::run() { check(rknn_run(context_, nullptr)); }

void Session::get_output(std::size_t index, std::span<std::byte> out, bool want_float) {
  rknn_output output{};
  output.want_float = want_float ? 1 : 0;
  output.is_prealloc = 1;
  output.index = static_cast<std::uint32_t>(std::min<std::size_t>(index, std::numeric_limits<std::uint32_t>::max()));
  output.buf = out.data();
  output.size = size_of(out.size());
  check(rknn_outputs_get(context_, 1, &output, nullptr));
  check(rknn_outputs_release(context_, 1, &output));
}

std::string Session::custom_string() const {
  rknn_custom_string custom{};
  check(rknn_query(context_, RKNN_QUERY_CUSTOM_STRING, &custom, sizeof custom));
  return custom.string;
}

}  // namespace rknn
