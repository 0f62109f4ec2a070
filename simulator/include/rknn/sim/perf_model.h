// Performance estimate (RKNN eval_perf): a per-layer cost model of one NPU
// core of a platform. The program's nodes are grouped into the layers the NPU
// runs as one operation (a convolution with its activation and, under the
// Trouble Shooting 5.1 rules, its max pooling; views ride along for free);
// each layer costs
//   time = max(compute, memory) + overhead
//   compute = MACs / (MACs per cycle at its precision * utilization * clock)
//   memory  = DRAM bytes / (bandwidth * efficiency)
// docs/perf-model.md gives every equation and constant and the calibration
// against the RKNN model zoo.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rknn/sim/platforms.h"
#include "rknn/sim/program.h"

namespace rknn::sim {

struct PerfLayer {
  int id = 0;
  std::string name;         // the first node's name
  std::string op;           // node ops joined by '+', e.g. "Conv+MaxPool"
  std::vector<int> nodes;   // program node indices, in execution order
  Precision precision = Precision::kFloat16;
  std::uint64_t macs = 0;   // multiply-accumulates (0 for layers without a MAC-array op)
  std::uint64_t bytes = 0;  // DRAM traffic: inputs (re-read when the on-chip buffer is short), weights, outputs
  double utilization = 1;   // (0, 1]: achieved fraction of the unit's peak (MAC array or vector unit)
  double compute_us = 0;
  double memory_us = 0;
  double overhead_us = 0;
  double time_us = 0;       // max(compute_us, memory_us) + overhead_us
};

struct PerfReport {
  std::string platform;
  int clock_mhz = 0;
  int cores_used = 1;                 // the estimate is for one core, as the model zoo measures
  std::vector<PerfLayer> layers;      // in execution order
  std::vector<int> host_nodes;        // nodes computable at compile time (shapes of static tensors): no NPU time
  std::uint64_t total_macs = 0;
  std::uint64_t total_bytes = 0;
  double total_us = 0;
  double fps = 0;                     // 1e6 / total_us
};

// Deterministic: the same program and platform give the same report, bit for bit.
// Throws Error when a node's inputs do not have the shapes its op needs.
PerfReport estimate_perf(const Program& program, const Platform& platform);

// The RKNN-style table: layer id, name, op, time (us), MACs, utilization, then
// the total and the FPS at the platform clock.
std::string perf_table(const PerfReport& report);

// The report as one JSON object (fixed number formatting; byte-identical for equal reports).
std::string perf_json(const PerfReport& report);

}  // namespace rknn::sim
