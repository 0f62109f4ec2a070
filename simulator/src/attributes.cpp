#include "rknn/sim/attributes.h"

#include "rknn/sim/error.h"

namespace rknn::sim {

void Attributes::erase(std::string_view name) {
  auto it = values_.find(name);
  if (it != values_.end()) values_.erase(it);
}

template <class T>
const T* Attributes::find(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return nullptr;
  const T* value = std::get_if<T>(&it->second);
  if (!value) throw Error("attribute '" + std::string(name) + "' has the wrong kind");
  return value;
}

std::int64_t Attributes::get_int(std::string_view name, std::int64_t fallback) const {
  const auto* v = find<std::int64_t>(name);
  return v ? *v : fallback;
}

float Attributes::get_float(std::string_view name, float fallback) const {
  const auto* v = find<float>(name);
  return v ? *v : fallback;
}

std::string Attributes::get_string(std::string_view name, std::string_view fallback) const {
  const auto* v = find<std::string>(name);
  return v ? *v : std::string(fallback);
}

std::vector<std::int64_t> Attributes::get_ints(std::string_view name,
                                               std::vector<std::int64_t> fallback) const {
  const auto* v = find<std::vector<std::int64_t>>(name);
  return v ? *v : fallback;
}

std::vector<float> Attributes::get_floats(std::string_view name, std::vector<float> fallback) const {
  const auto* v = find<std::vector<float>>(name);
  return v ? *v : fallback;
}

const Tensor& Attributes::get_tensor(std::string_view name) const {
  const auto* v = find<Tensor>(name);
  if (!v) throw Error("missing required tensor attribute '" + std::string(name) + "'");
  return *v;
}

std::int64_t Attributes::require_int(std::string_view name) const {
  const auto* v = find<std::int64_t>(name);
  if (!v) throw Error("missing required attribute '" + std::string(name) + "'");
  return *v;
}

std::vector<std::int64_t> Attributes::require_ints(std::string_view name) const {
  const auto* v = find<std::vector<std::int64_t>>(name);
  if (!v) throw Error("missing required attribute '" + std::string(name) + "'");
  return *v;
}

}  // namespace rknn::sim
