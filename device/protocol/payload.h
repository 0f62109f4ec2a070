// Payload encoding of the wire protocol (docs/protocol.md): little-endian
// fixed-width integers, and strings/byte blocks as a u32 length followed by
// the bytes. The reader checks every length against what is left, so a
// malformed payload is a ProtocolError, never an out-of-bounds read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rknn::device {

class PayloadWriter {
 public:
  void u8(std::uint8_t v);
  void u16(std::uint16_t v);
  void u32(std::uint32_t v);
  void u64(std::uint64_t v);
  void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void f32(float v);
  void string(std::string_view s);
  void bytes(std::span<const std::byte> b);  // u32 length, then the bytes

  std::vector<std::byte>& data() { return data_; }
  std::vector<std::byte> take() { return std::move(data_); }

 private:
  void raw(const void* p, std::size_t n);
  std::vector<std::byte> data_;
};

class PayloadReader {
 public:
  // `what` names the message in errors ("LOAD_CHUNK request").
  PayloadReader(std::span<const std::byte> data, std::string what) : data_(data), what_(std::move(what)) {}

  std::uint8_t u8();
  std::uint16_t u16();
  std::uint32_t u32();
  std::uint64_t u64();
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  float f32();
  // A string of at most `max` bytes.
  std::string string(std::size_t max = 1 << 20);
  // A view into the payload: valid while the payload is.
  std::span<const std::byte> bytes();
  // Throws unless every byte was read.
  void finish() const;
  std::size_t remaining() const { return data_.size() - at_; }

 private:
  std::span<const std::byte> take(std::size_t n, const char* field);
  [[noreturn]] void malformed(const std::string& why) const;

  std::span<const std::byte> data_;
  std::size_t at_ = 0;
  std::string what_;
};

}  // namespace rknn::device
