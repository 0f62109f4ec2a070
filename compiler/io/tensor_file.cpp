#include "io/tensor_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "frontend/onnx_tensor.h"
#include "io/atomic_file.h"
#include "ir/error.h"

namespace rknn::io {
namespace {

constexpr char kMagic[] = "\x93NUMPY";

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CompileError("cannot open tensor file '" + path.string() + "': " + std::strerror(errno));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct NpyDescr {
  const char* text;
  sim::DType dtype;
};

constexpr NpyDescr kDescrs[] = {
    {"<f4", sim::DType::kFloat32}, {"<f2", sim::DType::kFloat16}, {"|u1", sim::DType::kUInt8},
    {"|i1", sim::DType::kInt8},    {"<i2", sim::DType::kInt16},   {"<i4", sim::DType::kInt32},
    {"<i8", sim::DType::kInt64},   {"|b1", sim::DType::kBool},
};

sim::DType dtype_of_descr(const std::string& descr, const std::string& where) {
  for (const auto& d : kDescrs) {
    if (descr == d.text) return d.dtype;
  }
  throw CompileError(where + ": dtype '" + descr +
                     "' is not supported (float32, float16, uint8, int8, int16, int32, int64, bool, little endian)");
}

const char* descr_of(sim::DType dtype) {
  for (const auto& d : kDescrs) {
    if (d.dtype == dtype) return d.text;
  }
  return "";
}

sim::Shape parse_shape(const std::string& text, const std::string& where) {
  if (text.find_first_not_of("0123456789, ") != std::string::npos) {
    throw CompileError(where + ": cannot read shape (" + text + ")");
  }
  sim::Shape shape;
  std::size_t pos = 0;
  while ((pos = text.find_first_of("0123456789", pos)) != std::string::npos) {
    const std::size_t end = text.find_first_not_of("0123456789", pos);
    shape.push_back(std::stoll(text.substr(pos, end - pos)));
    pos = end;
  }
  return shape;
}

// The text after `'key':` in a .npy header dict, up to `stop` (exclusive);
// empty if the key is missing.
std::string header_field(const std::string& header, const std::string& key, std::size_t skip_open, char stop) {
  std::size_t pos = header.find("'" + key + "':");
  if (pos == std::string::npos) return {};
  pos = header.find_first_not_of(' ', pos + key.size() + 3);
  if (pos == std::string::npos) return {};
  pos += skip_open;
  std::size_t end = header.find(stop, pos);
  if (end == std::string::npos) return {};
  while (end > pos && header[end - 1] == ' ') --end;
  return header.substr(pos, end - pos);
}

}  // namespace

sim::Tensor read_npy(const std::filesystem::path& path) {
  const std::string where = "'" + path.string() + "'";
  const std::string bytes = read_all(path);
  if (bytes.size() < 10 || bytes.compare(0, 6, kMagic, 6) != 0) throw CompileError(where + " is not a .npy file");
  const int major = static_cast<unsigned char>(bytes[6]);
  const std::size_t length_bytes = major == 1 ? 2 : 4;
  std::size_t header_len = 0;
  for (std::size_t i = 0; i < length_bytes; ++i) {
    header_len |= static_cast<std::size_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
  }
  const std::size_t data_start = 8 + length_bytes + header_len;
  if (data_start > bytes.size()) throw CompileError(where + ": truncated .npy header");
  const std::string header = bytes.substr(8 + length_bytes, header_len);

  const std::string descr = header_field(header, "descr", 1, '\'');         // '<f4'
  const std::string order = header_field(header, "fortran_order", 0, ',');  // False
  const std::string shape = header_field(header, "shape", 1, ')');          // (1, 3)
  if (descr.empty() || order.empty() || header.find("'shape':") == std::string::npos) {
    throw CompileError(where + ": malformed .npy header");
  }
  if (order == "True") throw CompileError(where + ": Fortran-order arrays are not supported; save in C order");
  sim::Tensor t(dtype_of_descr(descr, where), parse_shape(shape, where));
  if (bytes.size() - data_start != t.byte_size()) {
    throw CompileError(where + ": holds " + std::to_string(bytes.size() - data_start) + " data bytes, " +
                       t.type().to_string() + " needs " + std::to_string(t.byte_size()));
  }
  std::memcpy(t.raw(), bytes.data() + data_start, t.byte_size());
  return t;
}

std::string encode_npy(const sim::Tensor& tensor) {
  // Python tuple syntax: "()", "(3,)", "(1, 3, 224, 224)".
  std::string shape;
  for (std::size_t i = 0; i < tensor.shape().size(); ++i) {
    shape += (i ? ", " : "") + std::to_string(tensor.shape()[i]);
  }
  if (tensor.shape().size() == 1) shape += ",";
  std::string header = std::string("{'descr': '") + descr_of(tensor.dtype()) +
                       "', 'fortran_order': False, 'shape': (" + shape + "), }";
  // Pad with spaces so that magic + version + length + header ends on a 64-byte boundary.
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::string out(kMagic, 6);
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>((header.size() >> 8) & 0xff);
  out += header;
  out.append(reinterpret_cast<const char*>(tensor.raw()), tensor.byte_size());
  return out;
}

void write_npy(const std::filesystem::path& path, const sim::Tensor& tensor) {
  write_file_atomically(path, encode_npy(tensor));
}

sim::Tensor read_tensor_pb(const std::filesystem::path& path) {
  onnx::TensorProto proto;
  if (!proto.ParseFromString(read_all(path))) {
    throw CompileError("'" + path.string() + "' is not an ONNX TensorProto file");
  }
  return frontend::tensor_from_onnx(proto, "'" + path.string() + "'");
}

sim::Tensor read_file_aligned(const std::filesystem::path& path) {
  const std::string bytes = read_all(path);
  sim::Tensor t(sim::DType::kUInt8, {static_cast<std::int64_t>(bytes.size())});
  std::memcpy(t.raw(), bytes.data(), bytes.size());
  return t;
}

sim::Tensor read_tensor_file(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".npy") return read_npy(path);
  if (ext == ".pb") return read_tensor_pb(path);
  throw CompileError("'" + path.string() + "': unknown tensor file type; expected .npy or .pb");
}

}  // namespace rknn::io
