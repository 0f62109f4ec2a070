// What the simulator backend says about the NPU it stands in for: which
// platform it acts as (and whether the model may run there), the estimated
// NPU time of a run (simulator/cost) and the planned memory (simulator/memory).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rknn/model_format.h"
#include "rknn/sim/executor.h"
#include "rknn/sim/perf_model.h"

namespace rknn::runtime {

// The platform the simulator acts as: `requested` (else the
// RKNN_TARGET_PLATFORM environment variable), or the model's first target
// platform when neither is set. Throws ApiError: RKNN_ERR_PARAM_INVALID for an
// unknown name, RKNN_ERR_TARGET_PLATFORM_UNMATCH when the model was built for
// another compatibility group, RKNN_ERR_MODEL_INVALID when the model names no
// platform, an unknown one or several groups.
const sim::Platform& target_platform(const format::ModelInfo& info, const char* requested);

// The estimated NPU time of `program` on `platform`; a program the cost
// model cannot read is RKNN_ERR_MODEL_INVALID (ApiError).
sim::PerfReport estimate_npu_time(const sim::Program& program, const sim::Platform& platform);

// The RKNN_QUERY_PERF_DETAIL text: one row per program node with the measured
// simulator time of the last run (when there was one) and the estimated NPU
// time of the layer the node starts ("fused" for nodes that ride in the layer
// before, "host" for nodes computed at compile time), then the totals.
std::string perf_detail_text(const sim::Program& program, const sim::PerfReport& estimate,
                             const std::vector<sim::NodeTiming>* measured);

}  // namespace rknn::runtime
