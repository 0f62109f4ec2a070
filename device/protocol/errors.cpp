#include "protocol/errors.h"

#include "rknn_api.h"

namespace rknn::device {

TransportError::TransportError(Kind kind, const std::string& message)
    : DeviceError(kind == Kind::kTimeout ? RKNN_ERR_TIMEOUT : RKNN_ERR_DEVICE_UNAVAILABLE, message), kind_(kind) {}

}  // namespace rknn::device
