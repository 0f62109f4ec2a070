#include "server/trace.h"

#include <cerrno>
#include <cstring>

#include "protocol/errors.h"
#include "rknn_api.h"

namespace rknn::device {

Trace::Trace(const std::string& path) {
  if (path.empty()) return;
  file_ = std::fopen(path.c_str(), "we");  // truncated: one agent's trace
  if (!file_) throw DeviceError(RKNN_ERR_FAIL, "--trace: cannot create " + path + ": " + std::strerror(errno));
}

Trace::~Trace() {
  if (file_) std::fclose(file_);
}

void Trace::line(const std::string& text) {
  if (!file_) return;
  std::lock_guard lock(mutex_);
  std::fprintf(file_, "%s\n", text.c_str());
  std::fflush(file_);
}

}  // namespace rknn::device
