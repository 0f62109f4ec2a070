// The two error measures of accuracy analysis (RKNN accuracy_analysis), both
// comparing a tensor computed in the quantized domain, dequantized to real
// values, with the float golden tensor. docs/quantization.md, "Accuracy
// analysis", defines them for users.
#pragma once

#include <span>

namespace rknn::analysis {

struct ErrorMetrics {
  // sum(g*q) / (sqrt(sum(g*g)) * sqrt(sum(q*q))); 1 when both tensors are all
  // zeros, 0 when only one is. 1 means the same direction.
  double cosine = 0.0;
  // sqrt(sum((g - q)^2)); 0 means identical values.
  double euclidean = 0.0;
};

// Sums run in double precision in element order, so the result depends only
// on the values. Throws std::invalid_argument when the sizes differ.
ErrorMetrics compare(std::span<const float> golden, std::span<const float> quantized);

}  // namespace rknn::analysis
