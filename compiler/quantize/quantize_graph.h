// Rewrites an optimized float graph into a quantized one from calibration
// statistics: activations get integer types and parameters, weights and
// biases are quantized, and every node the simulator has no integer kernel
// for runs in float between DequantizeLinear and QuantizeLinear nodes.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "calibration/statistics.h"
#include "ir/graph.h"

namespace rknn::quantize {

struct QuantSpec {
  sim::DType type = sim::DType::kUInt8;  // uint8 (asymmetric), int8 / int16 (dynamic fixed point)
  bool per_channel = true;              // weights per output channel
  calibration::Algorithm algorithm = calibration::Algorithm::kNormal;
};

// Parameters for values in `range` (asymmetric u8 includes 0 in the range;
// dynamic fixed point picks the largest fl that still holds the range).
sim::QuantParams params_for_range(calibration::Range range, sim::DType type);

// Returns the compile-log lines (one per node kept in float).
std::vector<std::string> quantize_graph(ir::Graph& graph,
                                        const std::map<std::string, calibration::TensorStatistics>& statistics,
                                        const QuantSpec& spec);

}  // namespace rknn::quantize
