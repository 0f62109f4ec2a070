// USB without libusb (RKNN_DEVICE_USB=OFF, e.g. a board build): no scan, no stream.
#include "transport/usb.h"

namespace rknn::device {

UsbScan scan_usb() {
  UsbScan scan;
  scan.error = "built without libusb (RKNN_DEVICE_USB=OFF)";
  return scan;
}

std::unique_ptr<ByteStream> open_usb(const std::string& port_path, Deadline /*deadline*/) {
  throw TransportError(TransportError::Kind::kIo,
                       "usb:" + port_path + ": this build has no USB support (RKNN_DEVICE_USB=OFF)");
}

}  // namespace rknn::device
