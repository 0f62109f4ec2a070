// How the runtime reports a failed call: an ApiError carries the RKNN_ERR_*
// code and the message, which become the C API's return code and the
// thread's last error message at the C boundary (rknn_api.cpp).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "rknn_api.h"

namespace rknn::runtime {

class ApiError : public std::runtime_error {
 public:
  ApiError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

[[noreturn]] inline void fail(int code, const std::string& message) { throw ApiError(code, message); }

// The struct an rknn_query call passes for `cmd`: info must point to exactly
// sizeof(T) bytes, else RKNN_ERR_PARAM_INVALID.
template <class T>
T& query_struct(void* info, std::uint32_t size, const char* cmd) {
  if (!info) fail(RKNN_ERR_PARAM_INVALID, std::string(cmd) + ": info is NULL");
  if (size != sizeof(T)) {
    fail(RKNN_ERR_PARAM_INVALID, std::string(cmd) + ": size is " + std::to_string(size) + ", the struct has " +
                                     std::to_string(sizeof(T)) + " bytes");
  }
  return *static_cast<T*>(info);
}

}  // namespace rknn::runtime
