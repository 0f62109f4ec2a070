// The C++ API over rknn_api.h: RAII contexts, spans, and an error type that
// carries the RKNN error code. Generated model classes are built on it.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "rknn_api.h"

namespace rknn {

class Error : public std::runtime_error {
 public:
  Error(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }  // an RKNN_ERR_* value

 private:
  int code_;
};

// Which key an encrypted model asks for (docs/encryption.md).
struct KeyRequest {
  std::string key_id;  // 16 hex digits, as `rknnc inspect` prints them
  int level = 0;       // 1, 2 or 3
};
// Returns the key for the request (the runtime wipes its copy), or throws to refuse.
using KeyProvider = std::function<std::vector<std::byte>(const KeyRequest&)>;

struct Options {
  int threads = 1;                  // simulator worker threads; results do not depend on it
  bool collect_perf = false;        // per-layer timings for rknn_query(PERF_DETAIL)
  // An encrypted model's key (32 bytes; level 3: the secret), read while the
  // session is created only; or a provider asked for it. Ignored for models
  // that are not encrypted.
  std::span<const std::byte> key{};
  KeyProvider key_provider{};
  // The board to run on ("tcp://host:port", "usb:1-4.2"; rknn_api_ext.h); empty:
  // the RKNN_DEVICE environment variable, else the simulator; "simulator": always the simulator.
  std::string device{};
  // The chip the simulator acts as ("rv1126"; rknn_api_ext.h); empty: the
  // RKNN_TARGET_PLATFORM environment variable, else the model's first platform.
  std::string target_platform{};
};

// One loaded model. Not copyable; movable. One Session per thread.
class Session {
 public:
  // The model bytes must stay valid while the session lives (constants are
  // used in place when they are 64-byte aligned). Throws Error.
  explicit Session(std::span<const std::byte> model, const Options& options = {});
  ~Session();
  Session(Session&& other) noexcept;
  Session& operator=(Session&& other) noexcept;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  std::size_t input_count() const;
  std::size_t output_count() const;
  rknn_tensor_attr input_attr(std::size_t index) const;
  rknn_tensor_attr output_attr(std::size_t index) const;

  // Feeds one input. Without pass_through the runtime applies the model's
  // channel reorder, mean/std and layout conversion to `type`/`fmt` data.
  void set_input(std::size_t index, std::span<const std::byte> data, rknn_tensor_type type,
                 rknn_tensor_format fmt, bool pass_through = false);
  void run();
  // Copies output `index` into `out` (float32 when want_float, else the raw type).
  void get_output(std::size_t index, std::span<std::byte> out, bool want_float = true);

  std::string custom_string() const;
  rknn_context context() const { return context_; }  // escape hatch to the C API

 private:
  rknn_context context_ = 0;
};

}  // namespace rknn
