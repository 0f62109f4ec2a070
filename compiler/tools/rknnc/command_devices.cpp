// rknnc devices: the boards this machine can reach, as RKNN's list_devices.
// USB boards are found with libusb by Rockchip's vendor and product ids;
// network boards are the tcp:// ids named by RKNN_DEVICE, RKNN_DEVICES and
// --probe, each asked for HELLO (plus a local agent on the default port, when
// one answers).
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "client/device_id.h"
#include "client/discovery.h"
#include "commands.h"
#include "ir/error.h"

namespace rknn::cli {
namespace {

struct DevicesOptions {
  std::vector<std::string> probe;
  int timeout_ms = 2000;
};

std::string hex4(unsigned value) {
  std::ostringstream out;
  out << "0x" << std::hex << std::setw(4) << std::setfill('0') << value;
  return out.str();
}

void print_usb(const device::UsbScan& scan) {
  std::string products;
  for (const auto& p : device::kRockchipProducts) {
    products += (products.empty() ? "" : ", ") + hex4(p.product_id) + " " + p.mode;
  }
  std::cout << "USB (libusb; vendor " << hex4(device::kRockchipVendorId) << ", products " << products << "):\n";
  if (!scan.available) {
    std::cout << "  not scanned: " << scan.error << "\n";
    return;
  }
  std::cout << "  " << scan.scanned << " USB devices scanned, " << scan.boards.size() << " Rockchip NPU board"
            << (scan.boards.size() == 1 ? "" : "s") << "\n";
  for (const auto& b : scan.boards) {
    std::cout << "  " << std::left << std::setw(24) << b.id << " " << hex4(b.vendor_id) << ":" << hex4(b.product_id)
              << " " << b.mode;
    if (!b.serial.empty()) std::cout << ", serial " << b.serial;
    std::cout << (b.agent_interface ? ", agent interface" : ", no agent interface (use its network link)");
    if (!b.note.empty()) std::cout << " (" << b.note << ")";
    std::cout << "\n";
  }
}

void print_network(const std::vector<device::NetworkDevice>& devices, bool any_named) {
  std::cout << "Network (RKNN_DEVICE, RKNN_DEVICES, --probe):\n";
  if (!any_named && devices.empty()) {
    std::cout << "  none named (set RKNN_DEVICES=tcp://HOST:PORT or pass --probe tcp://HOST:PORT)\n";
  }
  for (const auto& d : devices) {
    std::cout << "  " << std::left << std::setw(24) << d.id << " ";
    if (d.reachable) {
      std::cout << d.agent.agent << ", " << d.agent.machine << ", protocol " << d.agent.version << "\n";
    } else {
      std::cout << "unreachable: " << d.error << "\n";
    }
  }
}

void list(const DevicesOptions& options) {
  for (const std::string& id : options.probe) {
    if (!id.starts_with("tcp://")) throw CompileError("--probe '" + id + "': expected tcp://HOST[:PORT]");
    device::parse_device_id(id);  // a malformed id is an error here, not an unreachable board
  }
  const std::vector<std::string> named = device::network_candidates(options.probe);
  std::vector<std::string> candidates = named;
  // An agent on this machine's default port (a board's own shell, or adb forward), when one answers.
  const std::string local = "tcp://127.0.0.1:" + std::to_string(device::kDefaultPort);
  const bool probe_local = std::find(named.begin(), named.end(), local) == named.end();
  if (probe_local) candidates.push_back(local);
  device::DeviceList found = device::list_devices(candidates, std::chrono::milliseconds(options.timeout_ms));
  if (probe_local && !found.network.back().reachable) found.network.pop_back();
  print_usb(found.usb);
  print_network(found.network, !named.empty());
}

}  // namespace

void add_devices_command(CLI::App& app) {
  auto options = std::make_shared<DevicesOptions>();
  CLI::App* cmd = app.add_subcommand("devices", "List the boards this machine can reach (USB and network)");
  cmd->add_option("--probe", options->probe, "Also ask this network board (tcp://HOST[:PORT]); repeatable");
  cmd->add_option("--timeout-ms", options->timeout_ms, "How long each network board may take to answer")
      ->check(CLI::Range(1, 600000));
  cmd->callback([options] { list(*options); });
}

}  // namespace rknn::cli
