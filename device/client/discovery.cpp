#include "client/discovery.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "client/client.h"
#include "client/device_id.h"

namespace rknn::device {
namespace {

void add_ids(std::vector<std::string>& out, const std::string& text) {
  std::string list = text;
  std::replace(list.begin(), list.end(), ',', ' ');
  std::istringstream words(list);
  for (std::string id; words >> id;) {
    if (!id.starts_with("tcp://")) continue;
    try {
      id = parse_device_id(id).id;  // one spelling per board
    } catch (const DeviceError&) {
      // A malformed id is kept as written: probing it reports the problem.
    }
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
}

NetworkDevice probe(const std::string& id, std::chrono::milliseconds timeout) {
  NetworkDevice device;
  device.id = id;
  try {
    ClientOptions options;
    options.connect_timeout = timeout;
    options.request_timeout = timeout;
    options.name = "rknn-build device discovery";
    device.agent = Client::connect(id, options)->agent();
    device.reachable = true;
  } catch (const DeviceError& e) {
    device.error = e.what();
  }
  return device;
}

}  // namespace

std::vector<std::string> network_candidates(const std::vector<std::string>& extra) {
  std::vector<std::string> ids;
  for (const char* variable : {"RKNN_DEVICE", "RKNN_DEVICES"}) {
    if (const char* value = std::getenv(variable)) add_ids(ids, value);
  }
  for (const std::string& id : extra) add_ids(ids, id);
  return ids;
}

DeviceList list_devices(const std::vector<std::string>& candidates, std::chrono::milliseconds timeout) {
  DeviceList list;
  list.usb = scan_usb();
  for (const std::string& id : candidates) list.network.push_back(probe(id, timeout));
  return list;
}

}  // namespace rknn::device
