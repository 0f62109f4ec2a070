// CRC-32 as used by zlib, PNG and Ethernet (reflected polynomial 0xEDB88320,
// initial value and final xor 0xFFFFFFFF): crc32("123456789") == 0xCBF43926.
//
// Our own 30 lines instead of zlib's crc32(): the board agent then needs no
// library beyond the C++ runtime, so it cross-compiles with a plain toolchain
// (no arm64 zlib in the sysroot). tests/device checks it against zlib.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace rknn::device {

// The CRC of `data` continued from `crc` (the CRC of what came before; 0 to start).
std::uint32_t crc32(std::span<const std::byte> data, std::uint32_t crc = 0);

}  // namespace rknn::device
