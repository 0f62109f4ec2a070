#include "activation.h"

#include "rknn/sim/error.h"

namespace rknn::sim::ops {

Activation parse_activation(const Attributes& attrs) {
  Activation a;
  const std::string kind = attrs.get_string("activation", "");
  if (kind.empty()) return a;
  if (kind == "Relu") {
    a.kind = Activation::Kind::kRelu;
  } else if (kind == "Clip") {
    a.kind = Activation::Kind::kClip;
    a.min = attrs.get_float("activation_min", a.min);
    a.max = attrs.get_float("activation_max", a.max);
  } else if (kind == "LeakyRelu") {
    a.kind = Activation::Kind::kLeakyRelu;
    a.alpha = attrs.get_float("activation_alpha", a.alpha);
  } else {
    throw Error("unknown fused activation '" + kind + "'");
  }
  return a;
}

}  // namespace rknn::sim::ops
