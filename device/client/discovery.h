// Finding boards, as RKNN's list_devices: USB boards by vendor and product id
// (libusb), network boards by asking each candidate tcp:// id for HELLO.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "protocol/messages.h"
#include "transport/usb.h"

namespace rknn::device {

struct NetworkDevice {
  std::string id;          // tcp://host:port
  bool reachable = false;
  HelloReply agent;        // when reachable
  std::string error;       // when not
};

struct DeviceList {
  UsbScan usb;
  std::vector<NetworkDevice> network;
};

// The tcp:// ids worth asking: RKNN_DEVICE and RKNN_DEVICES (ids separated
// by commas or spaces) from the environment, then `extra`, without
// duplicates; "simulator" and usb: ids are left out.
std::vector<std::string> network_candidates(const std::vector<std::string>& extra);

// Scans USB and asks every candidate. Unreachable candidates stay in the list.
DeviceList list_devices(const std::vector<std::string>& candidates, std::chrono::milliseconds timeout);

}  // namespace rknn::device
