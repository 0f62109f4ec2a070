// The .rknn artifact as the runtime sees it: model attributes plus the
// simulator program. The schema is schema/rknn_model.fbs; the writer lives in
// compiler/artifact/, the reader here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "rknn/sim/planned_program.h"
#include "rknn/sim/program.h"

namespace rknn::format {

// Version of the artifact layout; readers refuse versions outside
// [kOldestFormatVersion, kFormatVersion]. Version 2: float16 models store their
// float32 graph constants as IEEE binary16 (half_weights below).
inline constexpr std::uint32_t kFormatVersion = 2;
inline constexpr std::uint32_t kOldestFormatVersion = 1;
// Constants in the data section start on this boundary.
inline constexpr std::size_t kDataAlignment = 64;

enum class Layout : std::uint8_t { kNCHW = 0, kNHWC = 1, kUndefined = 2 };
enum class QuantType : std::uint8_t { kNone = 0, kDynamicFixedPoint = 1, kAffineAsymmetric = 2 };

struct QuantInfo {
  QuantType type = QuantType::kNone;
  std::int8_t fl = 0;
  std::vector<std::int32_t> zero_point;
  std::vector<float> scale;
  std::int32_t axis = -1;
};

// An input or output as rknn_query reports it.
struct IoInfo {
  int tensor = -1;                 // index into the program's tensors
  std::string name;
  std::vector<std::int64_t> dims;  // outermost first, in `fmt`
  Layout fmt = Layout::kUndefined;
  sim::DType type = sim::DType::kFloat32;
  QuantInfo quant;
};

// rknn_inputs_set without pass_through: reorder channels, then (x - mean) / std.
struct Preprocessing {
  std::vector<float> mean;
  std::vector<float> std;
  std::vector<std::int32_t> reorder;
  bool empty() const { return mean.empty() && std.empty() && reorder.empty(); }
};

struct ModelInfo {
  std::uint32_t format_version = kFormatVersion;
  std::string compiler_version;
  std::vector<std::string> platforms;
  std::string quantization = "float32";
  int optimization_level = 3;
  std::vector<IoInfo> inputs;
  std::vector<IoInfo> outputs;
  std::vector<Preprocessing> preprocess;  // one per input
  std::string custom_string;
  bool precompiled = false;  // the artifact carries a pre-compiled program (docs/precompile.md)
  // Sync points: program node indices after which a run may yield, ascending,
  // each before the last node (docs/protocol.md, "Segmented models").
  std::vector<std::int32_t> sync_after;
};

// Format version 2 and later: the model's float32 graph constants are stored
// as IEEE binary16 (DataType Float16, 2 bytes per value, values already
// rounded to half by the compiler) and widened to float32 when the model is
// loaded; the graph keeps them as float32 (docs/quantization.md, "float16
// weights in the artifact"). True for float16 models.
inline bool half_weights(const ModelInfo& info) {
  return info.quantization == "float16" && info.format_version >= 2;
}

// A model that failed verification: the message says what is wrong.
class FormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A pre-compiled program in a format version this runtime does not run
// (docs/precompile.md): RKNN_ERR_INCOMPATILE_PRE_COMPILE_MODEL.
class IncompatibleProgramError : public FormatError {
 public:
  using FormatError::FormatError;
};

struct LoadedModel {
  ModelInfo info;
  sim::Program program;
  std::size_t weight_bytes = 0;             // size of the data section
  std::shared_ptr<const std::byte> storage;  // owned copy when the input was not 64-byte aligned
  std::optional<sim::PlannedProgram> precompiled;  // a pre-compiled model's program (docs/precompile.md)
};

// Verifies the buffer (flatbuffers verifier, then indices, sizes and ranges)
// and builds the program. Constants reference `bytes` in place when it is
// 64-byte aligned, so it must outlive the result; otherwise they are copied.
// Half weights (half_weights above) are widened into owned float32 copies.
// Throws FormatError.
LoadedModel load_model(std::span<const std::byte> bytes);

// True when the buffer starts like an artifact (size prefix + identifier).
bool looks_like_model(std::span<const std::byte> bytes);

}  // namespace rknn::format
