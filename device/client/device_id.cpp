#include "client/device_id.h"

#include <charconv>

#include "rknn_api.h"
#include "transport/tcp.h"
#include "transport/usb.h"

namespace rknn::device {
namespace {

[[noreturn]] void bad_id(std::string_view id, const std::string& why) {
  throw DeviceError(RKNN_ERR_PARAM_INVALID, "device id '" + std::string(id) + "': " + why +
                                                " (expected tcp://HOST[:PORT], usb:BUS-PORTS or simulator)");
}

std::uint16_t parse_port(std::string_view id, std::string_view text) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) {
    bad_id(id, "port '" + std::string(text) + "' is not a number from 1 to 65535");
  }
  return static_cast<std::uint16_t>(value);
}

DeviceAddress parse_tcp(std::string_view id, std::string_view rest) {
  DeviceAddress a;
  a.kind = DeviceAddress::Kind::kTcp;
  std::string_view port;
  if (rest.starts_with('[')) {  // [IPv6]:port
    const auto close = rest.find(']');
    if (close == std::string_view::npos) bad_id(id, "unclosed '['");
    a.host = rest.substr(1, close - 1);
    rest.remove_prefix(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) bad_id(id, "unexpected text after ']'");
    if (!rest.empty()) port = rest.substr(1);
  } else {
    const auto colon = rest.rfind(':');
    a.host = rest.substr(0, colon);
    if (colon != std::string_view::npos) port = rest.substr(colon + 1);
  }
  if (a.host.empty()) bad_id(id, "no host");
  if (a.host.find_first_of("/?#@ ") != std::string::npos) bad_id(id, "the host has unexpected characters");
  if (!port.empty() || rest.ends_with(':')) a.port = parse_port(id, port);
  a.id = tcp_url(a.host, a.port);
  return a;
}

DeviceAddress parse_usb(std::string_view id, std::string_view path) {
  // BUS-PORT[.PORT...]: digits, one '-', then digits separated by dots.
  const auto dash = path.find('-');
  bool ok = dash != std::string_view::npos && dash > 0 && dash + 1 < path.size();
  for (std::size_t i = 0; ok && i < path.size(); ++i) {
    const char c = path[i];
    ok = (c >= '0' && c <= '9') || (i == dash) || (c == '.' && i > dash + 1 && path[i - 1] != '.');
  }
  if (!ok || path.ends_with('.')) bad_id(id, "expected usb:BUS-PORTS such as usb:1-4.2");
  DeviceAddress a;
  a.kind = DeviceAddress::Kind::kUsb;
  a.usb_path = path;
  a.id = "usb:" + a.usb_path;
  return a;
}

}  // namespace

DeviceAddress parse_device_id(std::string_view id) {
  if (id.starts_with("tcp://")) return parse_tcp(id, id.substr(6));
  if (id.starts_with("usb:")) return parse_usb(id, id.substr(4));
  bad_id(id, "unknown kind of device");
}

std::unique_ptr<ByteStream> open_device(const DeviceAddress& address, Deadline deadline) {
  if (address.kind == DeviceAddress::Kind::kUsb) return open_usb(address.usb_path, deadline);
  return TcpStream::connect(address.host, address.port, deadline);
}

}  // namespace rknn::device
