// The activation a compiler pass fuses into Conv or Gemm. It is applied to
// each output value right after the bias, before the value is stored.
//
// Node attributes (set by compiler/passes/fuse_activation.cpp):
//   activation        "Relu" | "Clip" | "LeakyRelu"  (absent: none)
//   activation_min    Clip lower bound  (default -inf)
//   activation_max    Clip upper bound  (default +inf)
//   activation_alpha  LeakyRelu slope   (default 0.01)
#pragma once

#include <algorithm>
#include <limits>

#include "rknn/sim/attributes.h"

namespace rknn::sim::ops {

struct Activation {
  enum class Kind { kNone, kRelu, kClip, kLeakyRelu };
  Kind kind = Kind::kNone;
  float min = -std::numeric_limits<float>::infinity();
  float max = std::numeric_limits<float>::infinity();
  float alpha = 0.01f;

  float apply(float x) const {
    switch (kind) {
      case Kind::kNone: return x;
      case Kind::kRelu: return std::max(x, 0.0f);
      case Kind::kClip: return std::min(std::max(x, min), max);
      case Kind::kLeakyRelu: return x < 0.0f ? x * alpha : x;
    }
    return x;
  }
};

// Throws Error for an unknown activation name.
Activation parse_activation(const Attributes& attrs);

}  // namespace rknn::sim::ops
