#include "analysis/metrics.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace rknn::analysis {

ErrorMetrics compare(std::span<const float> golden, std::span<const float> quantized) {
  if (golden.size() != quantized.size()) {
    throw std::invalid_argument("compare: " + std::to_string(golden.size()) + " golden values against " +
                                std::to_string(quantized.size()) + " quantized values");
  }
  double dot = 0.0, golden_norm2 = 0.0, quantized_norm2 = 0.0, distance2 = 0.0;
  for (std::size_t i = 0; i < golden.size(); ++i) {
    const double g = golden[i], q = quantized[i];
    dot += g * q;
    golden_norm2 += g * g;
    quantized_norm2 += q * q;
    distance2 += (g - q) * (g - q);
  }
  ErrorMetrics m;
  m.euclidean = std::sqrt(distance2);
  if (golden_norm2 == 0.0 || quantized_norm2 == 0.0) {
    m.cosine = golden_norm2 == quantized_norm2 ? 1.0 : 0.0;  // a zero vector has no direction
  } else {
    // Rounding can put equal directions a hair above 1.
    m.cosine = std::clamp(dot / (std::sqrt(golden_norm2) * std::sqrt(quantized_norm2)), -1.0, 1.0);
  }
  return m;
}

}  // namespace rknn::analysis
