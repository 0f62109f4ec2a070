// Node attributes as ONNX defines them (int, float, string, ints, floats,
// tensor). Getters check the kind and throw Error naming the attribute.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "rknn/sim/tensor.h"

namespace rknn::sim {

using AttrValue = std::variant<std::int64_t, float, std::string, std::vector<std::int64_t>,
                               std::vector<float>, Tensor>;

class Attributes {
 public:
  void set(std::string name, AttrValue value) { values_[std::move(name)] = std::move(value); }
  bool has(std::string_view name) const { return values_.find(name) != values_.end(); }
  void erase(std::string_view name);

  std::int64_t get_int(std::string_view name, std::int64_t fallback) const;
  float get_float(std::string_view name, float fallback) const;
  std::string get_string(std::string_view name, std::string_view fallback) const;
  std::vector<std::int64_t> get_ints(std::string_view name,
                                     std::vector<std::int64_t> fallback = {}) const;
  std::vector<float> get_floats(std::string_view name, std::vector<float> fallback = {}) const;
  const Tensor& get_tensor(std::string_view name) const;  // throws if absent

  std::int64_t require_int(std::string_view name) const;
  std::vector<std::int64_t> require_ints(std::string_view name) const;

  const std::map<std::string, AttrValue, std::less<>>& all() const { return values_; }

 private:
  template <class T>
  const T* find(std::string_view name) const;

  std::map<std::string, AttrValue, std::less<>> values_;
};

}  // namespace rknn::sim
