// The RKNN C API over runtime::Context. Handles are ids into a registry, never
// pointers, so a stale or made-up handle is an error code instead of a crash.
// Nothing is thrown across the C boundary: every entry point catches, returns
// the RKNN code and records the message for rknn_last_error_message().
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string>

#include "context.h"
#include "rknn/rknn_api_ext.h"
#include "rknn_api.h"

namespace rknn::runtime {
namespace {

// The only mutable state shared between threads: which ids are live.
// Contexts themselves are used by one thread at a time.
class Registry {
 public:
  rknn_context add(std::shared_ptr<Context> context) {
    std::lock_guard lock(mutex_);
    rknn_context id = 0;
    do {
      id = next_++;  // ids are not reused until the counter wraps; 0 is never an id
    } while (id == 0 || contexts_.contains(id));
    contexts_.emplace(id, std::move(context));
    return id;
  }

  // Shared ownership keeps the context alive for a call even if another
  // thread destroys it meanwhile (a misuse, but not a crash).
  std::shared_ptr<Context> find(rknn_context id) {
    std::lock_guard lock(mutex_);
    const auto it = contexts_.find(id);
    if (it == contexts_.end()) throw ApiError(RKNN_ERR_CTX_INVALID, invalid(id));
    return it->second;
  }

  void remove(rknn_context id) {
    std::shared_ptr<Context> doomed;  // freed after the lock is released
    std::lock_guard lock(mutex_);
    const auto it = contexts_.find(id);
    if (it == contexts_.end()) throw ApiError(RKNN_ERR_CTX_INVALID, invalid(id));
    doomed = std::move(it->second);
    contexts_.erase(it);
  }

 private:
  static std::string invalid(rknn_context id) {
    return "context " + std::to_string(id) + " is not a live rknn_context (never created or already destroyed)";
  }

  std::mutex mutex_;
  std::map<rknn_context, std::shared_ptr<Context>> contexts_;
  rknn_context next_ = 1;
};

Registry& registry() {
  static Registry instance;
  return instance;
}

std::string& last_error() {
  thread_local std::string message;
  return message;
}

bool log_errors() {
  const char* value = std::getenv("RKNN_LOG_ERRORS");
  return value && *value && std::string(value) != "0";
}

int record(int code, const char* function, const char* message) noexcept {
  try {
    last_error() = std::string(function) + ": " + message;
    if (log_errors()) std::fprintf(stderr, "E RKNNAPI: %s\n", last_error().c_str());
  } catch (...) {
    last_error().clear();  // out of memory while reporting; the code still says what happened
  }
  return code;
}

// Runs one API call: clears the thread's last error, maps exceptions to codes.
template <class Body>
int guarded(const char* function, Body&& body) noexcept {
  last_error().clear();
  try {
    body();
    return RKNN_SUCC;
  } catch (const ApiError& e) {
    return record(e.code(), function, e.what());
  } catch (const std::bad_alloc&) {
    return record(RKNN_ERR_MALLOC_FAIL, function, "out of memory");
  } catch (const std::exception& e) {
    return record(RKNN_ERR_FAIL, function, e.what());
  } catch (...) {
    return record(RKNN_ERR_FAIL, function, "unknown error");
  }
}

void require(bool ok, const char* what) {
  if (!ok) throw ApiError(RKNN_ERR_PARAM_INVALID, what);
}

// RKNN_THREADS: simulator worker threads for rknn_init; anything but an
// integer in [1, 1024] is ignored.
int threads_from_environment() {
  const char* text = std::getenv("RKNN_THREADS");
  if (!text || !*text) return 1;
  char* end = nullptr;
  errno = 0;
  const long value = std::strtol(text, &end, 10);
  if (errno != 0 || *end != '\0' || value < 1 || value > 1024) return 1;
  return static_cast<int>(value);
}

int init(rknn_context* context, void* model, std::uint32_t size, std::uint32_t flag, std::int32_t threads,
         const encryption::KeySource& key = {}, const char* device = nullptr, const char* target = nullptr) {
  return guarded("rknn_init", [&] {
    require(context != nullptr, "context is NULL");
    *context = 0;
    require(model != nullptr, "model is NULL");
    require(size != 0, "model size is 0");
    require(threads >= 0, "threads is negative");
    const std::span<const std::byte> bytes(static_cast<const std::byte*>(model), size);
    auto created =
        std::make_shared<Context>(bytes, flag, threads > 0 ? threads : threads_from_environment(), key, device, target);
    *context = registry().add(std::move(created));
  });
}

// The key of rknn_init_encrypted / rknn_init_with_options; argument errors are
// recorded like any other rknn_init failure.
int init_with_key(rknn_context* context, void* model, std::uint32_t size, std::uint32_t flag, std::int32_t threads,
                  const std::uint8_t* key, std::uint32_t key_len, rknn_key_provider provider, void* user_data,
                  const char* device = nullptr, const char* target = nullptr) {
  const char* error = nullptr;
  if (key == nullptr && key_len != 0) error = "key is NULL but key_len is not 0";
  if (key != nullptr && key_len == 0) error = "key_len is 0";
  if (key_len > RKNN_MAX_KEY_LEN) error = "key_len is larger than RKNN_MAX_KEY_LEN";
  if (key != nullptr && provider != nullptr) error = "give a key or a key provider, not both";
  if (error) {
    if (context) *context = 0;
    return record(RKNN_ERR_PARAM_INVALID, "rknn_init", error);
  }
  const encryption::KeySource source{{reinterpret_cast<const std::byte*>(key), key_len}, provider, user_data};
  return init(context, model, size, flag, threads, source, device, target);
}

}  // namespace
}  // namespace rknn::runtime

using rknn::runtime::guarded;
using rknn::runtime::registry;
using rknn::runtime::require;

extern "C" {

const char* rknn_last_error_message(void) { return rknn::runtime::last_error().c_str(); }

int rknn_init(rknn_context* context, void* model, uint32_t size, uint32_t flag) {
  return rknn::runtime::init(context, model, size, flag, 0);
}

int rknn_init_with_threads(rknn_context* context, void* model, uint32_t size, uint32_t flag, int32_t threads) {
  return rknn::runtime::init(context, model, size, flag, threads);
}

int rknn_init_encrypted(rknn_context* context, void* model, uint32_t size, uint32_t flag, const uint8_t* key,
                        uint32_t key_len) {
  return rknn::runtime::init_with_key(context, model, size, flag, 0, key, key_len, nullptr, nullptr);
}

int rknn_init_with_options(rknn_context* context, void* model, uint32_t size, uint32_t flag,
                           const rknn_init_options* options) {
  if (!options) return rknn::runtime::init(context, model, size, flag, 0);
  return rknn::runtime::init_with_key(context, model, size, flag, options->threads, options->key, options->key_len,
                                      options->key_provider, options->key_provider_data, options->device,
                                      options->target_platform);
}

int rknn_destroy(rknn_context context) {
  return guarded("rknn_destroy", [&] { registry().remove(context); });
}

int rknn_query(rknn_context context, rknn_query_cmd cmd, void* info, uint32_t size) {
  return guarded("rknn_query", [&] { registry().find(context)->query(cmd, info, size); });
}

int rknn_inputs_set(rknn_context context, uint32_t n_inputs, rknn_input inputs[]) {
  return guarded("rknn_inputs_set", [&] {
    auto ctx = registry().find(context);
    require(inputs != nullptr, "inputs is NULL");
    require(n_inputs != 0, "n_inputs is 0");
    ctx->set_inputs({inputs, n_inputs});
  });
}

int rknn_run(rknn_context context, rknn_run_extend* extend) {
  return guarded("rknn_run", [&] { registry().find(context)->run(extend); });
}

int rknn_run_segment(rknn_context context, uint32_t segment, uint32_t* segment_count, rknn_run_extend* extend) {
  return guarded("rknn_run_segment", [&] { registry().find(context)->run_segment(segment, segment_count, extend); });
}

int rknn_outputs_get(rknn_context context, uint32_t n_outputs, rknn_output outputs[], rknn_output_extend* extend) {
  return guarded("rknn_outputs_get", [&] {
    auto ctx = registry().find(context);
    require(outputs != nullptr, "outputs is NULL");
    require(n_outputs != 0, "n_outputs is 0");
    ctx->get_outputs({outputs, n_outputs}, extend);
  });
}

int rknn_outputs_release(rknn_context context, uint32_t n_outputs, rknn_output outputs[]) {
  return guarded("rknn_outputs_release", [&] {
    auto ctx = registry().find(context);
    require(outputs != nullptr || n_outputs == 0, "outputs is NULL");
    if (n_outputs != 0) ctx->release_outputs({outputs, n_outputs});
  });
}

}  // extern "C"
