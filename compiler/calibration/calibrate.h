// Calibration: runs the float golden program over the data set and collects
// per-tensor statistics (calibration/statistics.h), keyed by tensor name.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "calibration/sample_loader.h"
#include "calibration/statistics.h"
#include "rknn/sim/program.h"

namespace rknn::calibration {

struct CalibrationOptions {
  std::filesystem::path dataset;
  Algorithm algorithm = Algorithm::kNormal;
  int batch_size = 100;  // RKNN batch_size
  int epochs = -1;       // RKNN epochs: -1 uses every sample; else batch_size * epochs samples
  SampleOptions sample;
  int threads = 1;       // results do not depend on it
};

struct CalibrationResult {
  std::map<std::string, TensorStatistics> statistics;
  std::size_t samples = 0;
  std::vector<std::string> warnings;
};

// Throws CompileError naming the data set, line and file.
CalibrationResult calibrate(const sim::Program& program, const std::vector<format::IoInfo>& inputs,
                            const std::vector<format::Preprocessing>& preprocess, const CalibrationOptions& options);

}  // namespace rknn::calibration
