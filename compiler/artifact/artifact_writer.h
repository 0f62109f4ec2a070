// Serializes a compiled model into the .rknn artifact (schema:
// runtime-embed/schema/rknn_model.fbs): a size-prefixed flatbuffer followed
// by a 64-byte aligned data section holding every constant.
#pragma once

#include <string>

#include "rknn/model_format.h"

namespace rknn::artifact {

// Deterministic: the same info and program give the same bytes.
std::string write_artifact(const format::ModelInfo& info, const sim::Program& program);

}  // namespace rknn::artifact
