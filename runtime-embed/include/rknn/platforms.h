// The NPU platforms a model can target and their compatibility groups: a
// model built for one chip runs on the others of its group, never across
// groups. (The full per-chip table with MAC rates, clocks and buffers comes
// with the platforms issue.)
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace rknn {

struct PlatformEntry {
  std::string_view name;
  int group;  // chips in the same group share the NPU generation and instruction set
};

inline constexpr std::array<PlatformEntry, 9> kPlatforms{{
    {"rk1808", 0},
    {"rk3399pro", 0},
    {"rv1109", 1},
    {"rv1126", 1},
    {"rk3566", 2},
    {"rk3568", 2},
    {"rk3588", 3},
    {"rv1103", 4},
    {"rv1106", 4},
}};

inline std::optional<int> platform_group(std::string_view name) {
  for (const auto& p : kPlatforms) {
    if (p.name == name) return p.group;
  }
  return std::nullopt;
}

}  // namespace rknn
