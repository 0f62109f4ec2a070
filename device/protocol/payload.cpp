#include "protocol/payload.h"

#include <bit>
#include <cstring>

#include "protocol/errors.h"
#include "rknn_api.h"

namespace rknn::device {
namespace {

template <class T>
T load_le(std::span<const std::byte> b) {
  T v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) v |= static_cast<T>(std::to_integer<T>(b[i]) << (8 * i));
  return v;
}

}  // namespace

void PayloadWriter::raw(const void* p, std::size_t n) {
  const auto* b = static_cast<const std::byte*>(p);
  data_.insert(data_.end(), b, b + n);
}

void PayloadWriter::u8(std::uint8_t v) { data_.push_back(std::byte{v}); }

void PayloadWriter::u16(std::uint16_t v) {
  for (int i = 0; i < 2; ++i) data_.push_back(static_cast<std::byte>(v >> (8 * i)));
}

void PayloadWriter::u32(std::uint32_t v) {
  for (int i = 0; i < 4; ++i) data_.push_back(static_cast<std::byte>(v >> (8 * i)));
}

void PayloadWriter::u64(std::uint64_t v) {
  for (int i = 0; i < 8; ++i) data_.push_back(static_cast<std::byte>(v >> (8 * i)));
}

void PayloadWriter::f32(float v) { u32(std::bit_cast<std::uint32_t>(v)); }

void PayloadWriter::string(std::string_view s) {
  u32(static_cast<std::uint32_t>(s.size()));
  raw(s.data(), s.size());
}

void PayloadWriter::bytes(std::span<const std::byte> b) {
  u32(static_cast<std::uint32_t>(b.size()));
  if (!b.empty()) raw(b.data(), b.size());
}

void PayloadReader::malformed(const std::string& why) const {
  throw ProtocolError(RKNN_ERR_PARAM_INVALID, "malformed " + what_ + ": " + why);
}

std::span<const std::byte> PayloadReader::take(std::size_t n, const char* field) {
  if (n > remaining()) {
    malformed(std::string(field) + " needs " + std::to_string(n) + " bytes at offset " + std::to_string(at_) +
              ", the payload has " + std::to_string(remaining()) + " left");
  }
  const auto out = data_.subspan(at_, n);
  at_ += n;
  return out;
}

std::uint8_t PayloadReader::u8() { return std::to_integer<std::uint8_t>(take(1, "u8")[0]); }
std::uint16_t PayloadReader::u16() { return load_le<std::uint16_t>(take(2, "u16")); }
std::uint32_t PayloadReader::u32() { return load_le<std::uint32_t>(take(4, "u32")); }
std::uint64_t PayloadReader::u64() { return load_le<std::uint64_t>(take(8, "u64")); }
float PayloadReader::f32() { return std::bit_cast<float>(u32()); }

std::string PayloadReader::string(std::size_t max) {
  const std::uint32_t n = u32();
  if (n > max) malformed("a string of " + std::to_string(n) + " bytes (at most " + std::to_string(max) + ")");
  const auto b = take(n, "string");
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

std::span<const std::byte> PayloadReader::bytes() { return take(u32(), "byte block"); }

void PayloadReader::finish() const {
  if (remaining() != 0) malformed(std::to_string(remaining()) + " unexpected bytes at the end");
}

}  // namespace rknn::device
