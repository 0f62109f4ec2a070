// rknn::Session: RAII over the C API and nothing else, so the C and C++
// interfaces can never disagree.
#if RKNN_RUNTIME_DECRYPTION
#include <openssl/crypto.h>
#endif

#include <algorithm>
#include <cstring>
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

// Options::key_provider behind the C API's provider: copies the key into the
// runtime's buffer, wipes the returned vector, never lets an exception out.
int provide_key(void* user_data, const char* key_id, std::int32_t level, std::uint8_t* key, std::uint32_t capacity,
                std::uint32_t* key_len) noexcept {
  try {
    std::vector<std::byte> bytes = (*static_cast<const KeyProvider*>(user_data))(KeyRequest{key_id, level});
    const bool fits = bytes.size() <= capacity;
    if (fits) {
      if (!bytes.empty()) std::memcpy(key, bytes.data(), bytes.size());
      *key_len = static_cast<std::uint32_t>(bytes.size());
    }
#if RKNN_RUNTIME_DECRYPTION  // without decryption no key is ever used
    if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
#endif
    return fits ? 0 : 1;
  } catch (...) {
    return 1;
  }
}

}  // namespace

Session::Session(std::span<const std::byte> model, const Options& options) {
  const std::uint32_t flag = options.collect_perf ? RKNN_FLAG_COLLECT_PERF_MASK : 0;
  if (options.threads < 0) throw Error(RKNN_ERR_PARAM_INVALID, "Options.threads is negative");
  rknn_init_options init{};
  init.threads = options.threads;
  init.device = options.device.empty() ? nullptr : options.device.c_str();
  init.target_platform = options.target_platform.empty() ? nullptr : options.target_platform.c_str();
  if (!options.key.empty()) {
    init.key = reinterpret_cast<const std::uint8_t*>(options.key.data());
    init.key_len = size_of(options.key.size());
  }
  if (options.key_provider) {
    init.key_provider = provide_key;
    init.key_provider_data = const_cast<KeyProvider*>(&options.key_provider);  // read only
  }
  // rknn_init takes a non-const pointer for historical reasons; the runtime never writes the model.
  check(rknn_init_with_options(&context_, const_cast<std::byte*>(model.data()), size_of(model.size()), flag, &init));
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
