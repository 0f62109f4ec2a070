// USB: finding Rockchip boards with libusb, and a byte stream over a pair of
// bulk endpoints for boards whose agent is exposed by a USB gadget function
// (a vendor-specific interface with one bulk IN and one bulk OUT endpoint).
// Built without libusb (RKNN_DEVICE_USB=OFF), listing reports that and
// opening fails with RKNN_ERR_DEVICE_UNAVAILABLE.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "transport/stream.h"

namespace rknn::device {

inline constexpr std::uint16_t kRockchipVendorId = 0x2207;

struct RockchipProduct {
  std::uint16_t product_id;
  const char* mode;
};
// The product ids of NPU boards: ADB mode, NTB mode, the TB-RK1808S0 stick.
inline constexpr std::array<RockchipProduct, 3> kRockchipProducts = {{
    {0x0006, "adb"},
    {0x1808, "ntb"},
    {0x0018, "TB-RK1808S0 stick"},
}};

struct UsbDevice {
  std::string id;       // "usb:1-4.2": bus, then the port path
  std::uint16_t vendor_id = 0;
  std::uint16_t product_id = 0;
  std::string mode;     // from kRockchipProducts
  std::string serial;   // empty when the device could not be opened
  bool agent_interface = false;  // has a vendor bulk interface the agent can use
  std::string note;     // why the serial or interfaces could not be read
};

struct UsbScan {
  bool available = false;     // libusb built in and initialised
  std::string error;          // why not
  std::size_t scanned = 0;    // USB devices enumerated in all
  std::vector<UsbDevice> boards;
};

// Enumerates every USB device and keeps the Rockchip NPU boards.
UsbScan scan_usb();

// Opens the board at `port_path` ("1-4.2", as in its id) and claims its
// agent interface. Throws TransportError.
std::unique_ptr<ByteStream> open_usb(const std::string& port_path, Deadline deadline);

}  // namespace rknn::device
