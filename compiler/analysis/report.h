// The files of accuracy analysis, as RKNN's accuracy_analysis lays them out:
//   DIR/error_analysis.txt   an aligned table, one row per layer output
//   DIR/error_analysis.json  the same, machine-readable
//   DIR/golden/NAME.npy      with dump_tensors: every golden layer output,
//   DIR/quantized/NAME.npy   and the quantized run's, float32, 4-D as NHWC
// Every number has a fixed format and nothing depends on the folder or the
// clock, so the same analysis gives the same bytes.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "analysis/analyze.h"

namespace rknn::analysis {

std::string format_table(const Analysis& analysis);
std::string format_json(const Analysis& analysis);

// One .npy file name per layer row: the tensor name with every character
// outside [A-Za-z0-9._-] (and a leading '.') replaced by '_', cut to 200
// bytes, made unique (ignoring case) by appending _2, _3, ... in row order.
std::vector<std::string> tensor_file_names(const Analysis& analysis);

// A float32 tensor as RKNN dumps it: 4-D NCHW values reordered to NHWC.
sim::Tensor to_nhwc(const sim::Tensor& tensor);

// Writes the files above (each to a temporary name, then renamed).
void write_analysis(const Analysis& analysis, const std::filesystem::path& dir, bool dump_tensors);

}  // namespace rknn::analysis
