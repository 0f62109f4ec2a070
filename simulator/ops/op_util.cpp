#include "op_util.h"

#include <algorithm>

namespace rknn::sim::ops {

void expect_input_count(std::span<const InputInfo> inputs, std::size_t min, std::size_t max) {
  if (inputs.size() < min || inputs.size() > max) {
    throw Error("expects " + (min == max ? std::to_string(min)
                                         : std::to_string(min) + " to " + std::to_string(max)) +
                " inputs, got " + std::to_string(inputs.size()));
  }
  for (std::size_t i = 0; i < min; ++i) {
    if (!inputs[i].present) throw Error("required input " + std::to_string(i) + " is missing");
  }
}

const InputInfo* optional_input(std::span<const InputInfo> inputs, std::size_t index) {
  return index < inputs.size() && inputs[index].present ? &inputs[index] : nullptr;
}

const Tensor& require_constant(std::span<const InputInfo> inputs, std::size_t index,
                               std::string_view what) {
  if (index >= inputs.size() || !inputs[index].present) {
    throw Error("input " + std::to_string(index) + " (" + std::string(what) + ") is missing");
  }
  if (!inputs[index].constant) {
    throw UnsupportedError("input " + std::to_string(index) + " (" + std::string(what) +
                           ") must be a constant: NPU programs have static shapes");
  }
  return *inputs[index].constant;
}

void expect_dtype(const InputInfo& input, std::initializer_list<DType> allowed, std::string_view what) {
  if (std::find(allowed.begin(), allowed.end(), input.type.dtype) != allowed.end()) return;
  std::string names;
  for (DType d : allowed) names += (names.empty() ? "" : ", ") + std::string(dtype_name(d));
  throw UnsupportedError(std::string(what) + " has element type " +
                         std::string(dtype_name(input.type.dtype)) + "; supported: " + names);
}

void expect_rank(const InputInfo& input, std::size_t rank, std::string_view what) {
  if (input.type.shape.size() != rank) {
    throw Error(std::string(what) + " must have rank " + std::to_string(rank) + ", got " +
                input.type.to_string());
  }
}

}  // namespace rknn::sim::ops
