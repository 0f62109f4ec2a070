#include "transport/usb.h"

#include <libusb.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <optional>

#include "rknn_api.h"

namespace rknn::device {
namespace {

using Kind = TransportError::Kind;

// One libusb context for the process, created on first use and kept.
libusb_context* usb_context() {
  static libusb_context* context = [] {
    libusb_context* c = nullptr;
    if (const int rc = libusb_init(&c); rc != 0) {
      throw TransportError(Kind::kIo, std::string("libusb_init failed: ") + libusb_error_name(rc));
    }
    return c;
  }();
  return context;
}

std::string port_path(libusb_device* device) {
  std::uint8_t ports[8];
  const int n = libusb_get_port_numbers(device, ports, sizeof ports);
  std::string path = std::to_string(libusb_get_bus_number(device)) + "-";
  for (int i = 0; i < n; ++i) path += (i ? "." : "") + std::to_string(ports[i]);
  if (n <= 0) path += "0";
  return path;
}

const RockchipProduct* product_of(const libusb_device_descriptor& d) {
  if (d.idVendor != kRockchipVendorId) return nullptr;
  for (const auto& p : kRockchipProducts) {
    if (p.product_id == d.idProduct) return &p;
  }
  return nullptr;
}

struct Endpoints {
  int interface = -1;
  std::uint8_t in = 0;
  std::uint8_t out = 0;
  std::size_t max_packet = 512;
};

// A vendor-specific interface with a bulk IN and a bulk OUT endpoint that is
// not ADB's (subclass 0x42, protocol 1), which belongs to adbd.
std::optional<Endpoints> agent_endpoints(libusb_device* device) {
  libusb_config_descriptor* config = nullptr;
  if (libusb_get_active_config_descriptor(device, &config) != 0) return std::nullopt;
  std::optional<Endpoints> found;
  for (int i = 0; i < config->bNumInterfaces && !found; ++i) {
    for (int a = 0; a < config->interface[i].num_altsetting && !found; ++a) {
      const libusb_interface_descriptor& alt = config->interface[i].altsetting[a];
      if (alt.bInterfaceClass != LIBUSB_CLASS_VENDOR_SPEC) continue;
      if (alt.bInterfaceSubClass == 0x42 && alt.bInterfaceProtocol == 0x01) continue;
      Endpoints e;
      e.interface = alt.bInterfaceNumber;
      for (int k = 0; k < alt.bNumEndpoints; ++k) {
        const libusb_endpoint_descriptor& ep = alt.endpoint[k];
        if ((ep.bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) != LIBUSB_TRANSFER_TYPE_BULK) continue;
        if (ep.bEndpointAddress & LIBUSB_ENDPOINT_IN) {
          e.in = ep.bEndpointAddress;
        } else {
          e.out = ep.bEndpointAddress;
        }
        e.max_packet = std::max<std::size_t>(e.max_packet, ep.wMaxPacketSize);
      }
      if (e.in && e.out) found = e;
    }
  }
  libusb_free_config_descriptor(config);
  return found;
}

UsbDevice describe(libusb_device* device, const libusb_device_descriptor& d, const RockchipProduct& product) {
  UsbDevice out;
  out.id = "usb:" + port_path(device);
  out.vendor_id = d.idVendor;
  out.product_id = d.idProduct;
  out.mode = product.mode;
  out.agent_interface = agent_endpoints(device).has_value();
  libusb_device_handle* handle = nullptr;
  if (const int rc = libusb_open(device, &handle); rc != 0) {
    out.note = std::string("cannot open: ") + libusb_error_name(rc) + " (udev permissions?)";
    return out;
  }
  unsigned char serial[256] = {};
  if (d.iSerialNumber &&
      libusb_get_string_descriptor_ascii(handle, d.iSerialNumber, serial, sizeof serial - 1) > 0) {
    out.serial = reinterpret_cast<const char*>(serial);
  }
  libusb_close(handle);
  return out;
}

// A board's agent interface, claimed; released and closed on destruction.
class UsbStream final : public ByteStream {
 public:
  UsbStream(libusb_device_handle* handle, Endpoints endpoints, std::string peer)
      : handle_(handle), endpoints_(endpoints), peer_(std::move(peer)), buffer_(64 * 1024) {}
  ~UsbStream() override {
    libusb_release_interface(handle_, endpoints_.interface);
    libusb_close(handle_);
  }

  std::size_t read_some(std::span<std::byte> out, Deadline deadline) override {
    while (begin_ == end_) fill(deadline);
    const std::size_t n = std::min(out.size(), end_ - begin_);
    std::memcpy(out.data(), buffer_.data() + begin_, n);
    begin_ += n;
    return n;
  }

  void write_all(std::initializer_list<std::span<const std::byte>> parts, Deadline deadline) override {
    std::size_t total = 0;
    for (const auto& part : parts) {
      for (std::size_t at = 0; at < part.size();) {
        at += transfer(endpoints_.out, const_cast<std::byte*>(part.data() + at), std::min<std::size_t>(part.size() - at, 1 << 20),
                       deadline, "sending");
      }
      total += part.size();
    }
    // A write that ends on a packet boundary needs a zero-length packet, or
    // the reader's transfer would wait for more.
    if (total % endpoints_.max_packet == 0) transfer(endpoints_.out, nullptr, 0, deadline, "sending");
  }

  void shutdown() noexcept override { stopped_ = true; }
  std::string peer() const override { return peer_; }

 private:
  void fill(Deadline deadline) {
    begin_ = 0;
    end_ = transfer(endpoints_.in, buffer_.data(), buffer_.size(), deadline, "waiting for data");
  }

  // One bulk transfer, in slices of at most 200 ms so that shutdown() is noticed.
  std::size_t transfer(std::uint8_t endpoint, std::byte* data, std::size_t size, Deadline deadline, const char* doing) {
    for (;;) {
      if (stopped_) throw TransportError(Kind::kClosed, peer_ + ": connection shut down");
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (deadline != kNoDeadline && left <= 0) throw TransportError(Kind::kTimeout, peer_ + ": timed out " + doing);
      const auto slice = static_cast<unsigned>(deadline == kNoDeadline ? 200 : std::clamp<long long>(left, 1, 200));
      int done = 0;
      const int rc = libusb_bulk_transfer(handle_, endpoint, reinterpret_cast<unsigned char*>(data),
                                          static_cast<int>(size), &done, slice);
      if (rc == 0 || (rc == LIBUSB_ERROR_TIMEOUT && done > 0)) return static_cast<std::size_t>(done);
      if (rc == LIBUSB_ERROR_TIMEOUT) continue;
      const Kind kind = rc == LIBUSB_ERROR_NO_DEVICE ? Kind::kClosed : Kind::kIo;
      throw TransportError(kind, peer_ + ": USB transfer failed while " + doing + ": " + libusb_error_name(rc));
    }
  }

  libusb_device_handle* handle_;
  Endpoints endpoints_;
  std::string peer_;
  std::vector<std::byte> buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::atomic<bool> stopped_{false};
};

struct DeviceList {
  libusb_device** devices = nullptr;
  ssize_t count = 0;
  DeviceList() {
    count = libusb_get_device_list(usb_context(), &devices);
    if (count < 0) {
      throw TransportError(Kind::kIo, std::string("libusb_get_device_list failed: ") +
                                          libusb_error_name(static_cast<int>(count)));
    }
  }
  ~DeviceList() { libusb_free_device_list(devices, 1); }
  DeviceList(const DeviceList&) = delete;
  DeviceList& operator=(const DeviceList&) = delete;
};

}  // namespace

UsbScan scan_usb() {
  UsbScan scan;
  try {
    const DeviceList list;
    scan.available = true;
    scan.scanned = static_cast<std::size_t>(list.count);
    for (ssize_t i = 0; i < list.count; ++i) {
      libusb_device_descriptor d{};
      if (libusb_get_device_descriptor(list.devices[i], &d) != 0) continue;
      if (const RockchipProduct* product = product_of(d)) scan.boards.push_back(describe(list.devices[i], d, *product));
    }
  } catch (const TransportError& e) {
    scan.error = e.what();
  }
  return scan;
}

std::unique_ptr<ByteStream> open_usb(const std::string& path, Deadline /*deadline*/) {
  const std::string id = "usb:" + path;
  const DeviceList list;
  for (ssize_t i = 0; i < list.count; ++i) {
    libusb_device* device = list.devices[i];
    if (port_path(device) != path) continue;
    const std::optional<Endpoints> endpoints = agent_endpoints(device);
    if (!endpoints) throw TransportError(Kind::kIo, id + ": the device has no agent interface (vendor bulk endpoints)");
    libusb_device_handle* handle = nullptr;
    if (const int rc = libusb_open(device, &handle); rc != 0) {
      throw TransportError(Kind::kIo, id + ": cannot open: " + libusb_error_name(rc));
    }
    libusb_set_auto_detach_kernel_driver(handle, 1);
    if (const int rc = libusb_claim_interface(handle, endpoints->interface); rc != 0) {
      libusb_close(handle);
      throw TransportError(Kind::kIo, id + ": cannot claim interface " + std::to_string(endpoints->interface) + ": " +
                                          libusb_error_name(rc));
    }
    return std::make_unique<UsbStream>(handle, *endpoints, id);
  }
  throw TransportError(Kind::kIo, id + ": no such USB device (see `rknnc devices`)");
}

}  // namespace rknn::device
