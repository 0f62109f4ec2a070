// Reading a pre-compiled model's program from the artifact (docs/precompile.md):
// the format version first, then the steps, kernels, tiles and placements as
// they are stored. Whether they fit the graph and the arena is checked by
// sim::PlannedExecutor, which relies on it.
#pragma once

#include <optional>

#include "rknn/model_format.h"

namespace rknn::format {

namespace fb {
struct Model;
}

// The model's pre-compiled program, or nullopt for a model without one.
// Throws IncompatibleProgramError for a program format version other than
// sim::kPlannedProgramVersion, FormatError for a malformed program or one for
// a platform the model does not name.
std::optional<sim::PlannedProgram> read_precompiled(const fb::Model& model, const ModelInfo& info);

}  // namespace rknn::format
