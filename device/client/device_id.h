// Device ids as users write them (RKNN_DEVICE, `rknnc run --device`,
// rknn::Options::device):
//   tcp://HOST[:PORT]   a board or emulator running rknn_server (PORT default 7621)
//   usb:BUS-PORTS       a USB board by its place on the bus, as `rknnc devices` prints it
// and "simulator", which keeps the model in process.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "transport/stream.h"

namespace rknn::device {

inline constexpr std::uint16_t kDefaultPort = 7621;
inline constexpr std::string_view kSimulatorId = "simulator";

struct DeviceAddress {
  enum class Kind { kTcp, kUsb };
  Kind kind = Kind::kTcp;
  std::string host;          // tcp
  std::uint16_t port = kDefaultPort;
  std::string usb_path;      // usb: "1-4.2"
  std::string id;            // normalised: "tcp://host:port", "usb:1-4.2"
};

// Throws DeviceError (RKNN_ERR_PARAM_INVALID) saying what a device id looks like.
DeviceAddress parse_device_id(std::string_view id);

// Opens the byte stream to a device.
std::unique_ptr<ByteStream> open_device(const DeviceAddress& address, Deadline deadline);

}  // namespace rknn::device
