// The platform table. Every figure says where it comes from:
//   [guide]   Rockchip RKNN-Toolkit User Guide V1.3.2 (config target_platform, quantized_dtype;
//             the eval_perf sample prints "FPS(800MHz)" for RK1808)
//   [guide2]  Rockchip RKNN-Toolkit2 User Guide V1.3.0 (target_platform, quantized_dtype:
//             asymmetric_quantized-8 only, 16-bit not supported; float16 when not quantizing)
//   [radxa]   Radxa ROCK Pi N10 wiki, "NPU in RK3399pro": 1920 int8 / 192 int16 / 64 fp16 MACs
//             per cycle (the RK1808 carries the same NPU: 1920 * 2 * 800 MHz = 3.07 TOPS, its
//             published 3.0 TOPS)
//   [trm3588] RK3588 TRM as quoted in a public write-up (jas-hacks blog, 2023): 1024x3 int8 MACs
//             per cycle, NPU clock 1 GHz, 6 TOPS
//   [re3588]  reverse-engineered RK3588 NPU (mtx512/rk3588-npu, include/npu_hw.h): CBUF of
//             12 banks x 32 KiB per core
//   [rknpu]   Rockchip rknpu scaling_frequency.sh: RV1126 NPU 934 MHz, RV1109 594 MHz, DDR 924 MHz
//   [tops]    Rockchip product pages: RV1126 2.0 TOPS, RV1109 1.2 TOPS, RK3566/RK3568 0.8 TOPS
//             (RK3568 datasheet: "up to 1 TOPS"), RV1106 1.0 TOPS, RV1103 0.5 TOPS, RV1106 NPU
//             "int4/int8/int16" (no float16)
//   [fit]     calibrated: fitted to the RKNN model zoo INT8 figures for MobileNetV2 and
//             ResNet-50 (docs/perf-model.md, calibration table)
//   estimate  no published figure found; derived as the comment says. Treat as a guess.
#include "rknn/sim/platforms.h"

#include <algorithm>

namespace rknn::sim {
namespace {

// RKNN-Toolkit (first generation): asymmetric_quantized-u8, dynamic_fixed_point-8/16 [guide];
// float16 when not quantizing; float32 is the simulator's reference type, run as float16.
constexpr std::array<std::string_view, 5> kToolkit1Types{
    "asymmetric_u8", "dynamic_fixed_point_i8", "dynamic_fixed_point_i16", "float16", "float32"};
// RKNN-Toolkit2: asymmetric 8-bit only [guide2] (our asymmetric_u8 is the same arithmetic with the
// zero point shifted by 128), float16 when not quantizing.
constexpr std::array<std::string_view, 5> kToolkit2Types{"asymmetric_u8", "float16", "float32"};
// RV1103/RV1106: no float path [tops], quantized models only.
constexpr std::array<std::string_view, 5> kInt8OnlyTypes{"asymmetric_u8"};

// RK1808 / RK3399Pro: one NPU design [radxa]. Clock 800 MHz [guide]. DRAM: 32-bit LPDDR3/DDR4 at
// 1600 MT/s = 6.4 GB/s (estimate). On-chip buffer 512 KiB (estimate). Granules 16 x 8 (estimate).
constexpr Platform rk1808_like(std::string_view name) {
  Platform p;
  p.name = name;
  p.group = 0;
  p.group_members = "rk1808 rk3399pro";
  p.quantizations = kToolkit1Types;
  p.int8_macs = 1920;
  p.int16_macs = 192;
  p.fp16_macs = 64;
  p.clock_mhz = 800;
  p.dram_gb_per_s = 6.4;
  p.onchip_kib = 512;
  p.channel_granule_in = 16;
  p.channel_granule_out = 8;
  p.vector_lanes = 16;       // estimate
  p.mac_efficiency = 0.14;   // [fit]
  p.op_overhead_us = 35.5;   // [fit]
  return p;
}

// RV1109 / RV1126: int8 MACs 1024 (estimate: 2.0 TOPS at 934 MHz and 1.2 TOPS at 594 MHz [tops]
// [rknpu] both give ~1024); int16 and float16 at the RK1808's ratios 1/10 and 1/30 (estimate).
// DRAM: 32-bit DDR4 at 924 MHz [rknpu] = 1848 MT/s * 4 B = 7.4 GB/s. On-chip 256 KiB (estimate).
constexpr Platform rv1126_like(std::string_view name, int clock_mhz) {
  Platform p;
  p.name = name;
  p.group = 1;
  p.group_members = "rv1109 rv1126";
  p.quantizations = kToolkit1Types;
  p.int8_macs = 1024;
  p.int16_macs = 102;
  p.fp16_macs = 34;
  p.clock_mhz = clock_mhz;
  p.dram_gb_per_s = 7.4;
  p.onchip_kib = 256;
  p.channel_granule_in = 16;
  p.channel_granule_out = 8;
  p.vector_lanes = 16;       // estimate
  p.mac_efficiency = 0.20;   // [fit] jointly on RV1109 and RV1126 (four figures)
  p.op_overhead_us = 0;      // [fit]: the best fit leaves no separate per-layer cost
  return p;
}

// RK3566 / RK3568: int8 MACs 512 at 1 GHz (estimate from the datasheet's "up to 1 TOPS" [tops]);
// int16 and float16 at half rate (estimate, RK3588 ratio). DRAM: 32-bit LPDDR4X-3120 = 12.5 GB/s
// (estimate). On-chip 256 KiB (estimate). Granules 32 x 16 (estimate, as the RK3588's int8 layout).
constexpr Platform rk3568_like(std::string_view name) {
  Platform p;
  p.name = name;
  p.group = 2;
  p.group_members = "rk3566 rk3568";
  p.quantizations = kToolkit2Types;
  p.int8_macs = 512;
  p.int16_macs = 256;
  p.fp16_macs = 256;
  p.clock_mhz = 1000;
  p.dram_gb_per_s = 12.5;
  p.onchip_kib = 256;
  p.channel_granule_in = 32;
  p.channel_granule_out = 16;
  p.vector_lanes = 16;       // estimate
  p.mac_efficiency = 0.43;   // [fit] on RK3566/RK3568
  p.op_overhead_us = 27.5;   // [fit]
  return p;
}

// RK3588: 3 cores x 1024 int8 MACs at 1 GHz [trm3588]; int16/float16 512 per core (estimate,
// half rate). DRAM: 64-bit LPDDR4X-4224 = 33.8 GB/s (estimate). CBUF 384 KiB per core [re3588].
// Granules 32 x 32 (estimate; the reverse-engineered int8 matmul wants K multiples of 32).
constexpr Platform rk3588() {
  Platform p;
  p.name = "rk3588";
  p.group = 3;
  p.group_members = "rk3588";
  p.quantizations = kToolkit2Types;
  p.int8_macs = 1024;
  p.int16_macs = 512;
  p.fp16_macs = 512;
  p.clock_mhz = 1000;
  p.dram_gb_per_s = 33.8;
  p.onchip_kib = 384;
  p.cores = 3;
  p.channel_granule_in = 32;
  p.channel_granule_out = 32;
  p.vector_lanes = 16;       // estimate
  p.mac_efficiency = 0.60;   // [fit] (model zoo: single core)
  p.op_overhead_us = 14;     // [fit]
  return p;
}

// RV1103 / RV1106: int8 MACs 512 (estimate: RV1106 1.0 TOPS [tops] at 1 GHz); the RV1103's
// 0.5 TOPS as the same core at 500 MHz (estimate). int16 half rate (estimate), no float16 [tops].
// DRAM in the package: RV1106 16-bit DDR3L-1866 = 3.7 GB/s, RV1103 16-bit DDR2-1066 = 2.1 GB/s
// (estimates). On-chip 128 KiB (estimate). Constants as RK3566's, the same NPU generation
// (estimate: no RV110x figure in the model zoo table to fit).
constexpr Platform rv1106_like(std::string_view name, int clock_mhz, double dram_gb_per_s) {
  Platform p = rk3568_like(name);
  p.group = 4;
  p.group_members = "rv1103 rv1106";
  p.quantizations = kInt8OnlyTypes;
  p.int8_macs = 512;
  p.int16_macs = 256;
  p.fp16_macs = 0;
  p.clock_mhz = clock_mhz;
  p.dram_gb_per_s = dram_gb_per_s;
  p.onchip_kib = 128;
  return p;
}

constexpr std::array<Platform, 9> kPlatforms{
    rk1808_like("rk1808"),
    rk1808_like("rk3399pro"),
    rv1126_like("rv1109", 594),
    rv1126_like("rv1126", 934),
    rk3568_like("rk3566"),
    rk3568_like("rk3568"),
    rk3588(),
    rv1106_like("rv1103", 500, 2.1),
    rv1106_like("rv1106", 1000, 3.7),
};

}  // namespace

std::string_view precision_name(Precision precision) {
  switch (precision) {
    case Precision::kInt8: return "int8";
    case Precision::kInt16: return "int16";
    case Precision::kFloat16: return "float16";
  }
  return "?";
}

bool Platform::supports(std::string_view quantization) const {
  return !quantization.empty() &&
         std::find(quantizations.begin(), quantizations.end(), quantization) != quantizations.end();
}

int Platform::macs_per_cycle(Precision precision) const {
  switch (precision) {
    case Precision::kInt8: return int8_macs;
    case Precision::kInt16: return int16_macs;
    case Precision::kFloat16: return fp16_macs > 0 ? fp16_macs : int16_macs;
  }
  return int8_macs;
}

double Platform::peak_tops() const { return 2.0 * int8_macs * clock_mhz * 1e6 * cores / 1e12; }

std::string Platform::quantization_list() const {
  std::string list;
  for (std::string_view q : quantizations) {
    if (!q.empty()) list += (list.empty() ? "" : " ") + std::string(q);
  }
  return list;
}

std::span<const Platform> platforms() { return kPlatforms; }

const Platform* find_platform(std::string_view name) {
  for (const Platform& p : kPlatforms) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::optional<int> platform_group(std::string_view name) {
  const Platform* p = find_platform(name);
  return p ? std::optional<int>(p->group) : std::nullopt;
}

std::string platform_names() {
  std::string names;
  for (const Platform& p : kPlatforms) names += (names.empty() ? "" : " ") + std::string(p.name);
  return names;
}

}  // namespace rknn::sim
