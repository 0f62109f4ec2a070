// Serializes a compiled model into the .rknn artifact (schema:
// runtime-embed/schema/rknn_model.fbs): a size-prefixed flatbuffer followed
// by a 64-byte aligned data section holding every constant. A float16 model's
// float32 graph constants are stored as IEEE binary16 (format version 2,
// format::half_weights); a value that is not a half is a CompileError.
#pragma once

#include <string>

#include "rknn/model_format.h"
#include "rknn/sim/planned_program.h"

namespace rknn::artifact {

// Deterministic: the same info and program give the same bytes. A
// pre-compiled model also carries its planned program (docs/precompile.md).
std::string write_artifact(const format::ModelInfo& info, const sim::Program& program,
                           const sim::PlannedProgram* precompiled = nullptr);

}  // namespace rknn::artifact
