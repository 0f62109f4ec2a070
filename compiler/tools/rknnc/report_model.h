// The model that `rknnc platforms`, `perf` and `memory` report on: an .rknn
// artifact as it is, or an ONNX model compiled with the compile options
// (nothing written), plus the shared bits of their output.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "commands.h"
#include "rknn/model_format.h"
#include "rknn/sim/json_text.h"
#include "rknn/sim/platforms.h"
#include "rknn/sim/tensor.h"

namespace rknn::cli {

using sim::json_string;

struct ReportModel {
  format::ModelInfo info;
  sim::Program program;
  std::uint64_t artifact_bytes = 0;  // the .rknn file, or the artifact compile would write
  // An artifact's bytes (and its decrypted copy): its constants point into them.
  sim::Tensor file;
  encryption::Decrypted plain;
};

// `path` ending in .rknn is read (decrypted with `key` when encrypted); any
// other path is compiled as ONNX with `flags`. Throws CompileError / FormatError.
ReportModel load_report_model(const std::string& path, const CompileFlags& flags, const encryption::KeySpec& key);

// The platform to estimate for: `target` when given (it must run the model:
// same compatibility group, quantization supported), else the model's first
// platform. Throws CompileError.
const sim::Platform& report_platform(const format::ModelInfo& info, const std::string& target);

// Every platform of the model's group that runs its quantization type
// (RKNN list_support_target_platform).
std::vector<const sim::Platform*> runnable_platforms(const format::ModelInfo& info);

// Writes `text` to `path` (atomically) when `path` is not empty.
void write_report_file(const std::string& path, const std::string& text);

// The human-readable report: to `path` (atomically) when given, else stdout.
void print_report(const std::string& path, const std::string& text);

}  // namespace rknn::cli
