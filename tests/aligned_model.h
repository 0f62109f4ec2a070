// A model in 64-byte aligned memory, as a linker places an embedded model, so
// the runtime uses its constants in place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rknn::testing {

class AlignedModel {
 public:
  explicit AlignedModel(std::string_view bytes) : blocks_(bytes.size() / 64 + 1), size_(bytes.size()) {
    std::memcpy(blocks_.data(), bytes.data(), bytes.size());
  }
  void* data() { return blocks_.data(); }
  std::uint32_t size() const { return static_cast<std::uint32_t>(size_); }
  std::span<const std::byte> span() const { return {reinterpret_cast<const std::byte*>(blocks_.data()), size_}; }

 private:
  struct alignas(64) Block {
    unsigned char bytes[64];
  };
  std::vector<Block> blocks_;
  std::size_t size_;
};

// A model file read into aligned memory; an unreadable or empty file throws.
class ModelFile : public AlignedModel {
 public:
  explicit ModelFile(const std::filesystem::path& path) : AlignedModel(read(path)) {}

 private:
  static std::string read(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (bytes.empty()) throw std::runtime_error("cannot read " + path.string());
    return bytes;
  }
};

}  // namespace rknn::testing
