// The NPU platforms a model can target: compatibility groups, the
// quantization types each chip runs, and the hardware figures the cost model
// (perf_model.h) works from. The one table lives in
// simulator/platforms/platforms.cpp, each value with its source; docs/perf-model.md
// explains how the calibrated constants were fitted.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace rknn::sim {

// Arithmetic the NPU runs a layer in. Float tensors run as float16 on every
// chip that has a float path (the NPU has no float32 arithmetic).
enum class Precision { kInt8, kInt16, kFloat16 };

std::string_view precision_name(Precision precision);  // "int8", "int16", "float16"

struct Platform {
  std::string_view name;              // "rk1808"
  int group = 0;                      // chips of one group run each other's models, never across groups
  std::string_view group_members;     // "rk1808 rk3399pro", for messages
  // Canonical quantization types (driver::canonical_quantization) the chip runs.
  std::array<std::string_view, 5> quantizations{};

  // Hardware, per NPU core.
  int int8_macs = 0;                  // multiply-accumulates per cycle
  int int16_macs = 0;
  int fp16_macs = 0;                  // 0: no float path
  int clock_mhz = 0;                  // highest NPU clock
  double dram_gb_per_s = 0;           // peak DRAM bandwidth shared with the rest of the chip (1e9 bytes/s)
  int onchip_kib = 0;                 // on-chip buffer that holds weights and feature slices
  int cores = 1;

  // Cost-model constants (docs/perf-model.md).
  int channel_granule_in = 1;         // input channels the MAC array takes per step
  int channel_granule_out = 1;        // output channels it produces per step
  int vector_lanes = 1;               // elements per cycle of the pooling/element-wise unit
  double mac_efficiency = 1;          // fraction of peak a 3x3 conv with full channel granules reaches
  double op_overhead_us = 0;          // fixed cost of one layer (dispatch, pipeline fill)

  bool supports(std::string_view quantization) const;
  int macs_per_cycle(Precision precision) const;  // per core; float16 falls back to 16-bit when absent
  double peak_tops() const;                        // int8, all cores: 2 * MACs * clock
  std::string quantization_list() const;           // "asymmetric_u8 float16 ..."
};

// Every supported platform, in the order RKNN lists them.
std::span<const Platform> platforms();

// The platform called `name` (lower case, as the RKNN target_platform values), or null.
const Platform* find_platform(std::string_view name);

// Compatibility group of `name`, or nullopt for an unknown name.
std::optional<int> platform_group(std::string_view name);

// "rk1808 rk3399pro rv1109 ...": every name, for error messages.
std::string platform_names();

}  // namespace rknn::sim
