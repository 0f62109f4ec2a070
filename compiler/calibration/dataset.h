// The RKNN dataset file: one sample per line, one path per model input
// separated by spaces, relative paths resolved against the dataset file's
// folder. Blank lines and lines starting with '#' are ignored.
#pragma once

#include <filesystem>
#include <vector>

namespace rknn::calibration {

struct Sample {
  int line = 0;                              // 1-based line in the dataset file
  std::vector<std::filesystem::path> files;  // one per model input
};

// Reads and checks the file: every line names `inputs` files that exist.
// Throws CompileError naming the dataset file and line.
std::vector<Sample> read_dataset(const std::filesystem::path& path, std::size_t inputs);

}  // namespace rknn::calibration
