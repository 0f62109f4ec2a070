// Per-tensor statistics over the calibration set and the clipping range each
// RKNN quantized_algorithm derives from them. Streaming: memory does not grow
// with the number of samples (a min/max pass, then a histogram pass).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace rknn::calibration {

enum class Algorithm { kNormal, kKlDivergence, kMmse };

// "normal", "kl_divergence", "mmse"; throws CompileError otherwise.
Algorithm parse_algorithm(const std::string& name);

struct Range {
  float min = 0.0f;
  float max = 0.0f;
};

class TensorStatistics {
 public:
  static constexpr std::size_t kBins = 2048;

  void observe_range(std::span<const float> values);  // pass 1
  void observe_histogram(std::span<const float> values);  // pass 2 (after pass 1)
  Range observed() const { return {min_, max_}; }

  // The clipping range for a code range of `levels` values (256 for 8 bits).
  Range clip_range(Algorithm algorithm, std::int64_t levels) const;

 private:
  float bin_width() const;
  Range kl_range(std::int64_t levels) const;
  Range mmse_range(std::int64_t levels) const;

  float min_ = 0.0f;
  float max_ = 0.0f;
  bool seen_ = false;
  std::vector<double> histogram_;  // over [min_, max_], kBins bins
};

}  // namespace rknn::calibration
